//! Migration 14: the providers and kinds of collection become tables that accounts and
//! collections refer to. A database at version 13 with rows in every table that refers to an
//! account keeps them all, with their indexes, triggers and foreign keys; and the database
//! still refuses a provider or kind it does not know.

use guichet_store::collections::CollectionKind;
use guichet_store::{migrations, Store};
use guichet_types::Provider;
use rusqlite::Connection;

const ROWS_AT_13: &str = "
INSERT INTO accounts (id, label, provider, currency, country, site_id, public_key,
    client_reference, created_at, updated_at)
VALUES (1, 'Boutique', 'cinetpay', 'XOF', 'CI', '445160', NULL, NULL, 't1', 't1'),
       (2, 'Douala', 'mycoolpay', 'XAF', 'CM', NULL, 'pk', NULL, 't2', 't2'),
       (3, 'Caisse', 'softsystem', 'XOF', 'CI', NULL, NULL, 'REF', 't3', 't3'),
       (4, 'Vide', 'cinetpay', 'XOF', 'CI', '1', NULL, NULL, 't4', 't4');
INSERT INTO contacts (account_id, prefix, phone, name, provider_state, created_at, updated_at)
VALUES (1, '225', '0707123456', 'Koné', 'added', 'x', 'x'),
       (4, '225', '0707000000', 'Awa', 'local', 'x', 'x');
INSERT INTO balance_snapshots (account_id, taken_at, kind, amount, currency)
VALUES (1, 'x', 'transfer', '865.4', 'XOF'), (4, 'x', 'transfer', '1', 'XOF');
INSERT INTO batches (id, account_id, file_name, file_sha256, row_count, total, created_at)
VALUES (1, 1, 'paie.xlsx', 'abc', 1, 5000, 'x');
INSERT INTO payouts (id, account_id, batch_id, reference, prefix, phone, amount, currency,
    status, created_at, updated_at)
VALUES (1, 1, 1, 'GCH-1', '225', '0707123456', 5000, 'XOF', 'pending', 'x', 'x');
INSERT INTO payout_history (payout_id, at, status, event) VALUES (1, 'x', 'pending', 'accepted');
INSERT INTO collections (id, account_id, kind, reference, amount, currency, status, created_at,
    updated_at, final_at)
VALUES (1, 2, 'payin', 'COL-1', 1000, 'XAF', 'pending', 'x', 'x', NULL),
       (2, 3, 'softsystem', 'COL-2', 2000, 'XOF', 'succeeded', 'x', 'x', 'y'),
       (3, 1, 'cinetpay', 'COL-3', 3000, 'XOF', 'pending', 'x', 'x', NULL),
       (4, 2, 'paylink', 'COL-4', 4000, 'XAF', 'pending', 'x', 'x', NULL);
INSERT INTO collection_history (collection_id, at, status, event)
VALUES (1, 'x', 'pending', 'created'), (2, 'x', 'succeeded', 'paid');
INSERT INTO callbacks (received_at, provider, account_id, source, verdict, body)
VALUES ('x', 'mycoolpay', 2, '15.236.140.89', 'ok', '{}');
INSERT INTO column_choices (account_id, layout, choices, updated_at) VALUES (4, 'l', '{}', 'x');
";

const TABLES: [&str; 10] = [
    "accounts",
    "contacts",
    "balance_snapshots",
    "batches",
    "payouts",
    "payout_history",
    "collections",
    "collection_history",
    "callbacks",
    "column_choices",
];

/// The columns of each table, as they are now.
fn columns(conn: &Connection) -> Vec<(String, Vec<String>)> {
    TABLES
        .iter()
        .map(|t| {
            let names = conn
                .prepare(&format!(
                    "SELECT name FROM pragma_table_info('{t}') ORDER BY cid"
                ))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<Vec<String>>>()
                .unwrap();
            (t.to_string(), names)
        })
        .collect()
}

/// Every row of every table, in `columns` only: later steps may add columns of their own.
fn dump(conn: &Connection, columns: &[(String, Vec<String>)]) -> Vec<(String, Vec<String>)> {
    columns
        .iter()
        .map(|(t, names)| {
            let mut stmt = conn
                .prepare(&format!(
                    "SELECT {} FROM {t} ORDER BY rowid",
                    names.join(", ")
                ))
                .unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    let cells: Vec<String> = (0..n)
                        .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                        .collect();
                    Ok(cells.join("|"))
                })
                .unwrap()
                .collect::<rusqlite::Result<Vec<_>>>()
                .unwrap();
            (t.clone(), rows)
        })
        .collect()
}

fn names(conn: &Connection, kind: &str, table: &str) -> Vec<String> {
    conn.prepare(
        "SELECT name FROM sqlite_schema WHERE type = ?1 AND tbl_name = ?2 AND sql IS NOT NULL
         ORDER BY name",
    )
    .unwrap()
    .query_map([kind, table], |r| r.get(0))
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

#[test]
fn a_database_at_13_keeps_its_rows_indexes_triggers_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guichet.db");
    let (before, columns, indexes, triggers) = {
        let mut conn = Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        migrations::apply_up_to(&mut conn, 0, 13).unwrap();
        conn.execute_batch(ROWS_AT_13).unwrap();
        let indexes: Vec<_> = ["accounts", "collections"]
            .iter()
            .map(|t| names(&conn, "index", t))
            .collect();
        let triggers = names(&conn, "trigger", "collection_history");
        let columns = columns(&conn);
        (dump(&conn, &columns), columns, indexes, triggers)
    };
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), migrations::LATEST);
    let conn = store.conn();
    assert_eq!(dump(&conn, &columns), before, "every row kept as it was");
    let after: Vec<_> = ["accounts", "collections"]
        .iter()
        .map(|t| names(&conn, "index", t))
        .collect();
    assert_eq!(after, indexes);
    assert_eq!(indexes[1].len(), 3, "{indexes:?}");
    assert_eq!(names(&conn, "trigger", "collection_history"), triggers);
    let fk: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1, "foreign keys enforced again after migrating");
    let dangling: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(dangling, 0);

    // The history stays append-only.
    assert!(conn
        .execute("DELETE FROM collection_history WHERE collection_id = 1", [])
        .is_err());
    // An account others refer to cannot go; one with only contacts, balances and column
    // choices takes them along (ON DELETE CASCADE, as before).
    assert!(conn
        .execute("DELETE FROM accounts WHERE id = 1", [])
        .is_err());
    conn.execute("DELETE FROM accounts WHERE id = 4", [])
        .unwrap();
    for t in ["contacts", "balance_snapshots", "column_choices"] {
        let n: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM {t} WHERE account_id = 4"),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 0, "{t}");
    }
    // A collection still refers to its account, and its history to it.
    assert!(conn
        .execute(
            "INSERT INTO collections (account_id, kind, reference, amount, currency, status,
                 created_at, updated_at) VALUES (99, 'payin', 'COL-9', 1, 'XAF', 'pending', 'x', 'x')",
            [],
        )
        .is_err());
    assert!(conn
        .execute(
            "INSERT INTO collection_history (collection_id, at, status, event)
             VALUES (99, 'x', 'pending', 'created')",
            [],
        )
        .is_err());
}

#[test]
fn an_unknown_provider_or_kind_is_refused_without_a_check_list() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("guichet.db")).unwrap();
    let conn = store.conn();
    let known = |sql: &str| -> Vec<String> {
        conn.prepare(sql)
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let mut providers: Vec<String> = Provider::ALL.iter().map(|p| p.as_str().into()).collect();
    providers.sort();
    assert_eq!(known("SELECT name FROM providers ORDER BY name"), providers);
    let mut kinds: Vec<String> = CollectionKind::ALL
        .iter()
        .map(|k| k.as_str().into())
        .collect();
    kinds.sort();
    assert_eq!(
        known("SELECT name FROM collection_kinds ORDER BY name"),
        kinds
    );
    let schema: String = conn
        .query_row(
            "SELECT group_concat(sql, ' ') FROM sqlite_schema WHERE name IN ('accounts', 'collections')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!schema.contains("IN ('cinetpay'"), "{schema}");
    assert!(!schema.contains("IN ('payin'"), "{schema}");

    assert!(conn
        .execute(
            "INSERT INTO accounts (label, provider, currency, country, created_at, updated_at)
             VALUES ('X', 'paydunya', 'XOF', 'CI', 'x', 'x')",
            [],
        )
        .is_err());
    conn.execute(
        "INSERT INTO accounts (label, provider, currency, country, created_at, updated_at)
         VALUES ('A', 'cinetpay', 'XOF', 'CI', 'x', 'x')",
        [],
    )
    .unwrap();
    assert!(conn
        .execute(
            "INSERT INTO collections (account_id, kind, reference, amount, currency, status,
                 created_at, updated_at) VALUES (1, 'qr', 'C', 1, 'XOF', 'pending', 'x', 'x')",
            [],
        )
        .is_err());
    // A provider this build did not know when the file was made is one row: what opening
    // the file with a build that knows it does (no migration).
    conn.execute("INSERT INTO providers (name) VALUES ('paydunya')", [])
        .unwrap();
    conn.execute(
        "INSERT INTO accounts (label, provider, currency, country, created_at, updated_at)
         VALUES ('X', 'paydunya', 'XOF', 'CI', 'x', 'x')",
        [],
    )
    .unwrap();
}
