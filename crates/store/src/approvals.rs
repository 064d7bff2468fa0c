//! Approvals: each account's policy (a single payout above N francs, a batch above M, needs K
//! approvals), the payouts and batches prepared and waiting for them, and the decisions.
//!
//! A request keeps what is to be sent (JSON) and its SHA-256; nothing of it is a payout yet, so
//! nothing can leave while it waits. The store itself enforces "who prepared it does not
//! approve it, nobody decides twice, a decision is on what was prepared": triggers and a unique
//! key on `approvals`, whatever code writes to the file.

use crate::{Result, StoreError};
use guichet_types::Amount;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

pub const MIGRATION_15: &str = "
CREATE TABLE approval_policies (
    account_id          INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    approve_above       INTEGER CHECK (approve_above IS NULL OR approve_above >= 0),
    batch_approve_above INTEGER CHECK (batch_approve_above IS NULL OR batch_approve_above >= 0),
    approvals           INTEGER NOT NULL DEFAULT 1 CHECK (approvals IN (1, 2))
);
CREATE TABLE approval_requests (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('payout', 'batch')),
    account_id     INTEGER NOT NULL REFERENCES accounts (id),
    prepared_by    INTEGER NOT NULL REFERENCES users (id),
    prepared_at    TEXT NOT NULL,
    label          TEXT NOT NULL,
    count          INTEGER NOT NULL,
    total          INTEGER NOT NULL CHECK (total > 0),
    request        TEXT NOT NULL,
    request_sha256 TEXT NOT NULL,
    needed         INTEGER NOT NULL CHECK (needed IN (1, 2)),
    status         TEXT NOT NULL DEFAULT 'awaiting_approval'
                   CHECK (status IN ('awaiting_approval', 'approved', 'rejected', 'sent')),
    decided_at     TEXT,
    batch_id       INTEGER REFERENCES batches (id),
    payout_id      INTEGER REFERENCES payouts (id)
);
CREATE INDEX approval_requests_status ON approval_requests (status, id);
CREATE TRIGGER approval_requests_fixed BEFORE UPDATE OF kind, account_id, prepared_by,
        prepared_at, label, count, total, request, request_sha256, needed ON approval_requests
    BEGIN SELECT RAISE(ABORT, 'what was prepared cannot change'); END;
CREATE TABLE approvals (
    id             INTEGER PRIMARY KEY,
    request_id     INTEGER NOT NULL REFERENCES approval_requests (id),
    user_id        INTEGER NOT NULL REFERENCES users (id),
    decision       TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
    reason         TEXT CHECK (decision = 'approved' OR length(trim(reason)) > 0),
    request_sha256 TEXT NOT NULL,
    at             TEXT NOT NULL,
    UNIQUE (request_id, user_id)
);
CREATE TRIGGER approvals_not_by_preparer BEFORE INSERT ON approvals
    WHEN NEW.user_id = (SELECT prepared_by FROM approval_requests WHERE id = NEW.request_id)
    BEGIN SELECT RAISE(ABORT, 'who prepared it cannot approve or reject it'); END;
CREATE TRIGGER approvals_while_awaiting BEFORE INSERT ON approvals
    WHEN (SELECT status FROM approval_requests WHERE id = NEW.request_id)
         IS NOT 'awaiting_approval'
    BEGIN SELECT RAISE(ABORT, 'it is no longer awaiting approval'); END;
CREATE TRIGGER approvals_on_what_was_prepared BEFORE INSERT ON approvals
    WHEN NEW.request_sha256
         IS NOT (SELECT request_sha256 FROM approval_requests WHERE id = NEW.request_id)
    BEGIN SELECT RAISE(ABORT, 'the decision is not on what was prepared'); END;
CREATE TRIGGER approvals_no_update BEFORE UPDATE ON approvals
    BEGIN SELECT RAISE(ABORT, 'approvals are append-only'); END;
CREATE TRIGGER approvals_no_delete BEFORE DELETE ON approvals
    BEGIN SELECT RAISE(ABORT, 'approvals are append-only'); END;
ALTER TABLE batches ADD COLUMN prepared_by INTEGER REFERENCES users (id);
ALTER TABLE payouts ADD COLUMN prepared_by INTEGER REFERENCES users (id);
";

/// An account's approval policy; no threshold means nothing of that kind waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Policy {
    /// A single payout above this many francs waits for approval.
    pub approve_above: Option<Amount>,
    /// A batch whose total is above this many francs waits for approval.
    pub batch_approve_above: Option<Amount>,
    /// Approvals needed, by people other than the preparer: 1 or 2.
    pub approvals: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Kind {
    Payout,
    Batch,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Payout => "payout",
            Kind::Batch => "batch",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum RequestStatus {
    AwaitingApproval,
    /// Approved by enough people; being sent, or its send failed (then sent again, under the
    /// same references, by `resend_approved`).
    Approved,
    Rejected,
    /// Approved and handed to the payouts (`batch_id` / `payout_id`).
    Sent,
}

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::AwaitingApproval => "awaiting_approval",
            RequestStatus::Approved => "approved",
            RequestStatus::Rejected => "rejected",
            RequestStatus::Sent => "sent",
        }
    }

    fn parse(s: &str) -> RequestStatus {
        match s {
            "approved" => RequestStatus::Approved,
            "rejected" => RequestStatus::Rejected,
            "sent" => RequestStatus::Sent,
            _ => RequestStatus::AwaitingApproval,
        }
    }
}

/// A payout or a batch prepared and held for approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RequestRow {
    pub id: i64,
    pub kind: Kind,
    pub account_id: i64,
    pub prepared_by: i64,
    pub prepared_at: String,
    /// The file's name (batch) or the payee (payout).
    pub label: String,
    pub count: i64,
    pub total: Amount,
    /// What to send, as JSON (the rows read from the file, or the payout asked for).
    #[serde(skip)]
    pub request: String,
    pub request_sha256: String,
    pub needed: i64,
    pub status: RequestStatus,
    pub decided_at: Option<String>,
    pub batch_id: Option<i64>,
    pub payout_id: Option<i64>,
}

#[derive(Debug, Clone, Copy)]
pub struct NewRequest<'a> {
    pub kind: Kind,
    pub account_id: i64,
    pub prepared_by: i64,
    pub label: &'a str,
    pub count: i64,
    pub total: Amount,
    pub request: &'a str,
    pub request_sha256: &'a str,
    pub needed: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Decision {
    Approved,
    Rejected,
}

/// One person's decision on a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DecisionRow {
    pub id: i64,
    pub request_id: i64,
    pub user_id: i64,
    pub decision: Decision,
    pub reason: Option<String>,
    pub request_sha256: String,
    pub at: String,
}

pub fn policy(conn: &Connection, account_id: i64) -> Result<Policy> {
    Ok(conn
        .query_row(
            "SELECT approve_above, batch_approve_above, approvals FROM approval_policies
             WHERE account_id = ?1",
            [account_id],
            |r| {
                Ok(Policy {
                    approve_above: r.get::<_, Option<i64>>(0)?.map(Amount),
                    batch_approve_above: r.get::<_, Option<i64>>(1)?.map(Amount),
                    approvals: r.get(2)?,
                })
            },
        )
        .optional()?
        .unwrap_or(Policy {
            approvals: 1,
            ..Policy::default()
        }))
}

pub fn set_policy(conn: &Connection, account_id: i64, p: &Policy) -> Result<()> {
    conn.execute(
        "INSERT INTO approval_policies (account_id, approve_above, batch_approve_above, approvals)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (account_id) DO UPDATE SET approve_above = ?2, batch_approve_above = ?3,
             approvals = ?4",
        params![
            account_id,
            p.approve_above.map(|a| a.0),
            p.batch_approve_above.map(|a| a.0),
            p.approvals
        ],
    )?;
    Ok(())
}

const COLUMNS: &str = "id, kind, account_id, prepared_by, prepared_at, label, count, total, \
     request, request_sha256, needed, status, decided_at, batch_id, payout_id";

fn from_row(r: &Row) -> rusqlite::Result<RequestRow> {
    let kind: String = r.get(1)?;
    let status: String = r.get(11)?;
    Ok(RequestRow {
        id: r.get(0)?,
        kind: if kind == "batch" {
            Kind::Batch
        } else {
            Kind::Payout
        },
        account_id: r.get(2)?,
        prepared_by: r.get(3)?,
        prepared_at: r.get(4)?,
        label: r.get(5)?,
        count: r.get(6)?,
        total: Amount(r.get(7)?),
        request: r.get(8)?,
        request_sha256: r.get(9)?,
        needed: r.get(10)?,
        status: RequestStatus::parse(&status),
        decided_at: r.get(12)?,
        batch_id: r.get(13)?,
        payout_id: r.get(14)?,
    })
}

pub fn insert_request(conn: &Connection, n: &NewRequest) -> Result<RequestRow> {
    conn.execute(
        "INSERT INTO approval_requests (kind, account_id, prepared_by, prepared_at, label, count,
             total, request, request_sha256, needed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            n.kind.as_str(),
            n.account_id,
            n.prepared_by,
            crate::now_utc(),
            n.label,
            n.count,
            n.total.0,
            n.request,
            n.request_sha256,
            n.needed
        ],
    )?;
    request(conn, conn.last_insert_rowid())
}

pub fn request(conn: &Connection, id: i64) -> Result<RequestRow> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM approval_requests WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "request for approval",
        key: id.to_string(),
    })
}

/// Requests of one kind (any when `None`) in one status (any when `None`), newest first.
pub fn requests(
    conn: &Connection,
    kind: Option<Kind>,
    status: Option<RequestStatus>,
    limit: u32,
) -> Result<Vec<RequestRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM approval_requests
         WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR status = ?2)
         ORDER BY id DESC LIMIT ?3"
    ))?;
    let rows = stmt
        .query_map(
            params![
                kind.map(Kind::as_str),
                status.map(RequestStatus::as_str),
                limit
            ],
            from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Records one person's decision. The store refuses it when that person prepared the request,
/// already decided on it, the request no longer waits, or the hash is not the prepared one:
/// [`StoreError::Refused`] with the reason.
pub fn decide(
    conn: &Connection,
    request_id: i64,
    user_id: i64,
    decision: Decision,
    reason: Option<&str>,
    request_sha256: &str,
) -> Result<DecisionRow> {
    conn.execute(
        "INSERT INTO approvals (request_id, user_id, decision, reason, request_sha256, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            request_id,
            user_id,
            match decision {
                Decision::Approved => "approved",
                Decision::Rejected => "rejected",
            },
            reason,
            request_sha256,
            crate::now_utc()
        ],
    )
    .map_err(|e| {
        StoreError::unique(
            e,
            "decision of this person on this request",
            &request_id.to_string(),
        )
    })
    .map_err(StoreError::refused)?;
    decisions(conn, request_id)?
        .pop()
        .ok_or(StoreError::NotFound {
            what: "decision",
            key: request_id.to_string(),
        })
}

pub fn decisions(conn: &Connection, request_id: i64) -> Result<Vec<DecisionRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, request_id, user_id, decision, reason, request_sha256, at FROM approvals
         WHERE request_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([request_id], |r| {
            let d: String = r.get(3)?;
            Ok(DecisionRow {
                id: r.get(0)?,
                request_id: r.get(1)?,
                user_id: r.get(2)?,
                decision: if d == "rejected" {
                    Decision::Rejected
                } else {
                    Decision::Approved
                },
                reason: r.get(4)?,
                request_sha256: r.get(5)?,
                at: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Moves a request from `from` to `to`; false when it was not in `from` (another process
/// moved it first).
pub fn set_status(
    conn: &Connection,
    id: i64,
    from: RequestStatus,
    to: RequestStatus,
) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE approval_requests SET status = ?3, decided_at = COALESCE(decided_at, ?4)
         WHERE id = ?1 AND status = ?2",
        params![id, from.as_str(), to.as_str(), crate::now_utc()],
    )? == 1)
}

/// Links an approved request to the batch or payout made of it, before it is sent: a send that
/// fails leaves it `approved` and linked, and sending it again reuses those payouts and their
/// references.
pub fn link(
    conn: &Connection,
    id: i64,
    batch_id: Option<i64>,
    payout_id: Option<i64>,
) -> Result<()> {
    let r = request(conn, id)?;
    conn.execute(
        "UPDATE approval_requests SET batch_id = ?2, payout_id = ?3
         WHERE id = ?1 AND status = 'approved'",
        params![id, batch_id, payout_id],
    )?;
    set_prepared_by(conn, batch_id, payout_id, r.prepared_by)
}

/// Links an approved request to what was made of it, and the preparer to those rows.
pub fn mark_sent(
    conn: &Connection,
    id: i64,
    batch_id: Option<i64>,
    payout_id: Option<i64>,
) -> Result<()> {
    let r = request(conn, id)?;
    conn.execute(
        "UPDATE approval_requests SET status = 'sent', batch_id = ?2, payout_id = ?3
         WHERE id = ?1 AND status = 'approved'",
        params![id, batch_id, payout_id],
    )?;
    set_prepared_by(conn, batch_id, payout_id, r.prepared_by)
}

/// Who prepared a batch (and its payouts) or a single payout.
pub fn set_prepared_by(
    conn: &Connection,
    batch_id: Option<i64>,
    payout_id: Option<i64>,
    user_id: i64,
) -> Result<()> {
    if let Some(b) = batch_id {
        conn.execute(
            "UPDATE batches SET prepared_by = ?2 WHERE id = ?1",
            params![b, user_id],
        )?;
        conn.execute(
            "UPDATE payouts SET prepared_by = ?2 WHERE batch_id = ?1",
            params![b, user_id],
        )?;
    }
    if let Some(p) = payout_id {
        conn.execute(
            "UPDATE payouts SET prepared_by = ?2 WHERE id = ?1",
            params![p, user_id],
        )?;
    }
    Ok(())
}

crate::table::table! {
    /// Approval policies, requests waiting for approval and decisions.
    Approvals, ApprovalsMut;
    read {
        fn policy(account_id: i64) -> Result<Policy>;
        fn request(id: i64) -> Result<RequestRow>;
        fn requests(kind: Option<Kind>, status: Option<RequestStatus>, limit: u32) -> Result<Vec<RequestRow>>;
        fn decisions(request_id: i64) -> Result<Vec<DecisionRow>>;
    }
    write {
        fn set_policy(account_id: i64, p: &Policy) -> Result<()>;
        fn insert_request(n: &NewRequest<'_>) -> Result<RequestRow>;
        fn decide(request_id: i64, user_id: i64, decision: Decision, reason: Option<&str>, request_sha256: &str) -> Result<DecisionRow>;
        fn set_status(id: i64, from: RequestStatus, to: RequestStatus) -> Result<bool>;
        fn link(id: i64, batch_id: Option<i64>, payout_id: Option<i64>) -> Result<()>;
        fn mark_sent(id: i64, batch_id: Option<i64>, payout_id: Option<i64>) -> Result<()>;
        fn set_prepared_by(batch_id: Option<i64>, payout_id: Option<i64>, user_id: i64) -> Result<()>;
    }
}
