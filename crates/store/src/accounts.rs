//! Merchant accounts at providers. Secrets are not here: they live in the OS keyring.

use crate::{Result, StoreError};
use guichet_types::{Country, Currency, Provider};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

pub const MIGRATION_1: &str = "
CREATE TABLE accounts (
    id                    INTEGER PRIMARY KEY,
    label                 TEXT NOT NULL UNIQUE,
    provider              TEXT NOT NULL CHECK (provider IN ('cinetpay', 'mycoolpay', 'softsystem')),
    currency              TEXT NOT NULL CHECK (currency IN ('XOF', 'XAF')),
    country               TEXT NOT NULL CHECK (country IN ('CI', 'CM')),
    site_id               TEXT,
    public_key            TEXT,
    client_reference      TEXT,
    notify_url            TEXT,
    base_url              TEXT,
    low_balance_threshold INTEGER,
    sandbox               INTEGER NOT NULL DEFAULT 0,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);
";

/// The providers an account may be at, as a table the accounts refer to instead of a `CHECK`
/// list: [`crate::Store::open`] fills it from [`Provider::ALL`], so the database still refuses
/// an unknown provider while a new one needs no migration. The accounts table is rebuilt with
/// the same columns and rows (migrations run with foreign keys off and checked before commit).
pub const MIGRATION_14: &str = "
CREATE TABLE providers (name TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO providers (name) SELECT DISTINCT provider FROM accounts;
CREATE TABLE accounts_new (
    id                    INTEGER PRIMARY KEY,
    label                 TEXT NOT NULL UNIQUE,
    provider              TEXT NOT NULL REFERENCES providers (name),
    currency              TEXT NOT NULL CHECK (currency IN ('XOF', 'XAF')),
    country               TEXT NOT NULL CHECK (country IN ('CI', 'CM')),
    site_id               TEXT,
    public_key            TEXT,
    client_reference      TEXT,
    notify_url            TEXT,
    base_url              TEXT,
    low_balance_threshold INTEGER,
    sandbox               INTEGER NOT NULL DEFAULT 0,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);
INSERT INTO accounts_new (id, label, provider, currency, country, site_id, public_key,
    client_reference, notify_url, base_url, low_balance_threshold, sandbox, created_at, updated_at)
SELECT id, label, provider, currency, country, site_id, public_key, client_reference,
    notify_url, base_url, low_balance_threshold, sandbox, created_at, updated_at FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;
";

/// Makes every provider Guichet knows one an account may be at (see [`MIGRATION_14`]).
pub(crate) fn know_providers(conn: &Connection) -> Result<()> {
    let mut insert = conn.prepare_cached("INSERT OR IGNORE INTO providers (name) VALUES (?1)")?;
    for p in Provider::ALL {
        insert.execute([p.as_str()])?;
    }
    Ok(())
}

/// An account as stored: identifiers only, no secret. Its fields are [`AccountFields`] (read
/// through `Deref`), with the store's id and timestamps around them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccountRow {
    pub id: i64,
    #[serde(flatten)]
    #[cfg_attr(feature = "ts", ts(flatten))]
    pub fields: AccountFields,
    pub created_at: String,
    pub updated_at: String,
}

/// The fields a caller sets; `id` and timestamps are the store's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccountFields {
    pub label: String,
    pub provider: Provider,
    pub currency: Currency,
    pub country: Country,
    pub site_id: Option<String>,
    pub public_key: Option<String>,
    pub client_reference: Option<String>,
    pub notify_url: Option<String>,
    pub base_url: Option<String>,
    pub low_balance_threshold: Option<i64>,
    /// Created by the demo mode against the built-in sandbox.
    pub sandbox: bool,
}

impl std::ops::Deref for AccountRow {
    type Target = AccountFields;
    fn deref(&self) -> &AccountFields {
        &self.fields
    }
}

impl std::ops::DerefMut for AccountRow {
    fn deref_mut(&mut self) -> &mut AccountFields {
        &mut self.fields
    }
}

impl AccountFields {
    /// The value of the identifier column `field` (`site_id`, `public_key`, `client_reference`),
    /// the one a provider's identity names.
    pub fn identifier(&self, field: &str) -> Option<&str> {
        match field {
            "site_id" => self.site_id.as_deref(),
            "public_key" => self.public_key.as_deref(),
            "client_reference" => self.client_reference.as_deref(),
            _ => None,
        }
    }
}

const COLUMNS: &str =
    "id, label, provider, currency, country, site_id, public_key, client_reference, \
     notify_url, base_url, low_balance_threshold, sandbox, created_at, updated_at";

fn from_row(r: &Row) -> rusqlite::Result<AccountRow> {
    let text = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    let bad = |i: usize, e: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    };
    let fields = AccountFields {
        label: r.get(1)?,
        provider: text(2)?
            .parse()
            .map_err(|e: guichet_types::provider::UnknownProvider| bad(2, e.to_string()))?,
        currency: text(3)?
            .parse()
            .map_err(|e: guichet_types::money::UnknownCurrency| bad(3, e.to_string()))?,
        country: text(4)?
            .parse()
            .map_err(|e: guichet_types::provider::UnknownCountry| bad(4, e.to_string()))?,
        site_id: r.get(5)?,
        public_key: r.get(6)?,
        client_reference: r.get(7)?,
        notify_url: r.get(8)?,
        base_url: r.get(9)?,
        low_balance_threshold: r.get(10)?,
        sandbox: r.get(11)?,
    };
    Ok(AccountRow {
        id: r.get(0)?,
        fields,
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
    })
}

/// Runs `sql` with the fields as ?1 to ?11 (in the columns' order), the time as ?12 and `id`
/// as ?13: the one list of values for adding and for changing an account.
fn write(conn: &Connection, sql: &str, f: &AccountFields, id: Option<i64>) -> Result<usize> {
    conn.execute(
        sql,
        params![
            f.label,
            f.provider.as_str(),
            f.currency.as_str(),
            f.country.as_str(),
            f.site_id,
            f.public_key,
            f.client_reference,
            f.notify_url,
            f.base_url,
            f.low_balance_threshold,
            f.sandbox,
            crate::now_utc(),
            id
        ],
    )
    .map_err(|e| StoreError::unique(e, "account", &f.label))
}

pub fn insert(conn: &Connection, f: &AccountFields) -> Result<AccountRow> {
    // A NULL id is given the next one.
    write(
        conn,
        "INSERT INTO accounts (label, provider, currency, country, site_id, public_key, client_reference,
             notify_url, base_url, low_balance_threshold, sandbox, created_at, updated_at, id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13)",
        f,
        None,
    )?;
    get(conn, conn.last_insert_rowid())
}

pub fn update(conn: &Connection, id: i64, f: &AccountFields) -> Result<AccountRow> {
    let n = write(
        conn,
        "UPDATE accounts SET label = ?1, provider = ?2, currency = ?3, country = ?4, site_id = ?5,
             public_key = ?6, client_reference = ?7, notify_url = ?8, base_url = ?9,
             low_balance_threshold = ?10, sandbox = ?11, updated_at = ?12
         WHERE id = ?13",
        f,
        Some(id),
    )?;
    if n == 0 {
        return Err(StoreError::NotFound {
            what: "account",
            key: id.to_string(),
        });
    }
    get(conn, id)
}

pub fn get(conn: &Connection, id: i64) -> Result<AccountRow> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM accounts WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "account",
        key: id.to_string(),
    })
}

pub fn by_label(conn: &Connection, label: &str) -> Result<AccountRow> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM accounts WHERE label = ?1"),
        [label],
        from_row,
    )
    .optional()?
    .ok_or(StoreError::NotFound {
        what: "account",
        key: label.to_string(),
    })
}

pub fn list(conn: &Connection) -> Result<Vec<AccountRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM accounts ORDER BY label COLLATE NOCASE"
    ))?;
    let rows = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Removes the account. Refused by the foreign keys while payouts or collections refer to it
/// ([`StoreError::InUse`]): the books must keep them.
pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    let n = conn
        .execute("DELETE FROM accounts WHERE id = ?1", [id])
        .map_err(|e| StoreError::in_use(e, "account", &id.to_string()))?;
    if n == 0 {
        return Err(StoreError::NotFound {
            what: "account",
            key: id.to_string(),
        });
    }
    Ok(())
}

crate::table::table! {
    /// The accounts.
    Accounts, AccountsMut;
    read {
        fn get(id: i64) -> Result<AccountRow>;
        fn by_label(label: &str) -> Result<AccountRow>;
        fn list() -> Result<Vec<AccountRow>>;
    }
    write {
        fn insert(f: &AccountFields) -> Result<AccountRow>;
        fn update(id: i64, f: &AccountFields) -> Result<AccountRow>;
        fn delete(id: i64) -> Result<()>;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_account_serialises_flat_with_one_key_per_column() {
        let row = AccountRow {
            id: 7,
            fields: AccountFields {
                label: "Shop".into(),
                provider: Provider::Cinetpay,
                currency: Currency::XOF,
                country: Country::CI,
                site_id: Some("123".into()),
                public_key: None,
                client_reference: None,
                notify_url: None,
                base_url: None,
                low_balance_threshold: Some(5),
                sandbox: false,
            },
            created_at: "c".into(),
            updated_at: "u".into(),
        };
        let json = serde_json::to_value(&row).unwrap();
        let mut keys: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
        let mut columns: Vec<_> = COLUMNS.split(',').map(|c| c.trim().to_string()).collect();
        keys.sort();
        columns.sort();
        assert_eq!(keys, columns);
        assert_eq!(json["label"], "Shop");
        assert_eq!(row.label, "Shop", "the fields read through the row");
        assert_eq!(row.fields.identifier("site_id"), Some("123"));
    }
}
