//! The app's poller: the core's sync pass over payouts and collections, run when something is
//! due and otherwise asleep — a queued payout or a new collection wakes it at once, so nothing
//! spins while nothing is pending.

use guichet_core::Guichet;
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

    pub fn spawn(&self, guichet: Guichet) {
        let wake = self.wake.clone();
        tauri::async_runtime::spawn(async move {
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
                        .and_then(|at| {
                            Duration::try_from(at - time::OffsetDateTime::now_utc()).ok()
                        })
                        .unwrap_or(Duration::from_millis(500))
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
                    _ = wake.notified() => {}
                }
            }
        });
    }
}
