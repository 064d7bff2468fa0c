//! A batch after its review: confirmed (every payout queued with its own reference, in one
//! transaction, with the balance read before), then sent with progress, and the balance read
//! after during the first look at the accepted payouts. Tracking to the end is the poller's, as
//! for any payout.

use super::new_reference;
use super::plans::{Planned, SendPlan};
use super::preflight::BatchRequest;
use super::progress::Progress;
use crate::{CoreError, Guichet, Result};
use guichet_store::batch_plans::BatchPlan;
use guichet_store::batches::{BatchRow, NewBatch};
use guichet_store::page::{Page, PageRequest};
use guichet_store::payouts::{ListFilter, NewPayout};
use guichet_types::{Amount, UnifiedStatus};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatusCount {
    pub status: UnifiedStatus,
    pub count: i64,
}

/// A batch and where its payouts stand.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchDetail {
    pub batch: BatchRow,
    pub account: String,
    pub currency: String,
    pub counts: Vec<StatusCount>,
    /// Payouts not final yet (outcome-unknown ones included: they wait for the merchant).
    pub open: i64,
    /// Payouts that ended failed or rejected and were not paid again yet (`retry_failed`).
    pub repayable: i64,
    /// The fees the provider reported for the batch's payouts (My-CoolPay), in whole francs…
    pub fees: Amount,
    /// …and how many payouts reported one (0: none reported, CinetPay reports none).
    pub fees_reported: i64,
    /// When it leaves, if not at its confirmation: scheduled, waiting for funds, or how it
    /// left or was cancelled.
    pub plan: Option<BatchPlan>,
}

/// What sending a batch did.
pub type BatchReport = BatchDetail;

impl Guichet {
    /// Queues a reviewed batch, after checking it again: the file must be the one reviewed
    /// (`reviewed_sha256`), and nothing that blocked it (same file already paid without
    /// `again`, balance too low or unreadable, nothing valid) may stand. Rows with errors are
    /// left out, as the review showed. Nothing is sent yet.
    pub async fn confirm_batch(
        &self,
        req: &BatchRequest,
        reviewed_sha256: &str,
    ) -> Result<BatchRow> {
        self.require(crate::people::Action::Prepare)?;
        self.queue_batch(req, reviewed_sha256).await
    }

    /// `confirm_batch` without the role check: for a batch approved, whose preparer's role
    /// was checked when it was prepared.
    pub(crate) async fn queue_batch(
        &self,
        req: &BatchRequest,
        reviewed_sha256: &str,
    ) -> Result<BatchRow> {
        self.confirm_planned(req, reviewed_sha256, &SendPlan::default(), false)
            .await
            .map(|(batch, _)| batch)
    }

    /// [`Guichet::confirm_batch`] under a plan: the batch is recorded with its payouts, and,
    /// to leave later, its plan in the same transaction (`None`: it is to be sent now). A
    /// batch leaving later is not stopped by the balance now (it is checked again then).
    /// `late_ok`: a time already past means now (an approval given after it).
    pub(crate) async fn confirm_planned(
        &self,
        req: &BatchRequest,
        reviewed_sha256: &str,
        plan: &SendPlan,
        late_ok: bool,
    ) -> Result<(BatchRow, Option<Planned>)> {
        if req.file_sha256 != reviewed_sha256 {
            return Err(CoreError::refused(
                "file_changed",
                format!(
                    "{} changed since it was reviewed: review it again before sending",
                    req.file_name
                ),
            ));
        }
        let preview = self.preview_batch(req).await?;
        if let Some(e) = plan.blocked(&preview) {
            return Err(e);
        }
        let planned = plan.decide(&preview, late_ok)?;
        let account = self.account_row(&req.account)?;
        // "Was this file already paid" and the batch's insert are one write transaction, and the
        // unique index backs it: two confirms at the same moment (two processes, a double
        // click) give one batch and one refusal.
        let tx = self.store.write()?;
        let already = |b: &guichet_store::batches::BatchRow| {
            CoreError::refused(
                "batch_already_sent",
                super::preflight::already_paid(b, account.currency),
            )
        };
        if !req.again {
            if let Some(b) = tx.batches().same_file(account.id, &req.file_sha256)? {
                return Err(already(&b));
            }
        }
        let batch = tx.batches_mut().insert_confirmed(&NewBatch {
            account_id: account.id,
            file_name: &req.file_name,
            file_sha256: &req.file_sha256,
            sheet: req.sheet.as_deref(),
            row_count: i64::from(preview.count),
            total: preview.total,
            skipped: i64::from(preview.skipped),
            balance_before: preview.balance_available.as_deref(),
            again: req.again,
        })?;
        for row in &preview.rows {
            let Some(ready) = &row.ready else { continue };
            let queued = tx.payouts_mut().insert_queued(&NewPayout {
                account_id: account.id,
                batch_id: Some(batch.id),
                reference: new_reference(),
                prefix: ready.prefix.clone(),
                phone: ready.national.clone(),
                name: row.name.clone(),
                operator: ready.stored_operator.clone(),
                reason: row.reason.clone(),
                amount: Amount(ready.amount),
                currency: account.currency.as_str().to_string(),
                merchant_reference: row.reference.clone(),
            })?;
            if let Some(earlier) = &row.retry_of {
                tx.retries_mut().link(queued.id, earlier.payout_id)?;
            }
        }
        if let Some(p) = &planned {
            tx.batch_plans_mut().insert(
                batch.id,
                p.state,
                p.send_at.as_deref(),
                p.when_short,
                p.missing,
            )?;
        }
        tx.commit()?;
        self.store.events_mut().append(
            "batch.confirmed",
            Some(account.id),
            Some(&batch.id.to_string()),
            &serde_json::json!({
                "file": req.file_name, "sha256": req.file_sha256, "count": preview.count,
                "total": preview.total, "skipped": preview.skipped, "again": req.again,
                "plan": planned.as_ref().map(|p| serde_json::json!({
                    "state": p.state, "send_at": p.send_at, "missing": p.missing,
                })),
            }),
        )?;
        Ok((batch, planned))
    }

    /// Sends a confirmed batch's queued payouts (progress as `batch:<id>`), each accepted one
    /// looked at as soon as its acceptance is recorded, and reads and records the balance after
    /// once every payout has its answer.
    pub async fn send_batch(&self, batch_id: i64) -> Result<BatchReport> {
        self.require(crate::people::Action::Sync)?;
        let batch = self.store.batches().get(batch_id)?;
        let mut rows = self.store.payouts().list(&ListFilter {
            batch_id: Some(batch_id),
            status: Some(UnifiedStatus::Queued),
            limit: u32::MAX,
            ..Default::default()
        })?;
        rows.sort_unstable_by_key(|r| r.id);
        let progress = Progress::new(self, format!("batch:{batch_id}"), rows.len() as u64);
        let account = self.store.accounts().get(batch.account_id)?;
        let sending = async {
            let sent = self.submit_rows(rows, Some(&progress)).await;
            progress.finish();
            sent
        };
        // The balance is read once every payout has its answer, while the accepted ones get
        // their first look, rather than one round trip after it.
        let balance_after = async {
            progress.all_sent().await;
            self.payout_balance(&account).await
        };
        let (sent, balance) = tokio::join!(sending, balance_after);
        match balance {
            Ok((text, _)) => self
                .store
                .batches_mut()
                .set_balance_after(batch_id, &text)?,
            Err(e) => {
                tracing::info!(batch = batch_id, error = %e, "balance after the batch unavailable")
            }
        }
        sent?;
        self.batch(batch_id)
    }

    pub fn batch(&self, batch_id: i64) -> Result<BatchDetail> {
        self.require(crate::people::Action::Read)?;
        let db = self.store.lock();
        let batch = db.batches().get(batch_id)?;
        let account = db.accounts().get(batch.account_id)?;
        let counts: Vec<StatusCount> = db
            .batches()
            .status_counts(batch_id)?
            .into_iter()
            .filter_map(|(s, count)| {
                UnifiedStatus::parse(&s).map(|status| StatusCount { status, count })
            })
            .collect();
        let open = counts
            .iter()
            .filter(|c| !c.status.is_final())
            .map(|c| c.count)
            .sum();
        let repayable = db.retries().repayable(batch_id)?;
        let (fees, fees_reported) = db.fees().of_batch(batch_id)?;
        let plan = db.batch_plans().get(batch_id)?;
        Ok(BatchDetail {
            plan,
            batch,
            account: account.fields.label,
            currency: account.fields.currency.as_str().to_string(),
            counts,
            open,
            repayable,
            fees,
            fees_reported,
        })
    }

    /// Batches, newest first, of one account or of all, a page at a time, with where their
    /// payouts stand.
    pub fn batch_page(
        &self,
        account_label: Option<&str>,
        req: PageRequest,
    ) -> Result<Page<BatchDetail>> {
        self.require(crate::people::Action::Read)?;
        let account_id = match account_label {
            Some(l) => Some(self.account_row(l)?.id),
            None => None,
        };
        let page = self.store.batches().page(account_id, req)?;
        Ok(Page {
            rows: page
                .rows
                .into_iter()
                .map(|b| self.batch(b.id))
                .collect::<Result<_>>()?,
            next: page.next,
        })
    }

    /// The latest `limit` batches.
    pub fn list_batches(
        &self,
        account_label: Option<&str>,
        limit: u32,
    ) -> Result<Vec<BatchDetail>> {
        self.require(crate::people::Action::Read)?;
        Ok(self
            .batch_page(account_label, PageRequest::first(limit))?
            .rows)
    }
}
