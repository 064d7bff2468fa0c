//! Asking the providers where pending payouts stand. CinetPay answers for a whole lot (one send
//! request, up to 50 payouts) in one call, so payouts are checked lot by lot and matched to the
//! answer by their `client_transaction_id`, never by position; My-CoolPay is asked payout by
//! payout, concurrently. Answers are recorded a chunk at a time.

use super::record::{Answered, Move};
use super::submit::{on_own_task, CHUNK, WAVE};
use crate::clients::AccountClient;
use crate::{Guichet, Result};
use futures_util::FutureExt;
use guichet_providers::cinetpay_transfer::{self, TransferInfo};
use guichet_providers::{mycoolpay, ErrorKind, ProviderError};
use guichet_store::payouts::PayoutRow;
use guichet_types::UnifiedStatus;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What a provider said about one payout: unified status, its own status word, its comment.
struct Seen {
    status: UnifiedStatus,
    provider_status: String,
    comment: String,
    detail: serde_json::Value,
}

impl From<&TransferInfo> for Seen {
    fn from(i: &TransferInfo) -> Seen {
        Seen {
            status: i.status(),
            provider_status: i.treatment_status.clone(),
            comment: i.comment.clone(),
            detail: json!(i),
        }
    }
}

/// The move a fresh answer calls for: a recorded change when the status (or the provider's own
/// word) moved, else only the next check.
fn after_answer(row: &PayoutRow, answer: std::result::Result<Option<Seen>, ProviderError>) -> Move {
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

impl Guichet {
    /// Checks the given pending payouts with their providers and records what changed.
    pub(crate) async fn refresh(&self, rows: Vec<PayoutRow>) -> Result<()> {
        let mut by_account: BTreeMap<i64, Vec<PayoutRow>> = BTreeMap::new();
        for r in rows {
            by_account.entry(r.account_id).or_default().push(r);
        }
        for (account_id, rows) in by_account {
            let account = self.store.accounts().get(account_id)?;
            match self.client(&account).await? {
                AccountClient::Cinetpay(c) => self.refresh_cinetpay(&c, rows).await?,
                AccountClient::Mycoolpay(c) => self.refresh_mycoolpay(&c, rows).await?,
            }
        }
        Ok(())
    }

    async fn refresh_cinetpay(
        &self,
        c: &Arc<cinetpay_transfer::Client>,
        rows: Vec<PayoutRow>,
    ) -> Result<()> {
        let (by_lot, mut alone) = by_lot(rows);
        let calls = by_lot.into_iter().map(|(lot, rows)| {
            look_at_lot(c, lot, rows).map(|(moves, missing)| Answered::new(moves, missing))
        });
        let missing = self.record_as_answered(calls, WAVE / CHUNK, None).await?;
        alone.extend(missing.into_iter().flatten());
        let calls = alone.into_iter().map(|row| async move {
            let (c, reference) = (c.clone(), row.reference.clone());
            let answer = on_own_task(async move { c.check(&reference).await }).await;
            let seen = answer.map(|i| i.as_ref().map(Seen::from));
            Answered::new(vec![after_answer(&row, seen)], ())
        });
        self.record_as_answered(calls, WAVE / CHUNK, None).await?;
        Ok(())
    }

    async fn refresh_mycoolpay(
        &self,
        c: &Arc<mycoolpay::Client>,
        rows: Vec<PayoutRow>,
    ) -> Result<()> {
        let calls = rows
            .into_iter()
            .map(|row| look_at_mycoolpay(c.clone(), row).map(|m| Answered::new(vec![m], ())));
        self.record_as_answered(calls, WAVE, None).await?;
        Ok(())
    }
}

/// CinetPay payouts by lot (one send request), and those without a lot.
pub(crate) fn by_lot(rows: Vec<PayoutRow>) -> (BTreeMap<String, Vec<PayoutRow>>, Vec<PayoutRow>) {
    let mut by_lot: BTreeMap<String, Vec<PayoutRow>> = BTreeMap::new();
    let mut alone = Vec::new();
    for r in rows {
        match r.lot.clone().filter(|l| !l.is_empty()) {
            Some(lot) => by_lot.entry(lot).or_default().push(r),
            None => alone.push(r),
        }
    }
    (by_lot, alone)
}

/// Asks CinetPay about a lot's payouts in one call: the moves the answer calls for, and the
/// payouts missing from it (to be asked about on their own).
pub(crate) async fn look_at_lot(
    c: &Arc<cinetpay_transfer::Client>,
    lot: String,
    rows: Vec<PayoutRow>,
) -> (Vec<Move>, Vec<PayoutRow>) {
    let c = c.clone();
    let answer = on_own_task(async move { c.check_lot(&lot).await }).await;
    let mut missing = Vec::new();
    let moves: Vec<Move> = rows
        .into_iter()
        .filter_map(|row| {
            let seen = match &answer {
                Ok(items) => match items
                    .iter()
                    .find(|i| i.client_transaction_id == row.reference)
                {
                    Some(info) => Ok(Some(Seen::from(info))),
                    None => {
                        missing.push(row);
                        return None;
                    }
                },
                Err(e) => Err(e.clone()),
            };
            Some(after_answer(&row, seen))
        })
        .collect();
    (moves, missing)
}

/// Asks My-CoolPay about one payout (by the reference its payout answered with).
pub(crate) async fn look_at_mycoolpay(c: Arc<mycoolpay::Client>, row: PayoutRow) -> Move {
    let answer = match row.provider_ref.clone() {
        Some(reference) => on_own_task(async move { c.check_status(&reference).await })
            .await
            .map(|s| {
                Some(Seen {
                    status: s.unified(),
                    provider_status: s.status.clone(),
                    comment: s.message.clone(),
                    detail: json!(s),
                })
            }),
        None => Ok(None),
    };
    after_answer(&row, answer)
}
