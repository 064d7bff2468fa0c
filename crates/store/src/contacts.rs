//! Transfer contacts, per account, with what the provider said when they were pushed.

use crate::{Result, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use std::collections::HashMap;

pub const MIGRATION_2: &str = "
CREATE TABLE contacts (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    prefix         TEXT NOT NULL,
    phone          TEXT NOT NULL,
    name           TEXT NOT NULL DEFAULT '',
    surname        TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    operator       TEXT,
    -- local: not pushed yet; added: the provider accepted it; present: it was already there
    -- (CinetPay 726); failed: refused, see provider_code / provider_message.
    provider_state TEXT NOT NULL DEFAULT 'local'
        CHECK (provider_state IN ('local', 'added', 'present', 'failed')),
    provider_code  TEXT,
    provider_message TEXT,
    lot            TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (account_id, prefix, phone)
);
";

/// The contact list is shown by name: an index in that order serves its pages without sorting
/// the whole table.
pub const MIGRATION_8: &str = "
CREATE INDEX contacts_by_name ON contacts (name COLLATE NOCASE, surname COLLATE NOCASE, id);
";

/// When the provider last answered for a contact; the contacts still to push, found fast.
pub const MIGRATION_5: &str = "
ALTER TABLE contacts ADD COLUMN pushed_at TEXT;
CREATE INDEX contacts_to_push ON contacts (account_id, provider_state);
";

/// Where a contact stands at the account's provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ProviderState {
    /// Kept in Guichet, not (yet) in the provider's list.
    Local,
    /// The provider accepted it.
    Added,
    /// The provider already had it (CinetPay 726).
    Present,
    /// The provider refused it; see the code and message.
    Failed,
}

impl ProviderState {
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderState::Local => "local",
            ProviderState::Added => "added",
            ProviderState::Present => "present",
            ProviderState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<ProviderState> {
        Some(match s {
            "local" => ProviderState::Local,
            "added" => ProviderState::Added,
            "present" => ProviderState::Present,
            "failed" => ProviderState::Failed,
            _ => return None,
        })
    }

    /// In the provider's list: nothing left to push.
    pub fn is_at_provider(self) -> bool {
        matches!(self, ProviderState::Added | ProviderState::Present)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ContactRow {
    pub id: i64,
    pub account_id: i64,
    pub prefix: String,
    /// National number (`0707123456`).
    pub phone: String,
    pub name: String,
    pub surname: String,
    pub email: String,
    pub operator: Option<String>,
    pub provider_state: ProviderState,
    pub provider_code: Option<String>,
    pub provider_message: Option<String>,
    pub lot: Option<String>,
    pub pushed_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewContact {
    pub account_id: i64,
    pub prefix: String,
    pub phone: String,
    pub name: String,
    pub surname: String,
    pub email: String,
    pub operator: Option<String>,
}

const COLUMNS: &str =
    "id, account_id, prefix, phone, name, surname, email, operator, provider_state, \
     provider_code, provider_message, lot, pushed_at, created_at, updated_at";

fn from_row(r: &Row) -> rusqlite::Result<ContactRow> {
    let state: String = r.get(8)?;
    Ok(ContactRow {
        id: r.get(0)?,
        account_id: r.get(1)?,
        prefix: r.get(2)?,
        phone: r.get(3)?,
        name: r.get(4)?,
        surname: r.get(5)?,
        email: r.get(6)?,
        operator: r.get(7)?,
        provider_state: ProviderState::parse(&state).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                8,
                rusqlite::types::Type::Text,
                format!("provider_state {state}").into(),
            )
        })?,
        provider_code: r.get(9)?,
        provider_message: r.get(10)?,
        lot: r.get(11)?,
        pushed_at: r.get(12)?,
        created_at: r.get(13)?,
        updated_at: r.get(14)?,
    })
}

/// Records a contact to push, or refreshes the names of one not yet at the provider. A contact
/// the provider already has is left as it is. Returns its id. Call inside the caller's
/// transaction when staging a whole file.
pub fn stage(conn: &Connection, c: &NewContact, now: &str) -> Result<i64> {
    // Most staged numbers are new to the account: a plain insert, without the upsert's
    // `RETURNING`, which costs a third more per row.
    let values = params![
        c.account_id,
        c.prefix,
        c.phone,
        c.name,
        c.surname,
        c.email,
        c.operator,
        now
    ];
    let inserted = conn
        .prepare_cached(
            "INSERT INTO contacts (account_id, prefix, phone, name, surname, email, operator,
                 created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
             ON CONFLICT (account_id, prefix, phone) DO NOTHING",
        )?
        .execute(values)?;
    if inserted == 1 {
        return Ok(conn.last_insert_rowid());
    }
    // Already in Guichet: its names are refreshed while the provider does not have it yet.
    conn.prepare_cached(
        "UPDATE contacts SET name = ?4, surname = ?5, email = ?6, operator = ?7, updated_at = ?8
         WHERE account_id = ?1 AND prefix = ?2 AND phone = ?3
           AND provider_state IN ('local', 'failed')",
    )?
    .execute(values)?;
    Ok(conn
        .prepare_cached(
            "SELECT id FROM contacts WHERE account_id = ?1 AND prefix = ?2 AND phone = ?3",
        )?
        .query_row(params![c.account_id, c.prefix, c.phone], |r| r.get(0))?)
}

/// Every contact of an account, by (prefix, national number), with its state.
pub fn states(
    conn: &Connection,
    account_id: i64,
) -> Result<HashMap<(String, String), ProviderState>> {
    let mut stmt =
        conn.prepare("SELECT prefix, phone, provider_state FROM contacts WHERE account_id = ?1")?;
    let rows = stmt.query_map([account_id], |r| {
        let state: String = r.get(2)?;
        Ok((
            (r.get(0)?, r.get(1)?),
            ProviderState::parse(&state).unwrap_or(ProviderState::Local),
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What the provider said about one contact.
pub fn record_provider_answer(
    conn: &Connection,
    id: i64,
    state: ProviderState,
    code: Option<&str>,
    message: Option<&str>,
    lot: Option<&str>,
) -> Result<()> {
    let now = crate::now_utc();
    conn.prepare_cached(
        "UPDATE contacts SET provider_state = ?2, provider_code = ?3, provider_message = ?4,
             lot = COALESCE(?5, lot), pushed_at = ?6, updated_at = ?6
         WHERE id = ?1",
    )?
    .execute(params![id, state.as_str(), code, message, lot, now])?;
    Ok(())
}

pub fn get(conn: &Connection, id: i64) -> Result<ContactRow> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM contacts WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        what: "contact",
        key: id.to_string(),
    })
}

pub fn by_phone(
    conn: &Connection,
    account_id: i64,
    prefix: &str,
    phone: &str,
) -> Result<Option<ContactRow>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM contacts WHERE account_id = ?1 AND prefix = ?2 AND phone = ?3"
            ),
            params![account_id, prefix, phone],
            from_row,
        )
        .optional()?)
}

#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub account_id: Option<i64>,
    /// Matches names, e-mail and number (digits), case-insensitively.
    pub search: Option<String>,
    pub state: Option<ProviderState>,
    /// Only contacts with these ids.
    pub ids: Option<Vec<i64>>,
    pub limit: u32,
    pub offset: u32,
}

pub fn list(conn: &Connection, f: &ListFilter) -> Result<Vec<ContactRow>> {
    let search = f
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| format!("%{}%", s.replace(['%', '_'], "")));
    let digits = search.as_ref().map(|s| {
        let d: String = s.chars().filter(char::is_ascii_digit).collect();
        if d.is_empty() {
            "\u{0}".to_string()
        } else {
            format!("%{d}%")
        }
    });
    let ids = f
        .ids
        .as_ref()
        .map(|ids| serde_json::to_string(ids).expect("ids serialise"));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM contacts
         WHERE (?1 IS NULL OR account_id = ?1)
           AND (?2 IS NULL OR name LIKE ?2 OR surname LIKE ?2 OR email LIKE ?2
                OR (name || ' ' || surname) LIKE ?2 OR (surname || ' ' || name) LIKE ?2
                OR phone LIKE ?3 OR (prefix || phone) LIKE ?3)
           AND (?4 IS NULL OR provider_state = ?4)
           AND (?5 IS NULL OR id IN (SELECT value FROM json_each(?5)))
         ORDER BY name COLLATE NOCASE, surname COLLATE NOCASE, id
         LIMIT ?6 OFFSET ?7"
    ))?;
    let rows = stmt.query_map(
        params![
            f.account_id,
            search,
            digits,
            f.state.map(ProviderState::as_str),
            ids,
            if f.limit == 0 { -1 } else { i64::from(f.limit) },
            f.offset
        ],
        from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Changes a contact's names and e-mail; a new number makes it a contact to push again.
pub fn update(conn: &Connection, id: i64, c: &NewContact) -> Result<ContactRow> {
    let before = get(conn, id)?;
    let moved = before.prefix != c.prefix || before.phone != c.phone;
    conn.execute(
        "UPDATE contacts SET prefix = ?2, phone = ?3, name = ?4, surname = ?5, email = ?6,
             operator = ?7, updated_at = ?8,
             provider_state = CASE WHEN ?9 THEN 'local' ELSE provider_state END,
             provider_code = CASE WHEN ?9 THEN NULL ELSE provider_code END,
             provider_message = CASE WHEN ?9 THEN NULL ELSE provider_message END,
             lot = CASE WHEN ?9 THEN NULL ELSE lot END,
             pushed_at = CASE WHEN ?9 THEN NULL ELSE pushed_at END
         WHERE id = ?1",
        params![
            id,
            c.prefix,
            c.phone,
            c.name,
            c.surname,
            c.email,
            c.operator,
            crate::now_utc(),
            moved
        ],
    )
    .map_err(|e| StoreError::unique(e, "contact", &format!("+{}{}", c.prefix, c.phone)))?;
    get(conn, id)
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    if conn.execute("DELETE FROM contacts WHERE id = ?1", [id])? == 0 {
        return Err(StoreError::NotFound {
            what: "contact",
            key: id.to_string(),
        });
    }
    Ok(())
}
