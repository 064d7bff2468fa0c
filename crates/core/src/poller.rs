//! The poller: the sync pass over payouts and collections, run when something is due and
//! otherwise asleep. A queued payout or a new collection wakes it at once; with nothing pending
//! it waits on a timer a day long (for payouts queued by another process), so it uses no CPU
//! while there is nothing to track.
//!
//! One poller runs per data folder: it holds `poller.lock` there (an OS file lock, released
//! when its process ends, even killed). A second app on the same folder waits for the lock and
//! takes over when the first one stops. Correctness does not depend on it — the store's leases
//! keep any number of senders apart — but two pollers would ask the providers everything twice.

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

    /// Runs passes forever once it holds the data folder's poller lock; spawn it on the runtime.
    pub async fn run(self, guichet: Guichet) {
        let _lock = loop {
            match poller_lock(guichet.data_dir()) {
                Ok(Some(lock)) => break lock,
                Ok(None) => tracing::info!("another Guichet polls this data folder; waiting"),
                Err(e) => tracing::warn!(error = %e, "the poller lock cannot be taken; waiting"),
            }
            tokio::time::sleep(LOCK_RETRY).await;
        };
        loop {
            let mut next_batch = None;
            let wait = match guichet.sync_once().await {
                Ok(report) if report.anything_pending() => {
                    next_batch = report.next_batch_at.clone();
                    report
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
                        .unwrap_or(Duration::ZERO)
                        .max(Duration::from_millis(200))
                }
                // Nothing pending: sleep until woken (a day at most, for payouts left by others)
                // or until a batch is to leave.
                Ok(report) => {
                    next_batch = report.next_batch_at;
                    Duration::from_secs(24 * 3600)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "sync pass failed");
                    Duration::from_secs(30)
                }
            };
            let wait = next_batch
                .as_deref()
                .and_then(until)
                .map_or(wait, |d| wait.min(d.max(Duration::from_millis(200))));
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = self.wake.notified() => {}
            }
        }
    }
}

/// How long until `at` (RFC 3339), zero when past.
fn until(at: &str) -> Option<Duration> {
    let at =
        time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).ok()?;
    Some(Duration::try_from(at - time::OffsetDateTime::now_utc()).unwrap_or(Duration::ZERO))
}

/// How often a poller waiting for the lock tries again.
const LOCK_RETRY: Duration = Duration::from_secs(30);

/// The data folder's poller lock, when no other process holds it.
pub fn poller_lock(data_dir: &std::path::Path) -> std::io::Result<Option<std::fs::File>> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(data_dir.join("poller.lock"))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_poller_lock_per_data_folder() {
        let dir = tempfile::tempdir().unwrap();
        let first = super::poller_lock(dir.path()).unwrap();
        assert!(first.is_some());
        assert!(super::poller_lock(dir.path()).unwrap().is_none());
        drop(first);
        assert!(super::poller_lock(dir.path()).unwrap().is_some());
    }
}
