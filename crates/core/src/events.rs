//! What the core tells whoever is watching: the desktop shell forwards these to the webview and
//! turns final outcomes into notifications; the CLI prints progress lines.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum CoreEvent {
    /// A long operation advanced: `done` of `total` items of `task`.
    Progress {
        task: String,
        done: u64,
        total: u64,
    },
    AccountsChanged,
    /// A payout changed status.
    PayoutStatus {
        id: i64,
        reference: String,
        status: guichet_types::UnifiedStatus,
        is_final: bool,
    },
    /// A collection changed status.
    CollectionStatus {
        id: i64,
        reference: String,
        status: guichet_types::UnifiedStatus,
        is_final: bool,
    },
    /// A balance read is below the account's low-balance threshold.
    LowBalance {
        account: String,
        balance: String,
        amount: String,
        threshold: i64,
    },
}

pub trait EventSink: Send + Sync {
    fn emit(&self, event: CoreEvent);
}

/// For callers that don't watch.
pub struct NoEvents;

impl EventSink for NoEvents {
    fn emit(&self, _event: CoreEvent) {}
}
