//! What payouts and collections share: a status and its history entry written together, and the
//! append-only history itself.

use crate::Result;
use guichet_types::UnifiedStatus;
use rusqlite::{params, Connection};

/// Runs `f` so that its writes (a status and its history entry) land together or not at all,
/// even if the process dies between them. A savepoint nests inside a caller's transaction;
/// alone, it is a write transaction from its start (see [`crate::write_tx`]).
pub(crate) fn atomically<T>(conn: &Connection, f: impl FnOnce() -> Result<T>) -> Result<T> {
    if conn.is_autocommit() {
        let tx = crate::write_tx(conn)?;
        let v = f()?;
        tx.commit()?;
        return Ok(v);
    }
    conn.prepare_cached("SAVEPOINT status_change")?
        .execute([])?;
    match f() {
        Ok(v) => {
            conn.prepare_cached("RELEASE status_change")?.execute([])?;
            Ok(v)
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK TO status_change; RELEASE status_change");
            Err(e)
        }
    }
}

/// The status in column `i` of a payout's or a collection's row (or of their histories).
pub(crate) fn status_at(r: &rusqlite::Row, i: usize) -> rusqlite::Result<UnifiedStatus> {
    let s: String = r.get(i)?;
    UnifiedStatus::parse(&s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("status {s}").into(),
        )
    })
}

/// The statuses for which `holds` is true, as an SQL list for `IN (…)`: `'queued', 'pending'`.
/// Every status list in the store's SQL comes from a rule of [`UnifiedStatus`] this way.
pub(crate) fn sql_list(holds: impl Fn(UnifiedStatus) -> bool) -> String {
    UnifiedStatus::all_where(holds)
        .into_iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The same as one text with each name between commas (`,queued,pending,`), for a row's own
/// status tested against a list bound as one parameter: `instr(?, ',' || status || ',') > 0`.
/// Unlike `IN (SELECT value FROM json_each(?))`, it builds no temporary table each time it runs,
/// which cost a quarter of a payout's status update.
pub(crate) fn comma_list(holds: impl Fn(UnifiedStatus) -> bool) -> String {
    let mut list = String::from(",");
    for s in UnifiedStatus::all_where(holds) {
        list.push_str(s.as_str());
        list.push(',');
    }
    list
}

/// The same as a JSON array, for a list bound as one parameter (`IN (SELECT value FROM
/// json_each(?))`), so that its statement is prepared once whatever the list.
pub(crate) fn json_list(holds: impl Fn(UnifiedStatus) -> bool) -> String {
    let names: Vec<&str> = UnifiedStatus::all_where(holds)
        .into_iter()
        .map(UnifiedStatus::as_str)
        .collect();
    serde_json::to_string(&names).unwrap_or_default()
}

/// The history a row's changes are appended to.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Of {
    Payout,
    Collection,
}

impl Of {
    /// The history table and the column naming the row it belongs to.
    fn table(self) -> (&'static str, &'static str) {
        match self {
            Of::Payout => ("payout_history", "payout_id"),
            Of::Collection => ("collection_history", "collection_id"),
        }
    }
}

/// One entry of a payout's or a collection's history, as read (the row it belongs to is named
/// by the field beside it: `payout_id` or `collection_id`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistoryEntry {
    pub id: i64,
    pub at: String,
    pub status: UnifiedStatus,
    pub provider_status: Option<String>,
    pub event: String,
    pub detail: String,
}

/// Every entry of one payout's or collection's history, oldest first.
pub(crate) fn entries(conn: &Connection, of: Of, owner_id: i64) -> Result<Vec<HistoryEntry>> {
    let (table, owner) = of.table();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, at, status, provider_status, event, detail
         FROM {table} WHERE {owner} = ?1 ORDER BY id"
    ))?;
    let rows = stmt
        .query_map([owner_id], |r| {
            Ok(HistoryEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                status: status_at(r, 2)?,
                provider_status: r.get(3)?,
                event: r.get(4)?,
                detail: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Appends one entry to a payout's or a collection's history (never updated, never deleted).
pub(crate) fn append(
    conn: &Connection,
    of: Of,
    id: i64,
    status: UnifiedStatus,
    provider_status: Option<&str>,
    event: &str,
    detail: &serde_json::Value,
) -> Result<()> {
    append_at(
        conn,
        of,
        id,
        &crate::now_utc(),
        status,
        provider_status,
        event,
        detail,
    )
}

/// [`append`] at the time the change was written.
#[allow(clippy::too_many_arguments)]
pub(crate) fn append_at(
    conn: &Connection,
    of: Of,
    id: i64,
    at: &str,
    status: UnifiedStatus,
    provider_status: Option<&str>,
    event: &str,
    detail: &serde_json::Value,
) -> Result<()> {
    let sql = match of {
        Of::Payout => {
            "INSERT INTO payout_history (payout_id, at, status, provider_status, event, detail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
        }
        Of::Collection => {
            "INSERT INTO collection_history (collection_id, at, status, provider_status, event, detail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
        }
    };
    conn.prepare_cached(sql)?.execute(params![
        id,
        at,
        status.as_str(),
        provider_status,
        event,
        detail.to_string()
    ])?;
    Ok(())
}

/// Records a move that was refused (backwards, or out of a final status) without changing the
/// row, so that a contradicting provider answer is never lost.
pub(crate) fn refused(
    conn: &Connection,
    of: Of,
    id: i64,
    current: UnifiedStatus,
    to: UnifiedStatus,
    provider_status: Option<&str>,
    detail: &serde_json::Value,
) -> Result<()> {
    let detail = serde_json::json!({ "refused_move_to": to.as_str(), "detail": detail });
    append(conn, of, id, current, provider_status, "ignored", &detail)
}
