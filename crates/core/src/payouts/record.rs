//! Writing what happened to many payouts at once: one transaction (one disk sync) per chunk of
//! answers instead of one per payout, then the events. Exactly-once does not depend on this —
//! each payout is already `submitting`, committed, before its request leaves.

use super::schedule;
use crate::{CoreEvent, Guichet, Result};
use guichet_store::payouts::{self as table, Change, PayoutRow};
use guichet_store::StoreError;
use guichet_types::UnifiedStatus;

/// A status change to record, owning its details.
#[derive(Debug, Clone, Default)]
pub(crate) struct Move {
    pub id: i64,
    /// `None`: no status change, only the next check is scheduled.
    pub to: Option<UnifiedStatus>,
    pub event: &'static str,
    pub provider_status: Option<String>,
    pub provider_ref: Option<String>,
    pub lot: Option<String>,
    pub detail_text: Option<String>,
    pub detail: serde_json::Value,
    /// Schedule the next status check as the n-th one, unless the payout ends final.
    pub schedule_as: Option<i64>,
}

impl Move {
    pub fn to(id: i64, to: UnifiedStatus, event: &'static str) -> Move {
        Move {
            id,
            to: Some(to),
            event,
            detail: serde_json::json!({}),
            ..Default::default()
        }
    }

    pub fn reschedule(id: i64, checks: i64) -> Move {
        Move {
            id,
            schedule_as: Some(checks),
            ..Default::default()
        }
    }
}

impl Guichet {
    /// Records moves in one transaction, then tells whoever listens. Returns the moved rows.
    pub(crate) fn record(&self, moves: &[Move]) -> Result<Vec<PayoutRow>> {
        if moves.is_empty() {
            return Ok(Vec::new());
        }
        let started = std::time::Instant::now();
        let moved = {
            let conn = self.store.conn();
            let tx = conn.unchecked_transaction().map_err(StoreError::from)?;
            let mut moved = Vec::new();
            for m in moves {
                let mut ends_final = false;
                if let Some(to) = m.to {
                    let change = Change {
                        provider_status: m.provider_status.as_deref(),
                        provider_ref: m.provider_ref.as_deref(),
                        lot: m.lot.as_deref(),
                        detail_text: m.detail_text.as_deref(),
                        event: m.event,
                        detail: m.detail.clone(),
                    };
                    match table::transition(&tx, m.id, to, &change)? {
                        Some(row) => {
                            ends_final = row.status.is_final();
                            moved.push(row);
                        }
                        None => ends_final = table::get(&tx, m.id)?.status.is_final(),
                    }
                }
                if let (Some(n), false) = (m.schedule_as, ends_final) {
                    let at = schedule::at(schedule::next_check_after(n));
                    table::schedule_check(&tx, m.id, &at)?;
                }
            }
            tx.commit().map_err(StoreError::from)?;
            moved
        };
        tracing::debug!(
            moves = moves.len(),
            elapsed_ms = started.elapsed().as_secs_f64() * 1e3,
            "recorded"
        );
        self.announce(&moved)?;
        Ok(moved)
    }

    /// Events for moved payouts, and one `BatchFinished` for each batch that has just ended.
    pub(crate) fn announce(&self, moved: &[PayoutRow]) -> Result<()> {
        let mut ended_batches = std::collections::BTreeSet::new();
        for row in moved {
            self.events.emit(CoreEvent::PayoutStatus {
                id: row.id,
                reference: row.reference.clone(),
                status: row.status,
                is_final: row.status.is_final(),
                batch_id: row.batch_id,
            });
            if let (Some(b), true) = (
                row.batch_id,
                row.status.is_final() || row.status == UnifiedStatus::OutcomeUnknown,
            ) {
                ended_batches.insert(b);
            }
        }
        for batch_id in ended_batches {
            let counts = guichet_store::batches::status_counts(&self.store.conn(), batch_id)?;
            let mut done = (0u64, 0u64, 0u64);
            let mut open = false;
            for (status, n) in counts {
                let n = n as u64;
                match UnifiedStatus::parse(&status) {
                    Some(UnifiedStatus::Succeeded) => done.0 += n,
                    Some(UnifiedStatus::OutcomeUnknown) => done.2 += n,
                    Some(s) if s.is_final() => done.1 += n,
                    _ => open = true,
                }
            }
            if !open {
                self.events.emit(CoreEvent::BatchFinished {
                    batch_id,
                    succeeded: done.0,
                    failed: done.1,
                    outcome_unknown: done.2,
                });
            }
        }
        Ok(())
    }
}
