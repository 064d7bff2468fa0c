//! Batches that leave later: at a date and time the merchant chose (`scheduled`), or once the
//! balance covers them (`held`). Their payouts are queued with their own references at
//! confirmation, as any batch's; nothing of them is sent while they wait.
//!
//! When its time comes (a cron `guichet sync`, the app's poller) or at a balance reading (a
//! held one), the pre-flight runs again — balance, rows now refused, numbers paid the same
//! amount since confirmation — and the batch leaves through one conditional UPDATE in the store
//! (`batch_plans::release`): of several processes at the same moment, one sends it; the others
//! send nothing. A batch whose time passed while nothing ran leaves at the next run, with a
//! notice saying how late.

use super::preflight::{BatchLine, BatchPreview, BatchRequest};
use crate::events::CoreEvent;
use crate::{CoreError, Guichet, Invalid, Result};
use guichet_store::batch_plans::BatchPlan;
pub use guichet_store::batch_plans::{PlanState, WhenShort};
use guichet_store::payouts::ListFilter;
use guichet_types::{Amount, AmountInput, UnifiedStatus};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::time::Duration;

/// How often a held batch is checked against the balance by the poller and `guichet sync`
/// (a balance reading asked for — `guichet balance`, the app's refresh — checks it at once).
pub const HELD_RECHECK: Duration = Duration::from_secs(120);

/// A batch that leaves later than this after its time is said to be late (Guichet was not
/// running): the notice says so.
const LATE_AFTER: Duration = Duration::from_secs(120);

/// How a batch leaves, as the merchant chose it at confirmation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct SendPlan {
    /// A date and time of this machine's clock (`2026-12-25 08:00`); none: now.
    #[serde(default)]
    pub at: Option<String>,
    /// When the balance does not cover it: refuse (the default) or wait for the funds.
    #[serde(default)]
    pub when_short: WhenShort,
}

/// What became of a waiting batch at a check, for the command line's lines, the app's
/// notifications and the event log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum NoticeKind {
    /// It left (its payouts are being sent).
    Sent,
    /// Its time came and the balance does not cover it: it waits for funds.
    Held,
    /// Its time came, but it waits (approval, a row to review, a balance not readable).
    Waiting,
    /// Its time came and the balance does not cover it: not sent, cancelled.
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchNotice {
    pub batch_id: i64,
    pub account: String,
    pub kind: NoticeKind,
    /// When it was to leave (RFC 3339, UTC), if scheduled.
    pub send_at: Option<String>,
    /// How late it left, in whole minutes, when Guichet was not running at its time.
    pub late_minutes: Option<i64>,
    /// The whole francs the balance lacks (held, cancelled).
    pub missing: Option<Amount>,
    /// Why it waits or was cancelled (`insufficient_balance`, `awaiting_approval`,
    /// `needs_review`, `balance_unavailable`).
    pub code: Option<String>,
    /// The notice in English, for the command line and the event log.
    pub message: String,
}

/// A plan decided at confirmation.
#[derive(Debug, Clone)]
pub(crate) struct Planned {
    pub state: PlanState,
    pub send_at: Option<String>,
    pub when_short: WhenShort,
    pub missing: Option<i64>,
}

/// Reads a date and time of this machine's clock: `2026-12-25 08:00`, `2026-12-25T08:00` (a
/// date-and-time field) or `25/12/2026 08:00`. Returns the instant in UTC.
pub fn parse_local(text: &str) -> Result<time::OffsetDateTime> {
    use chrono::TimeZone;
    let t = text.trim();
    let not_date = || {
        CoreError::invalid(
            "at",
            Invalid::NotDateTime {
                value: t.to_string(),
            },
            format!("`{t}` is not a date and time: write it as 2026-12-25 08:00"),
        )
    };
    let naive = [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%d/%m/%Y %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|f| chrono::NaiveDateTime::parse_from_str(t, f).ok())
    .ok_or_else(not_date)?;
    // A time the clock skips (summer time) is no time; of a time it shows twice, the first.
    let local = chrono::Local
        .from_local_datetime(&naive)
        .earliest()
        .ok_or_else(not_date)?;
    time::OffsetDateTime::from_unix_timestamp(local.timestamp()).map_err(|_| not_date())
}

/// `at` read as a time still to come.
pub fn future_local(text: &str) -> Result<String> {
    let at = parse_local(text)?;
    if at <= time::OffsetDateTime::now_utc() {
        let t = text.trim();
        return Err(CoreError::invalid(
            "at",
            Invalid::InThePast {
                value: t.to_string(),
            },
            format!("{t} is already past: give a time to come"),
        ));
    }
    Ok(guichet_store::format_ts(at))
}

/// An instant (RFC 3339, UTC) as this machine's clock shows it: `25/12/2026 08:00`.
pub fn local_text(utc: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(utc)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%d/%m/%Y %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| utc.to_string())
}

fn parse_ts(s: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}

/// What the balance lacks for the preview's batch, in whole francs, when it lacks anything.
pub(crate) fn missing(preview: &BatchPreview) -> Option<i64> {
    preview
        .blockers
        .iter()
        .any(|b| b.code == "insufficient_balance")
        .then(|| {
            preview
                .balance_after
                .map_or(preview.total.0, |after| after.0.saturating_neg())
        })
        .filter(|m| *m > 0)
}

impl SendPlan {
    /// Whether the merchant asked for anything but "now, refused when short".
    pub fn is_now(&self) -> bool {
        self.at.is_none() && self.when_short == WhenShort::Refuse
    }

    /// The plan this batch is recorded under, or `None` to send it now. `late_ok`: a time
    /// already past (an approval given after it) means now, not a refusal.
    pub(crate) fn decide(&self, preview: &BatchPreview, late_ok: bool) -> Result<Option<Planned>> {
        if let Some(at) = &self.at {
            let send_at = match future_local(at) {
                Ok(t) => t,
                Err(_) if late_ok && parse_local(at).is_ok() => return self.now(preview),
                Err(e) => return Err(e),
            };
            return Ok(Some(Planned {
                state: PlanState::Scheduled,
                send_at: Some(send_at),
                when_short: self.when_short,
                missing: None,
            }));
        }
        self.now(preview)
    }

    fn now(&self, preview: &BatchPreview) -> Result<Option<Planned>> {
        let short = missing(preview);
        Ok(match (self.when_short, short) {
            (WhenShort::Hold, Some(m)) => Some(Planned {
                state: PlanState::Held,
                send_at: None,
                when_short: WhenShort::Hold,
                missing: Some(m),
            }),
            _ => None,
        })
    }

    /// What stops confirming the batch under this plan: every blocker, except the balance's
    /// for a batch that leaves later (it is checked again then) or waits for funds.
    pub fn blocked(&self, preview: &BatchPreview) -> Option<CoreError> {
        let later = self.at.is_some() || self.when_short == WhenShort::Hold;
        let mut p = preview.clone();
        if later {
            p.blockers.retain(|b| {
                !matches!(
                    b.code.as_str(),
                    "insufficient_balance" | "balance_unavailable"
                )
            });
        }
        p.blocked()
    }
}

impl Guichet {
    /// A batch that waits, set to leave at `at` (local time) instead: a scheduled one moved, a
    /// held one given a time. Refused once it left or was cancelled.
    pub fn schedule_batch(&self, batch_id: i64, at: &str) -> Result<BatchPlan> {
        self.require(crate::people::Action::Prepare)?;
        let send_at = future_local(at)?;
        let batch = self.store.batches().get(batch_id)?;
        let Some(plan) = self.store.batch_plans().get(batch_id)? else {
            return Err(not_waiting(batch_id, None));
        };
        if !self
            .store
            .batch_plans_mut()
            .reschedule(batch_id, &send_at)?
        {
            return Err(not_waiting(batch_id, Some(plan.state)));
        }
        self.store.events_mut().append(
            "batch.scheduled",
            Some(batch.account_id),
            Some(&batch_id.to_string()),
            &serde_json::json!({"send_at": send_at}),
        )?;
        self.audit(
            "batch.scheduled",
            Some(&batch_id.to_string()),
            serde_json::json!({"send_at": send_at}),
        )?;
        self.plan_of(batch_id)
    }

    /// Cancels a batch that has not left yet (scheduled or waiting for funds): its payouts
    /// are cancelled, nothing of it is sent. Refused once it left.
    pub fn cancel_batch(&self, batch_id: i64) -> Result<BatchPlan> {
        self.require(crate::people::Action::Prepare)?;
        let batch = self.store.batches().get(batch_id)?;
        self.cancel_waiting(batch_id, "cancelled", "cancelled by the merchant")?
            .map_or_else(
                || {
                    let plan = self.store.batch_plans().get(batch_id)?;
                    Err(not_waiting(batch_id, plan.map(|p| p.state)))
                },
                Ok,
            )
            .and_then(|plan| {
                self.audit(
                    "batch.cancelled",
                    Some(&batch_id.to_string()),
                    serde_json::json!({"file": batch.file_name, "total": batch.total}),
                )?;
                Ok(plan)
            })
    }

    /// Cancels the plan and the queued payouts in one transaction; `None` when the batch no
    /// longer waits.
    fn cancel_waiting(&self, batch_id: i64, code: &str, note: &str) -> Result<Option<BatchPlan>> {
        let batch = self.store.batches().get(batch_id)?;
        let tx = self.store.write()?;
        if !tx.batch_plans_mut().cancel(batch_id, code, note)? {
            return Ok(None);
        }
        let queued = tx.payouts().list(&ListFilter {
            batch_id: Some(batch_id),
            status: Some(UnifiedStatus::Queued),
            limit: u32::MAX,
            ..Default::default()
        })?;
        for p in &queued {
            tx.payouts_mut().transition_in(
                p.id,
                UnifiedStatus::Cancelled,
                &guichet_store::payouts::Change {
                    event: "cancelled",
                    detail_text: Some(note),
                    detail: serde_json::json!({"batch": batch_id, "why": code}),
                    ..Default::default()
                },
                None,
            )?;
        }
        tx.commit()?;
        self.store.events_mut().append(
            "batch.cancelled",
            Some(batch.account_id),
            Some(&batch_id.to_string()),
            &serde_json::json!({"why": code, "note": note, "payouts": queued.len()}),
        )?;
        Ok(Some(self.plan_of(batch_id)?))
    }

    fn plan_of(&self, batch_id: i64) -> Result<BatchPlan> {
        self.store
            .batch_plans()
            .get(batch_id)?
            .ok_or_else(|| CoreError::NotFound {
                what: "batch plan",
                key: batch_id.to_string(),
            })
    }

    /// Sends the batches whose time came and the held ones the balance now covers (held ones
    /// last checked more than [`HELD_RECHECK`] ago, or all of one account with
    /// `balance_read_for`), each once whatever else runs. Returns what became of each.
    pub async fn leave_waiting(&self, balance_read_for: Option<i64>) -> Result<Vec<BatchNotice>> {
        self.require(crate::people::Action::Sync)?;
        let now = time::OffsetDateTime::now_utc();
        let plans = self
            .store
            .batch_plans()
            .waiting(Some(&guichet_store::format_ts(now)), balance_read_for)?;
        let recheck_before = guichet_store::format_ts(now - HELD_RECHECK);
        let mut notices = Vec::new();
        for plan in plans {
            let stale = plan
                .checked_at
                .as_deref()
                .is_none_or(|at| at <= recheck_before.as_str());
            // Held, or due but kept waiting at an earlier check: looked at again every
            // HELD_RECHECK (each look reads the balance), at once on a balance reading.
            let rechecked = plan.state == PlanState::Held || plan.note_code.is_some();
            if rechecked && balance_read_for.is_none() && !stale {
                continue;
            }
            match self.try_leave(&plan).await {
                Ok(Some(n)) => notices.push(n),
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(batch = plan.batch_id, error = %e, "a waiting batch could not be checked")
                }
            }
        }
        if balance_read_for.is_none() {
            notices.extend(self.due_awaiting_approval(&now)?);
        }
        Ok(notices)
    }

    /// One waiting batch: the pre-flight again, then sent, held, cancelled or left waiting.
    async fn try_leave(&self, plan: &BatchPlan) -> Result<Option<BatchNotice>> {
        let batch = self.store.batches().get(plan.batch_id)?;
        let account = self.store.accounts().get(batch.account_id)?;
        let payouts = self.store.payouts().list(&ListFilter {
            batch_id: Some(batch.id),
            status: Some(UnifiedStatus::Queued),
            limit: u32::MAX,
            ..Default::default()
        })?;
        let req = BatchRequest {
            account: account.fields.label.clone(),
            file_name: batch.file_name.clone(),
            sheet: batch.sheet.clone(),
            file_sha256: batch.file_sha256.clone(),
            lines: payouts
                .iter()
                .enumerate()
                .map(|(i, p)| BatchLine {
                    line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    phone: format!("+{}{}", p.prefix, p.phone),
                    amount: AmountInput::Text(p.amount.0.to_string()),
                    name: p.name.clone(),
                    reference: p.merchant_reference.clone(),
                    reason: p.reason.clone(),
                    operator: p.operator.clone().unwrap_or_default(),
                    ..Default::default()
                })
                .collect(),
            own_batch: Some(batch.id),
            ..Default::default()
        };
        let preview = self.preview_batch(&req).await?;
        let notice =
            |kind: NoticeKind, code: Option<&str>, missing: Option<i64>, message: String| {
                BatchNotice {
                    batch_id: batch.id,
                    account: account.fields.label.clone(),
                    kind,
                    send_at: plan.send_at.clone(),
                    late_minutes: None,
                    missing: missing.map(Amount),
                    code: code.map(str::to_string),
                    message,
                }
            };
        let cur = account.fields.currency;
        let short = missing(&preview);
        if let Some(m) = short {
            let text = format!(
                "batch #{} needs {} but the balance lacks {}",
                batch.id,
                preview.total.with_currency(cur),
                Amount(m).with_currency(cur)
            );
            return match (plan.when_short, plan.state) {
                (WhenShort::Hold, PlanState::Held) => {
                    self.store
                        .batch_plans_mut()
                        .note(batch.id, None, None, Some(m))?;
                    Ok(None)
                }
                (WhenShort::Hold, _) => {
                    self.store.batch_plans_mut().hold(batch.id, Some(m))?;
                    self.log_notice(
                        &batch,
                        notice(
                            NoticeKind::Held,
                            Some("insufficient_balance"),
                            Some(m),
                            format!("{text}: it waits for funds"),
                        ),
                    )
                }
                (WhenShort::Refuse, _) => {
                    let text = format!("{text}: not sent, cancelled");
                    if self
                        .cancel_waiting(batch.id, "insufficient_balance", &text)?
                        .is_none()
                    {
                        return Ok(None);
                    }
                    self.log_notice(
                        &batch,
                        notice(
                            NoticeKind::Cancelled,
                            Some("insufficient_balance"),
                            Some(m),
                            text,
                        ),
                    )
                }
            };
        }
        if let Some(b) = preview
            .blockers
            .iter()
            .find(|b| b.code == "balance_unavailable")
        {
            return self.wait(&batch, plan, "balance_unavailable", &b.message, notice);
        }
        // Rows refused now, or numbers paid the same amount since the batch was confirmed: no
        // one confirms them at this hour, so the batch waits for the merchant.
        let refused = preview.rows.iter().filter(|r| !r.errors.is_empty()).count();
        let since = batch.confirmed_at.as_deref().unwrap_or(&batch.created_at);
        let own: HashSet<(String, i64)> = payouts
            .iter()
            .map(|p| (p.phone.clone(), p.amount.0))
            .collect();
        let paid_since = self
            .store
            .payouts()
            .not_unpaid_since(since)?
            .into_iter()
            .filter(|p| {
                p.batch_id != Some(batch.id) && own.contains(&(p.phone.clone(), p.amount.0))
            })
            .count();
        if refused + paid_since > 0 || !preview.blockers.is_empty() {
            let why = format!(
                "batch #{} waits for review: {refused} row(s) now refused, {paid_since} number(s) paid the same amount since it was confirmed{}; cancel it (guichet batch cancel {}) or schedule it again",
                batch.id,
                preview
                    .blockers
                    .first()
                    .map(|b| format!("; {}", b.message))
                    .unwrap_or_default(),
                batch.id
            );
            return self.wait(&batch, plan, "needs_review", &why, notice);
        }
        if !self
            .store
            .batch_plans_mut()
            .release(batch.id, plan.state, &self.instance)?
        {
            // Another process took it, or it was cancelled a moment ago.
            return Ok(None);
        }
        let now = time::OffsetDateTime::now_utc();
        let late = plan
            .send_at
            .as_deref()
            .and_then(parse_ts)
            .map(|at| now - at)
            .filter(|d| *d > LATE_AFTER)
            .map(|d| d.whole_minutes());
        let mut n = notice(
            NoticeKind::Sent,
            None,
            None,
            match (plan.state, &plan.send_at, late) {
                (PlanState::Held, ..) => format!(
                    "batch #{} left: the balance now covers its {}",
                    batch.id,
                    preview.total.with_currency(cur)
                ),
                (_, Some(at), Some(m)) => format!(
                    "batch #{} was to leave on {}; Guichet was not running then: sent now, {m} minute(s) late",
                    batch.id,
                    local_text(at)
                ),
                (_, Some(at), None) => {
                    format!("batch #{} left as scheduled ({})", batch.id, local_text(at))
                }
                _ => format!("batch #{} left", batch.id),
            },
        );
        n.late_minutes = late;
        let n = self.log_notice(&batch, n)?;
        self.send_batch(batch.id).await?;
        Ok(n)
    }

    fn wait(
        &self,
        batch: &guichet_store::batches::BatchRow,
        plan: &BatchPlan,
        code: &str,
        why: &str,
        notice: impl Fn(NoticeKind, Option<&str>, Option<i64>, String) -> BatchNotice,
    ) -> Result<Option<BatchNotice>> {
        let said = plan.note.as_deref() == Some(why);
        self.store
            .batch_plans_mut()
            .note(batch.id, Some(code), Some(why), None)?;
        let n = notice(
            NoticeKind::Waiting,
            Some(code),
            plan.missing,
            why.to_string(),
        );
        if said {
            // Said at an earlier check: the command line says it again, the log once.
            return Ok(Some(n));
        }
        self.log_notice(batch, n)
    }

    fn log_notice(
        &self,
        batch: &guichet_store::batches::BatchRow,
        n: BatchNotice,
    ) -> Result<Option<BatchNotice>> {
        let kind = match n.kind {
            NoticeKind::Sent => "batch.released",
            NoticeKind::Held => "batch.held",
            NoticeKind::Waiting => "batch.waiting",
            NoticeKind::Cancelled => "batch.cancelled",
        };
        self.store.events_mut().append(
            kind,
            Some(batch.account_id),
            Some(&batch.id.to_string()),
            &serde_json::to_value(&n).unwrap_or_default(),
        )?;
        // Once per change (a notice said again at the next check is not notified again).
        self.events.emit(CoreEvent::BatchLeaving {
            batch_id: n.batch_id,
            what: n.kind.clone(),
            late_minutes: n.late_minutes,
            missing: n.missing,
        });
        Ok(Some(n))
    }

    /// Batches prepared with a time that came while they still await approval: they wait, and
    /// say so (they leave once approved).
    fn due_awaiting_approval(&self, now: &time::OffsetDateTime) -> Result<Vec<BatchNotice>> {
        #[derive(Deserialize)]
        struct Held {
            #[serde(default)]
            plan: SendPlan,
        }
        let requests = self.store.approvals().requests(
            Some(crate::people::Kind::Batch),
            Some(crate::people::RequestStatus::AwaitingApproval),
            1000,
        )?;
        let mut out = Vec::new();
        for r in requests {
            let Ok(held) = serde_json::from_str::<Held>(&r.request) else {
                continue;
            };
            let Some(at) = held.plan.at.as_deref().and_then(|a| parse_local(a).ok()) else {
                continue;
            };
            if at > *now {
                continue;
            }
            let account = self.store.accounts().get(r.account_id)?;
            out.push(BatchNotice {
                batch_id: r.id,
                account: account.fields.label,
                kind: NoticeKind::Waiting,
                send_at: Some(guichet_store::format_ts(at)),
                late_minutes: None,
                missing: None,
                code: Some("awaiting_approval".into()),
                message: format!(
                    "batch {} (request #{}) was to leave on {} but still awaits approval: it leaves once approved (guichet batch approve {})",
                    r.label,
                    r.id,
                    local_text(&guichet_store::format_ts(at)),
                    r.id
                ),
            });
        }
        Ok(out)
    }
}

fn not_waiting(batch_id: i64, state: Option<PlanState>) -> CoreError {
    CoreError::refused(
        "batch_not_waiting",
        match state {
            Some(PlanState::Cancelled) => format!("batch #{batch_id} was already cancelled"),
            _ => format!(
                "batch #{batch_id} already left: only a batch scheduled or waiting for funds can be cancelled or scheduled"
            ),
        },
    )
}
