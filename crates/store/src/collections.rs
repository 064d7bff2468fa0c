//! Money collected from customers: My-CoolPay payins and paylinks, SOFTSYSTEM payment requests,
//! CinetPay hosted payments.

pub const MIGRATION_4: &str = "
CREATE TABLE collections (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    kind            TEXT NOT NULL CHECK (kind IN ('payin', 'paylink', 'softsystem', 'cinetpay')),
    reference       TEXT NOT NULL UNIQUE,
    provider_ref    TEXT,
    amount          INTEGER NOT NULL CHECK (amount > 0),
    currency        TEXT NOT NULL,
    phone           TEXT,
    name            TEXT,
    email           TEXT,
    reason          TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    provider_status TEXT,
    link            TEXT,
    ussd            TEXT,
    -- CinetPay's payment signature: not a secret, compared with checkPayStatus's answer.
    signature       TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    final_at        TEXT,
    next_check_at   TEXT,
    checks          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX collections_pending ON collections (status, next_check_at);
CREATE TABLE collection_history (
    id              INTEGER PRIMARY KEY,
    collection_id   INTEGER NOT NULL REFERENCES collections (id),
    at              TEXT NOT NULL,
    status          TEXT NOT NULL,
    provider_status TEXT,
    event           TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '{}'
);
CREATE TRIGGER collection_history_no_update BEFORE UPDATE ON collection_history
    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER collection_history_no_delete BEFORE DELETE ON collection_history
    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
";

/// The kinds of collection, as a table collections refer to instead of a `CHECK` list (filled
/// from [`CollectionKind::ALL`] by [`crate::Store::open`]). The collections table is rebuilt
/// with the same columns, rows and indexes (its history refers to it by id, unchanged).
pub const MIGRATION_14: &str = "
CREATE TABLE collection_kinds (name TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO collection_kinds (name) SELECT DISTINCT kind FROM collections;
CREATE TABLE collections_new (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    kind            TEXT NOT NULL REFERENCES collection_kinds (name),
    reference       TEXT NOT NULL UNIQUE,
    provider_ref    TEXT,
    amount          INTEGER NOT NULL CHECK (amount > 0),
    currency        TEXT NOT NULL,
    phone           TEXT,
    name            TEXT,
    email           TEXT,
    reason          TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    provider_status TEXT,
    link            TEXT,
    ussd            TEXT,
    -- CinetPay's payment signature: not a secret, compared with checkPayStatus's answer.
    signature       TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    final_at        TEXT,
    next_check_at   TEXT,
    checks          INTEGER NOT NULL DEFAULT 0
);
INSERT INTO collections_new (id, account_id, kind, reference, provider_ref, amount, currency,
    phone, name, email, reason, status, provider_status, link, ussd, signature, created_at,
    updated_at, final_at, next_check_at, checks)
SELECT id, account_id, kind, reference, provider_ref, amount, currency, phone, name, email,
    reason, status, provider_status, link, ussd, signature, created_at, updated_at, final_at,
    next_check_at, checks FROM collections;
DROP TABLE collections;
ALTER TABLE collections_new RENAME TO collections;
CREATE INDEX collections_pending ON collections (status, next_check_at);
CREATE INDEX collections_status_final ON collections (status, final_at);
CREATE INDEX collections_status_id ON collections (status, id);
";

/// Makes every kind of collection Guichet knows one a collection may be (see [`MIGRATION_14`]).
pub(crate) fn know_kinds(conn: &Connection) -> Result<()> {
    let mut insert =
        conn.prepare_cached("INSERT OR IGNORE INTO collection_kinds (name) VALUES (?1)")?;
    for k in CollectionKind::ALL {
        insert.execute([k.as_str()])?;
    }
    Ok(())
}

use crate::history::{self, status_at, HistoryEntry};
use crate::payouts::sources;
use crate::{Result, StoreError};
use guichet_types::{Amount, UnifiedStatus};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

/// Which kind of collection: My-CoolPay `payin` (USSD/OTP) or `paylink`, a SOFTSYSTEM payment
/// request (`softsystem`), a CinetPay hosted payment (`cinetpay`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum CollectionKind {
    Payin,
    Paylink,
    Softsystem,
    Cinetpay,
}

impl CollectionKind {
    /// Every kind (the `collection_kinds` table is filled from it).
    pub const ALL: [CollectionKind; 4] = [
        CollectionKind::Payin,
        CollectionKind::Paylink,
        CollectionKind::Softsystem,
        CollectionKind::Cinetpay,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CollectionKind::Payin => "payin",
            CollectionKind::Paylink => "paylink",
            CollectionKind::Softsystem => "softsystem",
            CollectionKind::Cinetpay => "cinetpay",
        }
    }

    pub fn parse(s: &str) -> Option<CollectionKind> {
        CollectionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CollectionRow {
    pub id: i64,
    pub account_id: i64,
    pub kind: CollectionKind,
    /// Ours: `app_transaction_ref`, SOFTSYSTEM `orderId`, CinetPay `cpm_trans_id`.
    pub reference: String,
    /// The provider's: My-CoolPay `transaction_ref`, CinetPay `cpm_payid`.
    pub provider_ref: Option<String>,
    pub amount: Amount,
    pub currency: String,
    pub phone: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub reason: String,
    pub status: UnifiedStatus,
    pub provider_status: Option<String>,
    /// The page where the customer pays (paylink, SOFTSYSTEM; a local page for CinetPay).
    pub link: Option<String>,
    /// The USSD code the customer dials (My-CoolPay payin).
    pub ussd: Option<String>,
    pub signature: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub final_at: Option<String>,
    pub next_check_at: Option<String>,
    pub checks: i64,
    /// Found in the provider's history rather than created by Guichet.
    pub imported: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCollection {
    pub account_id: i64,
    pub kind: CollectionKind,
    pub reference: String,
    pub amount: Amount,
    pub currency: String,
    pub phone: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub reason: String,
}

/// An entry of a collection's history (its fields read through `Deref`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CollectionHistoryRow {
    pub collection_id: i64,
    #[serde(flatten)]
    #[cfg_attr(feature = "ts", ts(flatten))]
    pub entry: HistoryEntry,
}

impl std::ops::Deref for CollectionHistoryRow {
    type Target = HistoryEntry;

    fn deref(&self) -> &HistoryEntry {
        &self.entry
    }
}

const COLUMNS: &str = "c.id, c.account_id, c.kind, c.reference, c.provider_ref, c.amount, \
     c.currency, c.phone, c.name, c.email, c.reason, c.status, c.provider_status, c.link, c.ussd, \
     c.signature, c.created_at, c.updated_at, c.final_at, c.next_check_at, c.checks, \
     EXISTS (SELECT 1 FROM collection_history h WHERE h.collection_id = c.id AND h.event = 'imported')";

fn bad(i: usize, e: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
}

fn from_row(r: &Row) -> rusqlite::Result<CollectionRow> {
    let kind: String = r.get(2)?;
    Ok(CollectionRow {
        id: r.get(0)?,
        account_id: r.get(1)?,
        kind: CollectionKind::parse(&kind).ok_or_else(|| bad(2, format!("kind {kind}")))?,
        reference: r.get(3)?,
        provider_ref: r.get(4)?,
        amount: Amount(r.get(5)?),
        currency: r.get(6)?,
        phone: r.get(7)?,
        name: r.get(8)?,
        email: r.get(9)?,
        reason: r.get(10)?,
        status: status_at(r, 11)?,
        provider_status: r.get(12)?,
        link: r.get(13)?,
        ussd: r.get(14)?,
        signature: r.get(15)?,
        created_at: r.get(16)?,
        updated_at: r.get(17)?,
        final_at: r.get(18)?,
        next_check_at: r.get(19)?,
        checks: r.get(20)?,
        imported: r.get(21)?,
    })
}

/// Records a collection as `queued` (nothing has left yet), with a first history entry.
pub fn insert_queued(conn: &Connection, c: &NewCollection) -> Result<CollectionRow> {
    history::atomically(conn, || {
        insert(conn, c, UnifiedStatus::Queued, "queued", None)
    })
}

/// Records a collection found in the provider's history (`event` = `imported`), at the status
/// the provider reports. A reference already known is refused as a duplicate.
pub fn insert_imported(
    conn: &Connection,
    c: &NewCollection,
    status: UnifiedStatus,
    fields: &Fields,
) -> Result<CollectionRow> {
    history::atomically(conn, || {
        let row = insert(conn, c, status, "imported", fields.provider_status)?;
        set_fields(conn, row.id, fields)?;
        get(conn, row.id)
    })
}

fn insert(
    conn: &Connection,
    c: &NewCollection,
    status: UnifiedStatus,
    event: &str,
    provider_status: Option<&str>,
) -> Result<CollectionRow> {
    let now = crate::now_utc();
    conn.execute(
        "INSERT INTO collections (account_id, kind, reference, amount, currency, phone, name, email,
             reason, status, provider_status, created_at, updated_at, final_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, CASE WHEN ?13 THEN ?12 END)",
        params![
            c.account_id,
            c.kind.as_str(),
            c.reference,
            c.amount.0,
            c.currency,
            c.phone,
            c.name,
            c.email,
            c.reason,
            status.as_str(),
            provider_status,
            now,
            status.is_final()
        ],
    )
    .map_err(|e| StoreError::unique(e, "collection reference", &c.reference))?;
    let id = conn.last_insert_rowid();
    history::append(
        conn,
        history::Of::Collection,
        id,
        status,
        provider_status,
        event,
        &serde_json::json!({}),
    )?;
    get(conn, id)
}

/// What the provider gave us for a collection; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct Fields<'a> {
    pub provider_ref: Option<&'a str>,
    pub provider_status: Option<&'a str>,
    pub link: Option<&'a str>,
    pub ussd: Option<&'a str>,
    pub signature: Option<&'a str>,
}

pub fn set_fields(conn: &Connection, id: i64, f: &Fields) -> Result<()> {
    conn.execute(
        "UPDATE collections SET provider_ref = COALESCE(?2, provider_ref),
             provider_status = COALESCE(?3, provider_status), link = COALESCE(?4, link),
             ussd = COALESCE(?5, ussd), signature = COALESCE(?6, signature), updated_at = ?7
         WHERE id = ?1",
        params![
            id,
            f.provider_ref,
            f.provider_status,
            f.link,
            f.ussd,
            f.signature,
            crate::now_utc()
        ],
    )?;
    Ok(())
}

/// What a status change carries besides the status.
#[derive(Debug, Clone, Default)]
pub struct Change<'a> {
    pub fields: Fields<'a>,
    /// Short name of what happened (`sent`, `answer`, `poll`, `callback`, `cancelled`…).
    pub event: &'a str,
    /// Audit detail (provider body, codes, an explanation). Never a secret.
    pub detail: serde_json::Value,
}

/// Moves a collection to `to`, recording the change, and returns the updated row. Returns
/// `Ok(None)` — and changes nothing — when the collection is already at `to` with the same
/// provider status (a repeated notification or poll), and records a refusal when the move would
/// go backwards or leave a final status.
pub fn transition(
    conn: &Connection,
    id: i64,
    to: UnifiedStatus,
    c: &Change,
) -> Result<Option<CollectionRow>> {
    history::atomically(conn, || transition_inner(conn, id, to, c))
}

fn transition_inner(
    conn: &Connection,
    id: i64,
    to: UnifiedStatus,
    c: &Change,
) -> Result<Option<CollectionRow>> {
    let current = get(conn, id)?;
    let same_provider_status = c.fields.provider_status.is_none()
        || c.fields.provider_status == current.provider_status.as_deref();
    if current.status == to && same_provider_status {
        return Ok(None);
    }
    let now = crate::now_utc();
    // Moved only from a status it may come from, tested in the same statement.
    let moved = conn.execute(
        "UPDATE collections SET status = ?2, updated_at = ?3,
             final_at = CASE WHEN ?4 THEN ?3 ELSE final_at END,
             next_check_at = CASE WHEN ?4 THEN NULL ELSE next_check_at END
         WHERE id = ?1 AND instr(?5, ',' || status || ',') > 0",
        params![id, to.as_str(), now, to.is_final(), sources(to)],
    )?;
    if moved == 0 {
        history::refused(
            conn,
            history::Of::Collection,
            id,
            current.status,
            to,
            c.fields.provider_status,
            &c.detail,
        )?;
        return Ok(None);
    }
    set_fields(conn, id, &c.fields)?;
    history::append(
        conn,
        history::Of::Collection,
        id,
        to,
        c.fields.provider_status,
        c.event,
        &c.detail,
    )?;
    get(conn, id).map(Some)
}

/// Schedules the next status check.
pub fn schedule_check(conn: &Connection, id: i64, at: &str) -> Result<()> {
    conn.execute(
        "UPDATE collections SET next_check_at = ?2, checks = checks + 1 WHERE id = ?1",
        params![id, at],
    )?;
    Ok(())
}

pub fn get(conn: &Connection, id: i64) -> Result<CollectionRow> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM collections c WHERE c.id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "collection",
        key: id.to_string(),
    })
}

pub fn by_reference(conn: &Connection, reference: &str) -> Result<Option<CollectionRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM collections c WHERE c.reference = ?1"),
            [reference],
            from_row,
        )
        .optional()?)
}

pub fn by_provider_ref(conn: &Connection, provider_ref: &str) -> Result<Option<CollectionRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM collections c WHERE c.provider_ref = ?1"),
            [provider_ref],
            from_row,
        )
        .optional()?)
}

pub fn history(conn: &Connection, collection_id: i64) -> Result<Vec<CollectionHistoryRow>> {
    Ok(
        history::entries(conn, history::Of::Collection, collection_id)?
            .into_iter()
            .map(|entry| CollectionHistoryRow {
                collection_id,
                entry,
            })
            .collect(),
    )
}

/// Collections not final yet, oldest first.
pub fn open(conn: &Connection) -> Result<Vec<CollectionRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM collections c WHERE c.status NOT IN ({}) ORDER BY c.id",
        history::sql_list(UnifiedStatus::is_final)
    ))?;
    let rows = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Filters for listing; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub account_id: Option<i64>,
    pub status: Option<UnifiedStatus>,
    pub kind: Option<CollectionKind>,
    /// Keyset pagination: rows with an id lower than this (newest first).
    pub before_id: Option<i64>,
    pub limit: u32,
}

pub fn list(conn: &Connection, f: &ListFilter) -> Result<Vec<CollectionRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM collections c
         WHERE (?1 IS NULL OR c.account_id = ?1) AND (?2 IS NULL OR c.status = ?2)
           AND (?3 IS NULL OR c.kind = ?3) AND c.id < ?4
         ORDER BY c.id DESC LIMIT ?5"
    ))?;
    let rows = stmt
        .query_map(
            params![
                f.account_id,
                f.status.map(|s| s.as_str()),
                f.kind.map(|k| k.as_str()),
                f.before_id.unwrap_or(i64::MAX),
                if f.limit == 0 { 100 } else { f.limit }
            ],
            from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

crate::table::table! {
    /// The collections and their history.
    Collections, CollectionsMut;
    read {
        fn get(id: i64) -> Result<CollectionRow>;
        fn by_reference(reference: &str) -> Result<Option<CollectionRow>>;
        fn by_provider_ref(provider_ref: &str) -> Result<Option<CollectionRow>>;
        fn history(collection_id: i64) -> Result<Vec<CollectionHistoryRow>>;
        fn open() -> Result<Vec<CollectionRow>>;
        fn list(f: &ListFilter) -> Result<Vec<CollectionRow>>;
    }
    write {
        fn insert_queued(c: &NewCollection) -> Result<CollectionRow>;
        fn insert_imported(c: &NewCollection, status: UnifiedStatus, fields: &Fields<'_>) -> Result<CollectionRow>;
        fn set_fields(id: i64, f: &Fields<'_>) -> Result<()>;
        fn transition(id: i64, to: UnifiedStatus, c: &Change<'_>) -> Result<Option<CollectionRow>>;
        fn schedule_check(id: i64, at: &str) -> Result<()>;
    }
}
