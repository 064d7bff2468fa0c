//! The fee a provider reports for a payout (My-CoolPay's `transaction_fees`), in whole francs,
//! kept apart from the payout: only some answers carry one, and the latest answer wins.

use crate::Result;
use guichet_types::Amount;
use rusqlite::{params, Connection};
use std::collections::HashMap;

pub const MIGRATION_17: &str = "
CREATE TABLE payout_fees (
    payout_id INTEGER PRIMARY KEY REFERENCES payouts (id),
    fee       INTEGER NOT NULL CHECK (fee >= 0)
);
";

/// Records the fee reported for `payout_id` (replacing an earlier one). Call in the transaction
/// that records the answer carrying it.
pub fn record(conn: &Connection, payout_id: i64, fee: Amount) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO payout_fees (payout_id, fee) VALUES (?1, ?2)
         ON CONFLICT (payout_id) DO UPDATE SET fee = excluded.fee",
    )?
    .execute(params![payout_id, fee.0])?;
    Ok(())
}

/// The fees of the payouts of `batch_id`: their sum, and how many payouts reported one.
pub fn of_batch(conn: &Connection, batch_id: i64) -> Result<(Amount, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(SUM(f.fee), 0), COUNT(f.fee) FROM payout_fees f
             JOIN payouts p ON p.id = f.payout_id WHERE p.batch_id = ?1",
        )?
        .query_row([batch_id], |r| Ok((Amount(r.get(0)?), r.get(1)?)))?)
}

/// The fee of each of `ids` that reported one.
pub fn of_payouts(conn: &Connection, ids: &[i64]) -> Result<HashMap<i64, Amount>> {
    let list = serde_json::to_string(ids).unwrap_or_default();
    let mut stmt = conn.prepare_cached(
        "SELECT payout_id, fee FROM payout_fees
         WHERE payout_id IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt
        .query_map([list], |r| Ok((r.get(0)?, Amount(r.get(1)?))))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

crate::table::table! {
    /// The fees providers reported per payout.
    Fees, FeesMut;
    read {
        fn of_batch(batch_id: i64) -> Result<(Amount, i64)>;
        fn of_payouts(ids: &[i64]) -> Result<HashMap<i64, Amount>>;
    }
    write {
        fn record(payout_id: i64, fee: Amount) -> Result<()>;
    }
}
