//! The append-only event log: what Guichet did and saw, for the merchant and the accountant.
//! Triggers forbid changing or deleting an entry.

use crate::page::{Conditions, Page, PageRequest};
use crate::Result;
use rusqlite::{params, Connection};
use serde::Serialize;

pub const MIGRATION_1: &str = "
CREATE TABLE event_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    kind       TEXT NOT NULL,
    account_id INTEGER,
    subject    TEXT,
    detail     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX event_log_at ON event_log (at);
CREATE TRIGGER event_log_no_update BEFORE UPDATE ON event_log
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER event_log_no_delete BEFORE DELETE ON event_log
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EventRow {
    pub id: i64,
    pub at: String,
    pub kind: String,
    pub account_id: Option<i64>,
    pub subject: Option<String>,
    /// JSON object; never contains a secret (callers pass identifiers and outcomes only).
    pub detail: String,
}

pub fn append(
    conn: &Connection,
    kind: &str,
    account_id: Option<i64>,
    subject: Option<&str>,
    detail: &serde_json::Value,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO event_log (at, kind, account_id, subject, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            crate::now_utc(),
            kind,
            account_id,
            subject,
            detail.to_string()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Newest first, `limit` at most, before `before_id` when paging (keyset pagination).
/// Which entries a page keeps; `None` and empty mean any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventQuery {
    /// The parts of the kind before its first dot (`payout`, `batch`…).
    pub kinds: Vec<String>,
    pub account_id: Option<i64>,
    /// First and last day (`2026-12-06`, UTC), both included.
    pub from: Option<String>,
    pub to: Option<String>,
}

pub fn page(conn: &Connection, req: PageRequest) -> Result<Page<EventRow>> {
    filtered_page(conn, &EventQuery::default(), req)
}

/// One page of the entries `query` keeps, newest first, chosen by the database.
pub fn filtered_page(
    conn: &Connection,
    query: &EventQuery,
    req: PageRequest,
) -> Result<Page<EventRow>> {
    let mut filter = Conditions::default().eq("account_id", query.account_id);
    if !query.kinds.is_empty() {
        filter = filter.clause(
            "substr(kind, 1, instr(kind || '.', '.') - 1) IN (SELECT value FROM json_each(?))",
            serde_json::to_string(&query.kinds).expect("a list of strings is JSON"),
        );
    }
    if let Some(from) = &query.from {
        filter = filter.clause("substr(at, 1, 10) >= ?", from.clone());
    }
    if let Some(to) = &query.to {
        filter = filter.clause("substr(at, 1, 10) <= ?", to.clone());
    }
    crate::page::fetch(
        conn,
        "SELECT id, at, kind, account_id, subject, detail FROM event_log",
        "id",
        filter,
        req,
        |r| {
            Ok(EventRow {
                id: r.get(0)?,
                at: r.get(1)?,
                kind: r.get(2)?,
                account_id: r.get(3)?,
                subject: r.get(4)?,
                detail: r.get(5)?,
            })
        },
        |e| e.id,
    )
}

crate::table::table! {
    /// The event log.
    Events, EventsMut;
    read {
        fn page(req: PageRequest) -> Result<Page<EventRow>>;
        fn filtered_page(query: &EventQuery, req: PageRequest) -> Result<Page<EventRow>>;
    }
    write {
        fn append(kind: &str, account_id: Option<i64>, subject: Option<&str>, detail: &serde_json::Value) -> Result<i64>;
    }
}
