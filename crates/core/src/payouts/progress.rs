//! How many payouts of a send have their answer, for a progress bar.

use crate::{CoreEvent, Guichet};
use std::sync::atomic::{AtomicU64, Ordering};

/// Counts sent payouts for a progress bar.
pub(crate) struct Progress<'a> {
    g: &'a Guichet,
    task: String,
    total: u64,
    done: AtomicU64,
    /// Set once every payout has its answer (or sending is over).
    all_sent: tokio::sync::watch::Sender<bool>,
}

impl<'a> Progress<'a> {
    pub fn new(g: &'a Guichet, task: String, total: u64) -> Progress<'a> {
        g.events.emit(CoreEvent::Progress {
            task: task.clone(),
            done: 0,
            total,
        });
        Progress {
            g,
            task,
            total,
            done: AtomicU64::new(0),
            all_sent: tokio::sync::watch::Sender::new(total == 0),
        }
    }

    pub fn add(&self, n: usize) {
        let done = self.done.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
        self.g.events.emit(CoreEvent::Progress {
            task: self.task.clone(),
            done: done.min(self.total),
            total: self.total,
        });
        if done >= self.total {
            self.finish();
        }
    }

    /// Sending is over (some payouts may have been taken by another sender).
    pub fn finish(&self) {
        self.all_sent.send_replace(true);
    }

    /// Waits until every payout has its answer, or sending is over.
    pub async fn all_sent(&self) {
        let _ = self.all_sent.subscribe().wait_for(|sent| *sent).await;
    }
}
