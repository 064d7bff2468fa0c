//! The books as the accountant gets them: payouts, collections, contacts, balance history and
//! the event log, each with its account's label and provider, filtered, and read one row at a
//! time from a single prepared statement (never collected), so that a million rows take the
//! memory of one. Rows borrow their text from SQLite's buffer: nothing is copied per row.
//!
//! Run these on [`crate::Store::reader`], not on the shared connection: an export takes seconds
//! and must not block the poller.

use crate::{Result, StoreError};
use rusqlite::{params, Connection, Row};

/// Which rows; `None` means any. Times are stored UTC text, `from` inclusive, `until` exclusive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub from: Option<String>,
    pub until: Option<String>,
    pub account_id: Option<i64>,
    pub provider: Option<String>,
    /// Payouts and collections: their status; contacts: their provider state; balances: their
    /// kind; events: their kind.
    pub status: Option<String>,
}

/// What differs between the tables: where their rows come from and which columns filter them.
struct Source {
    select: &'static str,
    from: &'static str,
    time: &'static str,
    status: &'static str,
    order: &'static str,
}

const PAYOUTS: Source = Source {
    select:
        "t.id, t.created_at, a.label, a.provider, t.reference, t.provider_ref, t.lot, t.prefix, \
             t.phone, t.name, t.operator, t.reason, t.amount, t.currency, t.status, \
             t.provider_status, t.status_detail, t.submitted_at, t.final_at, f.fee",
    from: "payouts t JOIN accounts a ON a.id = t.account_id \
           LEFT JOIN payout_fees f ON f.payout_id = t.id",
    time: "t.created_at",
    status: "t.status",
    order: "t.id",
};

const COLLECTIONS: Source = Source {
    select: "t.id, t.created_at, a.label, a.provider, t.kind, t.reference, t.provider_ref, t.phone, \
             t.name, t.email, t.reason, t.amount, t.currency, t.status, t.provider_status, t.final_at",
    from: "collections t JOIN accounts a ON a.id = t.account_id",
    time: "t.created_at",
    status: "t.status",
    order: "t.id",
};

const CONTACTS: Source = Source {
    select: "t.id, t.created_at, t.updated_at, a.label, a.provider, t.prefix, t.phone, t.name, \
             t.surname, t.email, t.operator, t.provider_state, t.provider_code, t.provider_message, t.lot",
    from: "contacts t JOIN accounts a ON a.id = t.account_id",
    time: "t.created_at",
    status: "t.provider_state",
    order: "t.id",
};

const BALANCES: Source = Source {
    select:
        "t.id, t.taken_at, a.label, a.provider, t.kind, t.amount, t.available, t.in_use, t.currency",
    from: "balance_snapshots t JOIN accounts a ON a.id = t.account_id",
    time: "t.taken_at",
    status: "t.kind",
    order: "t.id",
};

const EVENTS: Source = Source {
    select: "t.id, t.at, t.kind, a.label, a.provider, t.subject, t.detail",
    from: "event_log t LEFT JOIN accounts a ON a.id = t.account_id",
    time: "t.at",
    status: "t.kind",
    order: "t.id",
};

fn where_clause(s: &Source) -> String {
    format!(
        "(?1 IS NULL OR {time} >= ?1) AND (?2 IS NULL OR {time} < ?2) \
         AND (?3 IS NULL OR a.id = ?3) AND (?4 IS NULL OR a.provider = ?4) \
         AND (?5 IS NULL OR {status} = ?5)",
        time = s.time,
        status = s.status
    )
}

fn count(conn: &Connection, s: &Source, f: &Filter) -> Result<u64> {
    let sql = format!("SELECT COUNT(*) FROM {} WHERE {}", s.from, where_clause(s));
    let n: i64 = conn.query_row(
        &sql,
        params![f.from, f.until, f.account_id, f.provider, f.status],
        |r| r.get(0),
    )?;
    Ok(n.max(0) as u64)
}

/// Steps through the rows of `s` matching `f`, calling `on` with each.
fn stream<E: From<StoreError>>(
    conn: &Connection,
    s: &Source,
    f: &Filter,
    mut on: impl FnMut(&Row) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let sql = format!(
        "SELECT {} FROM {} WHERE {} ORDER BY {}",
        s.select,
        s.from,
        where_clause(s),
        s.order
    );
    let db = |e: rusqlite::Error| E::from(StoreError::from(e));
    let mut stmt = conn.prepare(&sql).map_err(db)?;
    let mut rows = stmt
        .query(params![f.from, f.until, f.account_id, f.provider, f.status])
        .map_err(db)?;
    while let Some(row) = rows.next().map_err(db)? {
        on(row)?;
    }
    Ok(())
}

fn text<'r>(r: &'r Row, i: usize) -> rusqlite::Result<&'r str> {
    Ok(r.get_ref(i)?.as_str_or_null()?.unwrap_or(""))
}

fn opt<'r>(r: &'r Row, i: usize) -> rusqlite::Result<Option<&'r str>> {
    Ok(r.get_ref(i)?.as_str_or_null()?)
}

/// Defines a table's line type, its reader and its count: each field is read from its column
/// by position, in the order of the table's `select`.
macro_rules! lines {
    ($(#[$doc:meta])* $line:ident, $source:ident, $each:ident, $count:ident,
     { $($field:ident : $ty:ty = $read:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $line<'r> {
            $(pub $field: $ty,)*
        }

        /// Calls `on` with every matching row, in id order.
        pub fn $each<E: From<StoreError>>(
            conn: &Connection,
            f: &Filter,
            mut on: impl FnMut(&$line<'_>) -> std::result::Result<(), E>,
        ) -> std::result::Result<(), E> {
            stream(conn, &$source, f, |r| {
                let mut _i = 0usize;
                let line = $line {
                    $($field: {
                        let v = $read(r, _i).map_err(|e| E::from(StoreError::from(e)))?;
                        _i += 1;
                        v
                    },)*
                };
                on(&line)
            })
        }

        /// How many rows [`$each`] would give.
        pub fn $count(conn: &Connection, f: &Filter) -> Result<u64> {
            count(conn, &$source, f)
        }

        impl Books<'_> {
            /// Calls `on` with every matching row, in id order.
            pub fn $each<E: From<StoreError>>(
                &self,
                f: &Filter,
                on: impl FnMut(&$line<'_>) -> std::result::Result<(), E>,
            ) -> std::result::Result<(), E> {
                $each(&self.on, f, on)
            }

            /// How many rows it would give.
            pub fn $count(&self, f: &Filter) -> Result<u64> {
                $count(&self.on, f)
            }
        }
    };
}

fn int(r: &Row, i: usize) -> rusqlite::Result<i64> {
    r.get(i)
}

fn opt_int(r: &Row, i: usize) -> rusqlite::Result<Option<i64>> {
    r.get(i)
}

lines!(
    /// A payout with its account.
    PayoutLine, PAYOUTS, each_payout, count_payouts, {
        id: i64 = int,
        created_at: &'r str = text,
        account: &'r str = text,
        provider: &'r str = text,
        reference: &'r str = text,
        provider_ref: Option<&'r str> = opt,
        lot: Option<&'r str> = opt,
        prefix: &'r str = text,
        phone: &'r str = text,
        name: &'r str = text,
        operator: Option<&'r str> = opt,
        reason: &'r str = text,
        amount: i64 = int,
        currency: &'r str = text,
        status: &'r str = text,
        provider_status: Option<&'r str> = opt,
        status_detail: Option<&'r str> = opt,
        submitted_at: Option<&'r str> = opt,
        final_at: Option<&'r str> = opt,
        // The fee the provider reported, in whole francs.
        fee: Option<i64> = opt_int,
    }
);

lines!(
    /// A collection with its account.
    CollectionLine, COLLECTIONS, each_collection, count_collections, {
        id: i64 = int,
        created_at: &'r str = text,
        account: &'r str = text,
        provider: &'r str = text,
        kind: &'r str = text,
        reference: &'r str = text,
        provider_ref: Option<&'r str> = opt,
        phone: Option<&'r str> = opt,
        name: Option<&'r str> = opt,
        email: Option<&'r str> = opt,
        reason: &'r str = text,
        amount: i64 = int,
        currency: &'r str = text,
        status: &'r str = text,
        provider_status: Option<&'r str> = opt,
        final_at: Option<&'r str> = opt,
    }
);

lines!(
    /// A transfer contact with its account and what the provider said of it.
    ContactLine, CONTACTS, each_contact, count_contacts, {
        id: i64 = int,
        created_at: &'r str = text,
        updated_at: &'r str = text,
        account: &'r str = text,
        provider: &'r str = text,
        prefix: &'r str = text,
        phone: &'r str = text,
        name: &'r str = text,
        surname: &'r str = text,
        email: &'r str = text,
        operator: Option<&'r str> = opt,
        provider_state: &'r str = text,
        provider_code: Option<&'r str> = opt,
        provider_message: Option<&'r str> = opt,
        lot: Option<&'r str> = opt,
    }
);

lines!(
    /// A balance reading; amounts are the provider's exact decimal text.
    BalanceLine, BALANCES, each_balance, count_balances, {
        id: i64 = int,
        taken_at: &'r str = text,
        account: &'r str = text,
        provider: &'r str = text,
        kind: &'r str = text,
        amount: &'r str = text,
        available: Option<&'r str> = opt,
        in_use: Option<&'r str> = opt,
        currency: &'r str = text,
    }
);

lines!(
    /// An event log entry; `account` is empty for events of no account.
    EventLine, EVENTS, each_event, count_events, {
        id: i64 = int,
        at: &'r str = text,
        kind: &'r str = text,
        account: Option<&'r str> = opt,
        provider: Option<&'r str> = opt,
        subject: Option<&'r str> = opt,
        detail: &'r str = text,
    }
);

/// The payout of `account_id` that the provider knows as `provider_ref`.
pub fn payout_by_provider_ref(
    conn: &Connection,
    account_id: i64,
    provider_ref: &str,
) -> Result<Option<i64>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT id FROM payouts WHERE account_id = ?1 AND provider_ref = ?2 ORDER BY id LIMIT 1",
            params![account_id, provider_ref],
            |r| r.get(0),
        )
        .optional()?)
}

/// Payouts of `account_id` created in `[from, until)` that reached the provider, or may have:
/// everything but those still queued, cancelled before leaving, or refused at sending without a
/// provider reference. A provider's statement for that period should list each of them.
pub fn payouts_sent_between(
    conn: &Connection,
    account_id: i64,
    from: &str,
    until: &str,
) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT id FROM payouts WHERE account_id = ?1 AND created_at >= ?2 AND created_at < ?3
           AND status NOT IN ({})
           AND NOT (status = '{}' AND provider_ref IS NULL)
         ORDER BY id",
        crate::history::sql_list(guichet_types::UnifiedStatus::never_sent),
        guichet_types::UnifiedStatus::Failed.as_str()
    ))?;
    let ids = stmt
        .query_map(params![account_id, from, until], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// The books, read for export and reconciliation (best on a [`crate::Snapshot`]).
pub struct Books<'a> {
    on: crate::table::On<'a>,
}

impl<'a> Books<'a> {
    pub(crate) fn on(on: crate::table::On<'a>) -> Books<'a> {
        Books { on }
    }

    pub fn payout_by_provider_ref(
        &self,
        account_id: i64,
        provider_ref: &str,
    ) -> Result<Option<i64>> {
        payout_by_provider_ref(&self.on, account_id, provider_ref)
    }

    pub fn payouts_sent_between(
        &self,
        account_id: i64,
        from: &str,
        until: &str,
    ) -> Result<Vec<i64>> {
        payouts_sent_between(&self.on, account_id, from, until)
    }
}
