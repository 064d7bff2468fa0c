//! The sync pass for collections: resolve what was in flight when Guichet stopped, and ask the
//! provider about collections whose next check is due.

use super::create::REQUIRE_OTP;
use crate::clients::AccountClient;
use crate::{Guichet, Result};
use futures_util::StreamExt;
use guichet_providers::cinetpay_payment::PayResult;
use guichet_providers::ErrorKind;
use guichet_store::collections::{Change, CollectionKind, CollectionRow, Fields};
use guichet_types::UnifiedStatus;
use serde::Serialize;
use serde_json::json;

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CollectionSyncReport {
    pub checked: usize,
    pub resolved: usize,
    /// Collections still waiting for the customer or the provider.
    pub pending: usize,
    pub next_check_at: Option<String>,
}

const PARALLEL: usize = 16;
/// A collection `submitting` for longer than any request can take was interrupted.
const INTERRUPTED_AFTER: time::Duration = time::Duration::minutes(2);

/// What a provider says about a collection, normalised.
struct Reading {
    status: UnifiedStatus,
    provider_status: String,
    provider_ref: Option<String>,
    note: Option<String>,
    detail: serde_json::Value,
}

impl Guichet {
    /// One pass over every collection that is not final.
    pub async fn sync_collections(&self) -> Result<CollectionSyncReport> {
        let mut report = CollectionSyncReport::default();
        let now = time::OffsetDateTime::now_utc();
        let stale = guichet_store::format_ts(now - INTERRUPTED_AFTER);
        let now = guichet_store::format_ts(now);
        let open = self.store.collections().open()?;
        for row in open
            .iter()
            .filter(|r| r.status == UnifiedStatus::Submitting && r.updated_at < stale)
        {
            self.resolve_interrupted(row).await?;
            report.resolved += 1;
        }
        let due: Vec<CollectionRow> = open
            .into_iter()
            .filter(|r| {
                matches!(
                    r.status,
                    UnifiedStatus::Pending | UnifiedStatus::AwaitingCustomer
                )
            })
            // A payin waiting for the customer's SMS code has nothing to ask yet.
            .filter(|r| r.provider_status.as_deref() != Some(REQUIRE_OTP))
            .filter(|r| {
                r.next_check_at
                    .as_deref()
                    .is_none_or(|at| at <= now.as_str())
            })
            .collect();
        report.checked = due.len();
        let results: Vec<Result<()>> = futures_util::stream::iter(due)
            .map(|row| async move { self.refresh_collection(&row).await })
            .buffer_unordered(PARALLEL)
            .collect()
            .await;
        results.into_iter().collect::<Result<Vec<()>>>()?;

        let waiting: Vec<CollectionRow> = self
            .store
            .collections()
            .open()?
            .into_iter()
            .filter(|r| {
                matches!(
                    r.status,
                    UnifiedStatus::Pending | UnifiedStatus::AwaitingCustomer
                ) && r.provider_status.as_deref() != Some(REQUIRE_OTP)
            })
            .collect();
        report.pending = waiting.len();
        report.next_check_at = waiting.iter().filter_map(|r| r.next_check_at.clone()).min();
        Ok(report)
    }

    /// A collection whose request left but whose answer was never recorded.
    async fn resolve_interrupted(&self, row: &CollectionRow) -> Result<()> {
        match row.kind {
            // SOFTSYSTEM can be asked by our own orderId.
            CollectionKind::Softsystem => self.refresh_collection(row).await,
            // My-CoolPay can only be asked with its own reference, which never came back.
            CollectionKind::Payin | CollectionKind::Paylink => {
                self.move_collection(
                    row.id,
                    UnifiedStatus::OutcomeUnknown,
                    &Change {
                        event: "interrupted",
                        detail: json!({"explanation": "Guichet stopped while this request was being sent: it may or may not exist at My-CoolPay. Check the back-office before asking the customer again."}),
                        ..Default::default()
                    },
                )?;
                Ok(())
            }
            // The customer never got the payment form: nothing can have been paid.
            CollectionKind::Cinetpay => {
                self.move_collection(
                    row.id,
                    UnifiedStatus::Failed,
                    &Change {
                        event: "interrupted",
                        detail: json!({"explanation": "Guichet stopped before the payment page was ready; create a new one."}),
                        ..Default::default()
                    },
                )?;
                Ok(())
            }
        }
    }

    async fn read_collection(
        &self,
        row: &CollectionRow,
    ) -> Result<std::result::Result<Option<Reading>, guichet_providers::ProviderError>> {
        let account = self.store.accounts().get(row.account_id)?;
        Ok(match row.kind {
            CollectionKind::Payin | CollectionKind::Paylink => {
                let (AccountClient::Mycoolpay(c), Some(reference)) =
                    (self.client(&account).await?, row.provider_ref.as_deref())
                else {
                    return Ok(Ok(None));
                };
                c.check_status(reference).await.map(|s| {
                    let status = match s.unified() {
                        // Not final: the customer has yet to pay.
                        UnifiedStatus::Pending => UnifiedStatus::AwaitingCustomer,
                        other => other,
                    };
                    Some(Reading {
                        status,
                        provider_status: s.status.to_string(),
                        provider_ref: None,
                        note: (!s.message.is_empty()).then(|| s.message.clone()),
                        detail: json!(s),
                    })
                })
            }
            CollectionKind::Softsystem => {
                let c = self.softsystem_client(&account).await?;
                c.status(&row.reference).await.map(|s| {
                    let mut status = s.unified();
                    let mut note = None;
                    if status == UnifiedStatus::Succeeded
                        && s.amount.trim() != row.amount.0.to_string()
                    {
                        status = UnifiedStatus::Failed;
                        note = Some(format!(
                            "SOFTSYSTEM reports {} francs paid, not the {} asked: not accepted as paid",
                            s.amount, row.amount.with_currency(&row.currency)
                        ));
                    }
                    Some(Reading {
                        status,
                        provider_status: s.status.to_string(),
                        provider_ref: None,
                        note,
                        detail: json!(s),
                    })
                })
            }
            CollectionKind::Cinetpay => {
                let c = self.cinetpay_payment_client(&account).await?;
                let stored = row.signature.clone().unwrap_or_default();
                c.check(&row.reference).await.map(|s| {
                    let status = s.verdict(row.amount.0, &stored);
                    let note = (s.result == PayResult::Paid && status != UnifiedStatus::Succeeded).then(|| {
                        format!(
                            "CinetPay reports a payment of {} francs, but its amount or signature differs from what Guichet stored ({}): not accepted as paid",
                            s.amount, row.amount.with_currency(&row.currency)
                        )
                    });
                    Some(Reading {
                        status,
                        provider_status: s.result.as_str().to_string(),
                        provider_ref: (!s.payid.is_empty()).then(|| s.payid.clone()),
                        note,
                        detail: json!(s),
                    })
                })
            }
        })
    }

    /// Asks the provider where a collection stands and records any change.
    pub(crate) async fn refresh_collection(&self, row: &CollectionRow) -> Result<()> {
        let outcome = self.read_collection(row).await?;
        match outcome {
            Ok(Some(r)) => {
                let mut detail = r.detail;
                if let Some(note) = &r.note {
                    detail["explanation"] = json!(note);
                }
                // Found after an interruption: the customer-facing link was never received.
                if row.status == UnifiedStatus::Submitting && !r.status.is_final() {
                    detail["explanation"] = json!("The request reached the provider but its payment link was lost: create a new request for the customer.");
                }
                let moved = self.move_collection(
                    row.id,
                    r.status,
                    &Change {
                        fields: Fields {
                            provider_status: Some(&r.provider_status),
                            provider_ref: r.provider_ref.as_deref(),
                            ..Default::default()
                        },
                        event: "poll",
                        detail,
                    },
                )?;
                if !moved.as_ref().is_some_and(|m| m.status.is_final()) && !r.status.is_final() {
                    self.schedule_collection(row.id, row.checks + 1)?;
                }
            }
            Ok(None) => self.schedule_collection(row.id, row.checks + 1)?,
            // SOFTSYSTEM has never heard of this orderId: the request never arrived.
            Err(e)
                if e.kind == ErrorKind::NotFound
                    && row.kind == CollectionKind::Softsystem
                    && row.status == UnifiedStatus::Submitting =>
            {
                self.move_collection(
                    row.id,
                    UnifiedStatus::Failed,
                    &Change {
                        event: "lookup",
                        detail: json!({"explanation": "The request never reached SOFTSYSTEM: nothing to pay. Create a new one."}),
                        ..Default::default()
                    },
                )?;
            }
            Err(e) => {
                let wait = match e.kind {
                    ErrorKind::RateLimited { retry_after_s } => retry_after_s as i64,
                    _ => 0,
                };
                tracing::info!(reference = %row.reference, error = %e.message, "collection status check failed; will retry");
                self.schedule_collection(row.id, row.checks + 1 + wait / 600)?;
            }
        }
        Ok(())
    }

    /// Asks the provider about one collection now (the `status` command, a callback).
    pub async fn refresh_collection_now(&self, id: i64) -> Result<super::CollectionDetail> {
        let row = self.store.collections().get(id)?;
        if !row.status.is_final() && row.provider_status.as_deref() != Some(REQUIRE_OTP) {
            self.refresh_collection(&row).await?;
        }
        self.collection(id)
    }
}
