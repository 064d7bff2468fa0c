//! What adapters answer: the status change a provider's answer calls for, owning its details,
//! for the orchestration to record.

use guichet_providers::{ErrorKind, ProviderError};
use guichet_store::payouts::PayoutRow;
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
    /// The fee the provider reported for the payout, in whole francs.
    pub fee: Option<i64>,
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

/// What a provider said about one payout: unified status, its own status word, its comment.
pub(crate) struct Seen {
    pub status: UnifiedStatus,
    pub provider_status: String,
    pub comment: String,
    pub detail: serde_json::Value,
    /// The fee the answer reported (My-CoolPay's `transaction_fees`), in whole francs.
    pub fee: Option<i64>,
}

/// The move a fresh answer calls for: a recorded change when the status (or the provider's own
/// word) moved, else only the next check.
pub(crate) fn after_answer(
    row: &PayoutRow,
    answer: std::result::Result<Option<Seen>, ProviderError>,
) -> Move {
    match answer {
        Ok(Some(seen)) => {
            if seen.status != row.status
                || row.provider_status.as_deref() != Some(seen.provider_status.as_str())
            {
                Move {
                    provider_status: Some(seen.provider_status),
                    detail_text: Some(seen.comment),
                    detail: seen.detail,
                    schedule_as: Some(row.checks),
                    fee: seen.fee,
                    ..Move::to(row.id, seen.status, "poll")
                }
            } else {
                Move::reschedule(row.id, row.checks)
            }
        }
        Ok(None) => Move::reschedule(row.id, row.checks),
        Err(e) => {
            let wait = match e.kind {
                ErrorKind::RateLimited { retry_after_s } => retry_after_s as i64,
                _ => 0,
            };
            tracing::info!(reference = %row.reference, error = %e.message, "status check failed; will retry");
            Move::reschedule(row.id, row.checks + wait / 600)
        }
    }
}
