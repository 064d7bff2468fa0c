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

/// An account's contacts by name, paged from the index like the whole list. Nothing reads the
/// contacts by provider state: `contacts_to_push` only cost every stored contact an index entry.
pub const MIGRATION_9: &str = "
CREATE INDEX contacts_by_account_name
    ON contacts (account_id, name COLLATE NOCASE, surname COLLATE NOCASE, id);
DROP INDEX contacts_to_push;
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
    pub const ALL: [ProviderState; 4] = [
        ProviderState::Local,
        ProviderState::Added,
        ProviderState::Present,
        ProviderState::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProviderState::Local => "local",
            ProviderState::Added => "added",
            ProviderState::Present => "present",
            ProviderState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<ProviderState> {
        ProviderState::ALL.into_iter().find(|st| st.as_str() == s)
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

/// The highest contact id in the table, 0 when it is empty: never fewer than its rows.
pub fn highest_id(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM contacts")?
        .query_row([], |r| r.get(0))?)
}

/// Rows per statement in [`insert_new`]: one statement stores many rows, instead of a statement
/// run (bind, step, reset) per row. 64 rows bind 513 values, far below SQLite's limit.
const INSERT_ROWS: usize = 64;

/// Stores contacts whose numbers are not in the table yet (an import checked them against the
/// account's contacts, read in the same transaction), many rows per statement, and returns
/// their ids, in order. Ids are given explicitly, counting up from the table's highest, as
/// SQLite would: they keep growing, which the search index relies on. A number that is there
/// after all is an error (the unique constraint): the caller's transaction is to be rolled
/// back. Call inside the caller's transaction ([`crate::bulk::write`]).
pub fn insert_new(conn: &Connection, contacts: &[NewContact], now: &str) -> Result<Vec<i64>> {
    let first = highest_id(conn)? + 1;
    let mut chunks = contacts.chunks_exact(INSERT_ROWS);
    let mut id = first;
    let mut full = conn.prepare_cached(&INSERT_FULL)?;
    for chunk in chunks.by_ref() {
        id = bind_rows(&mut full, chunk, id, now)?;
        full.raw_execute()?;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        // Prepared once per import: cached, it would push the full statement out of the cache.
        let mut tail = conn.prepare(&insert_sql(rest.len()))?;
        id = bind_rows(&mut tail, rest, id, now)?;
        tail.raw_execute()?;
    }
    Ok((first..id).collect())
}

/// The statement of a full chunk, written once per process rather than at each call (the
/// statement cache is looked up by its text).
static INSERT_FULL: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| insert_sql(INSERT_ROWS));

/// `INSERT … VALUES (…), (…)` for `rows` rows: `?1` is the time, then 8 values per row.
fn insert_sql(rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO contacts (id, account_id, prefix, phone, name, surname, email, operator,
             created_at, updated_at) VALUES ",
    );
    for r in 0..rows {
        let b = 2 + r * 8;
        if r > 0 {
            sql.push(',');
        }
        sql.push_str(&format!(
            "(?{},?{},?{},?{},?{},?{},?{},?{},?1,?1)",
            b,
            b + 1,
            b + 2,
            b + 3,
            b + 4,
            b + 5,
            b + 6,
            b + 7
        ));
    }
    sql
}

/// Binds `rows` to an [`insert_sql`] statement, ids from `id`; returns the next id.
fn bind_rows(
    stmt: &mut rusqlite::Statement<'_>,
    rows: &[NewContact],
    mut id: i64,
    now: &str,
) -> Result<i64> {
    stmt.raw_bind_parameter(1, now)?;
    for (r, c) in rows.iter().enumerate() {
        let b = 2 + r * 8;
        stmt.raw_bind_parameter(b, id)?;
        stmt.raw_bind_parameter(b + 1, c.account_id)?;
        stmt.raw_bind_parameter(b + 2, &c.prefix)?;
        stmt.raw_bind_parameter(b + 3, &c.phone)?;
        stmt.raw_bind_parameter(b + 4, &c.name)?;
        stmt.raw_bind_parameter(b + 5, &c.surname)?;
        stmt.raw_bind_parameter(b + 6, &c.email)?;
        stmt.raw_bind_parameter(b + 7, &c.operator)?;
        id += 1;
    }
    Ok(id)
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

/// Which contacts: an account's (every account's when `None`), those matching a search.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub account_id: Option<i64>,
    /// What the merchant typed: the start of words of the names or e-mail, accents and case
    /// ignored, or digits of the number (see [`crate::contact_search`]).
    pub search: Option<String>,
}

/// Where a page of the list starts: the sort key of the last row of the page before, so the
/// next page is read from the index at that key, as fast at the millionth row as at the first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ContactCursor {
    pub name: String,
    pub surname: String,
    pub id: i64,
}

impl ContactCursor {
    fn of(c: &ContactRow) -> ContactCursor {
        ContactCursor {
            name: c.name.clone(),
            surname: c.surname.clone(),
            id: c.id,
        }
    }
}

/// Which page: the rows after `after` in name order, `limit` at most.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct ContactPageRequest {
    /// `next` of the previous page; none for the first page.
    #[serde(default)]
    pub after: Option<ContactCursor>,
    /// 0 means [`crate::page::DEFAULT_LIMIT`]; above [`crate::page::MAX_LIMIT`] is capped.
    #[serde(default)]
    pub limit: u32,
}

impl ContactPageRequest {
    pub fn first(limit: u32) -> ContactPageRequest {
        ContactPageRequest { after: None, limit }
    }

    fn effective_limit(&self) -> u32 {
        match self.limit {
            0 => crate::page::DEFAULT_LIMIT,
            n => n.min(crate::page::MAX_LIMIT),
        }
    }
}

/// A page of contacts in name order and the cursor of the next one (`None` at the end).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ContactPage {
    pub rows: Vec<ContactRow>,
    pub next: Option<ContactCursor>,
}

impl ContactPage {
    /// The page from rows read in list order with `LIMIT limit + 1`: a row beyond `limit` says
    /// another page follows, from the last row kept.
    fn of(mut rows: Vec<ContactRow>, limit: u32) -> ContactPage {
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next = if more {
            rows.last().map(ContactCursor::of)
        } else {
            None
        };
        ContactPage { rows, next }
    }
}

/// The list's order, served by `contacts_by_name` and `contacts_by_account_name`.
const ORDER: &str = "name COLLATE NOCASE, surname COLLATE NOCASE, id";

/// Rows strictly after the cursor in [`ORDER`]. Written so SQLite seeks the index on the name
/// (`name >= ?`) and checks the rest on the index entries; a row value `(name, surname, id) > …`
/// with collations is not used for the seek and would scan from the start.
const AFTER: &str = "name >= :name COLLATE NOCASE
    AND (name > :name COLLATE NOCASE OR surname > :surname COLLATE NOCASE
         OR (surname = :surname COLLATE NOCASE AND id > :id))";

/// One page of the contact list, in name order (names then surnames, case-insensitively, then
/// id: contacts with the same names keep a fixed order).
pub fn page(conn: &Connection, f: &ListFilter, req: &ContactPageRequest) -> Result<ContactPage> {
    let limit = req.effective_limit();
    let words = crate::contact_search::query_words(f.search.as_deref().unwrap_or(""));
    if !words.is_empty() {
        return crate::contact_search::page(
            conn,
            f.account_id.is_some(),
            &words,
            |from, matching, values| {
                read_page(
                    conn,
                    from,
                    Some(matching),
                    values,
                    &f.account_id,
                    req,
                    limit,
                )
            },
        );
    }
    read_page(
        conn,
        "contacts",
        None,
        Vec::new(),
        &f.account_id,
        req,
        limit,
    )
}

/// Reads a page in [`ORDER`] from `from` (the table, and how it is to be read): the rows where
/// `matching` holds (its named parameters in `values`), of one account's contacts when
/// `account_id` says so, after the cursor of `req`.
fn read_page<'a>(
    conn: &Connection,
    from: &str,
    matching: Option<&str>,
    mut values: Vec<(&'a str, &'a dyn rusqlite::ToSql)>,
    account_id: &'a Option<i64>,
    req: &'a ContactPageRequest,
    limit: u32,
) -> Result<ContactPage> {
    let mut clauses: Vec<&str> = matching.into_iter().collect();
    if let Some(a) = account_id {
        clauses.push("account_id = :account");
        values.push((":account", a));
    }
    if let Some(c) = &req.after {
        clauses.push(AFTER);
        values.push((":name", &c.name));
        values.push((":surname", &c.surname));
        values.push((":id", &c.id));
    }
    let mut sql = format!("SELECT {COLUMNS} FROM {from}");
    if !clauses.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&clauses.join(" AND "));
    }
    sql.push_str(&format!(" ORDER BY {ORDER} LIMIT {}", limit + 1));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(values.as_slice(), from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ContactPage::of(rows, limit))
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

/// The search index's upkeep goes with the contacts (see [`crate::contact_search`]).
use crate::contact_search::{behind, index_some};

crate::table::table! {
    /// The transfer contacts and their search index.
    Contacts, ContactsMut;
    read {
        fn get(id: i64) -> Result<ContactRow>;
        fn by_phone(account_id: i64, prefix: &str, phone: &str) -> Result<Option<ContactRow>>;
        fn states(account_id: i64) -> Result<HashMap<(String, String), ProviderState>>;
        fn highest_id() -> Result<i64>;
        fn page(f: &ListFilter, req: &ContactPageRequest) -> Result<ContactPage>;
        fn behind() -> Result<bool>;
    }
    write {
        fn stage(c: &NewContact, now: &str) -> Result<i64>;
        fn insert_new(contacts: &[NewContact], now: &str) -> Result<Vec<i64>>;
        fn record_provider_answer(id: i64, state: ProviderState, code: Option<&str>, message: Option<&str>, lot: Option<&str>) -> Result<()>;
        fn update(id: i64, c: &NewContact) -> Result<ContactRow>;
        fn delete(id: i64) -> Result<()>;
        fn index_some(max: u32) -> Result<usize>;
    }
}
