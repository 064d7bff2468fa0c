//! Guichet's local store: one SQLite file, opened in WAL mode with `synchronous=FULL` and foreign
//! keys on. Each table lives in its own module with its migration beside it; `migrations.rs` lists
//! them in order. Opening an existing database at an older version takes an online backup first;
//! a database from a newer Guichet, or a file that is not a database, is refused and left as is.
//!
//! To add a table or column: write the SQL as a `pub const MIGRATION_N: &str` in the table's
//! module, append `(N, "what", module::MIGRATION_N)` to [`migrations::MIGRATIONS`], and add a test.

pub mod accounts;
pub mod approvals;
pub mod audit;
pub mod balances;
pub mod batch_plans;
pub mod batches;
pub mod beneficiaries;
pub mod books;
pub mod bulk;
pub mod callbacks;
pub mod collections;
pub mod column_choices;
pub mod contact_search;
pub mod contacts;
mod error;
pub mod events;
pub mod fees;
mod handle;
mod history;
pub mod migrations;
mod open;
pub mod page;
pub mod payee_lists;
pub mod payouts;
pub mod private;
pub mod retries;
pub mod settings;
pub mod summary;
mod table;
pub mod users;

pub use error::StoreError;
pub use handle::{Db, Snapshot, Tx};
pub use history::HistoryEntry;
pub use open::{Store, BACKUP_MARKER, BUSY_TIMEOUT};

/// A write transaction that takes the write lock when it begins (`BEGIN IMMEDIATE`). A
/// transaction that reads first and writes later cannot wait for another process's write: when
/// that write commits in between, SQLite fails the upgrade at once with "database is locked"
/// whatever the busy timeout. Every transaction that writes starts this way.
pub(crate) fn write_tx(conn: &rusqlite::Connection) -> Result<rusqlite::Transaction<'_>> {
    Ok(rusqlite::Transaction::new_unchecked(
        conn,
        rusqlite::TransactionBehavior::Immediate,
    )?)
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Current UTC time as stored everywhere: RFC 3339 with milliseconds, which sorts as text.
pub fn now_utc() -> String {
    format_ts(time::OffsetDateTime::now_utc())
}

pub fn format_ts(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let year = t.year();
    if !(0..=9999).contains(&year) {
        return format!(
            "{year:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.millisecond()
        );
    }
    // Written digit by digit: every status change stamps several times, and `format!` with
    // padding cost ten times this.
    let mut out = *b"0000-00-00T00:00:00.000Z";
    let mut put = |at: usize, width: usize, mut n: u32| {
        for i in (at..at + width).rev() {
            out[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    put(0, 4, year as u32);
    put(5, 2, u32::from(u8::from(t.month())));
    put(8, 2, u32::from(t.day()));
    put(11, 2, u32::from(t.hour()));
    put(14, 2, u32::from(t.minute()));
    put(17, 2, u32::from(t.second()));
    put(20, 3, u32::from(t.millisecond()));
    String::from(std::str::from_utf8(&out).expect("ASCII digits"))
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    #[test]
    fn timestamps_are_rfc3339_with_milliseconds_padded() {
        for (t, text) in [
            (
                datetime!(2026-12-07 04:05:06.007 UTC),
                "2026-12-07T04:05:06.007Z",
            ),
            (
                datetime!(2026-01-31 23:59:59.999 UTC),
                "2026-01-31T23:59:59.999Z",
            ),
            (
                datetime!(0999-02-03 00:00:00 UTC),
                "0999-02-03T00:00:00.000Z",
            ),
            // Another offset is written in UTC.
            (
                datetime!(2026-12-07 01:00:00.120 +01:00),
                "2026-12-07T00:00:00.120Z",
            ),
        ] {
            assert_eq!(super::format_ts(t), text);
        }
    }
}
