use crate::migrations::{self, LATEST};
use crate::{Result, StoreError};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// Backups taken before a migration are named `<db>.bak-v<old version>-<UTC time>`.
pub const BACKUP_MARKER: &str = ".bak-v";

/// The open database. One connection behind a mutex: SQLite serialises writers anyway, and
/// every caller in Guichet is either a short UI query or the poller.
pub struct Store {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (creating if needed) the database at `path`, migrating it to the latest schema.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        let existing = path.exists() && std::fs::metadata(&path)?.len() > 0;
        let version = if existing { inspect(&path)? } else { 0 };
        if version > LATEST {
            return Err(StoreError::NewerSchema {
                path,
                found: version,
                known: LATEST,
            });
        }
        // Created `0600` before SQLite opens it: its WAL and shared-memory files take its mode.
        crate::private::create_file(&path)?;
        let mut conn = Connection::open(&path)?;
        configure(&conn)?;
        restrict_all(&path)?;
        if existing && version < LATEST {
            backup(&conn, &path, version)?;
        }
        migrations::apply(&mut conn, version)?;
        // The providers and kinds this build knows (a new one needs no migration).
        crate::accounts::know_providers(&conn)?;
        crate::collections::know_kinds(&conn)?;
        Ok(Store {
            path,
            conn: Mutex::new(conn),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The shared connection, for the handles. Poisoning is ignored: a panic elsewhere does not
    /// make the database less valid (every write is a transaction).
    pub(crate) fn lock_conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The shared connection itself, for tests that set up or damage a database in ways the
    /// handles do not offer. Only with the `raw` feature, which only tests enable: the rest of
    /// Guichet goes through the handles.
    #[cfg(feature = "raw")]
    #[doc(hidden)]
    pub fn conn(&self) -> MutexGuard<'_, Connection> {
        self.lock_conn()
    }

    /// Runs `f` as one large write (see [`crate::bulk::write`]).
    pub fn bulk<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut crate::bulk::Bulk<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        crate::bulk::write(&self.lock_conn(), f)
    }

    /// A separate read-only connection, for long reads (exports) that must not hold the shared
    /// connection: in WAL mode it reads one consistent snapshot while the app keeps writing.
    pub(crate) fn reader(&self) -> Result<Connection> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        Ok(conn)
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .lock_conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// `PRAGMA integrity_check`, `ok` when the file is sound.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .lock_conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    /// `PRAGMA quick_check` on a connection of its own (it reads the whole file: seconds at a
    /// million rows), `ok` when the file is sound. The app runs it once started.
    pub fn quick_check(&self) -> Result<String> {
        Ok(self
            .reader()?
            .query_row("PRAGMA quick_check", [], |r| r.get(0))?)
    }

    /// An online copy of the live database (SQLite backup API), safe while Guichet runs.
    pub fn backup_to(&self, dest: impl AsRef<Path>) -> Result<()> {
        let conn = self.lock_conn();
        crate::private::create_file(dest.as_ref())?;
        let mut out = Connection::open(dest.as_ref())?;
        let b = rusqlite::backup::Backup::new(&conn, &mut out)?;
        b.run_to_completion(256, std::time::Duration::from_millis(0), None)
            .map_err(|e| StoreError::Backup(e.to_string()))?;
        drop(b);
        drop(out);
        restrict_all(dest.as_ref())?;
        Ok(())
    }
}

/// Reads the schema version of an existing file without writing to it, and refuses a file that
/// is not an SQLite database, or a damaged one about to be migrated.
fn inspect(path: &Path) -> Result<i64> {
    let corrupt = |reason: String| StoreError::Corrupt {
        path: path.to_path_buf(),
        reason,
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| corrupt(e.to_string()))?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| corrupt(e.to_string()))?;
    // A migration rewrites the file: a damaged one is refused before it is touched. Otherwise
    // the whole-file check would hold up every start (seconds on a large file); the app runs
    // it once started (`Store::quick_check`), and SQLite's WAL recovers an interrupted write.
    if version < LATEST {
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| corrupt(e.to_string()))?;
        if check != "ok" {
            return Err(corrupt(check));
        }
    }
    Ok(version)
}

/// How long a statement waits for another process's write (the app's poller, a cron `guichet
/// sync`, a batch from a script) before giving up. Writes are short — the longest, a large
/// import, takes seconds — so a minute only runs out when something is truly stuck.
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    crate::contact_search::register(conn)?;
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    debug_assert_eq!(mode.to_ascii_lowercase(), "wal");
    conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")?;
    Ok(())
}

/// The database and its WAL and shared-memory files, `0600` (narrowed if found wider).
fn restrict_all(db: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = db.as_os_str().to_os_string();
        name.push(suffix);
        crate::private::restrict_file(Path::new(&name))?;
    }
    Ok(())
}

fn backup(conn: &Connection, path: &Path, version: i64) -> Result<PathBuf> {
    let stamp = crate::now_utc().replace([':', '.'], "-");
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!("{BACKUP_MARKER}{version}-{stamp}"));
    let dest = path.with_file_name(name);
    crate::private::create_file(&dest)?;
    let mut out = Connection::open(&dest).map_err(|e| StoreError::Backup(e.to_string()))?;
    let b = rusqlite::backup::Backup::new(conn, &mut out)
        .map_err(|e| StoreError::Backup(e.to_string()))?;
    b.run_to_completion(256, std::time::Duration::from_millis(0), None)
        .map_err(|e| StoreError::Backup(e.to_string()))?;
    Ok(dest)
}
