//! The people who work in a data folder: a name, a role and a PIN kept as an Argon2id hash
//! (PHC string). The hash is read only to check a PIN ([`pin_hash`]) and never leaves the
//! store in a row. Wrong PINs are counted here so that the delay they earn holds across
//! processes. A removed person is kept (the audit log and approvals name them), marked removed.

use crate::{Result, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

pub const MIGRATION_15: &str = "
CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('owner', 'preparer', 'approver', 'viewer')),
    pin_hash        TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    removed_at      TEXT,
    failed_pins     INTEGER NOT NULL DEFAULT 0,
    last_failure_at TEXT
);
CREATE UNIQUE INDEX users_name ON users (name COLLATE NOCASE) WHERE removed_at IS NULL;
";

/// What a person may do (see `guichet_core::people`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Role {
    Owner,
    Preparer,
    Approver,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::Preparer, Role::Approver, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Preparer => "preparer",
            Role::Approver => "approver",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Role, String> {
        Role::parse(s)
            .ok_or_else(|| format!("unknown role `{s}`; one of: owner, preparer, approver, viewer"))
    }
}

/// A person, without their PIN's hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub created_at: String,
    pub removed_at: Option<String>,
}

/// Wrong PINs in a row since the last right one, and when the last was typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Failures {
    pub count: u32,
    pub last_at: Option<String>,
}

const COLUMNS: &str = "id, name, role, created_at, removed_at";

fn from_row(r: &Row) -> rusqlite::Result<UserRow> {
    let role: String = r.get(2)?;
    Ok(UserRow {
        id: r.get(0)?,
        name: r.get(1)?,
        // The CHECK constraint allows only these names.
        role: Role::parse(&role).unwrap_or(Role::Viewer),
        created_at: r.get(3)?,
        removed_at: r.get(4)?,
    })
}

/// Adds a person; a name already used by someone present is [`StoreError::Duplicate`].
pub fn insert(conn: &Connection, name: &str, role: Role, pin_hash: &str) -> Result<UserRow> {
    conn.execute(
        "INSERT INTO users (name, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![name, role.as_str(), pin_hash, crate::now_utc()],
    )
    .map_err(|e| StoreError::unique(e, "user", name))?;
    get(conn, conn.last_insert_rowid())
}

pub fn get(conn: &Connection, id: i64) -> Result<UserRow> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM users WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "user",
        key: id.to_string(),
    })
}

/// The present person of that name (case-insensitive).
pub fn by_name(conn: &Connection, name: &str) -> Result<Option<UserRow>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM users WHERE name = ?1 COLLATE NOCASE AND removed_at IS NULL"
            ),
            [name.trim()],
            from_row,
        )
        .optional()?)
}

/// Everyone present, in the order they were added.
pub fn present(conn: &Connection) -> Result<Vec<UserRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM users WHERE removed_at IS NULL ORDER BY id"
    ))?;
    let rows = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Marks a person removed; they stay named in the audit log and the approvals.
pub fn remove(conn: &Connection, id: i64) -> Result<()> {
    conn.execute(
        "UPDATE users SET removed_at = ?2 WHERE id = ?1 AND removed_at IS NULL",
        params![id, crate::now_utc()],
    )?;
    Ok(())
}

/// The stored hash of a person's PIN, to check a PIN against it.
pub fn pin_hash(conn: &Connection, id: i64) -> Result<String> {
    Ok(
        conn.query_row("SELECT pin_hash FROM users WHERE id = ?1", [id], |r| {
            r.get(0)
        })?,
    )
}

pub fn failures(conn: &Connection, id: i64) -> Result<Failures> {
    Ok(conn.query_row(
        "SELECT failed_pins, last_failure_at FROM users WHERE id = ?1",
        [id],
        |r| {
            Ok(Failures {
                count: r.get(0)?,
                last_at: r.get(1)?,
            })
        },
    )?)
}

/// Counts one more wrong PIN; returns how many there are in a row now.
pub fn record_failure(conn: &Connection, id: i64) -> Result<u32> {
    Ok(conn.query_row(
        "UPDATE users SET failed_pins = failed_pins + 1, last_failure_at = ?2 WHERE id = ?1
         RETURNING failed_pins",
        params![id, crate::now_utc()],
        |r| r.get(0),
    )?)
}

pub fn clear_failures(conn: &Connection, id: i64) -> Result<()> {
    conn.execute(
        "UPDATE users SET failed_pins = 0, last_failure_at = NULL WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

crate::table::table! {
    /// The people of the data folder.
    Users, UsersMut;
    read {
        fn get(id: i64) -> Result<UserRow>;
        fn by_name(name: &str) -> Result<Option<UserRow>>;
        fn present() -> Result<Vec<UserRow>>;
        fn pin_hash(id: i64) -> Result<String>;
        fn failures(id: i64) -> Result<Failures>;
    }
    write {
        fn insert(name: &str, role: Role, pin_hash: &str) -> Result<UserRow>;
        fn remove(id: i64) -> Result<()>;
        fn record_failure(id: i64) -> Result<u32>;
        fn clear_failures(id: i64) -> Result<()>;
    }
}
