//! Every callback delivery received, with its source and the verdict, whatever it was.

pub const MIGRATION_4: &str = "
CREATE TABLE callbacks (
    id          INTEGER PRIMARY KEY,
    received_at TEXT NOT NULL,
    provider    TEXT NOT NULL,
    account_id  INTEGER REFERENCES accounts (id),
    source      TEXT NOT NULL,
    reference   TEXT,
    verdict     TEXT NOT NULL,
    body        TEXT NOT NULL
);
";

use crate::Result;
use rusqlite::{params, Connection};
use serde::Serialize;

/// One delivery as received: who sent it, what it carried, and what Guichet made of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CallbackRow {
    pub id: i64,
    pub received_at: String,
    pub provider: String,
    pub account_id: Option<i64>,
    /// The sender's address (`pasted` for a body checked by hand).
    pub source: String,
    pub reference: Option<String>,
    /// `ok`, `changed`, `unchanged`, or `ko: <reason>`.
    pub verdict: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCallback<'a> {
    pub provider: &'a str,
    pub account_id: Option<i64>,
    pub source: &'a str,
    pub reference: Option<&'a str>,
    pub verdict: &'a str,
    pub body: &'a str,
}

pub fn insert(conn: &Connection, c: &NewCallback) -> Result<i64> {
    conn.execute(
        "INSERT INTO callbacks (received_at, provider, account_id, source, reference, verdict, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            crate::now_utc(),
            c.provider,
            c.account_id,
            c.source,
            c.reference,
            c.verdict,
            c.body
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Newest first.
pub fn recent(conn: &Connection, limit: u32) -> Result<Vec<CallbackRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, received_at, provider, account_id, source, reference, verdict, body
         FROM callbacks ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit], |r| {
            Ok(CallbackRow {
                id: r.get(0)?,
                received_at: r.get(1)?,
                provider: r.get(2)?,
                account_id: r.get(3)?,
                source: r.get(4)?,
                reference: r.get(5)?,
                verdict: r.get(6)?,
                body: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

crate::table::table! {
    /// The callback deliveries received.
    Callbacks, CallbacksMut;
    read {
        fn recent(limit: u32) -> Result<Vec<CallbackRow>>;
    }
    write {
        fn insert(c: &NewCallback<'_>) -> Result<i64>;
    }
}
