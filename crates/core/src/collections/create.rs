//! Asking a customer for money: each collection is recorded `queued`, marked `submitting` —
//! committed — before its request leaves, then shows what the customer needs (a USSD code, a
//! link, a payment page).

use super::{check_kind, CollectionInput};
use crate::clients::{explain, AccountClient};
use crate::payouts::schedule;
use crate::{CoreError, Guichet, Result};
use guichet_providers::{cinetpay_payment, mycoolpay, softsystem, ErrorKind, ProviderError};
use guichet_store::accounts::AccountRow;
use guichet_store::collections::{Change, CollectionKind, CollectionRow, Fields, NewCollection};
use guichet_types::{phone, Amount, Country, UnifiedStatus};
use serde_json::json;

/// CinetPay's minimum (document 002: `cpm_amount` an integer of at least 5).
const CINETPAY_MIN: i64 = 5;

/// The provider status that means "type the customer's SMS code" (My-CoolPay `REQUIRE_OTP`).
pub const REQUIRE_OTP: &str = "REQUIRE_OTP";

fn event<'a>(name: &'a str, detail: serde_json::Value) -> Change<'a> {
    Change {
        event: name,
        detail,
        ..Default::default()
    }
}

/// A lost answer to a call that creates a payment request: it may exist at the provider.
fn lost(e: &ProviderError) -> bool {
    matches!(
        e.kind,
        ErrorKind::OutcomeUnknown | ErrorKind::Unavailable | ErrorKind::Unknown
    )
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
                "the amount must be a positive number of francs",
            ));
        }
        if kind == CollectionKind::Cinetpay && input.amount < CINETPAY_MIN {
            return Err(CoreError::invalid(
                "amount",
                format!(
                    "CinetPay collects at least {}",
                    guichet_types::Amount(CINETPAY_MIN).with_currency(account.currency)
                ),
            ));
        }
        let reason = input.reason.trim();
        if reason.is_empty() && kind != CollectionKind::Softsystem {
            return Err(CoreError::invalid(
                "reason",
                "say what the payment is for: the customer sees it",
            ));
        }
        let phone_text = input
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        let number = match phone_text {
            Some(p) => Some(
                phone::normalize(p, account.country)
                    .map_err(|e| CoreError::invalid("phone", e.to_string()))?,
            ),
            None if matches!(kind, CollectionKind::Payin | CollectionKind::Softsystem) => {
                return Err(CoreError::invalid(
                    "phone",
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

    async fn mycoolpay_client(
        &self,
        account: &AccountRow,
    ) -> Result<std::sync::Arc<mycoolpay::Client>> {
        match self.client(account).await? {
            AccountClient::Mycoolpay(c) => Ok(c),
            AccountClient::Cinetpay(_) => {
                Err(CoreError::invalid("account", "not a My-CoolPay account"))
            }
        }
    }

    /// Records a My-CoolPay payin or paylink, marked `submitting`, ready for its request.
    async fn start_mycoolpay(
        &self,
        account_label: &str,
        kind: CollectionKind,
        input: &CollectionInput,
    ) -> Result<(CollectionRow, std::sync::Arc<mycoolpay::Client>)> {
        let account = self.account_row(account_label)?;
        let checked = Checked::new(&account, kind, input)?;
        let client = self.mycoolpay_client(&account).await?;
        let row = self.queue_collection(&account, &checked, crate::payouts::new_reference())?;
        self.mark_submitting(&row)?;
        Ok((row, client))
    }

    fn payin_request(row: &CollectionRow) -> mycoolpay::PayinRequest {
        mycoolpay::PayinRequest {
            amount: row.amount.0,
            reason: row.reason.clone(),
            app_transaction_ref: row.reference.clone(),
            customer_phone_number: row.phone.clone(),
            customer_name: row.name.clone(),
            customer_email: row.email.clone(),
            customer_lang: Some("fr".into()),
        }
    }

    /// A My-CoolPay payin: the customer confirms with a USSD code, or My-CoolPay first wants the
    /// SMS code the customer received (status `awaiting_customer`, provider status
    /// `REQUIRE_OTP`; then [`Guichet::authorize_payin`]).
    pub async fn collect_payin(
        &self,
        account_label: &str,
        input: CollectionInput,
    ) -> Result<CollectionRow> {
        let (row, client) = self
            .start_mycoolpay(account_label, CollectionKind::Payin, &input)
            .await?;
        match client.payin(&Self::payin_request(&row)).await {
            Ok(answer) => self.record_payin_answer(row.id, answer, "answer")?,
            Err(e) => self.record_failure(row.id, &e, lost(&e))?,
        }
        Ok(self.store.collections().get(row.id)?)
    }

    fn record_payin_answer(
        &self,
        id: i64,
        answer: mycoolpay::PayinAnswer,
        name: &str,
    ) -> Result<()> {
        let (reference, ussd, provider_status) = match &answer {
            mycoolpay::PayinAnswer::Pending {
                transaction_ref,
                ussd,
            } => (transaction_ref, Some(ussd.as_str()), "PENDING"),
            mycoolpay::PayinAnswer::RequireOtp { transaction_ref } => {
                (transaction_ref, None, REQUIRE_OTP)
            }
        };
        self.move_collection(
            id,
            UnifiedStatus::AwaitingCustomer,
            &Change {
                fields: Fields {
                    provider_ref: Some(reference),
                    provider_status: Some(provider_status),
                    ussd,
                    ..Default::default()
                },
                ..event(
                    name,
                    json!({"transaction_ref": reference, "action": provider_status, "ussd": ussd}),
                )
            },
        )?;
        if provider_status != REQUIRE_OTP {
            self.schedule_collection(id, 0)?;
        }
        Ok(())
    }

    /// Sends the code the customer received by SMS for a payin that asked for one. A code
    /// My-CoolPay refuses leaves the payin waiting for another try.
    pub async fn authorize_payin(&self, id: i64, code: &str) -> Result<CollectionRow> {
        let row = self.store.collections().get(id)?;
        let code = code.trim();
        if row.kind != CollectionKind::Payin
            || row.provider_status.as_deref() != Some(REQUIRE_OTP)
            || row.status.is_final()
        {
            return Err(CoreError::invalid(
                "id",
                format!(
                    "collection {} is not a payin waiting for the customer's code",
                    row.reference
                ),
            ));
        }
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(CoreError::invalid(
                "code",
                "type the code the customer received by SMS (digits only)",
            ));
        }
        let Some(reference) = row.provider_ref.clone() else {
            return Err(CoreError::invalid(
                "id",
                "this payin has no My-CoolPay reference",
            ));
        };
        let account = self.store.accounts().get(row.account_id)?;
        let client = self.mycoolpay_client(&account).await?;
        match client.authorize(&reference, code).await {
            Ok(answer) => self.record_payin_answer(id, answer, "authorized")?,
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
        let (row, client) = self
            .start_mycoolpay(account_label, CollectionKind::Paylink, &input)
            .await?;
        match client.paylink(&Self::payin_request(&row)).await {
            Ok((reference, url)) => {
                self.move_collection(
                    row.id,
                    UnifiedStatus::AwaitingCustomer,
                    &Change {
                        fields: Fields {
                            provider_ref: Some(&reference),
                            link: Some(&url),
                            ..Default::default()
                        },
                        ..event(
                            "answer",
                            json!({"transaction_ref": reference, "payment_url": url}),
                        )
                    },
                )?;
                self.schedule_collection(row.id, 0)?;
            }
            Err(e) => self.record_failure(row.id, &e, lost(&e))?,
        }
        Ok(self.store.collections().get(row.id)?)
    }

    /// A SOFTSYSTEM payment request: a fresh orderId (20–40 letters and digits) each time, and
    /// the page where the customer pays.
    pub async fn collect_softsystem(
        &self,
        account_label: &str,
        input: CollectionInput,
    ) -> Result<CollectionRow> {
        let account = self.account_row(account_label)?;
        let channel = match input.channel.as_deref().map(str::trim) {
            Some(c) if !c.is_empty() => Some(softsystem_channel(c)?),
            _ => None,
        };
        let checked = Checked::new(&account, CollectionKind::Softsystem, &input)?;
        let number = checked
            .number
            .clone()
            .expect("checked: a SOFTSYSTEM request has a phone");
        // Decided before anything is recorded: a request whose channel can't be told is the
        // merchant's input to complete, not a failed collection.
        let Some(channel) = channel.or_else(|| channel_of(&number)) else {
            return Err(CoreError::invalid(
                "channel",
                "choose the channel: Wave, Moov, MTN or Orange",
            ));
        };
        let client = self.softsystem_client(&account).await?;
        let row = self.queue_collection(&account, &checked, softsystem::new_order_id())?;
        // SOFTSYSTEM requires the three URLs. Without a notification URL of the merchant's own,
        // the provider's home page is where the customer lands (as in the document's example);
        // Guichet polls the status either way.
        let url = account
            .notify_url
            .clone()
            .unwrap_or_else(|| guichet_providers::hosts::SOFTSYSTEM.to_string());
        let request = softsystem::PaymentRequest {
            amount: row.amount.0,
            order_id: row.reference.clone(),
            number: format!("{}{}", number.prefix, number.national),
            channel: channel.to_string(),
            object: row.reason.clone(),
            success_url: url.clone(),
            error_url: url.clone(),
            callback_url: url,
        };
        self.mark_submitting(&row)?;
        match client.request_payment(&request).await {
            Ok(page) => {
                self.move_collection(
                    row.id,
                    UnifiedStatus::AwaitingCustomer,
                    &Change {
                        fields: Fields {
                            link: Some(&page.url),
                            provider_status: Some(channel),
                            ..Default::default()
                        },
                        ..event("answer", json!({"orderId": page.order_id, "url": page.url}))
                    },
                )?;
                self.schedule_collection(row.id, 0)?;
            }
            // The status can be asked by our orderId: the next sync finds out.
            Err(e) if lost(&e) => {
                tracing::info!(reference = %row.reference, error = %e.message, "SOFTSYSTEM answer lost; will look it up")
            }
            Err(e) => self.record_failure(row.id, &e, false)?,
        }
        Ok(self.store.collections().get(row.id)?)
    }

    /// A CinetPay hosted payment: the signature first (kept: `checkPayStatus` must give it
    /// back), then a local page that takes the customer to CinetPay's form in the system
    /// browser (CinetPay forbids iframes).
    pub async fn collect_cinetpay(
        &self,
        account_label: &str,
        input: CollectionInput,
    ) -> Result<CollectionRow> {
        let account = self.account_row(account_label)?;
        let checked = Checked::new(&account, CollectionKind::Cinetpay, &input)?;
        let client = self.cinetpay_payment_client(&account).await?;
        let row = self.queue_collection(&account, &checked, crate::payouts::new_reference())?;
        let number = checked.number;
        let now = time::OffsetDateTime::now_utc();
        let payment = cinetpay_payment::Payment {
            amount: row.amount.0,
            trans_id: row.reference.clone(),
            trans_date: format!(
                "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                now.year(),
                u8::from(now.month()),
                now.day(),
                now.hour(),
                now.minute(),
                now.second()
            ),
            designation: row.reason.clone(),
            custom: row.reference.clone(),
            language: "fr".into(),
            phone: number.map(|n| {
                // CinetPay's example number is the national one without the country prefix.
                (n.prefix, n.national)
            }),
        };
        self.mark_submitting(&row)?;
        match client.signature(&payment).await {
            Ok(signature) => {
                let notify = account.notify_url.clone().unwrap_or_default();
                let (action, fields) =
                    client.checkout_form(&payment, &signature, &notify, &notify, &notify);
                let page = self.write_checkout_page(&row.reference, &action, &fields)?;
                self.move_collection(
                    row.id,
                    UnifiedStatus::AwaitingCustomer,
                    &Change {
                        fields: Fields {
                            signature: Some(&signature),
                            link: Some(&page),
                            ..Default::default()
                        },
                        ..event("answer", json!({"signature": signature, "page": page}))
                    },
                )?;
                self.schedule_collection(row.id, 0)?;
            }
            // Without the signature the customer cannot reach the payment form: nothing can
            // have been paid.
            Err(e) => self.record_failure(row.id, &e, false)?,
        }
        Ok(self.store.collections().get(row.id)?)
    }
}

/// SOFTSYSTEM's channel names, from what the merchant typed.
fn softsystem_channel(c: &str) -> Result<&'static str> {
    match c.to_ascii_lowercase().as_str() {
        "wave" => Ok("Wave"),
        "moov" | "flooz" => Ok("Moov"),
        "mtn" | "momo" => Ok("MTN"),
        "orange" | "om" => Ok("Orange"),
        _ => Err(CoreError::invalid(
            "channel",
            format!("`{c}`: the channel is Wave, Moov, MTN or Orange"),
        )),
    }
}

/// The channel a Côte d'Ivoire number belongs to (Wave cannot be told from a number).
fn channel_of(n: &phone::Phone) -> Option<&'static str> {
    if n.country != Country::CI {
        return None;
    }
    n.operator().map(|op| match op {
        phone::Operator::Orange => "Orange",
        phone::Operator::Mtn => "MTN",
        phone::Operator::Moov => "Moov",
    })
}
