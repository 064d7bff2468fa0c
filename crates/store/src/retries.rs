//! Failed payouts paid again: each new payout of a retry batch is linked to the failed or
//! rejected payout it replaces. A payout is replaced at most once (the unique index): re-paying
//! the failures of one batch twice cannot pay anyone twice.

use crate::{Result, StoreError};
use rusqlite::{params, Connection};
use std::collections::HashMap;

pub const MIGRATION_16: &str = "
CREATE TABLE payout_retries (
    payout_id INTEGER PRIMARY KEY REFERENCES payouts (id),
    retry_of  INTEGER NOT NULL UNIQUE REFERENCES payouts (id)
);
";

/// Records that `payout_id` re-pays the failed `retry_of`. Call in the transaction that queues
/// the new payout. A payout already re-paid is refused as [`StoreError::Duplicate`].
pub fn link(conn: &Connection, payout_id: i64, retry_of: i64) -> Result<()> {
    conn.prepare_cached("INSERT INTO payout_retries (payout_id, retry_of) VALUES (?1, ?2)")?
        .execute(params![payout_id, retry_of])
        .map_err(|e| StoreError::unique(e, "re-payment of payout", &retry_of.to_string()))?;
    Ok(())
}

/// For the payouts of `batch_id` that re-pay an earlier one: new payout id → earlier payout id.
pub fn of_batch(conn: &Connection, batch_id: i64) -> Result<HashMap<i64, i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.payout_id, r.retry_of FROM payout_retries r
         JOIN payouts p ON p.id = r.payout_id WHERE p.batch_id = ?1",
    )?;
    let rows = stmt
        .query_map([batch_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Of the payouts `ids`, those already re-paid, each with the payout that re-pays it.
pub fn repaid(conn: &Connection, ids: &[i64]) -> Result<HashMap<i64, i64>> {
    let list = serde_json::to_string(ids).unwrap_or_default();
    let mut stmt = conn.prepare_cached(
        "SELECT retry_of, payout_id FROM payout_retries
         WHERE retry_of IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt
        .query_map([list], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// How many payouts of `batch_id` ended failed or rejected and were not paid again yet.
pub fn repayable(conn: &Connection, batch_id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT COUNT(*) FROM payouts p WHERE p.batch_id = ?1
               AND p.status IN ('failed', 'rejected')
               AND NOT EXISTS (SELECT 1 FROM payout_retries r WHERE r.retry_of = p.id)",
        )?
        .query_row([batch_id], |r| r.get(0))?)
}

crate::table::table! {
    /// Which payouts re-pay which failed ones.
    Retries, RetriesMut;
    read {
        fn of_batch(batch_id: i64) -> Result<HashMap<i64, i64>>;
        fn repaid(ids: &[i64]) -> Result<HashMap<i64, i64>>;
        fn repayable(batch_id: i64) -> Result<i64>;
    }
    write {
        fn link(payout_id: i64, retry_of: i64) -> Result<()>;
    }
}
