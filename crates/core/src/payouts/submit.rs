//! Sending payouts, whatever the provider: claim a wave (one transaction) while the provider
//! prepares it, send its requests all in flight at once, record the answers as they come in and
//! start the first looks at the payouts accepted. What each provider sends and what its answers
//! mean is its adapter's (`crate::adapters`).

use super::progress::Progress;
use super::record::{accepted, Answered};
use crate::adapters::{adapter, Payouts};
use crate::{Guichet, Result};
use guichet_store::payouts::PayoutRow;
use guichet_types::UnifiedStatus;
use std::collections::{BTreeMap, HashSet};

impl Guichet {
    /// Sends queued payouts (CinetPay: contacts first, then chunks in parallel; My-CoolPay:
    /// concurrent requests). Each is marked `submitting` — committed — before its request leaves.
    pub async fn submit(&self, ids: &[i64]) -> Result<()> {
        self.require(crate::people::Action::Sync)?;
        let rows = {
            let db = self.store.lock();
            ids.iter()
                .map(|id| db.payouts().get(*id))
                .collect::<std::result::Result<Vec<_>, _>>()?
        };
        self.submit_rows(rows, None).await
    }

    /// [`Guichet::submit`] for payouts already read (those no longer `queued` are left alone).
    pub(crate) async fn submit_rows(
        &self,
        rows: Vec<PayoutRow>,
        progress: Option<&Progress<'_>>,
    ) -> Result<()> {
        let mut by_account: BTreeMap<i64, Vec<PayoutRow>> = BTreeMap::new();
        for row in rows {
            if row.status == UnifiedStatus::Queued {
                by_account.entry(row.account_id).or_default().push(row);
            }
        }
        // Every payout claimed here stays held (its lease renewed) until its answer is recorded.
        self.holding(async {
            for (account_id, rows) in by_account {
                let account = self.store.accounts().get(account_id)?;
                // A missing secret or keyring problem: nothing left, the payouts stay queued.
                let payouts = adapter(account.provider).payouts(self, &account).await?;
                for wave in rows.chunks(payouts.wave()) {
                    // The wave is claimed while the provider prepares it (CinetPay: its numbers
                    // are added as contacts).
                    let (failed, claim) =
                        futures_util::future::join(payouts.prepare(wave), async {
                            self.claim(wave)
                        })
                        .await;
                    self.record(&failed)?;
                    if let Some(p) = progress {
                        p.add(failed.len());
                    }
                    let failed: HashSet<i64> = failed.iter().map(|m| m.id).collect();
                    let rows: Vec<PayoutRow> = claim?
                        .into_iter()
                        .filter(|r| !failed.contains(&r.id))
                        .collect();
                    self.send_wave(&payouts, &rows, progress).await?;
                }
            }
            Ok(())
        })
        .await
    }

    /// Takes payouts for sending under this process's lease, in one transaction (one disk
    /// sync): only those still `queued` (another sender may have taken some) are returned.
    fn claim(&self, rows: &[PayoutRow]) -> Result<Vec<PayoutRow>> {
        let started = std::time::Instant::now();
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let ours: HashSet<i64> = self
            .with_lease(|lease| self.store.payouts_mut().claim(&ids, lease))?
            .into_iter()
            .collect();
        let claimed: Vec<PayoutRow> = rows
            .iter()
            .filter(|r| ours.contains(&r.id))
            .cloned()
            .collect();
        tracing::debug!(
            claimed = claimed.len(),
            elapsed_ms = started.elapsed().as_secs_f64() * 1e3,
            "claimed"
        );
        let moved: Vec<PayoutRow> = claimed
            .iter()
            .map(|r| PayoutRow {
                status: UnifiedStatus::Submitting,
                ..r.clone()
            })
            .collect();
        self.announce(&moved)?;
        Ok(claimed)
    }

    /// Sends a claimed wave, every request in flight at once, each request's answers recorded
    /// as they come in and the payouts it accepted looked at as soon as they are in.
    async fn send_wave(
        &self,
        payouts: &Payouts,
        rows: &[PayoutRow],
        progress: Option<&Progress<'_>>,
    ) -> Result<()> {
        let calls = payouts.requests(rows).into_iter().map(|group| async move {
            let sent = payouts.send(&group).await;
            let accepted: Vec<PayoutRow> = group
                .iter()
                .filter_map(|r| accepted(r, sent.moves.iter().find(|m| m.id == r.id)?))
                .collect();
            Answered {
                moves: sent.moves,
                rest: sent.look_up,
                then: payouts.first_looks(accepted),
            }
        });
        let to_resolve = self
            .record_as_answered(calls, payouts.in_flight(), progress)
            .await?;
        // Their fate is open: looked up once the provider has had time to settle, by whichever
        // process runs then (this one's sync, the app's poller, a cron `guichet sync`).
        for id in to_resolve.into_iter().flatten() {
            self.look_up_later(id, 0)?;
            if let Some(p) = progress {
                p.add(1);
            }
        }
        Ok(())
    }

    pub(crate) fn schedule(&self, id: i64, checks: i64) -> Result<()> {
        let at = super::schedule::at(super::schedule::next_check_after(checks));
        self.store.payouts_mut().schedule_check(id, &at)?;
        Ok(())
    }
}
