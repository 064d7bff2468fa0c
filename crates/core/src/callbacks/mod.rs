//! Provider notifications. My-CoolPay's callback is checked as its document prescribes — the
//! source address, `application` equal to our public key, the md5 signature compared in constant
//! time — and answered `OK` or `KO`. CinetPay's and SOFTSYSTEM's are unsigned: the body only
//! names a transaction, whose status Guichet then asks the provider itself. Every delivery is
//! recorded with its source and verdict; a delivery repeated ten times changes state once.

mod server;

use crate::adapters::callbacks::{self as adapter, Asked, Handling, Shape, Verdict};
use crate::Invalid;
use crate::{CoreError, Guichet, Result};
use guichet_store::accounts::AccountRow;
use guichet_store::callbacks::{CallbackRow, NewCallback};
use guichet_store::collections::{Change, Fields};
use guichet_types::UnifiedStatus;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::IpAddr;

pub use server::{CallbackServer, Limits, ServeOptions};

/// The one address My-CoolPay sends callbacks from (document 000, security §5).
pub use crate::adapters::mycoolpay::CALLBACK_SOURCE as MYCOOLPAY_IP;
/// Larger bodies are refused unread.
pub const MAX_BODY: usize = 64 * 1024;

/// What Guichet made of a callback.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CallbackOutcome {
    /// `mycoolpay`, `cinetpay`, `cinetpay_transfer`, `softsystem`, or `unknown`.
    pub provider: String,
    /// `OK` or `KO`: the answer the provider gets.
    pub answer: String,
    /// Why, in words (`signature matches`, `wrong source address 1.2.3.4`…).
    pub reason: String,
    pub reference: Option<String>,
    /// Whether this delivery changed a payout or collection.
    pub changed: bool,
}

/// A delivery checked and applied, not yet recorded.
pub(crate) struct Handled {
    pub(crate) outcome: CallbackOutcome,
    pub(crate) account_id: Option<i64>,
}

impl CallbackOutcome {
    pub fn ok(&self) -> bool {
        self.answer == "OK"
    }
}

fn outcome(
    provider: &str,
    ok: bool,
    reason: impl Into<String>,
    reference: Option<&str>,
) -> CallbackOutcome {
    CallbackOutcome {
        provider: provider.into(),
        answer: if ok { "OK" } else { "KO" }.into(),
        reason: reason.into(),
        reference: reference.map(String::from),
        changed: false,
    }
}

/// A callback body as fields: a JSON object or a form (`a=1&b=2`). Numbers keep the text
/// the provider printed (`100`, not `100.0`): My-CoolPay signs that text.
pub fn parse_body(body: &str) -> Result<HashMap<String, String>> {
    let trimmed = body.trim();
    if trimmed.starts_with('{') {
        let v: serde_json::Map<String, Value> = serde_json::from_str(trimmed).map_err(|e| {
            CoreError::invalid("body", Invalid::Unreadable, format!("not valid JSON: {e}"))
        })?;
        return Ok(v
            .into_iter()
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s,
                    Value::Null => String::new(),
                    other => other.to_string(),
                };
                (k, text)
            })
            .collect());
    }
    let fields: Vec<(String, String)> = serde_urlencoded::from_str(trimmed).map_err(|e| {
        CoreError::invalid(
            "body",
            Invalid::Unreadable,
            format!("neither JSON nor a form: {e}"),
        )
    })?;
    if fields.is_empty() {
        return Err(CoreError::invalid(
            "body",
            Invalid::Required,
            "the callback body is empty",
        ));
    }
    Ok(fields.into_iter().collect())
}

/// The word recorded for a body's sender: its shape's, or `unknown`.
fn sender(shape: Option<&Shape>) -> &'static str {
    shape.map_or("unknown", |s| s.sender)
}

/// The outcome of a provider's verdict, in the words of `sender`.
fn judged(sender: &str, v: Verdict) -> CallbackOutcome {
    outcome(sender, v.ok, v.reason, v.reference.as_deref())
}

/// What is kept of a rejected body: enough to see what was sent, not enough for a flood of
/// forgeries to fill the disk.
pub const REJECTED_BODY_KEPT: usize = 1024;

/// A rejected body as stored: its first [`REJECTED_BODY_KEPT`] bytes (cut on a character
/// boundary) and how long it was.
fn kept_of_rejected(body: &str) -> std::borrow::Cow<'_, str> {
    if body.len() <= REJECTED_BODY_KEPT {
        return body.into();
    }
    let mut end = REJECTED_BODY_KEPT;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… [{} bytes in all]", &body[..end], body.len()).into()
}

/// The transaction a body names, whatever the provider: copies of one callback are handled
/// one after the other; different transactions do not wait for each other.
fn named_reference(f: &HashMap<String, String>) -> Option<String> {
    let shape = adapter::shape_of(f)?;
    f.get(shape.reference)
        .filter(|r| !r.is_empty())
        .map(|r| format!("{}:{r}", shape.sender))
}

/// One lock per transaction named by deliveries being handled: two copies arriving together
/// must not both count, but a slow provider re-query for one transaction must not hold up
/// another's delivery (My-CoolPay sends each only once). The state changes themselves are
/// atomic in the database; the lock only keeps each delivery's `changed` truthful.
#[derive(Default)]
struct TransactionLocks(std::sync::Mutex<HashMap<String, std::sync::Arc<tokio::sync::Mutex<()>>>>);

struct TransactionGuard<'a> {
    locks: &'a TransactionLocks,
    key: String,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl TransactionLocks {
    fn global() -> &'static TransactionLocks {
        static LOCKS: std::sync::OnceLock<TransactionLocks> = std::sync::OnceLock::new();
        LOCKS.get_or_init(TransactionLocks::default)
    }

    async fn lock(&self, key: String) -> TransactionGuard<'_> {
        let lock = self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key.clone())
            .or_default()
            .clone();
        let guard = lock.lock_owned().await;
        TransactionGuard {
            locks: self,
            key,
            guard: Some(guard),
        }
    }

    #[cfg(test)]
    fn held(&self) -> usize {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

impl Drop for TransactionGuard<'_> {
    fn drop(&mut self) {
        self.guard.take();
        let mut map = self.locks.0.lock().unwrap_or_else(|e| e.into_inner());
        // Nobody else holds or waits for it: forget it, so the map does not grow.
        if map
            .get(&self.key)
            .is_some_and(|l| std::sync::Arc::strong_count(l) == 1)
        {
            map.remove(&self.key);
        }
    }
}

impl Guichet {
    /// Checks a callback body against an account without changing anything (a body pasted by
    /// the merchant). My-CoolPay: application and signature (and the source, when given).
    /// CinetPay and SOFTSYSTEM: the provider is asked, and the body must agree with its answer.
    pub async fn verify_callback(
        &self,
        account_label: &str,
        body: &str,
        source: Option<IpAddr>,
    ) -> Result<CallbackOutcome> {
        self.require(crate::people::Action::Sync)?;
        let account = self.account_row(account_label)?;
        let f = parse_body(body)?;
        let shape = adapter::account_shape(account.provider);
        // The payment Guichet created under the reference the body names, if any.
        let stored = match f.get(shape.reference).filter(|r| !r.is_empty()) {
            Some(r) if shape.handling == Handling::AskCollection => {
                self.store.collections().by_reference(r)?
            }
            _ => None,
        };
        let v = adapter::verify(self, &account, &f, source, stored.as_ref()).await?;
        Ok(judged(shape.sender, v))
    }

    /// Handles one delivery received from `source`: checks it, records it, and updates the
    /// payout or collection it names (at most once, however often it comes).
    pub async fn receive_callback(&self, body: &str, source: IpAddr) -> Result<CallbackOutcome> {
        self.require(crate::people::Action::Sync)?;
        let handled = self.handle_callback(body, source).await?;
        self.record_callback(&handled, body, source)?;
        Ok(handled.outcome)
    }

    /// Checks a delivery and applies it, without recording it (the receiver decides whether a
    /// rejected one is stored).
    pub(crate) async fn handle_callback(&self, body: &str, source: IpAddr) -> Result<Handled> {
        let (outcome, account_id) = match parse_body(body) {
            Ok(f) => {
                // Keyed by data folder too: two folders' transactions may share a reference.
                let _copies = match named_reference(&f) {
                    Some(key) => Some(
                        TransactionLocks::global()
                            .lock(format!("{}\n{key}", self.data_dir().display()))
                            .await,
                    ),
                    None => None,
                };
                self.handle(&f, source).await?
            }
            Err(e) => (outcome("unknown", false, e.to_string(), None), None),
        };
        Ok(Handled {
            outcome,
            account_id,
        })
    }

    /// Records a handled delivery; a rejected body is kept truncated.
    pub(crate) fn record_callback(&self, h: &Handled, body: &str, source: IpAddr) -> Result<()> {
        let result = &h.outcome;
        let account_id = h.account_id;
        let body = if result.ok() {
            body.into()
        } else {
            kept_of_rejected(body)
        };
        let verdict = if !result.ok() {
            format!("ko: {}", result.reason)
        } else if result.changed {
            "changed".to_string()
        } else {
            "unchanged".to_string()
        };
        self.store.callbacks_mut().insert(&NewCallback {
            provider: &result.provider,
            account_id,
            source: &source.to_string(),
            reference: result.reference.as_deref(),
            verdict: &verdict,
            body: &body,
        })?;
        Ok(())
    }

    async fn handle(
        &self,
        f: &HashMap<String, String>,
        source: IpAddr,
    ) -> Result<(CallbackOutcome, Option<i64>)> {
        let get = |k: &str| f.get(k).cloned().unwrap_or_default();
        let shape = adapter::shape_of(f);
        let provider = sender(shape);
        let Some(shape) = shape else {
            return Ok((
                outcome(provider, false, "not a callback Guichet knows", None),
                None,
            ));
        };
        let reference = get(shape.reference);
        match shape.handling {
            Handling::Signed => {
                let account = self
                    .store
                    .accounts()
                    .list()?
                    .into_iter()
                    .find(|a| a.provider == shape.provider && (shape.names_account)(a, f));
                let Some(account) = account else {
                    return Ok((
                        outcome(
                            provider,
                            false,
                            "`application` is not the public key of any account",
                            Some(&reference),
                        ),
                        None,
                    ));
                };
                let v = adapter::verify(self, &account, f, Some(source), None).await?;
                let mut result = judged(provider, v);
                if result.ok() {
                    let claimed = f.get("transaction_status").cloned().unwrap_or_default();
                    result.changed = match adapter::ask_status(self, &account, &reference).await {
                        Some(asked) => self.apply_asked(&account, &reference, &claimed, asked)?,
                        None => false,
                    };
                }
                Ok((result, Some(account.id)))
            }
            Handling::AskCollection => {
                let Some(row) = self.store.collections().by_reference(&reference)? else {
                    return Ok((
                        outcome(
                            provider,
                            false,
                            "no collection of Guichet's has this reference",
                            Some(&reference),
                        ),
                        None,
                    ));
                };
                let before = (row.status, row.provider_status.clone());
                if !row.status.is_final() {
                    self.refresh_collection(&row).await?;
                }
                let after = self.store.collections().get(row.id)?;
                let mut result = outcome(
                    provider,
                    true,
                    format!("status asked of the provider: {}", after.status.as_str()),
                    Some(&reference),
                );
                result.changed = before != (after.status, after.provider_status);
                Ok((result, Some(row.account_id)))
            }
            Handling::AskPayout => {
                let Some(row) = self.store.payouts().by_reference(&reference)? else {
                    return Ok((
                        outcome(
                            provider,
                            false,
                            "no payout of Guichet's has this reference",
                            Some(&reference),
                        ),
                        None,
                    ));
                };
                if !row.status.is_final() && row.status != UnifiedStatus::Queued {
                    self.refresh(vec![row.clone()]).await?;
                }
                let after = self.store.payouts().get(row.id)?;
                let mut result = outcome(
                    provider,
                    true,
                    format!(
                        "status asked of {}: {}",
                        shape.provider.display_name(),
                        after.status.as_str()
                    ),
                    Some(&reference),
                );
                result.changed = row.status != after.status;
                Ok((result, Some(row.account_id)))
            }
        }
    }

    /// Applies the status the provider gave, after an authentic signed callback, to the
    /// collection or payout it names.
    fn apply_asked(
        &self,
        account: &AccountRow,
        reference: &str,
        claimed: &str,
        checked: Asked,
    ) -> Result<bool> {
        let status_text = checked.text.clone();
        let status = checked.status;
        let conn_row = self.store.collections().by_provider_ref(reference)?;
        if let Some(row) = conn_row.filter(|r| r.account_id == account.id) {
            let status = if status == UnifiedStatus::Pending {
                UnifiedStatus::AwaitingCustomer
            } else {
                status
            };
            let moved = self.move_collection(
                row.id,
                status,
                &Change {
                    fields: Fields { provider_status: Some(&status_text), ..Default::default() },
                    event: "callback",
                    detail: json!({"transaction_ref": reference, "transaction_status": status_text, "claimed": claimed}),
                },
            )?;
            return Ok(moved.is_some());
        }
        let by_ref = self
            .store
            .payouts()
            .by_provider_ref(account.id, reference)?;
        let payout = match by_ref {
            Some(p) => Some(p),
            None => self.payout_without_its_reference(account, &checked)?,
        };
        if let Some(p) = payout {
            if p.status != status && !p.status.is_final() {
                let moved = self.move_payout(
                    p.id,
                    status,
                    &guichet_store::payouts::Change {
                        provider_status: Some(&status_text),
                        provider_ref: Some(reference),
                        event: "callback",
                        detail: json!({"transaction_ref": reference, "transaction_status": status_text, "claimed": claimed}),
                        ..Default::default()
                    },
                )?;
                if let (Some(fee), Some(_)) = (checked.fee, &moved) {
                    self.store
                        .fees_mut()
                        .record(p.id, guichet_types::Amount(fee))?;
                }
                return Ok(moved.is_some());
            }
        }
        Ok(false)
    }

    /// A payout whose answer never came (so without My-CoolPay's reference) that My-CoolPay's
    /// own status answer names by our reference (`app_transaction_ref`). The callback comes
    /// once and is never retried (document 000 §8): it is the one chance to learn its outcome.
    fn payout_without_its_reference(
        &self,
        account: &AccountRow,
        checked: &Asked,
    ) -> Result<Option<guichet_store::payouts::PayoutRow>> {
        if checked.own_reference.is_empty() {
            return Ok(None);
        }
        Ok(self
            .store
            .payouts()
            .by_reference(&checked.own_reference)?
            .filter(|p| {
                p.account_id == account.id
                    && p.provider_ref.is_none()
                    && matches!(
                        p.status,
                        UnifiedStatus::OutcomeUnknown | UnifiedStatus::Submitting
                    )
            }))
    }

    /// The latest deliveries, newest first.
    pub fn recent_callbacks(&self, limit: u32) -> Result<Vec<CallbackRow>> {
        self.require(crate::people::Action::Read)?;
        Ok(self.store.callbacks().recent(limit)?)
    }
}

#[cfg(test)]
mod tests {
    use super::{kept_of_rejected, TransactionLocks, REJECTED_BODY_KEPT};
    use std::time::Duration;

    #[test]
    fn a_rejected_body_is_kept_short_and_says_how_long_it_was() {
        assert_eq!(kept_of_rejected("a=1"), "a=1");
        let long = "é".repeat(5000);
        let kept = kept_of_rejected(&long);
        assert!(kept.len() <= REJECTED_BODY_KEPT + 40, "{}", kept.len());
        assert!(kept.ends_with("… [10000 bytes in all]"), "{kept}");
    }

    #[tokio::test]
    async fn copies_of_one_transaction_wait_for_each_other_and_others_do_not() {
        let locks = TransactionLocks::default();
        let a = locks.lock("mycoolpay:A".into()).await;
        // Another transaction: at once.
        let b = tokio::time::timeout(Duration::from_millis(100), locks.lock("mycoolpay:B".into()))
            .await
            .expect("B does not wait for A");
        // A copy of A: waits until A is done.
        assert!(
            tokio::time::timeout(Duration::from_millis(100), locks.lock("mycoolpay:A".into()))
                .await
                .is_err()
        );
        drop(a);
        drop(b);
        let again = locks.lock("mycoolpay:A".into()).await;
        drop(again);
        assert_eq!(locks.held(), 0, "finished transactions are forgotten");
    }
}
