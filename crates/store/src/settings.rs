//! The merchant's preferences (language, notifications, …) as named values, so that a new
//! preference needs no schema change. Values are JSON text; the core gives them their types.

use crate::Result;
use rusqlite::{params, Connection, OptionalExtension};

pub const MIGRATION_6: &str = "
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
";

/// The stored JSON text of `key`, if it was ever set.
pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

pub fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        params![key, value, crate::now_utc()],
    )?;
    Ok(())
}

/// The stored value of `key`, storing `value` first if it was never set. Two processes asking
/// at once get the same value: the first insert wins, the other reads it.
pub fn get_or_insert(conn: &Connection, key: &str, value: &str) -> Result<String> {
    conn.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO NOTHING",
        params![key, value, crate::now_utc()],
    )?;
    Ok(
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })?,
    )
}

crate::table::table! {
    /// The merchant's preferences.
    Settings, SettingsMut;
    read {
        fn get(key: &str) -> Result<Option<String>>;
    }
    write {
        fn set(key: &str, value: &str) -> Result<()>;
        fn get_or_insert(key: &str, value: &str) -> Result<String>;
    }
}
