//! What the store's tests share: a new store, and a CinetPay account to hang rows on.
// Each test binary uses the part it needs.
#![allow(dead_code)]

use guichet_store::{accounts, payouts, Store};
use guichet_types::{Amount, Country, Currency, Provider};
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

/// A payout of 5,000 francs to Awa, +225 0707123456, queued under `reference`.
pub fn payout(account_id: i64, reference: &str) -> payouts::NewPayout {
    payouts::NewPayout {
        account_id,
        batch_id: None,
        reference: reference.into(),
        prefix: "225".into(),
        phone: "0707123456".into(),
        name: "Awa".into(),
        operator: None,
        reason: String::new(),
        amount: Amount(5000),
        currency: "XOF".into(),
        merchant_reference: String::new(),
    }
}
