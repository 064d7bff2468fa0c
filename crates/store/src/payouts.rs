//! Payouts and their append-only status history.
//!
//! A payout row is written, with its own reference and status `queued`, before its request
//! leaves. Status changes go through [`transition`], which records each one in
//! `payout_history` and refuses to move a final payout or to move backwards.

use crate::history::{self, status_at, HistoryEntry};
use crate::page::{Conditions, Page, PageRequest};
use crate::{Result, StoreError};
use guichet_types::{Amount, UnifiedStatus};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

pub const MIGRATION_3: &str = "
CREATE TABLE payouts (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    batch_id        INTEGER REFERENCES batches (id),
    reference       TEXT NOT NULL UNIQUE,
    prefix          TEXT NOT NULL,
    phone           TEXT NOT NULL,
    name            TEXT NOT NULL DEFAULT '',
    operator        TEXT,
    reason          TEXT NOT NULL DEFAULT '',
    amount          INTEGER NOT NULL CHECK (amount > 0),
    currency        TEXT NOT NULL,
    status          TEXT NOT NULL,
    provider_ref    TEXT,
    lot             TEXT,
    provider_status TEXT,
    status_detail   TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    submitted_at    TEXT,
    final_at        TEXT,
    next_check_at   TEXT,
    checks          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX payouts_due ON payouts (status, next_check_at);
CREATE INDEX payouts_account ON payouts (account_id, id);
CREATE INDEX payouts_same ON payouts (phone, amount, created_at);
CREATE TABLE payout_history (
    id              INTEGER PRIMARY KEY,
    payout_id       INTEGER NOT NULL REFERENCES payouts (id),
    at              TEXT NOT NULL,
    status          TEXT NOT NULL,
    provider_status TEXT,
    event           TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX payout_history_payout ON payout_history (payout_id, id);
CREATE TRIGGER payout_history_no_update BEFORE UPDATE ON payout_history
    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER payout_history_no_delete BEFORE DELETE ON payout_history
    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
";

/// The merchant's own reference for a payout (a batch file's `reference` column), beside ours.
pub const MIGRATION_7: &str = "
ALTER TABLE payouts ADD COLUMN merchant_reference TEXT NOT NULL DEFAULT '';
CREATE INDEX payouts_batch ON payouts (batch_id, status);
";

/// Who is sending a payout, and until when (see [`Lease`]).
pub const MIGRATION_13: &str = "
ALTER TABLE payouts ADD COLUMN lease_holder TEXT;
ALTER TABLE payouts ADD COLUMN lease_until TEXT;
CREATE INDEX payouts_lease ON payouts (lease_until) WHERE status = 'submitting';
";

/// Fewer indexes for a status change to keep up: each index holding `status` is rewritten by
/// every move, three moves a payout. `payouts_due` read nothing `payouts_status_id` does not
/// (the look-ups list open statuses in id order); "succeeded since" reads only rows with a final
/// time, so its index keeps only those, and the moves before the last leave it alone.
pub const MIGRATION_19: &str = "
DROP INDEX payouts_due;
DROP INDEX payouts_status_final;
CREATE INDEX payouts_status_final ON payouts (status, final_at) WHERE final_at IS NOT NULL;
";

/// A hold on payouts being sent: which process (an id unique to one start of one process) and
/// until when. The holder renews it while its requests are out; a payout `submitting` whose
/// lease has run out was left by a process that stopped, and another may take it over (to look
/// it up). Nothing kept inside a process decides that. A second storage engine implements
/// [`take_expired`] as `SELECT … FOR UPDATE SKIP LOCKED` followed by the same update.
#[derive(Debug, Clone, Copy)]
pub struct Lease<'a> {
    pub holder: &'a str,
    /// RFC 3339 UTC, as [`crate::now_utc`] writes it.
    pub until: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PayoutRow {
    pub id: i64,
    pub account_id: i64,
    pub batch_id: Option<i64>,
    pub reference: String,
    pub prefix: String,
    pub phone: String,
    pub name: String,
    pub operator: Option<String>,
    pub reason: String,
    pub amount: Amount,
    pub currency: String,
    pub status: UnifiedStatus,
    pub provider_ref: Option<String>,
    pub lot: Option<String>,
    pub provider_status: Option<String>,
    pub status_detail: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub submitted_at: Option<String>,
    pub final_at: Option<String>,
    pub next_check_at: Option<String>,
    pub checks: i64,
    /// The merchant's own reference (from a batch file), empty when none.
    pub merchant_reference: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayout {
    pub account_id: i64,
    pub batch_id: Option<i64>,
    pub reference: String,
    pub prefix: String,
    pub phone: String,
    pub name: String,
    pub operator: Option<String>,
    pub reason: String,
    pub amount: Amount,
    pub currency: String,
    pub merchant_reference: String,
}

/// An entry of a payout's history (its fields read through `Deref`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistoryRow {
    pub payout_id: i64,
    #[serde(flatten)]
    #[cfg_attr(feature = "ts", ts(flatten))]
    pub entry: HistoryEntry,
}

impl std::ops::Deref for HistoryRow {
    type Target = HistoryEntry;

    fn deref(&self) -> &HistoryEntry {
        &self.entry
    }
}

const COLUMNS: &str =
    "id, account_id, batch_id, reference, prefix, phone, name, operator, reason, amount, \
     currency, status, provider_ref, lot, provider_status, status_detail, created_at, updated_at, \
     submitted_at, final_at, next_check_at, checks, merchant_reference";

fn from_row(r: &Row) -> rusqlite::Result<PayoutRow> {
    Ok(PayoutRow {
        id: r.get(0)?,
        account_id: r.get(1)?,
        batch_id: r.get(2)?,
        reference: r.get(3)?,
        prefix: r.get(4)?,
        phone: r.get(5)?,
        name: r.get(6)?,
        operator: r.get(7)?,
        reason: r.get(8)?,
        amount: Amount(r.get(9)?),
        currency: r.get(10)?,
        status: status_at(r, 11)?,
        provider_ref: r.get(12)?,
        lot: r.get(13)?,
        provider_status: r.get(14)?,
        status_detail: r.get(15)?,
        created_at: r.get(16)?,
        updated_at: r.get(17)?,
        submitted_at: r.get(18)?,
        final_at: r.get(19)?,
        next_check_at: r.get(20)?,
        checks: r.get(21)?,
        merchant_reference: r.get(22)?,
    })
}

/// Records a payout as `queued`, with a first history entry. Call inside the caller's
/// transaction when queuing a batch, so that the whole batch is recorded or none of it.
pub fn insert_queued(conn: &Connection, p: &NewPayout) -> Result<PayoutRow> {
    history::atomically(conn, || insert_queued_inner(conn, p))
}

fn insert_queued_inner(conn: &Connection, p: &NewPayout) -> Result<PayoutRow> {
    let now = crate::now_utc();
    // Cached: a batch inserts its rows one after the other, and parsing the statement anew
    // each time cost as much as the insert.
    conn.prepare_cached(
        "INSERT INTO payouts (account_id, batch_id, reference, prefix, phone, name, operator, reason,
             amount, currency, status, created_at, updated_at, merchant_reference)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'queued', ?11, ?11, ?12)",
    )
    .and_then(|mut insert| insert.execute(params![
            p.account_id,
            p.batch_id,
            p.reference,
            p.prefix,
            p.phone,
            p.name,
            p.operator,
            p.reason,
            p.amount.0,
            p.currency,
            now,
            p.merchant_reference
        ]))
    .map_err(|e| StoreError::unique(e, "payout reference", &p.reference))?;
    let id = conn.last_insert_rowid();
    history::append(
        conn,
        history::Of::Payout,
        id,
        UnifiedStatus::Queued,
        None,
        "queued",
        &serde_json::json!({}),
    )?;
    get(conn, id)
}

/// The statuses `to` may be reached from, as the comma list the store's updates test against:
/// the SQL takes its rule from [`UnifiedStatus::may_move_to`], so the check and the write are one
/// statement (no other process can move the row in between).
pub(crate) fn sources(to: UnifiedStatus) -> String {
    history::comma_list(|from| from.may_move_to(to))
}

/// What a status change carries besides the status.
#[derive(Debug, Clone, Default)]
pub struct Change<'a> {
    pub provider_status: Option<&'a str>,
    pub provider_ref: Option<&'a str>,
    pub lot: Option<&'a str>,
    pub detail_text: Option<&'a str>,
    /// Short name of what happened (`sent`, `answer`, `lookup`, `poll`, `notification`…).
    pub event: &'a str,
    /// Audit detail (raw provider body, codes). Never a secret.
    pub detail: serde_json::Value,
}

/// Moves a payout to `to`, recording the change. Returns the updated row, or `Ok(None)` when the
/// move is refused because it would go backwards or leave a final status (the refusal is
/// recorded in the history too, so a contradicting provider answer is never lost).
pub fn transition(
    conn: &Connection,
    id: i64,
    to: UnifiedStatus,
    c: &Change,
) -> Result<Option<PayoutRow>> {
    history::atomically(conn, || transition_inner(conn, id, to, c, None))
}

/// [`transition`] as one of many moves written together in the caller's transaction, which the
/// caller drops (rolling every move back) on any error. It takes no savepoint of its own: inside
/// a transaction, a savepoint first copies every page it touches to a sub-journal on disk, which
/// cost more than the move itself. `next_check_at`: the next status check, scheduled in the same
/// statement (counted as one more check) unless the move ends final.
pub fn transition_in(
    tx: &Connection,
    id: i64,
    to: UnifiedStatus,
    c: &Change,
    next_check_at: Option<&str>,
) -> Result<Option<PayoutRow>> {
    transition_inner(tx, id, to, c, next_check_at)
}

fn transition_inner(
    conn: &Connection,
    id: i64,
    to: UnifiedStatus,
    c: &Change,
    next_check_at: Option<&str>,
) -> Result<Option<PayoutRow>> {
    let now = crate::now_utc();
    // The move is made only from a status it may come from, tested in the same statement. A
    // payout leaving `submitting` leaves its lease too. No RETURNING: SQLite runs it as a
    // trigger, which makes every update copy the pages it touches to a statement journal
    // first; reading the row back by its key costs less.
    let moved = conn
        .prepare_cached(
            "UPDATE payouts SET status = ?2,
             provider_status = COALESCE(?3, provider_status),
             provider_ref = COALESCE(?4, provider_ref),
             lot = COALESCE(?5, lot),
             status_detail = COALESCE(?6, status_detail),
             updated_at = ?7,
             submitted_at = CASE WHEN ?2 = 'submitting' AND submitted_at IS NULL THEN ?7 ELSE submitted_at END,
             final_at = CASE WHEN ?8 THEN ?7 ELSE final_at END,
             next_check_at = CASE WHEN ?8 THEN NULL ELSE COALESCE(?9, next_check_at) END,
             checks = (CASE WHEN status = 'submitting' AND ?2 <> 'submitting' THEN 0 ELSE checks END)
                 + (?9 IS NOT NULL AND NOT ?8),
             lease_holder = CASE WHEN ?2 = 'submitting' THEN lease_holder END,
             lease_until = CASE WHEN ?2 = 'submitting' THEN lease_until END
         WHERE id = ?1 AND instr(?10, ',' || status || ',') > 0",
        )?
        .execute(params![
            id,
            to.as_str(),
            c.provider_status,
            c.provider_ref,
            c.lot,
            c.detail_text,
            now,
            to.is_final(),
            next_check_at,
            sources(to)
        ])?;
    if moved == 0 {
        let current = conn
            .prepare_cached("SELECT status FROM payouts WHERE id = ?1")?
            .query_row([id], |r| status_at(r, 0))
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "payout",
                key: id.to_string(),
            })?;
        history::refused(
            conn,
            history::Of::Payout,
            id,
            current,
            to,
            c.provider_status,
            &c.detail,
        )?;
        if let (Some(at), false) = (next_check_at, current.is_final()) {
            schedule_check(conn, id, at)?;
        }
        return Ok(None);
    }
    let moved = get(conn, id)?;
    history::append_at(
        conn,
        history::Of::Payout,
        id,
        &now,
        to,
        c.provider_status,
        c.event,
        &c.detail,
    )?;
    Ok(Some(moved))
}

/// Takes queued payouts for sending under `lease`: moves those still `queued` to `submitting`,
/// each with its history entry (amount and number sent), in one transaction that holds the
/// write lock from its start, so that two senders (the app's poller and a batch, or two
/// processes) never both send one. Returns the ids this caller got, in order.
pub fn claim(conn: &Connection, ids: &[i64], lease: Lease) -> Result<Vec<i64>> {
    let tx = crate::write_tx(conn)?;
    let claimed = claim_inner(&tx, ids, lease)?;
    tx.commit()?;
    Ok(claimed)
}

fn claim_inner(conn: &Connection, ids: &[i64], lease: Lease) -> Result<Vec<i64>> {
    let now = crate::now_utc();
    let list = serde_json::to_string(ids).unwrap_or_default();
    let mut claimed = conn
        .prepare_cached(&format!(
            "SELECT id FROM payouts
                 WHERE id IN (SELECT value FROM json_each(?1)) AND status = 'queued'
                   AND {}",
            crate::batch_plans::NOT_WAITING
        ))?
        .query_map([list], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    claimed.sort_unstable();
    // One row at a time: an update of many rows in a transaction first copies every page it
    // touches to a statement journal, which cost more than the updates themselves.
    let mut update = conn.prepare_cached(
        "UPDATE payouts SET status = 'submitting', updated_at = ?2,
             submitted_at = COALESCE(submitted_at, ?2), lease_holder = ?3, lease_until = ?4
         WHERE id = ?1 AND status = 'queued'",
    )?;
    for id in &claimed {
        update.execute(params![id, now, lease.holder, lease.until])?;
    }
    // Their history entries in one statement, as `history::append` writes them.
    conn.prepare_cached(
        "INSERT INTO payout_history (payout_id, at, status, provider_status, event, detail)
         SELECT p.id, ?2, 'submitting', NULL, 'sent',
                json_object('amount', p.amount, 'phone', p.phone)
         FROM json_each(?1) AS j JOIN payouts AS p ON p.id = j.value ORDER BY p.id",
    )?
    .execute(params![
        serde_json::to_string(&claimed).unwrap_or_default(),
        now
    ])?;
    Ok(claimed)
}

/// Extends every lease `holder` has on payouts still `submitting` (it renews while its requests
/// are out). Returns how many it still held.
pub fn renew_leases(conn: &Connection, lease: Lease) -> Result<usize> {
    let tx = crate::write_tx(conn)?;
    let n = tx
        .prepare_cached(
            "UPDATE payouts SET lease_until = ?2
             WHERE lease_holder = ?1 AND status = 'submitting'",
        )?
        .execute(params![lease.holder, lease.until])?;
    tx.commit()?;
    Ok(n)
}

/// Takes over, under `lease`, the payouts `submitting` whose lease has run out (their sender
/// stopped) and whose next look-up is due at `now`: at most `limit`, oldest first. A payout
/// another live process holds is never taken.
pub fn take_expired(
    conn: &Connection,
    lease: Lease,
    now: &str,
    limit: u32,
) -> Result<Vec<PayoutRow>> {
    let tx = crate::write_tx(conn)?;
    let ids = tx
        .prepare_cached(
            "SELECT id FROM payouts
             WHERE status = 'submitting' AND (lease_until IS NULL OR lease_until <= ?1)
               AND (next_check_at IS NULL OR next_check_at <= ?1)
             ORDER BY id LIMIT ?2",
        )?
        .query_map(params![now, limit], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut rows = Vec::with_capacity(ids.len());
    {
        let mut update = tx.prepare_cached(
            "UPDATE payouts SET lease_holder = ?2, lease_until = ?3 WHERE id = ?1",
        )?;
        for id in &ids {
            update.execute(params![id, lease.holder, lease.until])?;
            rows.push(get(&tx, *id)?);
        }
    }
    tx.commit()?;
    Ok(rows)
}

/// Lets go of a payout still `submitting` whose fate is open, to be looked up at `at` by
/// whichever process is running then: the lease is given up, the look-up counted.
pub fn look_up_later(conn: &Connection, id: i64, at: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE payouts SET lease_holder = NULL, lease_until = NULL, next_check_at = ?2,
             checks = checks + 1
         WHERE id = ?1 AND status = 'submitting'",
    )?
    .execute(params![id, at])?;
    Ok(())
}

/// For a payout whose answer was lost: how many "unknown to CinetPay" answers (`not_found`
/// entries) its history holds since it was last sent, and how many times it was sent again.
pub fn since_last_send(conn: &Connection, id: i64) -> Result<(u32, u32)> {
    Ok(conn
        .prepare_cached(
            "SELECT
               (SELECT COUNT(*) FROM payout_history WHERE payout_id = ?1 AND event = 'not_found'
                  AND id > (SELECT COALESCE(MAX(id), 0) FROM payout_history
                            WHERE payout_id = ?1 AND event IN ('sent', 'resent'))),
               (SELECT COUNT(*) FROM payout_history WHERE payout_id = ?1 AND event = 'resent')",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// When the earliest payout `submitting` may be looked at by someone: its lease run out and its
/// look-up due (`""` when one is due now), `None` when none is `submitting`.
pub fn submitting_due_at(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT MIN(MAX(COALESCE(lease_until, ''), COALESCE(next_check_at, '')))
             FROM payouts WHERE status = 'submitting'",
        )?
        .query_row([], |r| r.get(0))?)
}

/// Schedules the next status check.
pub fn schedule_check(conn: &Connection, id: i64, at: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE payouts SET next_check_at = ?2, checks = checks + 1 WHERE id = ?1",
    )?
    .execute(params![id, at])?;
    Ok(())
}

pub fn get(conn: &Connection, id: i64) -> Result<PayoutRow> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM payouts WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(StoreError::NotFound {
            what: "payout",
            key: id.to_string(),
        })
}

pub fn by_reference(conn: &Connection, reference: &str) -> Result<Option<PayoutRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM payouts WHERE reference = ?1"),
            [reference],
            from_row,
        )
        .optional()?)
}

/// The payout My-CoolPay knows by `provider_ref` on this account (callbacks name it so).
pub fn by_provider_ref(
    conn: &Connection,
    account_id: i64,
    provider_ref: &str,
) -> Result<Option<PayoutRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM payouts WHERE account_id = ?1 AND provider_ref = ?2"),
            params![account_id, provider_ref],
            from_row,
        )
        .optional()?)
}

pub fn history(conn: &Connection, payout_id: i64) -> Result<Vec<HistoryRow>> {
    Ok(history::entries(conn, history::Of::Payout, payout_id)?
        .into_iter()
        .map(|entry| HistoryRow { payout_id, entry })
        .collect())
}

/// Payouts in `statuses` (all non-final ones when empty) for `account_id` (all when `None`).
pub fn in_statuses(
    conn: &Connection,
    account_id: Option<i64>,
    statuses: &[UnifiedStatus],
) -> Result<Vec<PayoutRow>> {
    let list = if statuses.is_empty() {
        history::json_list(|s| !s.is_final())
    } else {
        history::json_list(|s| statuses.contains(&s))
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM payouts
         WHERE status IN (SELECT value FROM json_each(?1)) AND (?2 IS NULL OR account_id = ?2)
           AND {}
         ORDER BY id",
        crate::batch_plans::NOT_WAITING
    ))?;
    let rows = stmt
        .query_map(params![list, account_id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Payouts in `statuses` last changed at or after `since` (RFC 3339 UTC, as
/// [`crate::now_utc`] writes it), oldest first: the dashboard's recent failures, without
/// reading every failure ever.
pub fn in_statuses_since(
    conn: &Connection,
    statuses: &[UnifiedStatus],
    since: &str,
) -> Result<Vec<PayoutRow>> {
    let list = history::json_list(|s| statuses.contains(&s));
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM payouts
         WHERE status IN (SELECT value FROM json_each(?1)) AND updated_at >= ?2
         ORDER BY id"
    ))?;
    let rows = stmt
        .query_map(params![list, since], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Lists page by status and by batch, newest first (see [`crate::page`]); by account already
/// has `payouts_account`.
pub const MIGRATION_6: &str = "
CREATE INDEX payouts_status_id ON payouts (status, id);
CREATE INDEX payouts_batch_id ON payouts (batch_id, id);
";

/// Lists page by account and status together, newest first: without it a filter on both walks
/// an account's payouts until a page of that status is found.
pub const MIGRATION_8: &str = "
CREATE INDEX payouts_account_status_id ON payouts (account_id, status, id);
";

/// Filters for listing; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub account_id: Option<i64>,
    pub status: Option<UnifiedStatus>,
    pub batch_id: Option<i64>,
    /// Keyset pagination: rows with an id lower than this (newest first).
    pub before_id: Option<i64>,
    pub limit: u32,
}

/// One page of payouts, newest first, with the cursor of the next page.
pub fn page(conn: &Connection, f: &ListFilter) -> Result<Page<PayoutRow>> {
    let filter = Conditions::default()
        .eq("account_id", f.account_id)
        .eq("status", f.status.map(|s| s.as_str().to_string()))
        .eq("batch_id", f.batch_id);
    crate::page::fetch(
        conn,
        &format!("SELECT {COLUMNS} FROM payouts"),
        "id",
        filter,
        PageRequest {
            before_id: f.before_id,
            limit: f.limit,
        },
        from_row,
        |r| r.id,
    )
}

pub fn list(conn: &Connection, f: &ListFilter) -> Result<Vec<PayoutRow>> {
    page(conn, f).map(|p| p.rows)
}

/// Earlier payouts of the same amount to the same number since `since` (duplicate warning).
pub fn same_since(
    conn: &Connection,
    phone: &str,
    amount: Amount,
    since: &str,
) -> Result<Vec<PayoutRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM payouts WHERE phone = ?1 AND amount = ?2 AND created_at >= ?3
           AND status NOT IN ({}) ORDER BY id",
        history::sql_list(UnifiedStatus::is_unpaid_final)
    ))?;
    let rows = stmt
        .query_map(params![phone, amount.0, since], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every payout since `since` that did not end unpaid, oldest first: a batch's duplicate
/// warnings in one read (see [`same_since`] for one number).
pub fn not_unpaid_since(conn: &Connection, since: &str) -> Result<Vec<PayoutRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM payouts WHERE created_at >= ?1
           AND status NOT IN ({}) ORDER BY id",
        history::sql_list(UnifiedStatus::is_unpaid_final)
    ))?;
    let rows = stmt
        .query_map(params![since], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The numbers (prefix, national number) this account's payouts have reached at the provider:
/// accepted, awaiting the merchant or paid. For CinetPay these numbers are contacts already.
pub fn numbers_reached(
    conn: &Connection,
    account_id: i64,
) -> Result<std::collections::HashSet<(String, String)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT DISTINCT prefix, phone FROM payouts WHERE account_id = ?1 AND status IN ({})",
        history::sql_list(UnifiedStatus::reached_number)
    ))?;
    let rows = stmt
        .query_map([account_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

crate::table::table! {
    /// The payouts and their history.
    Payouts, PayoutsMut;
    read {
        fn get(id: i64) -> Result<PayoutRow>;
        fn by_reference(reference: &str) -> Result<Option<PayoutRow>>;
        fn by_provider_ref(account_id: i64, provider_ref: &str) -> Result<Option<PayoutRow>>;
        fn history(payout_id: i64) -> Result<Vec<HistoryRow>>;
        fn in_statuses(account_id: Option<i64>, statuses: &[UnifiedStatus]) -> Result<Vec<PayoutRow>>;
        fn in_statuses_since(statuses: &[UnifiedStatus], since: &str) -> Result<Vec<PayoutRow>>;
        fn page(f: &ListFilter) -> Result<Page<PayoutRow>>;
        fn list(f: &ListFilter) -> Result<Vec<PayoutRow>>;
        fn same_since(phone: &str, amount: Amount, since: &str) -> Result<Vec<PayoutRow>>;
        fn not_unpaid_since(since: &str) -> Result<Vec<PayoutRow>>;
        fn numbers_reached(account_id: i64) -> Result<std::collections::HashSet<(String, String)>>;
        fn since_last_send(id: i64) -> Result<(u32, u32)>;
        fn submitting_due_at() -> Result<Option<String>>;
    }
    write {
        fn insert_queued(p: &NewPayout) -> Result<PayoutRow>;
        fn transition(id: i64, to: UnifiedStatus, c: &Change<'_>) -> Result<Option<PayoutRow>>;
        fn transition_in(id: i64, to: UnifiedStatus, c: &Change<'_>, next_check_at: Option<&str>) -> Result<Option<PayoutRow>>;
        fn claim(ids: &[i64], lease: Lease<'_>) -> Result<Vec<i64>>;
        fn renew_leases(lease: Lease<'_>) -> Result<usize>;
        fn take_expired(lease: Lease<'_>, now: &str, limit: u32) -> Result<Vec<PayoutRow>>;
        fn look_up_later(id: i64, at: &str) -> Result<()>;
        fn schedule_check(id: i64, at: &str) -> Result<()>;
    }
}
