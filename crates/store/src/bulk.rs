//! Large writes (an import of 100,000 contacts) in one transaction.

use crate::StoreError;
use rusqlite::{Connection, Transaction, TransactionBehavior};

/// Runs `f` in one transaction that holds the write lock from its start (what `f` reads is
/// still all there is when it writes), committed if `f` succeeds, rolled back otherwise.
///
/// The commit is as durable as any other (the WAL is synced, `synchronous=FULL`). What it
/// leaves is the checkpoint, copying the WAL into the database file, that SQLite would
/// otherwise run inside the same commit once the WAL is large (thousands of pages here): the
/// connection's next write runs it, and after an import that is the search indexing, on a
/// thread of its own.
pub fn write<T, E: From<StoreError>>(
    conn: &Connection,
    f: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
) -> Result<T, E> {
    let store = |e: rusqlite::Error| E::from(StoreError::from(e));
    let every: i64 = conn
        .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
        .map_err(store)?;
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate).map_err(store)?;
    // Dropped on an error: rolled back.
    let done = f(&tx)?;
    conn.execute_batch("PRAGMA wal_autocheckpoint = 0")
        .map_err(store)?;
    let committed = tx.commit();
    conn.execute_batch(&format!("PRAGMA wal_autocheckpoint = {every}"))
        .map_err(store)?;
    committed.map_err(store)?;
    Ok(done)
}
