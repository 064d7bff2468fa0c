//! The ordered list of schema changes. The version is SQLite's `user_version`.

use crate::StoreError;
use crate::{
    accounts, approvals, audit, balances, batch_plans, batches, callbacks, collections,
    column_choices, contact_search, contacts, events, fees, payee_lists, payouts, retries,
    settings, summary, users, Result,
};
use rusqlite::{Connection, OptionalExtension};

/// A schema step: its version, what it does, and the SQL of each table it touches (kept in
/// that table's module). Append only; never edit a released step.
pub struct Migration {
    pub version: i64,
    pub what: &'static str,
    pub sql: &'static [&'static str],
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        what: "accounts, event log, balance snapshots",
        sql: &[
            accounts::MIGRATION_1,
            events::MIGRATION_1,
            balances::MIGRATION_1,
        ],
    },
    Migration {
        version: 2,
        what: "contacts",
        sql: &[contacts::MIGRATION_2],
    },
    Migration {
        version: 3,
        what: "payouts, their history and batches",
        sql: &[batches::MIGRATION_3, payouts::MIGRATION_3],
    },
    Migration {
        version: 4,
        what: "collections and callbacks",
        sql: &[collections::MIGRATION_4, callbacks::MIGRATION_4],
    },
    Migration {
        version: 5,
        what: "contacts: when the provider answered, and which are still to push",
        sql: &[contacts::MIGRATION_5],
    },
    Migration {
        version: 6,
        what: "settings; indexes for paging payouts and for the dashboard's figures",
        sql: &[
            settings::MIGRATION_6,
            payouts::MIGRATION_6,
            summary::MIGRATION_6,
        ],
    },
    Migration {
        version: 7,
        what: "batches keep their balance before and after; payouts the merchant's reference",
        sql: &[batches::MIGRATION_7, payouts::MIGRATION_7],
    },
    Migration {
        version: 8,
        what: "indexes for the contact list by name and payouts by account and status",
        sql: &[contacts::MIGRATION_8, payouts::MIGRATION_8],
    },
    Migration {
        version: 9,
        what: "contacts of one account paged by name",
        sql: &[contacts::MIGRATION_9],
    },
    Migration {
        version: 10,
        what: "the contact search index",
        sql: &[contact_search::MIGRATION_10],
    },
    Migration {
        version: 11,
        what: "the contact search index keeps longer prefixes (rebuilt in the background)",
        sql: &[contact_search::MIGRATION_11],
    },
    Migration {
        version: 12,
        what: "the spreadsheet columns chosen per account and header layout",
        sql: &[column_choices::MIGRATION_12],
    },
    Migration {
        version: 13,
        what: "payouts held under a lease by the process sending them; a file paid once per account unless meant again",
        sql: &[payouts::MIGRATION_13, batches::MIGRATION_13],
    },
    Migration {
        version: 14,
        what: "providers and kinds of collection as tables the accounts and collections refer to, not CHECK lists",
        sql: &[accounts::MIGRATION_14, collections::MIGRATION_14],
    },
    Migration {
        version: 15,
        what: "people, approval policies, payouts and batches waiting for approval, the chained audit log",
        sql: &[
            users::MIGRATION_15,
            approvals::MIGRATION_15,
            audit::MIGRATION_15,
        ],
    },
    Migration {
        version: 16,
        what: "failed payouts paid again, each linked to the one it replaces",
        sql: &[retries::MIGRATION_16],
    },
    Migration {
        version: 17,
        what: "payee lists saved to start batches from; the fee a provider reports per payout",
        sql: &[payee_lists::MIGRATION_17, fees::MIGRATION_17],
    },
    Migration {
        version: 18,
        what: "batches that leave at a date and time, or once the balance covers them",
        sql: &[batch_plans::MIGRATION_18],
    },
    Migration {
        version: 19,
        what: "status changes keep up fewer indexes: the look-up index dropped, the final-time index kept to final payouts",
        sql: &[payouts::MIGRATION_19],
    },
];

pub const LATEST: i64 = MIGRATIONS[MIGRATIONS.len() - 1].version;

/// Applies every step after `from`, each in its own transaction together with the version bump.
pub fn apply(conn: &mut Connection, from: i64) -> Result<()> {
    apply_up_to(conn, from, LATEST)
}

/// Applies the steps in `(from, to]`; tests use it to build databases of older versions.
///
/// Foreign keys are off while the steps run, so that a step may rebuild a table others refer
/// to (SQLite's way of changing a column's constraint: create the new table, copy the rows,
/// drop the old one, rename) without the drop deleting the rows that refer to it (`ON DELETE
/// CASCADE`). Each step is checked before its commit: a step leaving any row referring to
/// nothing is rolled back.
pub fn apply_up_to(conn: &mut Connection, from: i64, to: i64) -> Result<()> {
    let enforced: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    conn.execute_batch("PRAGMA foreign_keys = OFF")?;
    let applied = apply_steps(conn, from, to);
    let restored = conn.pragma_update(None, "foreign_keys", enforced);
    applied?;
    restored?;
    Ok(())
}

fn apply_steps(conn: &mut Connection, from: i64, to: i64) -> Result<()> {
    for m in MIGRATIONS
        .iter()
        .filter(|m| m.version > from && m.version <= to)
    {
        let tx = conn.transaction()?;
        for sql in m.sql {
            tx.execute_batch(sql)?;
        }
        let dangling: Option<String> = tx
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .optional()?;
        if let Some(table) = dangling {
            return Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                Some(format!(
                    "migration {} leaves rows of {table} referring to nothing",
                    m.version
                )),
            )));
        }
        tx.pragma_update(None, "user_version", m.version)?;
        tx.commit()?;
    }
    Ok(())
}
