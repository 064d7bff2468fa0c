//! When a confirmed batch leaves: at a date and time (`scheduled`), once the balance covers it
//! (`held`), or now (no plan, or `released`). Its payouts are queued with their references at
//! confirmation, like any batch's; while the plan waits, no sender may claim them (the claim's
//! SQL asks [`NOT_WAITING`]). Leaving is one conditional UPDATE ([`release`]): whichever
//! process (a cron `guichet sync`, the app's poller, `guichet balance`) changes the row first
//! sends it; the others change nothing and send nothing.

use crate::{Result, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

pub const MIGRATION_18: &str = "
CREATE TABLE batch_plans (
    batch_id     INTEGER PRIMARY KEY REFERENCES batches (id),
    state        TEXT NOT NULL CHECK (state IN ('scheduled', 'held', 'released', 'cancelled')),
    send_at      TEXT,
    when_short   TEXT NOT NULL CHECK (when_short IN ('refuse', 'hold')),
    missing      INTEGER CHECK (missing IS NULL OR missing > 0),
    checked_at   TEXT,
    note_code    TEXT,
    note         TEXT,
    released_at  TEXT,
    released_by  TEXT,
    cancelled_at TEXT
);
CREATE INDEX batch_plans_waiting ON batch_plans (state, send_at)
    WHERE state IN ('scheduled', 'held');
";

/// SQL true for a payout (`payouts` in the query) whose batch is not waiting for its time or
/// its funds: only those may be claimed or counted as under way.
pub const NOT_WAITING: &str = "NOT EXISTS (SELECT 1 FROM batch_plans bp
     WHERE bp.batch_id = payouts.batch_id AND bp.state IN ('scheduled', 'held'))";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum PlanState {
    /// Waits for `send_at`.
    Scheduled,
    /// Waits until the balance covers it.
    Held,
    /// Taken by a sender: its payouts go through the usual path.
    Released,
    /// Cancelled before it left: its payouts are cancelled, nothing was sent.
    Cancelled,
}

impl PlanState {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanState::Scheduled => "scheduled",
            PlanState::Held => "held",
            PlanState::Released => "released",
            PlanState::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> PlanState {
        match s {
            "held" => PlanState::Held,
            "released" => PlanState::Released,
            "cancelled" => PlanState::Cancelled,
            _ => PlanState::Scheduled,
        }
    }

    /// Still waiting: it may be cancelled, and nothing of it may be sent.
    pub fn waiting(self) -> bool {
        matches!(self, PlanState::Scheduled | PlanState::Held)
    }
}

/// What to do when, at send time, the balance does not cover the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum WhenShort {
    /// Send nothing (a scheduled batch is cancelled, with the reason).
    #[default]
    Refuse,
    /// Wait for the funds.
    Hold,
}

impl WhenShort {
    pub fn as_str(self) -> &'static str {
        match self {
            WhenShort::Refuse => "refuse",
            WhenShort::Hold => "hold",
        }
    }

    fn parse(s: &str) -> WhenShort {
        if s == "hold" {
            WhenShort::Hold
        } else {
            WhenShort::Refuse
        }
    }
}

/// A batch's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchPlan {
    pub batch_id: i64,
    pub state: PlanState,
    /// When it leaves (RFC 3339, UTC); `None` for a batch held since its confirmation.
    pub send_at: Option<String>,
    pub when_short: WhenShort,
    /// Held: the whole francs the balance lacked at the last reading.
    pub missing: Option<i64>,
    /// The last time it was checked against the balance.
    pub checked_at: Option<String>,
    /// Why it still waits though its time came (`awaiting_approval`, `needs_review`,
    /// `balance_unavailable`), or why it was cancelled; `note` says it in English.
    pub note_code: Option<String>,
    pub note: Option<String>,
    pub released_at: Option<String>,
    pub cancelled_at: Option<String>,
}

const COLUMNS: &str = "batch_id, state, send_at, when_short, missing, checked_at, note_code, \
     note, released_at, cancelled_at";

fn from_row(r: &Row) -> rusqlite::Result<BatchPlan> {
    Ok(BatchPlan {
        batch_id: r.get(0)?,
        state: PlanState::parse(&r.get::<_, String>(1)?),
        send_at: r.get(2)?,
        when_short: WhenShort::parse(&r.get::<_, String>(3)?),
        missing: r.get(4)?,
        checked_at: r.get(5)?,
        note_code: r.get(6)?,
        note: r.get(7)?,
        released_at: r.get(8)?,
        cancelled_at: r.get(9)?,
    })
}

/// Records the plan of a batch being confirmed, in the confirm's transaction: `Scheduled` with
/// `send_at`, or `Held` missing `missing` francs.
pub fn insert(
    conn: &Connection,
    batch_id: i64,
    state: PlanState,
    send_at: Option<&str>,
    when_short: WhenShort,
    missing: Option<i64>,
) -> Result<BatchPlan> {
    conn.execute(
        "INSERT INTO batch_plans (batch_id, state, send_at, when_short, missing, checked_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            batch_id,
            state.as_str(),
            send_at,
            when_short.as_str(),
            missing,
            missing.map(|_| crate::now_utc())
        ],
    )
    .map_err(|e| StoreError::unique(e, "plan of batch", &batch_id.to_string()))?;
    get(conn, batch_id)?.ok_or(StoreError::NotFound {
        what: "batch plan",
        key: batch_id.to_string(),
    })
}

pub fn get(conn: &Connection, batch_id: i64) -> Result<Option<BatchPlan>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM batch_plans WHERE batch_id = ?1"
        ))?
        .query_row([batch_id], from_row)
        .optional()?)
}

/// Plans still waiting: held ones, and scheduled ones whose time is at or before `due_by`
/// (every scheduled one with `None`), oldest time first; of one account or all.
pub fn waiting(
    conn: &Connection,
    due_by: Option<&str>,
    account_id: Option<i64>,
) -> Result<Vec<BatchPlan>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.batch_id, p.state, p.send_at, p.when_short, p.missing, p.checked_at,
                p.note_code, p.note, p.released_at, p.cancelled_at
         FROM batch_plans p JOIN batches b ON b.id = p.batch_id
         WHERE (p.state = 'held' OR (p.state = 'scheduled' AND (?1 IS NULL OR p.send_at <= ?1)))
           AND (?2 IS NULL OR b.account_id = ?2)
         ORDER BY p.send_at IS NULL, p.send_at, p.batch_id",
    )?;
    let rows = stmt
        .query_map(params![due_by, account_id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Takes a waiting batch for sending: moves it from `from` to `released`, naming `holder`, in
/// one conditional UPDATE. True for the one caller that moved it; any other (another process
/// at the same moment, a batch cancelled or already taken) gets false and must send nothing.
pub fn release(conn: &Connection, batch_id: i64, from: PlanState, holder: &str) -> Result<bool> {
    let now = crate::now_utc();
    let n = conn
        .prepare_cached(
            "UPDATE batch_plans SET state = 'released', released_at = ?3, released_by = ?4,
                 missing = NULL, note_code = NULL, note = NULL
             WHERE batch_id = ?1 AND state = ?2
               AND (state = 'held' OR send_at <= ?3)",
        )?
        .execute(params![batch_id, from.as_str(), now, holder])?;
    Ok(n == 1)
}

/// A scheduled batch whose time came but the balance does not cover it, and waits for funds.
pub fn hold(conn: &Connection, batch_id: i64, missing: Option<i64>) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE batch_plans SET state = 'held', missing = ?2, checked_at = ?3,
                 note_code = NULL, note = NULL
             WHERE batch_id = ?1 AND state IN ('scheduled', 'held')",
        )?
        .execute(params![batch_id, missing, crate::now_utc()])?;
    Ok(n == 1)
}

/// Records why a waiting batch did not leave at this check (`None` clears it), and, held, what
/// the balance lacked.
pub fn note(
    conn: &Connection,
    batch_id: i64,
    code: Option<&str>,
    text: Option<&str>,
    missing: Option<i64>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE batch_plans SET note_code = ?2, note = ?3, checked_at = ?4,
             missing = CASE WHEN state = 'held' THEN COALESCE(?5, missing) ELSE missing END
         WHERE batch_id = ?1 AND state IN ('scheduled', 'held')",
    )?
    .execute(params![batch_id, code, text, crate::now_utc(), missing])?;
    Ok(())
}

/// Moves a waiting batch to a new time; false when it no longer waits.
pub fn reschedule(conn: &Connection, batch_id: i64, send_at: &str) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE batch_plans SET state = 'scheduled', send_at = ?2, missing = NULL,
                 note_code = NULL, note = NULL
             WHERE batch_id = ?1 AND state IN ('scheduled', 'held')",
        )?
        .execute(params![batch_id, send_at])?;
    Ok(n == 1)
}

/// Cancels a waiting batch, with why (`code`, `text`): the plan only. Call in the transaction
/// that cancels its queued payouts. False when it no longer waits (it left, or was cancelled).
/// The file is no longer "already paid": the batch is marked as one not to count.
pub fn cancel(conn: &Connection, batch_id: i64, code: &str, text: &str) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE batch_plans SET state = 'cancelled', cancelled_at = ?2, note_code = ?3,
                 note = ?4
             WHERE batch_id = ?1 AND state IN ('scheduled', 'held')",
        )?
        .execute(params![batch_id, crate::now_utc(), code, text])?;
    if n == 1 {
        conn.prepare_cached("UPDATE batches SET again = 1 WHERE id = ?1")?
            .execute([batch_id])?;
    }
    Ok(n == 1)
}

crate::table::table! {
    /// When confirmed batches leave.
    BatchPlans, BatchPlansMut;
    read {
        fn get(batch_id: i64) -> Result<Option<BatchPlan>>;
        fn waiting(due_by: Option<&str>, account_id: Option<i64>) -> Result<Vec<BatchPlan>>;
    }
    write {
        fn insert(batch_id: i64, state: PlanState, send_at: Option<&str>, when_short: WhenShort, missing: Option<i64>) -> Result<BatchPlan>;
        fn release(batch_id: i64, from: PlanState, holder: &str) -> Result<bool>;
        fn hold(batch_id: i64, missing: Option<i64>) -> Result<bool>;
        fn note(batch_id: i64, code: Option<&str>, text: Option<&str>, missing: Option<i64>) -> Result<()>;
        fn reschedule(batch_id: i64, send_at: &str) -> Result<bool>;
        fn cancel(batch_id: i64, code: &str, text: &str) -> Result<bool>;
    }
}
