//! The poller: the sync pass over payouts and collections, run when something is due and
//! otherwise asleep. A queued payout or a new collection wakes it at once; with nothing pending
//! it waits on a timer a day long (for payouts queued by another process), so it uses no CPU
//! while there is nothing to track.

use crate::Guichet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

#[derive(Clone, Default)]
pub struct Poller {
    wake: Arc<Notify>,
}

impl Poller {
    /// Asks for a pass now (after queuing payouts).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Runs passes forever; spawn it on the runtime.
    pub async fn run(self, guichet: Guichet) {
        loop {
            let wait = match guichet.sync_once().await {
                Ok(report) if report.anything_pending() => report
                    .next_check_at
                    .as_deref()
                    .and_then(|at| {
                        time::OffsetDateTime::parse(
                            at,
                            &time::format_description::well_known::Rfc3339,
                        )
                        .ok()
                    })
                    .and_then(|at| Duration::try_from(at - time::OffsetDateTime::now_utc()).ok())
                    .unwrap_or(Duration::ZERO)
                    .max(Duration::from_millis(200)),
                // Nothing pending: sleep until woken (a day at most, for payouts left by others).
                Ok(_) => Duration::from_secs(24 * 3600),
                Err(e) => {
                    tracing::warn!(error = %e, "sync pass failed");
                    Duration::from_secs(30)
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = self.wake.notified() => {}
            }
        }
    }
}
