//! Sending payouts and learning what became of them.

use crate::clients::{explain, AccountClient};
use crate::{Guichet, Result};
use futures_util::StreamExt;
use guichet_providers::cinetpay_transfer::{
    self, ContactItem, ContactOutcome, SendItem, SendOutcome,
};
use guichet_providers::{mycoolpay, ErrorKind};
use guichet_store::payouts::{Change, PayoutRow};
use guichet_types::UnifiedStatus;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;

/// CinetPay documents no maximum per request; integrators send 50 at a time.
const CHUNK: usize = 50;
/// How many My-CoolPay payouts (one request each) are in flight at once.
const PARALLEL: usize = 16;

/// A whole CinetPay send refused this way executed none of its orders.
fn refused_as_a_whole(kind: &ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::InsufficientBalance | ErrorKind::Credentials | ErrorKind::InvalidField(_)
    )
}

fn change<'a>(event: &'a str, detail: serde_json::Value) -> Change<'a> {
    Change {
        event,
        detail,
        ..Default::default()
    }
}

impl Guichet {
    /// Sends queued payouts (CinetPay in chunks, My-CoolPay in parallel). Each is marked
    /// `submitting` — committed — before its request leaves.
    pub async fn submit(&self, ids: &[i64]) -> Result<()> {
        let mut by_account: BTreeMap<i64, Vec<PayoutRow>> = BTreeMap::new();
        for id in ids {
            let row = guichet_store::payouts::get(&self.store.conn(), *id)?;
            if row.status == UnifiedStatus::Queued {
                by_account.entry(row.account_id).or_default().push(row);
            }
        }
        for (account_id, rows) in by_account {
            let account = guichet_store::accounts::get(&self.store.conn(), account_id)?;
            match self.client(&account).await {
                Ok(AccountClient::Cinetpay(c)) => {
                    for chunk in rows.chunks(CHUNK) {
                        self.send_cinetpay(
                            &c,
                            account.notify_url.as_deref().unwrap_or_default(),
                            chunk,
                        )
                        .await?;
                    }
                }
                Ok(AccountClient::Mycoolpay(c)) => {
                    let results: Vec<Result<()>> = futures_util::stream::iter(rows)
                        .map(|row| {
                            let c = c.clone();
                            async move { self.send_mycoolpay(&c, &row).await }
                        })
                        .buffer_unordered(PARALLEL)
                        .collect()
                        .await;
                    results.into_iter().collect::<Result<Vec<()>>>()?;
                }
                Err(e) => {
                    // Nothing left: a missing secret or keyring problem. The payouts stay queued.
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    async fn send_cinetpay(
        &self,
        c: &Arc<cinetpay_transfer::Client>,
        notify_url: &str,
        rows: &[PayoutRow],
    ) -> Result<()> {
        // A number must be a contact before money is sent to it (724): add them first; 726 means
        // it already was.
        let contacts: Vec<ContactItem> = rows
            .iter()
            .map(|r| {
                let name = if r.name.is_empty() {
                    r.phone.clone()
                } else {
                    r.name.clone()
                };
                ContactItem {
                    prefix: r.prefix.clone(),
                    phone: r.phone.clone(),
                    name: name.clone(),
                    surname: name,
                    email: String::new(),
                }
            })
            .collect();
        let mut refused_contacts = BTreeMap::new();
        match c.add_contacts(&contacts).await {
            Ok(results) => {
                for (item, outcome) in results {
                    if let ContactOutcome::Refused { code, message } = outcome {
                        refused_contacts.insert(item.phone, (code, message));
                    }
                }
            }
            // Not fatal: the send below says 724 for a number that is not a contact.
            Err(e) => tracing::warn!(error = %e.message, "adding CinetPay contacts failed"),
        }
        let mut orders = Vec::new();
        for r in rows {
            if let Some((code, message)) = refused_contacts.get(&r.phone) {
                let detail = format!("CinetPay refused the contact: {message}");
                self.move_payout(
                    r.id,
                    UnifiedStatus::Failed,
                    &Change {
                        provider_status: Some(code),
                        detail_text: Some(&detail),
                        ..change("contact_refused", json!({"code": code}))
                    },
                )?;
                continue;
            }
            self.move_payout(
                r.id,
                UnifiedStatus::Submitting,
                &change("sent", json!({"amount": r.amount, "phone": r.phone})),
            )?;
            orders.push(SendItem {
                prefix: r.prefix.clone(),
                phone: r.phone.clone(),
                amount: r.amount.0,
                notify_url: notify_url.to_string(),
                client_transaction_id: r.reference.clone(),
            });
        }
        if orders.is_empty() {
            return Ok(());
        }
        match c.send(&orders).await {
            Ok(results) => {
                for (order, outcome) in results {
                    let Some(row) = rows
                        .iter()
                        .find(|r| r.reference == order.client_transaction_id)
                    else {
                        continue;
                    };
                    match outcome {
                        SendOutcome::Accepted {
                            transaction_id,
                            lot,
                        } => {
                            self.move_payout(
                                row.id,
                                UnifiedStatus::Pending,
                                &Change {
                                    provider_ref: Some(&transaction_id),
                                    lot: Some(&lot),
                                    ..change("accepted", json!({"transaction_id": transaction_id}))
                                },
                            )?;
                            self.schedule(row.id, 0)?;
                        }
                        // 805: an earlier attempt arrived; an unmentioned order may have too.
                        SendOutcome::AlreadyExists
                        | SendOutcome::Refused {
                            kind: ErrorKind::OutcomeUnknown,
                            ..
                        } => {
                            self.resolve_cinetpay(c, row.id, notify_url).await?;
                        }
                        SendOutcome::Refused { code, message, .. } => {
                            let detail = format!("CinetPay {code}: {message}");
                            self.move_payout(
                                row.id,
                                UnifiedStatus::Failed,
                                &Change {
                                    provider_status: Some(&code),
                                    detail_text: Some(&detail),
                                    ..change("refused", json!({"code": code}))
                                },
                            )?;
                        }
                    }
                }
            }
            Err(e) => match e.kind {
                // Refused as a whole: nothing was executed.
                ref kind if refused_as_a_whole(kind) => {
                    let detail = explain(&e);
                    for r in rows.iter().filter(|r| {
                        orders
                            .iter()
                            .any(|o| o.client_transaction_id == r.reference)
                    }) {
                        self.move_payout(
                            r.id,
                            UnifiedStatus::Failed,
                            &Change {
                                provider_status: e.code.as_deref(),
                                detail_text: Some(&detail),
                                ..change("refused", json!({"code": e.code, "raw": e.raw}))
                            },
                        )?;
                    }
                }
                // Lost, unavailable or unreadable: each order may or may not have arrived. They stay
                // `submitting` and are looked up by their own reference.
                _ => {
                    for r in rows.iter().filter(|r| {
                        orders
                            .iter()
                            .any(|o| o.client_transaction_id == r.reference)
                    }) {
                        self.resolve_cinetpay(c, r.id, notify_url).await.ok();
                    }
                }
            },
        }
        Ok(())
    }

    /// Finds out what became of a CinetPay payout whose answer is missing: look it up by our
    /// reference; if CinetPay has never heard of it, send it again under the *same* reference
    /// (CinetPay refuses a reference twice with 805, so this can never pay twice).
    pub(crate) async fn resolve_cinetpay(
        &self,
        c: &Arc<cinetpay_transfer::Client>,
        id: i64,
        notify_url: &str,
    ) -> Result<()> {
        let row = guichet_store::payouts::get(&self.store.conn(), id)?;
        match c.check(&row.reference).await {
            Ok(Some(info)) => {
                let status = info.status();
                self.move_payout(
                    id,
                    status,
                    &Change {
                        provider_status: Some(&info.treatment_status),
                        provider_ref: Some(&info.transaction_id),
                        lot: Some(&info.lot),
                        detail_text: Some(&info.comment),
                        ..change("lookup", json!(info))
                    },
                )?;
                if !status.is_final() {
                    self.schedule(id, row.checks)?;
                }
            }
            Ok(None) => {
                // Never arrived. Send again, same reference — to a number that must be a contact
                // (the interruption may have come before it was added).
                let name = if row.name.is_empty() {
                    row.phone.clone()
                } else {
                    row.name.clone()
                };
                let contact = ContactItem {
                    prefix: row.prefix.clone(),
                    phone: row.phone.clone(),
                    name: name.clone(),
                    surname: name,
                    email: String::new(),
                };
                if let Err(e) = c.add_contacts(&[contact]).await {
                    tracing::info!(reference = %row.reference, error = %e.message, "adding the contact failed; will retry");
                    return Ok(());
                }
                let order = SendItem {
                    prefix: row.prefix.clone(),
                    phone: row.phone.clone(),
                    amount: row.amount.0,
                    notify_url: notify_url.to_string(),
                    client_transaction_id: row.reference.clone(),
                };
                guichet_store::events::append(
                    &self.store.conn(),
                    "payout.resent",
                    Some(row.account_id),
                    Some(&row.reference),
                    &json!({"reason": "unknown to CinetPay"}),
                )?;
                let sent = c.send(&[order]).await;
                if let Err(e) = &sent {
                    if refused_as_a_whole(&e.kind) {
                        // Nothing was executed and it never will be: final, or it would sit
                        // "being sent" and leave by itself whenever the balance allows.
                        let detail = explain(e);
                        self.move_payout(
                            id,
                            UnifiedStatus::Failed,
                            &Change {
                                provider_status: e.code.as_deref(),
                                detail_text: Some(&detail),
                                ..change("refused", json!({"code": e.code, "raw": e.raw}))
                            },
                        )?;
                    }
                }
                if let Ok(results) = sent {
                    if let Some((
                        _,
                        SendOutcome::Accepted {
                            transaction_id,
                            lot,
                        },
                    )) = results.first()
                    {
                        self.move_payout(
                            id,
                            UnifiedStatus::Pending,
                            &Change {
                                provider_ref: Some(transaction_id),
                                lot: Some(lot),
                                ..change("accepted", json!({"transaction_id": transaction_id}))
                            },
                        )?;
                        self.schedule(id, 0)?;
                    } else if let Some((
                        _,
                        SendOutcome::Refused {
                            code,
                            message,
                            kind,
                        },
                    )) = results.first()
                    {
                        if *kind != ErrorKind::OutcomeUnknown {
                            let detail = format!("CinetPay {code}: {message}");
                            self.move_payout(
                                id,
                                UnifiedStatus::Failed,
                                &Change {
                                    provider_status: Some(code),
                                    detail_text: Some(&detail),
                                    ..change("refused", json!({"code": code}))
                                },
                            )?;
                        }
                    }
                }
            }
            // Still no answer: stays `submitting`; the next sync asks again.
            Err(e) => {
                tracing::info!(reference = %row.reference, error = %e.message, "lookup failed; will retry")
            }
        }
        Ok(())
    }

    async fn send_mycoolpay(&self, c: &Arc<mycoolpay::Client>, row: &PayoutRow) -> Result<()> {
        self.move_payout(
            row.id,
            UnifiedStatus::Submitting,
            &change("sent", json!({"amount": row.amount, "phone": row.phone})),
        )?;
        let operator = match row.operator.as_deref() {
            Some("MCP") => mycoolpay::Operator::Mcp,
            Some("CM_OM") => mycoolpay::Operator::CmOm,
            Some("CM_MOMO") => mycoolpay::Operator::CmMomo,
            _ => mycoolpay::Operator::for_cameroon_number(&row.phone),
        };
        let request = mycoolpay::PayoutRequest {
            amount: row.amount.0,
            reason: if row.reason.is_empty() {
                "Paiement".into()
            } else {
                row.reason.clone()
            },
            operator,
            app_transaction_ref: row.reference.clone(),
            customer_name: (!row.name.is_empty()).then(|| row.name.clone()),
            customer_phone_number: Some(row.phone.clone()),
        };
        match c.payout(&request).await {
            Ok(reference) => {
                self.move_payout(
                    row.id,
                    UnifiedStatus::Pending,
                    &Change {
                        provider_ref: Some(&reference),
                        ..change("accepted", json!({"transaction_ref": reference}))
                    },
                )?;
                self.schedule(row.id, 0)?;
            }
            Err(e)
                if matches!(
                    e.kind,
                    ErrorKind::OutcomeUnknown
                        | ErrorKind::DuplicateReference
                        | ErrorKind::Unavailable
                        | ErrorKind::Unknown
                ) =>
            {
                // My-CoolPay can only be asked with its own reference, which we never got.
                let detail = "No answer from My-CoolPay: this payout may or may not have been made. Check it in your My-CoolPay back-office (reference shown here) before paying again.";
                self.move_payout(
                    row.id,
                    UnifiedStatus::OutcomeUnknown,
                    &Change {
                        detail_text: Some(detail),
                        ..change("lost", json!({"error": e.message, "raw": e.raw}))
                    },
                )?;
            }
            Err(e) => {
                let detail = explain(&e);
                self.move_payout(
                    row.id,
                    UnifiedStatus::Failed,
                    &Change {
                        detail_text: Some(&detail),
                        ..change("refused", json!({"error": e.message, "raw": e.raw}))
                    },
                )?;
            }
        }
        Ok(())
    }

    /// Asks the provider where a pending payout stands.
    pub(crate) async fn refresh(&self, row: &PayoutRow) -> Result<()> {
        let account = guichet_store::accounts::get(&self.store.conn(), row.account_id)?;
        let client = self.client(&account).await?;
        let outcome = match (&client, row.provider_ref.as_deref()) {
            (AccountClient::Cinetpay(c), _) => c.check(&row.reference).await.map(|info| {
                info.map(|i| {
                    (
                        i.status(),
                        i.treatment_status.clone(),
                        i.comment.clone(),
                        json!(i),
                    )
                })
            }),
            (AccountClient::Mycoolpay(c), Some(reference)) => c
                .check_status(reference)
                .await
                .map(|s| Some((s.unified(), s.status.clone(), s.message.clone(), json!(s)))),
            (AccountClient::Mycoolpay(_), None) => Ok(None),
        };
        match outcome {
            Ok(Some((status, provider_status, comment, detail))) => {
                let moved = if status != row.status
                    || row.provider_status.as_deref() != Some(provider_status.as_str())
                {
                    self.move_payout(
                        row.id,
                        status,
                        &Change {
                            provider_status: Some(&provider_status),
                            detail_text: Some(&comment),
                            ..change("poll", detail)
                        },
                    )?
                } else {
                    None
                };
                if !moved.as_ref().is_some_and(|r| r.status.is_final()) {
                    self.schedule(row.id, row.checks + 1)?;
                }
            }
            Ok(None) => self.schedule(row.id, row.checks + 1)?,
            Err(e) => {
                let wait = match e.kind {
                    ErrorKind::RateLimited { retry_after_s } => retry_after_s as i64,
                    _ => 0,
                };
                tracing::info!(reference = %row.reference, error = %e.message, "status check failed; will retry");
                self.schedule(row.id, row.checks + 1 + wait / 600)?;
            }
        }
        Ok(())
    }

    fn schedule(&self, id: i64, checks: i64) -> Result<()> {
        let at = super::schedule::at(super::schedule::next_check_after(checks));
        guichet_store::payouts::schedule_check(&self.store.conn(), id, &at)?;
        Ok(())
    }
}
