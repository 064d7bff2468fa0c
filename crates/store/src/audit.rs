//! The audit log: who did what and when, each entry carrying a SHA-256 of its content chained
//! to the entry before it. Triggers refuse changing or deleting an entry; someone who drops
//! them and edits the file breaks the chain, and [`verify`] names the first entry that no
//! longer holds. Ids are never reused (`AUTOINCREMENT`), so a deleted entry, even the last
//! one, shows as a gap.

use crate::Result;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use sha2::{Digest, Sha256};

pub const MIGRATION_15: &str = "
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    user_id   INTEGER REFERENCES users (id),
    user_name TEXT,
    action    TEXT NOT NULL,
    subject   TEXT,
    details   TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_user ON audit_log (user_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
";

/// The hash the first entry chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub user_id: Option<i64>,
    /// The person's name when it was written (`None`: the merchant alone, before any user).
    pub user_name: Option<String>,
    pub action: String,
    pub subject: Option<String>,
    /// JSON object: identifiers, figures and outcomes, never a secret or a PIN.
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

/// An entry to append.
#[derive(Debug, Clone, Copy)]
pub struct NewAudit<'a> {
    pub user_id: Option<i64>,
    pub user_name: Option<&'a str>,
    pub action: &'a str,
    pub subject: Option<&'a str>,
    pub details: &'a serde_json::Value,
}

const COLUMNS: &str = "id, at, user_id, user_name, action, subject, details, prev_hash, hash";

fn from_row(r: &Row) -> rusqlite::Result<AuditRow> {
    Ok(AuditRow {
        id: r.get(0)?,
        at: r.get(1)?,
        user_id: r.get(2)?,
        user_name: r.get(3)?,
        action: r.get(4)?,
        subject: r.get(5)?,
        details: r.get(6)?,
        prev_hash: r.get(7)?,
        hash: r.get(8)?,
    })
}

/// The hash of an entry: every field but the hash itself, each on its own line, the previous
/// entry's hash last.
pub fn hash_of(e: &AuditRow) -> String {
    let mut h = Sha256::new();
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    for part in [
        e.id.to_string(),
        e.at.clone(),
        e.user_id.map(|u| u.to_string()).unwrap_or_default(),
        opt(&e.user_name),
        e.action.clone(),
        opt(&e.subject),
        e.details.clone(),
        e.prev_hash.clone(),
    ] {
        h.update(part.as_bytes());
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

/// Appends an entry chained to the last one. In a transaction already open it is part of it;
/// otherwise it takes the write lock for the read of the last hash and the insert, so that two
/// processes never chain to the same entry.
pub fn append(conn: &Connection, e: &NewAudit) -> Result<AuditRow> {
    if conn.is_autocommit() {
        let tx = crate::write_tx(conn)?;
        let row = append_inner(&tx, e)?;
        tx.commit()?;
        Ok(row)
    } else {
        append_inner(conn, e)
    }
}

fn append_inner(conn: &Connection, e: &NewAudit) -> Result<AuditRow> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let seq: i64 = conn
        .query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0);
    let mut row = AuditRow {
        id: seq.max(last.as_ref().map_or(0, |l| l.0)) + 1,
        at: crate::now_utc(),
        user_id: e.user_id,
        user_name: e.user_name.map(str::to_string),
        action: e.action.to_string(),
        subject: e.subject.map(str::to_string),
        details: e.details.to_string(),
        prev_hash: last.map_or_else(|| GENESIS.to_string(), |l| l.1),
        hash: String::new(),
    };
    row.hash = hash_of(&row);
    conn.execute(
        &format!("INSERT INTO audit_log ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
        params![
            row.id,
            row.at,
            row.user_id,
            row.user_name,
            row.action,
            row.subject,
            row.details,
            row.prev_hash,
            row.hash
        ],
    )?;
    Ok(row)
}

/// Entries newest first, of one person or of everyone, `limit` at most, before `before_id`.
pub fn list(
    conn: &Connection,
    user_id: Option<i64>,
    before_id: Option<i64>,
    limit: u32,
) -> Result<Vec<AuditRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM audit_log
         WHERE (?1 IS NULL OR user_id = ?1) AND (?2 IS NULL OR id < ?2)
         ORDER BY id DESC LIMIT ?3"
    ))?;
    let rows = stmt
        .query_map(params![user_id, before_id, limit], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every entry, oldest first, to `f` (exports), without collecting them.
pub fn each(conn: &Connection, f: &mut dyn FnMut(AuditRow) -> Result<()>) -> Result<()> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(from_row(r)?)?;
    }
    Ok(())
}

/// What is wrong with the first entry that does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Break {
    /// Its content no longer gives its hash.
    Changed,
    /// It is gone: the ids jump over it, or the log ends before it.
    Deleted,
    /// It does not chain to the entry before it (that one was replaced or removed).
    Unchained,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Broken {
    /// The entry's id.
    pub id: i64,
    pub what: Break,
    /// The entry as it is now, when it is still there.
    pub entry: Option<AuditRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Verdict {
    /// Entries read.
    pub entries: i64,
    /// The first entry that does not hold; `None` when the whole chain holds.
    pub broken: Option<Broken>,
}

/// Recomputes the chain from the first entry and names the first one that does not hold.
pub fn verify(conn: &Connection) -> Result<Verdict> {
    let mut entries = 0;
    let mut expected_id = 1;
    let mut prev = GENESIS.to_string();
    let mut broken = None;
    each(conn, &mut |e| {
        entries += 1;
        if broken.is_some() {
            return Ok(());
        }
        broken = if e.id != expected_id {
            Some(Broken {
                id: expected_id,
                what: Break::Deleted,
                entry: None,
            })
        } else if hash_of(&e) != e.hash {
            Some(Broken {
                id: e.id,
                what: Break::Changed,
                entry: Some(e.clone()),
            })
        } else if e.prev_hash != prev {
            Some(Broken {
                id: e.id,
                what: Break::Unchained,
                entry: Some(e.clone()),
            })
        } else {
            None
        };
        expected_id = e.id + 1;
        prev = e.hash;
        Ok(())
    })?;
    if broken.is_none() {
        // The last entries removed: the counter of ids remembers them.
        let seq: i64 = conn
            .query_row(
                "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'",
                [],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        if seq >= expected_id {
            broken = Some(Broken {
                id: expected_id,
                what: Break::Deleted,
                entry: None,
            });
        }
    }
    Ok(Verdict { entries, broken })
}

crate::table::table! {
    /// The audit log.
    Audit, AuditMut;
    read {
        fn list(user_id: Option<i64>, before_id: Option<i64>, limit: u32) -> Result<Vec<AuditRow>>;
        fn each(f: &mut dyn FnMut(AuditRow) -> Result<()>) -> Result<()>;
        fn verify() -> Result<Verdict>;
    }
    write {
        fn append(e: &NewAudit<'_>) -> Result<AuditRow>;
    }
}
