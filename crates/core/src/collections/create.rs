//! Asking a customer for money: each collection is checked, recorded `queued`, marked
//! `submitting` — committed — before its request leaves, then shows what the customer needs (a
//! USSD code, a link, a payment page). What each kind asks and sends is its provider's adapter's
//! (`adapters::collections`); this records it.

use super::{check_kind, CollectionInput};
use crate::adapters::collections::{self as adapter, Answer, Request};
use crate::clients::explain;
use crate::payouts::schedule;
use crate::Invalid;
use crate::{CoreError, Guichet, Result};
use guichet_providers::{ErrorKind, ProviderError};
use guichet_store::accounts::AccountRow;
use guichet_store::collections::{Change, CollectionKind, CollectionRow, Fields, NewCollection};
use guichet_types::{phone, Amount, UnifiedStatus};
use serde_json::json;

/// The provider status that means "type the customer's SMS code" (My-CoolPay `REQUIRE_OTP`).
pub use crate::adapters::mycoolpay::REQUIRE_OTP;

fn event<'a>(name: &'a str, detail: serde_json::Value) -> Change<'a> {
    Change {
        event: name,
        detail,
        ..Default::default()
    }
}

/// A collection's input once checked: nothing is recorded for input that fails a check.
struct Checked {
    kind: CollectionKind,
    amount: i64,
    reason: String,
    number: Option<phone::Phone>,
    name: Option<String>,
    email: Option<String>,
}

impl Checked {
    fn new(account: &AccountRow, kind: CollectionKind, input: &CollectionInput) -> Result<Self> {
        check_kind(account, kind)?;
        if input.amount <= 0 {
            return Err(CoreError::invalid(
                "amount",
                Invalid::AtLeast { min: 1 },
                "the amount must be a positive number of francs",
            ));
        }
        let rules = adapter::rules(kind);
        if input.amount < rules.min_amount {
            return Err(CoreError::invalid(
                "amount",
                Invalid::AtLeast {
                    min: rules.min_amount,
                },
                format!(
                    "{} collects at least {}",
                    account.provider.display_name(),
                    Amount(rules.min_amount).with_currency(account.currency)
                ),
            ));
        }
        let reason = input.reason.trim();
        if reason.is_empty() && rules.reason_required {
            return Err(CoreError::invalid(
                "reason",
                Invalid::Required,
                "say what the payment is for: the customer sees it",
            ));
        }
        let phone_text = input
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        let number = match phone_text {
            Some(p) => {
                Some(phone::normalize(p, account.country).map_err(|e| CoreError::phone(&e))?)
            }
            None if rules.phone_required => {
                return Err(CoreError::invalid(
                    "phone",
                    Invalid::Required,
                    "the customer's phone number is required",
                ))
            }
            None => None,
        };
        let email = input
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty());
        if let Some(e) = email {
            if !e.contains('@') || e.contains(char::is_whitespace) {
                return Err(CoreError::invalid(
                    "email",
                    Invalid::NotEmail {
                        value: e.to_string(),
                    },
                    format!("`{e}` is not an e-mail address"),
                ));
            }
        }
        Ok(Self {
            kind,
            amount: input.amount,
            reason: reason.to_string(),
            number,
            name: input
                .name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(String::from),
            email: email.map(String::from),
        })
    }
}

impl Guichet {
    /// Records a checked collection, `queued`, under `reference`.
    fn queue_collection(
        &self,
        account: &AccountRow,
        checked: &Checked,
        reference: String,
    ) -> Result<CollectionRow> {
        Ok(self.store.collections_mut().insert_queued(&NewCollection {
            account_id: account.id,
            kind: checked.kind,
            reference,
            amount: Amount(checked.amount),
            currency: account.currency.as_str().to_string(),
            phone: checked.number.as_ref().map(|n| n.national.clone()),
            name: checked.name.clone(),
            email: checked.email.clone(),
            reason: checked.reason.clone(),
        })?)
    }

    fn mark_submitting(&self, row: &CollectionRow) -> Result<()> {
        self.move_collection(
            row.id,
            UnifiedStatus::Submitting,
            &event("sent", json!({"amount": row.amount, "kind": row.kind})),
        )?;
        Ok(())
    }

    /// Records a refusal or a lost answer; returns the row as it now stands.
    fn record_failure(&self, id: i64, e: &ProviderError, may_exist: bool) -> Result<()> {
        let (status, detail) = if may_exist {
            (UnifiedStatus::OutcomeUnknown, "No answer from the provider: this payment request may or may not exist. Check the provider's back-office before asking the customer again.".to_string())
        } else {
            (UnifiedStatus::Failed, explain(e))
        };
        self.move_collection(
            id,
            status,
            &Change {
                fields: Fields {
                    provider_status: e.code.as_deref(),
                    ..Default::default()
                },
                ..event(
                    if may_exist { "lost" } else { "refused" },
                    json!({"error": e.message, "raw": e.raw, "explanation": detail}),
                )
            },
        )?;
        Ok(())
    }

    pub(crate) fn schedule_collection(&self, id: i64, checks: i64) -> Result<()> {
        let at = schedule::at(schedule::next_check_after(checks));
        self.store.collections_mut().schedule_check(id, &at)?;
        Ok(())
    }

    /// Asks a customer for money in the way `kind` says.
    pub(super) async fn start_collection(
        &self,
        account_label: &str,
        kind: CollectionKind,
        input: &CollectionInput,
    ) -> Result<CollectionRow> {
        let account = self.account_row(account_label)?;
        (adapter::rules(kind).channel)(input.channel.as_deref())?;
        let checked = Checked::new(&account, kind, input)?;
        let start = adapter::start(
            self,
            &account,
            Request {
                kind,
                channel: input.channel.as_deref(),
                number: checked.number.as_ref(),
            },
        )
        .await?;
        let reference = start
            .reference
            .unwrap_or_else(crate::payouts::new_reference);
        let row = self.queue_collection(&account, &checked, reference)?;
        self.mark_submitting(&row)?;
        let answer = (start.send)(row.clone()).await;
        self.record_answer(&row, answer)?;
        Ok(self.store.collections().get(row.id)?)
    }

    /// Records the provider's answer to a collection's request.
    fn record_answer(&self, row: &CollectionRow, answer: Answer) -> Result<()> {
        match answer {
            Answer::Awaiting {
                shown,
                event: name,
                mut detail,
                check,
            } => {
                let link = match &shown.form {
                    Some((action, fields)) => {
                        let page = self.write_checkout_page(&row.reference, action, fields)?;
                        detail["page"] = json!(page);
                        Some(page)
                    }
                    None => shown.link.clone(),
                };
                self.move_collection(
                    row.id,
                    UnifiedStatus::AwaitingCustomer,
                    &Change {
                        fields: Fields {
                            provider_ref: shown.provider_ref.as_deref(),
                            provider_status: shown.provider_status.as_deref(),
                            ussd: shown.ussd.as_deref(),
                            link: link.as_deref(),
                            signature: shown.signature.as_deref(),
                        },
                        ..event(name, detail)
                    },
                )?;
                if check {
                    self.schedule_collection(row.id, 0)?;
                }
            }
            Answer::Refused(e) => self.record_failure(row.id, &e, false)?,
            Answer::Lost(e) => self.record_failure(row.id, &e, true)?,
            Answer::AskLater(e) => {
                tracing::info!(reference = %row.reference, error = %e.message, "answer lost; will look it up")
            }
        }
        Ok(())
    }

    /// A My-CoolPay payin: the customer confirms with a USSD code, or My-CoolPay first wants the
    /// SMS code the customer received (status `awaiting_customer`, provider status
    /// `REQUIRE_OTP`; then [`Guichet::authorize_payin`]).
    pub async fn collect_payin(
        &self,
        account_label: &str,
        input: CollectionInput,
    ) -> Result<CollectionRow> {
        self.require(crate::people::Action::Collect)?;
        self.collect(account_label, CollectionKind::Payin, input)
            .await
    }

    /// Sends the code the customer received by SMS for a payin that asked for one. A code
    /// My-CoolPay refuses leaves the payin waiting for another try.
    pub async fn authorize_payin(&self, id: i64, code: &str) -> Result<CollectionRow> {
        self.require(crate::people::Action::Collect)?;
        let row = self.store.collections().get(id)?;
        let code = code.trim();
        if row.kind != CollectionKind::Payin
            || row.provider_status.as_deref() != Some(REQUIRE_OTP)
            || row.status.is_final()
        {
            return Err(CoreError::invalid(
                "id",
                Invalid::WrongState {
                    reference: row.reference.clone(),
                },
                format!(
                    "collection {} is not a payin waiting for the customer's code",
                    row.reference
                ),
            ));
        }
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(CoreError::invalid(
                "code",
                Invalid::DigitsOnly,
                "type the code the customer received by SMS (digits only)",
            ));
        }
        let Some(reference) = row.provider_ref.clone() else {
            return Err(CoreError::invalid(
                "id",
                Invalid::WrongState {
                    reference: row.reference.clone(),
                },
                "this payin has no My-CoolPay reference",
            ));
        };
        let account = self.store.accounts().get(row.account_id)?;
        match crate::adapters::mycoolpay::authorize(self, &account, &reference, code).await? {
            Ok(answer) => {
                self.record_answer(&row, answer)?;
                self.audit(
                    "collection.authorized",
                    Some(&row.id.to_string()),
                    json!({"count": 1, "total": row.amount, "reference": row.reference}),
                )?;
            }
            Err(e) => {
                self.store.events_mut().append(
                    "collection.code_refused",
                    Some(row.account_id),
                    Some(&row.reference),
                    &json!({"error": e.message}),
                )?;
                return Err(match e.kind {
                    ErrorKind::InvalidField(_) | ErrorKind::NotFound => CoreError::coded(
                        crate::ErrorCode::SmsCodeRefused {
                            answer: e.message.clone(),
                        },
                        format!("code: My-CoolPay refused the code: {}", e.message),
                    ),
                    _ => CoreError::provider(&e),
                });
            }
        }
        Ok(self.store.collections().get(id)?)
    }

    /// A My-CoolPay payment link for the customer (phone optional).
    pub async fn collect_paylink(
        &self,
        account_label: &str,
        input: CollectionInput,
    ) -> Result<CollectionRow> {
        self.require(crate::people::Action::Collect)?;
        self.collect(account_label, CollectionKind::Paylink, input)
            .await
    }

    /// A SOFTSYSTEM payment request: a fresh orderId (20–40 letters and digits) each time, and
    /// the page where the customer pays.
    pub async fn collect_softsystem(
        &self,
        account_label: &str,
        input: CollectionInput,
    ) -> Result<CollectionRow> {
        self.require(crate::people::Action::Collect)?;
        self.collect(account_label, CollectionKind::Softsystem, input)
            .await
    }

    /// A CinetPay hosted payment: the signature first (kept: `checkPayStatus` must give it
    /// back), then a local page that takes the customer to CinetPay's form in the system
    /// browser (CinetPay forbids iframes).
    pub async fn collect_cinetpay(
        &self,
        account_label: &str,
        input: CollectionInput,
    ) -> Result<CollectionRow> {
        self.require(crate::people::Action::Collect)?;
        self.collect(account_label, CollectionKind::Cinetpay, input)
            .await
    }
}
