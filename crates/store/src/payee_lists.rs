//! Payee lists: the people a merchant pays again and again ("Agents terrain"), each with a
//! default amount and reason, kept under a name to start a new batch from. A list belongs to
//! the data folder, not to one account: the same people may be paid from another account.
//! Names are unique ignoring case, accents and spacing (the caller gives the folded key).

use crate::{Result, StoreError};
use guichet_types::Amount;
use rusqlite::{params, Connection, OptionalExtension};

pub const MIGRATION_17: &str = "
CREATE TABLE payee_lists (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL UNIQUE,
    source     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE payee_list_rows (
    list_id  INTEGER NOT NULL REFERENCES payee_lists (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    phone    TEXT NOT NULL,
    name     TEXT NOT NULL,
    amount   INTEGER NOT NULL CHECK (amount > 0),
    reason   TEXT NOT NULL,
    operator TEXT NOT NULL,
    PRIMARY KEY (list_id, position),
    UNIQUE (list_id, phone)
);
";

/// One person of a list. `phone` is international (`+2250707123456`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayeeRow {
    pub phone: String,
    pub name: String,
    pub amount: Amount,
    pub reason: String,
    /// The operator as a batch row names it (`MCP`, `CM_MOMO`…), empty when told from the number.
    pub operator: String,
}

/// A list, with how many people it holds and their default amounts' total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayeeListRow {
    pub id: i64,
    pub name: String,
    /// Where it was saved from: `batch #12`, a file's name.
    pub source: String,
    pub created_at: String,
    pub updated_at: String,
    pub count: i64,
    pub total: Amount,
}

const LIST_COLS: &str = "l.id, l.name, l.source, l.created_at, l.updated_at,
    (SELECT COUNT(*) FROM payee_list_rows r WHERE r.list_id = l.id),
    (SELECT COALESCE(SUM(amount), 0) FROM payee_list_rows r WHERE r.list_id = l.id)";

fn list_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PayeeListRow> {
    Ok(PayeeListRow {
        id: r.get(0)?,
        name: r.get(1)?,
        source: r.get(2)?,
        created_at: r.get(3)?,
        updated_at: r.get(4)?,
        count: r.get(5)?,
        total: Amount(r.get(6)?),
    })
}

/// Every list, by name.
pub fn all(conn: &Connection) -> Result<Vec<PayeeListRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {LIST_COLS} FROM payee_lists l ORDER BY l.name_key"
    ))?;
    let rows = stmt
        .query_map([], list_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The list whose folded name is `key`, and its people in their order.
pub fn get(conn: &Connection, key: &str) -> Result<(PayeeListRow, Vec<PayeeRow>)> {
    let list = conn
        .prepare_cached(&format!(
            "SELECT {LIST_COLS} FROM payee_lists l WHERE l.name_key = ?1"
        ))?
        .query_row([key], list_row)
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            what: "payee list",
            key: key.to_string(),
        })?;
    let mut stmt = conn.prepare_cached(
        "SELECT phone, name, amount, reason, operator FROM payee_list_rows
         WHERE list_id = ?1 ORDER BY position",
    )?;
    let rows = stmt
        .query_map([list.id], |r| {
            Ok(PayeeRow {
                phone: r.get(0)?,
                name: r.get(1)?,
                amount: Amount(r.get(2)?),
                reason: r.get(3)?,
                operator: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok((list, rows))
}

/// Saves `rows` as the list `name` (folded `key`): a new list, or the people of the list of
/// that name replaced. Returns the list's id and whether it replaced one.
pub fn save(
    conn: &Connection,
    name: &str,
    key: &str,
    source: &str,
    rows: &[PayeeRow],
) -> Result<(i64, bool)> {
    let tx = crate::write_tx(conn)?;
    let now = crate::now_utc();
    let existing: Option<i64> = tx
        .prepare_cached("SELECT id FROM payee_lists WHERE name_key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    let id = match existing {
        Some(id) => {
            tx.execute(
                "UPDATE payee_lists SET name = ?2, source = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, name, source, now],
            )?;
            tx.execute("DELETE FROM payee_list_rows WHERE list_id = ?1", [id])?;
            id
        }
        None => {
            tx.execute(
                "INSERT INTO payee_lists (name, name_key, source, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?4)",
                params![name, key, source, now],
            )?;
            tx.last_insert_rowid()
        }
    };
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO payee_list_rows (list_id, position, phone, name, amount, reason, operator)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for (position, p) in rows.iter().enumerate() {
            insert
                .execute(params![
                    id,
                    position as i64 + 1,
                    p.phone,
                    p.name,
                    p.amount.0,
                    p.reason,
                    p.operator
                ])
                .map_err(|e| StoreError::unique(e, "number on the list", &p.phone))?;
        }
    }
    tx.commit()?;
    Ok((id, existing.is_some()))
}

/// Removes the list whose folded name is `key` (its people with it).
pub fn remove(conn: &Connection, key: &str) -> Result<()> {
    let n = conn.execute("DELETE FROM payee_lists WHERE name_key = ?1", [key])?;
    if n == 0 {
        return Err(StoreError::NotFound {
            what: "payee list",
            key: key.to_string(),
        });
    }
    Ok(())
}

crate::table::table! {
    /// Named lists of people paid again and again.
    PayeeLists, PayeeListsMut;
    read {
        fn all() -> Result<Vec<PayeeListRow>>;
        fn get(key: &str) -> Result<(PayeeListRow, Vec<PayeeRow>)>;
    }
    write {
        fn save(name: &str, key: &str, source: &str, rows: &[PayeeRow]) -> Result<(i64, bool)>;
        fn remove(key: &str) -> Result<()>;
    }
}
