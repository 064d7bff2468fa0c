use guichet_store::{accounts, events, migrations, payouts, Store, StoreError, BACKUP_MARKER};
use guichet_types::{Amount, Country, Currency, Provider, UnifiedStatus};
use rusqlite::Connection;

fn fields(label: &str) -> accounts::AccountFields {
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

fn backups(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(BACKUP_MARKER))
        .collect()
}

#[test]
fn a_new_database_is_created_at_the_latest_schema_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("guichet.db")).unwrap();
    assert_eq!(store.schema_version().unwrap(), migrations::LATEST);
    let conn = store.conn();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let sync: i64 = conn
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .unwrap();
    let fk: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!((mode.as_str(), sync, fk), ("wal", 2, 1));
    drop(conn);
    assert!(
        backups(dir.path()).is_empty(),
        "no backup for a brand-new file"
    );
}

#[test]
fn an_old_schema_is_backed_up_then_upgraded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guichet.db");
    {
        let mut conn = Connection::open(&path).unwrap();
        migrations::apply_up_to(&mut conn, 0, 1).unwrap();
        conn.execute(
            "INSERT INTO accounts (label, provider, currency, country, created_at, updated_at)
             VALUES ('Boutique', 'cinetpay', 'XOF', 'CI', 'x', 'x')",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), migrations::LATEST);
    assert_eq!(
        accounts::by_label(&store.conn(), "Boutique").unwrap().label,
        "Boutique"
    );

    let found = backups(dir.path());
    assert_eq!(found.len(), 1, "one backup taken: {found:?}");
    assert!(found[0].to_string_lossy().contains(".bak-v1-"));
    let backup = Connection::open(&found[0]).unwrap();
    let v: i64 = backup
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let n: i64 = backup
        .query_row("SELECT count(*) FROM accounts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        (v, n),
        (1, 1),
        "the backup is the database as it was before migrating"
    );
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guichet.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(&format!(
            "CREATE TABLE future (x); PRAGMA user_version = {};",
            migrations::LATEST + 1
        ))
        .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    match Store::open(&path) {
        Err(StoreError::NewerSchema { found, known, .. }) => {
            assert_eq!((found, known), (migrations::LATEST + 1, migrations::LATEST))
        }
        other => panic!("expected NewerSchema, got {:?}", other.map(|_| ())),
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(backups(dir.path()).is_empty());
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guichet.db");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("left untouched"));
    assert_eq!(std::fs::read(&path).unwrap(), garbage);
}

#[test]
fn labels_are_unique() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("g.db")).unwrap();
    let conn = store.conn();
    accounts::insert(&conn, &fields("Boutique")).unwrap();
    let err = accounts::insert(&conn, &fields("Boutique")).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Duplicate {
                what: "account",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(accounts::list(&conn).unwrap().len(), 1);
}

#[test]
fn the_event_log_is_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("g.db")).unwrap();
    let conn = store.conn();
    let id = events::append(
        &conn,
        "account.added",
        None,
        Some("Boutique"),
        &serde_json::json!({}),
    )
    .unwrap();
    assert!(conn
        .execute("UPDATE event_log SET kind = 'x' WHERE id = ?1", [id])
        .is_err());
    assert!(conn
        .execute("DELETE FROM event_log WHERE id = ?1", [id])
        .is_err());
    assert_eq!(events::page(&conn, None, 10).unwrap().len(), 1);
}

#[test]
fn payout_statuses_only_move_forwards_and_every_change_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("g.db")).unwrap();
    let conn = store.conn();
    let acc = accounts::insert(&conn, &fields("Boutique")).unwrap();
    let p = payouts::insert_queued(
        &conn,
        &payouts::NewPayout {
            account_id: acc.id,
            batch_id: None,
            reference: "GCH-1".into(),
            prefix: "225".into(),
            phone: "0707123456".into(),
            name: "Awa".into(),
            operator: None,
            reason: String::new(),
            amount: Amount(5000),
            currency: "XOF".into(),
        },
    )
    .unwrap();
    let ch = |event| payouts::Change {
        event,
        ..Default::default()
    };
    assert!(
        payouts::transition(&conn, p.id, UnifiedStatus::Submitting, &ch("sent"))
            .unwrap()
            .is_some()
    );
    assert!(
        payouts::transition(&conn, p.id, UnifiedStatus::Pending, &ch("answer"))
            .unwrap()
            .is_some()
    );
    assert!(
        payouts::transition(&conn, p.id, UnifiedStatus::Queued, &ch("bad"))
            .unwrap()
            .is_none()
    );
    let done = payouts::transition(&conn, p.id, UnifiedStatus::Succeeded, &ch("poll"))
        .unwrap()
        .unwrap();
    assert!(done.final_at.is_some());
    assert!(
        payouts::transition(&conn, p.id, UnifiedStatus::Failed, &ch("late"))
            .unwrap()
            .is_none()
    );
    assert_eq!(
        payouts::get(&conn, p.id).unwrap().status,
        UnifiedStatus::Succeeded
    );

    let events: Vec<_> = payouts::history(&conn, p.id)
        .unwrap()
        .into_iter()
        .map(|h| h.event)
        .collect();
    assert_eq!(
        events,
        ["queued", "sent", "answer", "ignored", "poll", "ignored"]
    );
    assert!(conn.execute("DELETE FROM payout_history", []).is_err());
    // The reference is the payout's identity with the provider: it can't be reused.
    let dup = payouts::insert_queued(
        &conn,
        &payouts::NewPayout {
            reference: "GCH-1".into(),
            ..payouts::NewPayout {
                account_id: acc.id,
                batch_id: None,
                reference: String::new(),
                prefix: "225".into(),
                phone: "0707123456".into(),
                name: String::new(),
                operator: None,
                reason: String::new(),
                amount: Amount(5000),
                currency: "XOF".into(),
            }
        },
    );
    assert!(matches!(dup, Err(StoreError::Duplicate { .. })));
}

#[test]
fn a_status_and_its_history_entry_are_written_together_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("g.db")).unwrap();
    let conn = store.conn();
    let acc = accounts::insert(&conn, &fields("Boutique")).unwrap();
    let new = |reference: &str| payouts::NewPayout {
        account_id: acc.id,
        batch_id: None,
        reference: reference.into(),
        prefix: "225".into(),
        phone: "0707123456".into(),
        name: String::new(),
        operator: None,
        reason: String::new(),
        amount: Amount(5000),
        currency: "XOF".into(),
    };
    let p = payouts::insert_queued(&conn, &new("GCH-1")).unwrap();
    // The history write fails after the status was updated (as a crash between them would
    // leave it): the status must not have moved.
    conn.execute_batch(
        "CREATE TEMP TRIGGER history_fails BEFORE INSERT ON payout_history
             WHEN NEW.status = 'submitting' BEGIN SELECT RAISE(ABORT, 'disk full'); END;
         CREATE TEMP TRIGGER no_second BEFORE INSERT ON payout_history
             WHEN NEW.payout_id > 1 BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
    )
    .unwrap();
    let change = payouts::Change {
        event: "sent",
        ..Default::default()
    };
    assert!(payouts::transition(&conn, p.id, UnifiedStatus::Submitting, &change).is_err());
    assert_eq!(
        payouts::get(&conn, p.id).unwrap().status,
        UnifiedStatus::Queued
    );
    assert_eq!(payouts::history(&conn, p.id).unwrap().len(), 1);
    // Nor is a payout recorded without its first history entry.
    assert!(payouts::insert_queued(&conn, &new("GCH-2")).is_err());
    let count: i64 = conn
        .query_row("SELECT count(*) FROM payouts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 1);
}

#[test]
fn settings_are_kept_as_json_text_and_replaced() {
    use guichet_store::settings;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("guichet.db")).unwrap();
    let conn = store.conn();
    assert_eq!(settings::get(&conn, "balance_check.hour").unwrap(), None);
    settings::set(&conn, "balance_check.hour", "7").unwrap();
    settings::set(&conn, "balance_check.hour", "null").unwrap();
    assert_eq!(
        settings::get(&conn, "balance_check.hour")
            .unwrap()
            .as_deref(),
        Some("null")
    );
}

#[test]
fn a_repeated_collection_status_changes_nothing_and_a_final_one_stays() {
    use guichet_store::collections::{self, Change, CollectionKind, NewCollection};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("guichet.db")).unwrap();
    let conn = store.conn();
    let account = accounts::insert(&conn, &fields("Abidjan")).unwrap();
    let c = collections::insert_queued(
        &conn,
        &NewCollection {
            account_id: account.id,
            kind: CollectionKind::Cinetpay,
            reference: "GCH1".into(),
            amount: Amount(3000),
            currency: "XOF".into(),
            phone: None,
            name: None,
            email: None,
            reason: "Pagne".into(),
        },
    )
    .unwrap();
    let paid = Change {
        event: "callback",
        ..Default::default()
    };
    for _ in 0..10 {
        collections::transition(&conn, c.id, UnifiedStatus::Succeeded, &paid).unwrap();
    }
    let refused = collections::transition(&conn, c.id, UnifiedStatus::Failed, &paid).unwrap();
    assert!(refused.is_none());
    let history = collections::history(&conn, c.id).unwrap();
    let events: Vec<_> = history.iter().map(|h| h.event.as_str()).collect();
    assert_eq!(events, ["queued", "callback", "ignored"]);
    assert_eq!(
        collections::get(&conn, c.id).unwrap().status,
        UnifiedStatus::Succeeded
    );
    let dup = collections::insert_queued(
        &conn,
        &NewCollection {
            account_id: account.id,
            kind: CollectionKind::Cinetpay,
            reference: "GCH1".into(),
            amount: Amount(1),
            currency: "XOF".into(),
            phone: None,
            name: None,
            email: None,
            reason: String::new(),
        },
    );
    assert!(matches!(dup, Err(StoreError::Duplicate { .. })));
}
