//! Figures across tables for the dashboard, computed by SQLite: what is still open per account,
//! what became final since a moment, and each account's balance history. Every query reads an
//! index range (status, final time, account), so they stay quick with millions of rows.

use crate::Result;
use guichet_types::Amount;
use rusqlite::{params, Connection};

/// Statuses that are not final, as an SQL list: `IN (…)` reads the status index, `NOT IN`
/// would scan the table.
fn open_statuses() -> String {
    crate::history::sql_list(|s| !s.is_final())
}

/// Lets "succeeded since" read one index range (status first: with only `final_at` indexed,
/// SQLite prefers the status index and walks every succeeded row).
pub const MIGRATION_6: &str = "
CREATE INDEX payouts_status_final ON payouts (status, final_at);
CREATE INDEX collections_status_final ON collections (status, final_at);
CREATE INDEX collections_status_id ON collections (status, id);
";

/// How many rows of an account are not final yet, and their total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Open {
    pub account_id: i64,
    pub count: i64,
    pub total: Amount,
}

/// What became `succeeded` since a moment, for one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    pub currency: String,
    pub count: i64,
    pub total: Amount,
}

/// `table` is `payouts` or `collections` (both have the same status and money columns).
fn open_in(conn: &Connection, table: &str) -> Result<Vec<Open>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT account_id, COUNT(*), COALESCE(SUM(amount), 0) FROM {table}
         WHERE status IN ({}) GROUP BY account_id",
        open_statuses()
    ))?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Open {
                account_id: r.get(0)?,
                count: r.get(1)?,
                total: Amount(r.get(2)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn succeeded_since(conn: &Connection, table: &str, since: &str) -> Result<Vec<Done>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT currency, COUNT(*), COALESCE(SUM(amount), 0) FROM {table}
         WHERE final_at >= ?1 AND status = 'succeeded' GROUP BY currency ORDER BY currency"
    ))?;
    let rows = stmt
        .query_map([since], |r| {
            Ok(Done {
                currency: r.get(0)?,
                count: r.get(1)?,
                total: Amount(r.get(2)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn open_payouts(conn: &Connection) -> Result<Vec<Open>> {
    open_in(conn, "payouts")
}

pub fn open_collections(conn: &Connection) -> Result<Vec<Open>> {
    open_in(conn, "collections")
}

/// Payouts paid since `since` (RFC 3339 UTC, e.g. the start of the merchant's day).
pub fn paid_out_since(conn: &Connection, since: &str) -> Result<Vec<Done>> {
    succeeded_since(conn, "payouts", since)
}

pub fn collected_since(conn: &Connection, since: &str) -> Result<Vec<Done>> {
    succeeded_since(conn, "collections", since)
}

/// One balance reading for a chart: when, and the exact amount text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub kind: String,
    pub taken_at: String,
    pub amount: String,
}

/// The `limit` latest readings of each balance kind of an account, oldest first.
pub fn balance_series(conn: &Connection, account_id: i64, limit: u32) -> Result<Vec<Reading>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, taken_at, amount FROM (
             SELECT kind, taken_at, amount, id,
                    ROW_NUMBER() OVER (PARTITION BY kind ORDER BY id DESC) AS n
             FROM balance_snapshots WHERE account_id = ?1)
         WHERE n <= ?2 ORDER BY kind, id",
    )?;
    let rows = stmt
        .query_map(params![account_id, limit], |r| {
            Ok(Reading {
                kind: r.get(0)?,
                taken_at: r.get(1)?,
                amount: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

crate::table::table! {
    /// The dashboard's figures across tables.
    Summary;
    read {
        fn open_payouts() -> Result<Vec<Open>>;
        fn open_collections() -> Result<Vec<Open>>;
        fn paid_out_since(since: &str) -> Result<Vec<Done>>;
        fn collected_since(since: &str) -> Result<Vec<Done>>;
        fn balance_series(account_id: i64, limit: u32) -> Result<Vec<Reading>>;
    }
}
