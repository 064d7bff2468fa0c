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
        /// The batch it belongs to: the app notifies once per batch, not once per payout.
        batch_id: Option<i64>,
        /// What the merchant reads: the amount, to whom (name, number as `+2250708123456`).
        amount: guichet_types::Amount,
        name: String,
        phone: String,
    },
    /// Every payout of a batch has reached a final status (or an unknown outcome).
    BatchFinished {
        batch_id: i64,
        succeeded: u64,
        /// Failed, rejected or cancelled.
        failed: u64,
        outcome_unknown: u64,
    },
    /// A collection changed status.
    CollectionStatus {
        id: i64,
        reference: String,
        status: guichet_types::UnifiedStatus,
        is_final: bool,
        /// What the merchant reads: the amount and the customer, when known.
        amount: guichet_types::Amount,
        name: Option<String>,
        phone: Option<String>,
    },
    /// Balances were read (at start, daily, or asked): the screens showing them read again.
    BalancesRead,
    /// A payout or batch was prepared and waits for approval: the approvers are told.
    ApprovalWaiting {
        /// A batch or a single payout (`kind` names the event itself).
        what: guichet_store::approvals::Kind,
        /// The approval request's number (`guichet batch approve ID`).
        id: i64,
        /// Who prepared it.
        preparer: String,
        count: i64,
        total: guichet_types::Amount,
        account: String,
    },
    /// A batch that was to leave later: it left, waits for funds, waits for something else,
    /// or was cancelled for want of funds (`payouts::BatchNotice`).
    BatchLeaving {
        batch_id: i64,
        what: crate::payouts::NoticeKind,
        late_minutes: Option<i64>,
        missing: Option<guichet_types::Amount>,
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
