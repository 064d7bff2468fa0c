//! The poller's work: send what is queued (an interrupted batch included), resolve what was in
//! flight when Guichet stopped, and ask about pending payouts whose next check is due.

use crate::adapters::adapter;
use crate::{Guichet, Result};
use guichet_types::UnifiedStatus;
use serde::Serialize;
use std::time::Duration;

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncReport {
    pub submitted: usize,
    pub resolved: usize,
    pub checked: usize,
    /// Payouts not final yet (outcome-unknown ones excepted: they wait for the merchant).
    pub pending: usize,
    pub outcome_unknown: usize,
    /// When the earliest pending payout or collection is due for its next check.
    pub next_check_at: Option<String>,
    /// Collections asked about in this pass, and those still waiting for their customer.
    pub collections_checked: usize,
    pub collections_pending: usize,
    /// Batches that were to leave later, checked in this pass: sent, held, waiting,
    /// cancelled.
    pub batches: Vec<super::BatchNotice>,
    /// When the next scheduled batch leaves, or a held one is checked again.
    pub next_batch_at: Option<String>,
}

impl SyncReport {
    /// Whether anything is still being tracked (the poller then wakes at `next_check_at`).
    pub fn anything_pending(&self) -> bool {
        self.pending + self.collections_pending > 0
    }
}

impl Guichet {
    /// One pass over every payout that is not final.
    pub async fn sync_once(&self) -> Result<SyncReport> {
        self.require(crate::people::Action::Sync)?;
        // Being sent by a process that stopped (its lease ran out), or waiting for a look-up
        // that is due. Those another live process holds are not touched.
        let mut report = SyncReport {
            resolved: self.holding(self.take_over_expired()).await?,
            ..Default::default()
        };
        // Batches whose time came, and held ones the balance may now cover, leave first: their
        // payouts are then sent as any batch's.
        report.batches = self.leave_waiting(None).await?;
        report.next_batch_at = self.next_batch_at()?;

        let queued = self
            .store
            .payouts()
            .in_statuses(None, &[UnifiedStatus::Queued])?;
        report.submitted = queued.len();
        self.submit_rows(queued, None).await?;

        report.checked = self.refresh_due(None).await?;

        let open = self.store.payouts().in_statuses(None, &[])?;
        report.outcome_unknown = open
            .iter()
            .filter(|r| r.status == UnifiedStatus::OutcomeUnknown)
            .count();
        let waiting: Vec<_> = open
            .iter()
            .filter(|r| r.status != UnifiedStatus::OutcomeUnknown)
            .collect();
        report.pending = waiting.len();
        // Payouts being sent are due when their lease runs out and their look-up is due.
        let submitting = self.store.payouts().submitting_due_at()?.map(|at| {
            if at.is_empty() {
                guichet_store::now_utc()
            } else {
                at
            }
        });
        report.next_check_at = waiting
            .iter()
            .filter(|r| r.status != UnifiedStatus::Submitting)
            .filter_map(|r| r.next_check_at.clone())
            .chain(submitting)
            .min();

        let collections = self.sync_collections().await?;
        report.collections_checked = collections.checked + collections.resolved;
        report.collections_pending = collections.pending;
        report.next_check_at = report
            .next_check_at
            .into_iter()
            .chain(collections.next_check_at)
            .min();
        Ok(report)
    }

    /// When the poller should next look at waiting batches: the earliest scheduled time, or
    /// the next check of a held batch (or of one kept waiting at its time).
    pub fn next_batch_at(&self) -> Result<Option<String>> {
        self.require(crate::people::Action::Read)?;
        let recheck =
            guichet_store::format_ts(time::OffsetDateTime::now_utc() + super::HELD_RECHECK);
        Ok(self
            .store
            .batch_plans()
            .waiting(None, None)?
            .into_iter()
            .filter_map(|p| {
                if p.state == super::PlanState::Held || p.note_code.is_some() {
                    Some(recheck.clone())
                } else {
                    p.send_at
                }
            })
            .min())
    }

    /// Takes over the payouts `submitting` whose lease ran out and whose look-up is due, and
    /// finds out what became of them. Returns how many were taken.
    async fn take_over_expired(&self) -> Result<usize> {
        let now = guichet_store::now_utc();
        let taken =
            self.with_lease(|lease| self.store.payouts_mut().take_expired(lease, &now, 1000))?;
        for row in &taken {
            let account = self.store.accounts().get(row.account_id)?;
            let payouts = adapter(account.provider).payouts(self, &account).await?;
            self.resolve(&payouts, &account, row).await?;
        }
        Ok(taken.len())
    }

    /// Asks about the pending payouts (of one batch, or all) whose next check is due — those just
    /// accepted are due at once — and records what changed. Returns how many were asked about.
    pub(crate) async fn refresh_due(&self, batch_id: Option<i64>) -> Result<usize> {
        let now = guichet_store::now_utc();
        let due: Vec<_> = self
            .store
            .payouts()
            .in_statuses(
                None,
                &[UnifiedStatus::Pending, UnifiedStatus::AwaitingConfirmation],
            )?
            .into_iter()
            .filter(|r| batch_id.is_none() || r.batch_id == batch_id)
            .filter(|r| {
                r.next_check_at
                    .as_deref()
                    .is_none_or(|at| at <= now.as_str())
            })
            .collect();
        let n = due.len();
        self.refresh(due).await?;
        Ok(n)
    }

    /// Syncs until every payout and collection is final (or outcome-unknown), sleeping until
    /// the next check is due, for at most `timeout`.
    pub async fn sync_until_final(&self, timeout: Duration) -> Result<SyncReport> {
        self.require(crate::people::Action::Sync)?;
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let report = self.sync_once().await?;
            if !report.anything_pending() || tokio::time::Instant::now() >= deadline {
                return Ok(report);
            }
            let wait = report
                .next_check_at
                .as_deref()
                .and_then(|at| {
                    time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .map(|at| at - time::OffsetDateTime::now_utc())
                .and_then(|d| Duration::try_from(d).ok())
                .unwrap_or(Duration::from_millis(200));
            let remaining = deadline.saturating_duration_since(tokio::time::Instant::now());
            tokio::time::sleep(wait.clamp(
                Duration::from_millis(50),
                remaining.max(Duration::from_millis(50)),
            ))
            .await;
        }
    }
}
