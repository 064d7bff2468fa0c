//! Holding payouts while their requests are out, and how patient Guichet is with a CinetPay
//! payout whose answer was lost.
//!
//! A payout being sent carries a lease in the store: which process holds it and until when. The
//! holder renews it while its requests are out; another process (the app's poller, a cron
//! `guichet sync`, a second batch) takes over only a payout whose lease has run out — its
//! sender stopped. Nothing kept inside one process decides what is interrupted.

use crate::{Guichet, Result};
use guichet_store::payouts::Lease;
use std::future::Future;
use std::time::Duration;

/// Figures for leases and look-ups (see `docs/payouts.md`, "Several senders, lost answers").
#[derive(Debug, Clone)]
pub struct Patience {
    /// How long a lease lasts without renewal. Longer than any request (the HTTP client gives up
    /// after 30 s, retries included) plus a commit waiting for a busy database.
    pub lease: Duration,
    /// How often a holder renews its leases: several renewals fit in one lease, so one slow
    /// write does not let it run out.
    pub renew_every: Duration,
    /// A lost CinetPay answer is looked up this long after the send, not at once: an order
    /// still travelling inside CinetPay answers 723 (unknown) and would be sent again.
    pub settle: Duration,
    /// The waits between look-ups of a payout still unknown to CinetPay (or whose look-up
    /// failed), then the last one again and again.
    pub look_ups: Vec<Duration>,
    /// Consecutive "unknown to CinetPay" (723) answers, spread over the waits above, before the
    /// payout is sent again under its own reference.
    pub not_found_before_resend: u32,
    /// Automatic re-sends of one payout; after them it is "outcome unknown".
    pub max_resends: u32,
}

impl Default for Patience {
    fn default() -> Patience {
        let min = |m: u64| Duration::from_secs(60 * m);
        Patience {
            lease: Duration::from_secs(90),
            renew_every: Duration::from_secs(20),
            settle: Duration::from_secs(60),
            look_ups: vec![min(1), min(2), min(5), min(15), min(30), min(60)],
            not_found_before_resend: 3,
            max_resends: 2,
        }
    }
}

impl Patience {
    /// The wait before the look-up that follows `done` look-ups (the first one is `settle`).
    pub fn look_up_after(&self, done: i64) -> Duration {
        let i = usize::try_from(done).unwrap_or(0);
        if i == 0 {
            return self.settle;
        }
        self.look_ups
            .get(i - 1)
            .or(self.look_ups.last())
            .copied()
            .unwrap_or(self.settle)
    }
}

/// An id for this start of this process: leases taken under it are this process's.
pub(crate) fn new_instance_id() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        super::new_reference().trim_start_matches("GCH")
    )
}

impl Guichet {
    /// The lease this process takes now, as long as [`Patience::lease`].
    pub(crate) fn lease_until(&self) -> String {
        guichet_store::format_ts(time::OffsetDateTime::now_utc() + self.patience.lease)
    }

    pub(crate) fn with_lease<T>(&self, f: impl FnOnce(Lease) -> T) -> T {
        let until = self.lease_until();
        f(Lease {
            holder: &self.instance,
            until: &until,
        })
    }

    /// Runs `work` while renewing every lease this process holds, so that no other process
    /// takes its payouts for interrupted ones. Dropped, it stops renewing: the leases run out
    /// and the payouts are looked up by whoever runs next.
    pub(crate) async fn holding<T>(&self, work: impl Future<Output = Result<T>>) -> Result<T> {
        let renew = async {
            let mut tick = tokio::time::interval(self.patience.renew_every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            tick.tick().await;
            loop {
                tick.tick().await;
                let g = self.clone();
                let renewed = tokio::task::spawn_blocking(move || {
                    g.with_lease(|lease| g.store.payouts_mut().renew_leases(lease))
                })
                .await;
                if let Ok(Err(e)) = renewed {
                    tracing::warn!(error = %e, "renewing leases failed; will retry");
                }
            }
        };
        tokio::select! {
            done = work => done,
            never = renew => never,
        }
    }

    /// Lets go of a payout whose fate is open, to be looked up by whoever runs once the wait
    /// after `done` look-ups has passed (`0`: just sent, the settle delay).
    pub(crate) fn look_up_later(&self, id: i64, done: i64) -> Result<()> {
        let wait = self.patience.look_up_after(done);
        let at = guichet_store::format_ts(time::OffsetDateTime::now_utc() + wait);
        self.store.payouts_mut().look_up_later(id, &at)?;
        Ok(())
    }
}
