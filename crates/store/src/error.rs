use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path} is not a Guichet database or is damaged ({reason}); it was left untouched")]
    Corrupt { path: PathBuf, reason: String },
    #[error(
        "{path} was written by a newer version of Guichet (schema {found}, this version knows up to {known}); \
         it was left untouched — install the newer Guichet to open it"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("backup before migrating failed: {0}")]
    Backup(String),
    #[error("{what} `{key}` already exists")]
    Duplicate { what: &'static str, key: String },
    #[error("{what} `{key}` not found")]
    NotFound { what: &'static str, key: String },
    /// Other rows refer to it (payouts, collections): it is kept for the books.
    #[error("{what} `{key}` is in use")]
    InUse { what: &'static str, key: String },
    /// A rule the store keeps itself (a trigger) refused the write; the rule's words.
    #[error("refused: {0}")]
    Refused(String),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl StoreError {
    /// Maps a UNIQUE constraint failure to a `Duplicate` naming what collided.
    pub(crate) fn unique(err: rusqlite::Error, what: &'static str, key: &str) -> StoreError {
        match &err {
            rusqlite::Error::SqliteFailure(e, _)
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
            {
                StoreError::Duplicate {
                    what,
                    key: key.to_string(),
                }
            }
            _ => StoreError::Sqlite(err),
        }
    }

    /// Maps a FOREIGN KEY constraint failure (a delete of a row others refer to) to `InUse`.
    pub(crate) fn in_use(err: rusqlite::Error, what: &'static str, key: &str) -> StoreError {
        match &err {
            rusqlite::Error::SqliteFailure(e, _)
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
            {
                StoreError::InUse {
                    what,
                    key: key.to_string(),
                }
            }
            _ => StoreError::Sqlite(err),
        }
    }

    /// Maps a trigger's `RAISE(ABORT, …)` to `Refused` with its words.
    pub(crate) fn refused(self) -> StoreError {
        match &self {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, Some(msg)))
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_TRIGGER =>
            {
                StoreError::Refused(msg.clone())
            }
            _ => self,
        }
    }
}
