//! The columns a merchant chose for a spreadsheet layout, per account: next month's file with
//! the same headers is read the same way without mapping it again. The layout is the sheet's
//! header row as text (the core normalises it); the choices are JSON the core gives types to.

use crate::Result;
use rusqlite::{params, Connection, OptionalExtension};

pub const MIGRATION_12: &str = "
CREATE TABLE column_choices (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    layout     TEXT NOT NULL,
    choices    TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (account_id, layout)
);
";

/// The choices last remembered for `layout` on this account, with when.
pub fn recall(
    conn: &Connection,
    account_id: i64,
    layout: &str,
) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT choices, updated_at FROM column_choices WHERE account_id = ?1 AND layout = ?2",
            params![account_id, layout],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Remembers `choices` for `layout` on this account, over any earlier ones.
pub fn remember(conn: &Connection, account_id: i64, layout: &str, choices: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO column_choices (account_id, layout, choices, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (account_id, layout)
         DO UPDATE SET choices = excluded.choices, updated_at = excluded.updated_at",
        params![account_id, layout, choices, crate::now_utc()],
    )?;
    Ok(())
}

crate::table::table! {
    /// The spreadsheet columns chosen per account and layout.
    ColumnChoices, ColumnChoicesMut;
    read {
        fn recall(account_id: i64, layout: &str) -> Result<Option<(String, String)>>;
    }
    write {
        fn remember(account_id: i64, layout: &str, choices: &str) -> Result<()>;
    }
}
