//! What the store's tests share: a new store, and a CinetPay account to hang rows on.
// Each test binary uses the part it needs.
#![allow(dead_code)]

use guichet_store::{accounts, Store};
use guichet_types::{Country, Currency, Provider};
use rusqlite::Connection;

/// A CinetPay account in Côte d'Ivoire, named `label`.
pub fn fields(label: &str) -> accounts::AccountFields {
    accounts::AccountFields {
        label: label.into(),
        provider: Provider::Cinetpay,
        currency: Currency::XOF,
        country: Country::CI,
        site_id: Some("445160".into()),
        public_key: None,
        client_reference: None,
        notify_url: None,
        base_url: None,
        low_balance_threshold: None,
        sandbox: false,
    }
}

/// Inserts [`fields`]`(label)`; its id.
pub fn account(conn: &Connection, label: &str) -> i64 {
    accounts::insert(conn, &fields(label)).unwrap().id
}

/// A new store in a temporary directory, which lasts as long as the directory guard returned
/// with it.
pub fn fresh() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("guichet.db")).unwrap();
    (dir, store)
}
