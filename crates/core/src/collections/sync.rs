//! The sync pass for collections: resolve what was in flight when Guichet stopped, and ask the
//! provider about collections whose next check is due.

use super::create::REQUIRE_OTP;
use crate::adapters::collections::{self as adapter, Interrupted};
use crate::{Guichet, Result};
use futures_util::StreamExt;
use guichet_providers::ErrorKind;
use guichet_store::collections::{Change, CollectionRow, Fields};
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

impl Guichet {
    /// One pass over every collection that is not final.
    pub async fn sync_collections(&self) -> Result<CollectionSyncReport> {
        self.require(crate::people::Action::Sync)?;
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
        match adapter::interrupted(row.kind) {
            Interrupted::AskAgain => self.refresh_collection(row).await,
            Interrupted::Settle {
                status,
                explanation,
            } => {
                self.move_collection(
                    row.id,
                    status,
                    &Change {
                        event: "interrupted",
                        detail: json!({ "explanation": explanation }),
                        ..Default::default()
                    },
                )?;
                Ok(())
            }
        }
    }

    /// Asks the provider where a collection stands and records any change.
    pub(crate) async fn refresh_collection(&self, row: &CollectionRow) -> Result<()> {
        let account = self.store.accounts().get(row.account_id)?;
        let outcome = adapter::read(self, &account, row).await?;
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
            // The provider has never heard of it: the request never arrived.
            Err(e)
                if row.status == UnifiedStatus::Submitting
                    && adapter::never_arrived(row.kind, &e).is_some() =>
            {
                let explanation = adapter::never_arrived(row.kind, &e);
                self.move_collection(
                    row.id,
                    UnifiedStatus::Failed,
                    &Change {
                        event: "lookup",
                        detail: json!({ "explanation": explanation }),
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
        self.require(crate::people::Action::Sync)?;
        let row = self.store.collections().get(id)?;
        if !row.status.is_final() && row.provider_status.as_deref() != Some(REQUIRE_OTP) {
            self.refresh_collection(&row).await?;
        }
        self.collection(id)
    }
}
