//! Large writes (an import of 100,000 contacts) in one transaction.

use crate::StoreError;
use rusqlite::{Connection, Transaction, TransactionBehavior};

/// The page cache a bulk write may fill, in KiB (a negative `cache_size` to SQLite): an import
/// of 100,000 contacts dirties about 24 MB, which then go to the WAL once, at the commit,
/// rather than spilled and read back while the write goes on. Given back when the write ends.
const BULK_CACHE_KIB: i64 = 64 * 1024;

/// A transaction that holds the write lock from its start, with what it set aside for its
/// duration (see [`Bulk::set_aside_indexes`]).
pub struct Bulk<'c> {
    pub(crate) tx: Transaction<'c>,
    /// The `CREATE INDEX` statements of the indexes dropped for this write.
    set_aside: Vec<String>,
}

impl<'c> std::ops::Deref for Bulk<'c> {
    type Target = Transaction<'c>;

    fn deref(&self) -> &Transaction<'c> {
        &self.tx
    }
}

impl Bulk<'_> {
    /// Drops `table`'s own indexes (those its schema creates by name, not the ones behind its
    /// UNIQUE constraints) until the write is about to commit, when they are built again from
    /// the schema's own statements. Building an index over all of a table's rows at once
    /// (SQLite sorts the keys, then writes the pages in order) costs less than inserting as
    /// many keys one by one in random order: worth it once the write adds at least as many rows
    /// as the table held. The indexes are never missing outside the write: a failed write rolls
    /// their dropping back with the rest.
    pub fn set_aside_indexes(&mut self, table: &str) -> Result<(), StoreError> {
        let indexes: Vec<(String, String)> = self
            .tx
            .prepare(
                "SELECT name, sql FROM sqlite_schema
                 WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL ORDER BY name",
            )?
            .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (name, sql) in indexes {
            self.tx
                .execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
            self.set_aside.push(sql);
        }
        Ok(())
    }
}

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
    f: impl FnOnce(&mut Bulk<'_>) -> Result<T, E>,
) -> Result<T, E> {
    let store = |e: rusqlite::Error| E::from(StoreError::from(e));
    let every: i64 = conn
        .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
        .map_err(store)?;
    let cache: i64 = conn
        .query_row("PRAGMA cache_size", [], |r| r.get(0))
        .map_err(store)?;
    conn.execute_batch(&format!("PRAGMA cache_size = -{BULK_CACHE_KIB}"))
        .map_err(store)?;
    let done = in_transaction(conn, every, f);
    // Shrinking the cache frees the pages past it. The write's own outcome comes first.
    let restored = conn.execute_batch(&format!("PRAGMA cache_size = {cache}"));
    let done = done?;
    restored.map_err(store)?;
    Ok(done)
}

fn in_transaction<T, E: From<StoreError>>(
    conn: &Connection,
    every: i64,
    f: impl FnOnce(&mut Bulk<'_>) -> Result<T, E>,
) -> Result<T, E> {
    let store = |e: rusqlite::Error| E::from(StoreError::from(e));
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate).map_err(store)?;
    let mut bulk = Bulk {
        tx,
        set_aside: Vec::new(),
    };
    // Dropped on an error: rolled back.
    let done = f(&mut bulk)?;
    for sql in &bulk.set_aside {
        bulk.tx.execute_batch(sql).map_err(store)?;
    }
    conn.execute_batch("PRAGMA wal_autocheckpoint = 0")
        .map_err(store)?;
    let committed = bulk.tx.commit();
    let restored = conn.execute_batch(&format!("PRAGMA wal_autocheckpoint = {every}"));
    committed.map_err(store)?;
    restored.map_err(store)?;
    Ok(done)
}
