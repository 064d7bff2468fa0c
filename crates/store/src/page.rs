//! Keyset pagination, newest first, for every list that can grow to millions of rows (payouts,
//! contacts, collections, the event log).
//!
//! A page is "the `limit` rows with an id below the cursor", read through the primary key or an
//! index ending in `id`: the cost is the same for the first page and the ten-thousandth, unlike
//! `OFFSET`. Filters are added only when set, so SQLite can pick the index that matches them
//! (`(?1 IS NULL OR col = ?1)` would defeat every index).
//!
//! A table module lists a page like this (see `payouts::page`):
//! ```ignore
//! let filter = Conditions::default().eq("account_id", f.account_id).eq("status", status);
//! page::fetch(conn, "SELECT … FROM payouts", filter, req, from_row, |r| r.id)
//! ```

use crate::Result;
use rusqlite::types::Value;
use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};

/// Rows per page when the caller does not say.
pub const DEFAULT_LIMIT: u32 = 100;
/// The most rows one page may hold.
pub const MAX_LIMIT: u32 = 10_000;

/// Which page: the rows strictly older (lower id) than `before_id`, `limit` at most.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct PageRequest {
    /// The cursor: `next` of the previous page; none for the first page.
    #[serde(default)]
    pub before_id: Option<i64>,
    /// 0 means [`DEFAULT_LIMIT`]; above [`MAX_LIMIT`] is capped.
    #[serde(default)]
    pub limit: u32,
}

impl PageRequest {
    pub fn first(limit: u32) -> PageRequest {
        PageRequest {
            before_id: None,
            limit,
        }
    }

    fn effective_limit(&self) -> u32 {
        match self.limit {
            0 => DEFAULT_LIMIT,
            n => n.min(MAX_LIMIT),
        }
    }
}

/// One page of rows, newest first, and the cursor for the next one (`None` at the end).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub next: Option<i64>,
}

/// The `WHERE` conditions of the filters that are set, with their values bound as parameters.
#[derive(Debug, Default, Clone)]
pub struct Conditions {
    clauses: Vec<String>,
    values: Vec<Value>,
}

impl Conditions {
    /// `column = value` when `value` is set.
    pub fn eq<V: Into<Value>>(self, column: &str, value: Option<V>) -> Conditions {
        match value {
            Some(v) => self.clause(&format!("{column} = ?"), v),
            None => self,
        }
    }

    /// A condition with exactly one `?` placeholder, e.g. `"created_at >= ?"`.
    pub fn clause<V: Into<Value>>(mut self, sql: &str, value: V) -> Conditions {
        self.clauses.push(sql.to_string());
        self.values.push(value.into());
        self
    }
}

/// Reads one page: `select` is `SELECT <columns> FROM <table>` (no `WHERE`), `id_of` gives a
/// row's id (its cursor). One row more than asked is read to know whether a next page exists.
pub fn fetch<T>(
    conn: &Connection,
    select: &str,
    id_column: &str,
    filter: Conditions,
    req: PageRequest,
    map: impl FnMut(&Row) -> rusqlite::Result<T>,
    id_of: impl Fn(&T) -> i64,
) -> Result<Page<T>> {
    let limit = req.effective_limit();
    let filter = match req.before_id {
        Some(id) => filter.clause(&format!("{id_column} < ?"), id),
        None => filter,
    };
    let mut sql = String::from(select);
    if !filter.clauses.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&filter.clauses.join(" AND "));
    }
    sql.push_str(&format!(" ORDER BY {id_column} DESC LIMIT {}", limit + 1));
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt
        .query_map(rusqlite::params_from_iter(filter.values.iter()), map)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next = if more { rows.last().map(&id_of) } else { None };
    Ok(Page { rows, next })
}
