//! Who each number of an account was paid to: the name of its latest payout that ended
//! succeeded, and when. A review compares every payout about to leave with it, so that a number
//! never paid before, or paid before under another name, is seen before money leaves.

use crate::Result;
use rusqlite::{params, Connection};
use std::collections::HashMap;

/// The latest succeeded payout to a number: the name it went to and when it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidTo {
    pub name: String,
    /// RFC 3339 UTC: when the payout ended succeeded.
    pub at: String,
}

/// For every number (prefix, national number) this account paid successfully, its latest
/// payout's name: one read for a whole batch.
pub fn paid(conn: &Connection, account_id: i64) -> Result<HashMap<(String, String), PaidTo>> {
    // SQLite takes the bare columns of a `MAX()` aggregate from the row holding the maximum.
    let mut stmt = conn.prepare_cached(
        "SELECT prefix, phone, name, MAX(COALESCE(final_at, updated_at)) FROM payouts
         WHERE account_id = ?1 AND status = 'succeeded' GROUP BY prefix, phone",
    )?;
    let rows = stmt
        .query_map(params![account_id], |r| {
            Ok((
                (r.get(0)?, r.get(1)?),
                PaidTo {
                    name: r.get(2)?,
                    at: r.get(3)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The same, for one number (a single payout's check).
pub fn paid_number(
    conn: &Connection,
    account_id: i64,
    prefix: &str,
    phone: &str,
) -> Result<Option<PaidTo>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached(
            "SELECT name, COALESCE(final_at, updated_at) AS at FROM payouts
             WHERE account_id = ?1 AND prefix = ?2 AND phone = ?3 AND status = 'succeeded'
             ORDER BY at DESC, id DESC LIMIT 1",
        )?
        .query_row(params![account_id, prefix, phone], |r| {
            Ok(PaidTo {
                name: r.get(0)?,
                at: r.get(1)?,
            })
        })
        .optional()?)
}

crate::table::table! {
    /// The names the account's numbers were paid to.
    Beneficiaries;
    read {
        fn paid(account_id: i64) -> Result<HashMap<(String, String), PaidTo>>;
        fn paid_number(account_id: i64, prefix: &str, phone: &str) -> Result<Option<PaidTo>>;
    }
}
