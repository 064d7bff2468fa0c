//! Payout batches imported from a spreadsheet. The file's hash lets Guichet refuse a file that
//! was already paid unless the merchant says it is meant; the balance read before sending and
//! after it is kept with the batch, as the provider's exact text.

use crate::{Result, StoreError};
use guichet_types::{Amount, UnifiedStatus};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

pub const MIGRATION_3: &str = "
CREATE TABLE batches (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    file_name    TEXT NOT NULL,
    file_sha256  TEXT NOT NULL,
    row_count    INTEGER NOT NULL,
    total        INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    confirmed_at TEXT
);
CREATE INDEX batches_hash ON batches (account_id, file_sha256);
";

/// Rows left out for errors, the sheet read, and the balance around the batch.
pub const MIGRATION_7: &str = "
ALTER TABLE batches ADD COLUMN sheet TEXT;
ALTER TABLE batches ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE batches ADD COLUMN balance_before TEXT;
ALTER TABLE batches ADD COLUMN balance_after TEXT;
ALTER TABLE batches ADD COLUMN balance_after_at TEXT;
";

/// A file is paid once per account unless the merchant says it is meant again (`again`): the
/// unique index makes two confirms of one file at the same moment (two processes, a double
/// click) give one batch and one refusal. Earlier duplicates were meant; they are marked so.
pub const MIGRATION_13: &str = "
ALTER TABLE batches ADD COLUMN again INTEGER NOT NULL DEFAULT 0;
UPDATE batches SET again = 1
    WHERE id NOT IN (SELECT MIN(id) FROM batches GROUP BY account_id, file_sha256);
CREATE UNIQUE INDEX batches_paid_once ON batches (account_id, file_sha256) WHERE again = 0;
";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchRow {
    pub id: i64,
    pub account_id: i64,
    pub file_name: String,
    pub file_sha256: String,
    pub sheet: Option<String>,
    /// Payouts queued from the file.
    pub row_count: i64,
    pub total: Amount,
    /// Rows left out because of errors.
    pub skipped: i64,
    pub created_at: String,
    pub confirmed_at: Option<String>,
    /// The balance payouts are paid from, as the provider reported it just before sending.
    pub balance_before: Option<String>,
    /// The same balance read once every payout of the batch was sent.
    pub balance_after: Option<String>,
    pub balance_after_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBatch<'a> {
    pub account_id: i64,
    pub file_name: &'a str,
    pub file_sha256: &'a str,
    pub sheet: Option<&'a str>,
    pub row_count: i64,
    pub total: Amount,
    pub skipped: i64,
    pub balance_before: Option<&'a str>,
    /// The merchant said this file is meant to be paid again.
    pub again: bool,
}

const COLUMNS: &str = "id, account_id, file_name, file_sha256, sheet, row_count, total, skipped, \
     created_at, confirmed_at, balance_before, balance_after, balance_after_at";

fn from_row(r: &Row) -> rusqlite::Result<BatchRow> {
    Ok(BatchRow {
        id: r.get(0)?,
        account_id: r.get(1)?,
        file_name: r.get(2)?,
        file_sha256: r.get(3)?,
        sheet: r.get(4)?,
        row_count: r.get(5)?,
        total: Amount(r.get(6)?),
        skipped: r.get(7)?,
        created_at: r.get(8)?,
        confirmed_at: r.get(9)?,
        balance_before: r.get(10)?,
        balance_after: r.get(11)?,
        balance_after_at: r.get(12)?,
    })
}

/// Records a confirmed batch. Call in the same write transaction that checks [`same_file`] and
/// queues its payouts. A second batch of the same file for the same account, not marked
/// `again`, is refused as [`StoreError::Duplicate`] — also when another process confirmed it a
/// moment earlier.
pub fn insert_confirmed(conn: &Connection, b: &NewBatch) -> Result<BatchRow> {
    let now = crate::now_utc();
    conn.execute(
        "INSERT INTO batches (account_id, file_name, file_sha256, sheet, row_count, total, skipped,
             created_at, confirmed_at, balance_before, again)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10)",
        params![
            b.account_id,
            b.file_name,
            b.file_sha256,
            b.sheet,
            b.row_count,
            b.total.0,
            b.skipped,
            now,
            b.balance_before,
            b.again
        ],
    )
    .map_err(|e| StoreError::unique(e, "batch of this file", b.file_sha256))?;
    get(conn, conn.last_insert_rowid())
}

pub fn get(conn: &Connection, id: i64) -> Result<BatchRow> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM batches WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "batch",
        key: id.to_string(),
    })
}

/// The latest confirmed batch of this account made from a file with this content.
pub fn same_file(conn: &Connection, account_id: i64, sha256: &str) -> Result<Option<BatchRow>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM batches
                 WHERE account_id = ?1 AND file_sha256 = ?2 AND confirmed_at IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM batch_plans p
                                   WHERE p.batch_id = batches.id AND p.state = 'cancelled')
                 ORDER BY id DESC LIMIT 1"
            ),
            params![account_id, sha256],
            from_row,
        )
        .optional()?)
}

pub fn set_balance_after(conn: &Connection, id: i64, balance: &str) -> Result<()> {
    conn.execute(
        "UPDATE batches SET balance_after = ?2, balance_after_at = ?3 WHERE id = ?1",
        params![id, balance, crate::now_utc()],
    )?;
    Ok(())
}

/// Batches, newest first, of one account or of all, a page at a time.
pub fn page(
    conn: &Connection,
    account_id: Option<i64>,
    req: crate::page::PageRequest,
) -> Result<crate::page::Page<BatchRow>> {
    crate::page::fetch(
        conn,
        &format!("SELECT {COLUMNS} FROM batches"),
        "id",
        crate::page::Conditions::default().eq("account_id", account_id),
        req,
        from_row,
        |b| b.id,
    )
}

/// How many of a batch's payouts are in each status.
pub fn status_counts(conn: &Connection, id: i64) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT status, COUNT(*) FROM payouts WHERE batch_id = ?1 GROUP BY status ORDER BY status",
    )?;
    let rows = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Whether a payout of the batch is still under way (neither final nor of unknown outcome). A
/// few index seeks, where counting reads every payout of the batch: asked after each group of
/// answers, counted only once nothing is under way.
pub fn still_open(conn: &Connection, id: i64) -> Result<bool> {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT EXISTS (SELECT 1 FROM payouts WHERE batch_id = ?1 AND status IN ({}))",
            crate::history::sql_list(|s| !s.is_final() && s != UnifiedStatus::OutcomeUnknown)
        )
    });
    Ok(conn.prepare_cached(&SQL)?.query_row([id], |r| r.get(0))?)
}

crate::table::table! {
    /// The payout batches.
    Batches, BatchesMut;
    read {
        fn get(id: i64) -> Result<BatchRow>;
        fn same_file(account_id: i64, sha256: &str) -> Result<Option<BatchRow>>;
        fn page(account_id: Option<i64>, req: crate::page::PageRequest) -> Result<crate::page::Page<BatchRow>>;
        fn status_counts(id: i64) -> Result<Vec<(String, i64)>>;
        fn still_open(id: i64) -> Result<bool>;
    }
    write {
        fn insert_confirmed(b: &NewBatch<'_>) -> Result<BatchRow>;
        fn set_balance_after(id: i64, balance: &str) -> Result<()>;
    }
}
