//! Balance snapshots. Providers report decimals (`"865.4"`): amounts are kept as the exact text
//! the provider sent, never as floating point.

use crate::Result;
use rusqlite::{params, Connection};
use serde::Serialize;

pub const MIGRATION_1: &str = "
CREATE TABLE balance_snapshots (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    taken_at   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    amount     TEXT NOT NULL,
    available  TEXT,
    in_use     TEXT,
    currency   TEXT NOT NULL
);
CREATE INDEX balance_snapshots_account ON balance_snapshots (account_id, taken_at);
";

/// One balance reading. `kind` names which balance: `transfer` (CinetPay transfer),
/// `account` and `service` (CinetPay getCompteStatus), `wallet` (My-CoolPay).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BalanceSnapshot {
    pub id: i64,
    pub account_id: i64,
    pub taken_at: String,
    pub kind: String,
    pub amount: String,
    pub available: Option<String>,
    pub in_use: Option<String>,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSnapshot<'a> {
    pub account_id: i64,
    pub kind: &'a str,
    pub amount: &'a str,
    pub available: Option<&'a str>,
    pub in_use: Option<&'a str>,
    pub currency: &'a str,
}

pub fn insert(conn: &Connection, s: &NewSnapshot) -> Result<i64> {
    conn.execute(
        "INSERT INTO balance_snapshots (account_id, taken_at, kind, amount, available, in_use, currency)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![s.account_id, crate::now_utc(), s.kind, s.amount, s.available, s.in_use, s.currency],
    )?;
    Ok(conn.last_insert_rowid())
}

/// History for one account, newest first.
pub fn history(conn: &Connection, account_id: i64, limit: u32) -> Result<Vec<BalanceSnapshot>> {
    let mut stmt = conn.prepare(
        "SELECT id, account_id, taken_at, kind, amount, available, in_use, currency
         FROM balance_snapshots WHERE account_id = ?1 ORDER BY id DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![account_id, limit], |r| {
            Ok(BalanceSnapshot {
                id: r.get(0)?,
                account_id: r.get(1)?,
                taken_at: r.get(2)?,
                kind: r.get(3)?,
                amount: r.get(4)?,
                available: r.get(5)?,
                in_use: r.get(6)?,
                currency: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

crate::table::table! {
    /// The balance snapshots.
    Balances, BalancesMut;
    read {
        fn history(account_id: i64, limit: u32) -> Result<Vec<BalanceSnapshot>>;
    }
    write {
        fn insert(s: &NewSnapshot<'_>) -> Result<i64>;
    }
}
