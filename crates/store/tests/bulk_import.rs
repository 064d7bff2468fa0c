//! Storing an import's new contacts: many rows per statement, in one transaction that either
//! stores everything or nothing.

mod common;

use guichet_store::contacts::{self, NewContact};
use guichet_store::{bulk, contact_search, Store, StoreError};
use rusqlite::Connection;

fn contact(account_id: i64, i: usize) -> NewContact {
    NewContact {
        account_id,
        prefix: "225".into(),
        phone: format!("07{:08}", i),
        name: format!("Koné {i}"),
        surname: "Aïcha".into(),
        email: format!("a{i}@example.ci"),
        operator: i.is_multiple_of(2).then(|| "Orange".to_string()),
    }
}

fn count(conn: &Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn new_contacts_are_stored_in_order_with_growing_ids() {
    let (_dir, store) = common::fresh();
    let conn = store.conn();
    let a = common::account(&conn, "A");
    let now = guichet_store::now_utc();
    // More than one statement's worth of rows, and a remainder.
    let batch: Vec<NewContact> = (0..150).map(|i| contact(a, i)).collect();
    let ids = contacts::insert_new(&conn, &batch, &now).unwrap();
    assert_eq!(ids, (1..=150).collect::<Vec<i64>>());
    for (c, id) in batch.iter().zip(&ids) {
        let row = contacts::get(&conn, *id).unwrap();
        assert_eq!(
            (
                &row.phone,
                &row.name,
                &row.surname,
                &row.email,
                &row.operator
            ),
            (&c.phone, &c.name, &c.surname, &c.email, &c.operator)
        );
        assert_eq!(row.provider_state, contacts::ProviderState::Local);
        assert_eq!(
            (row.created_at.as_str(), row.updated_at.as_str()),
            (now.as_str(), now.as_str())
        );
    }
    // Ids keep growing after the newest contact is deleted, as SQLite's own would.
    contacts::delete(&conn, 150).unwrap();
    let more = contacts::insert_new(&conn, &[contact(a, 500), contact(a, 501)], &now).unwrap();
    assert_eq!(more, vec![150, 151]);
    assert!(contacts::insert_new(&conn, &[], &now).unwrap().is_empty());
}

#[test]
fn a_number_already_there_fails_and_the_import_stores_nothing() {
    let (_dir, store) = common::fresh();
    let conn = store.conn();
    let a = common::account(&conn, "A");
    let now = guichet_store::now_utc();
    contacts::stage(&conn, &contact(a, 100), &now).unwrap();
    let batch: Vec<NewContact> = (0..150).map(|i| contact(a, i)).collect();
    let failed = bulk::write(&conn, |tx| {
        contacts::insert_new(tx, &batch[..64], &now)?;
        // The second statement holds number 100, already stored.
        contacts::insert_new(tx, &batch[64..], &now)
    });
    assert!(matches!(failed, Err(StoreError::Sqlite(_))), "{failed:?}");
    assert_eq!(count(&conn), 1);
}

#[test]
fn a_bulk_write_commits_and_leaves_the_checkpoint_to_the_next_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guichet.db");
    let store = Store::open(&path).unwrap();
    let conn = store.conn();
    let a = common::account(&conn, "A");
    let now = guichet_store::now_utc();
    let file_size = || std::fs::metadata(&path).unwrap().len();
    let before = file_size();
    // Well past the 1,000 pages of WAL at which SQLite checkpoints after a commit.
    let batch: Vec<NewContact> = (0..30_000).map(|i| contact(a, i)).collect();
    let ids = bulk::write(&conn, |tx| contacts::insert_new(tx, &batch, &now)).unwrap();
    assert_eq!(ids.len(), 30_000);
    // Committed: another connection sees it, while the database file itself is untouched.
    assert_eq!(
        count(&rusqlite::Connection::open(store.path()).unwrap()),
        30_000
    );
    assert_eq!(file_size(), before);
    let every: i64 = conn
        .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
        .unwrap();
    assert_eq!(every, 1000);
    // The page cache it grew for the write is back to its size.
    let cache: i64 = conn
        .query_row("PRAGMA cache_size", [], |r| r.get(0))
        .unwrap();
    assert_eq!(cache, -2000);
    // The next write (after an import, the search indexing) checkpoints as usual.
    contact_search::index_some(&conn, 10).unwrap();
    assert!(
        file_size() > before + 1_000_000,
        "{} -> {}",
        before,
        file_size()
    );

    // An error inside rolls everything back.
    let failed: Result<(), StoreError> = bulk::write(&conn, |tx| {
        contacts::insert_new(tx, &[contact(a, 90_000)], &now)?;
        Err(StoreError::NotFound {
            what: "test",
            key: "x".into(),
        })
    });
    assert!(failed.is_err());
    assert_eq!(count(&conn), 30_000);
}

/// The contacts table's own indexes, as the schema creates them.
fn indexes(conn: &Connection) -> Vec<(String, String)> {
    conn.prepare(
        "SELECT name, sql FROM sqlite_schema
         WHERE type = 'index' AND tbl_name = 'contacts' AND sql IS NOT NULL ORDER BY name",
    )
    .unwrap()
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn indexes_set_aside_for_a_write_are_built_again_before_it_commits() {
    let (_dir, store) = common::fresh();
    let conn = store.conn();
    let a = common::account(&conn, "A");
    let now = guichet_store::now_utc();
    let schema = indexes(&conn);
    assert!(schema.len() >= 2, "{schema:?}");

    // A write that fails once they are dropped leaves them as they were.
    let failed: Result<(), StoreError> = bulk::write(&conn, |bulk| {
        bulk.set_aside_indexes("contacts")?;
        assert!(indexes(bulk).is_empty());
        contacts::insert_new(bulk, &[contact(a, 1)], &now)?;
        Err(StoreError::NotFound {
            what: "test",
            key: "x".into(),
        })
    });
    assert!(failed.is_err());
    assert_eq!(indexes(&conn), schema);
    assert_eq!(count(&conn), 0);

    // A write that succeeds commits its rows with every index built again, in the same words.
    let batch: Vec<NewContact> = (0..500).rev().map(|i| contact(a, i)).collect();
    bulk::write(&conn, |bulk| {
        bulk.set_aside_indexes("contacts")?;
        contacts::insert_new(bulk, &batch, &now)
    })
    .unwrap();
    assert_eq!(indexes(&conn), schema);
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    // The list is served from them again: its first page, in name order.
    let plan: Vec<String> = conn
        .prepare(
            "EXPLAIN QUERY PLAN SELECT id FROM contacts WHERE account_id = 1
             ORDER BY name COLLATE NOCASE, surname COLLATE NOCASE, id LIMIT 5",
        )
        .unwrap()
        .query_map([], |r| r.get(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let plan = plan.join(" / ");
    assert!(plan.contains("contacts_by_account_name"), "{plan}");
    let first: Vec<String> = conn
        .prepare(
            "SELECT name FROM contacts WHERE account_id = ?1
             ORDER BY name COLLATE NOCASE, surname COLLATE NOCASE, id LIMIT 3",
        )
        .unwrap()
        .query_map([a], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(first, ["Koné 0", "Koné 1", "Koné 10"]);
}
