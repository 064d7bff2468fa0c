mod common;
use common::fields;
use guichet_store::{
    accounts, batches, events, migrations, page, payouts, Store, StoreError, BACKUP_MARKER,
};
use guichet_types::{Amount, UnifiedStatus};
use rusqlite::Connection;

fn backups(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(BACKUP_MARKER))
        .collect()
}

#[test]
fn a_new_database_is_created_at_the_latest_schema_in_wal_mode() {
    let (dir, store) = common::fresh();
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
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
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
    // The backup holds the same names and amounts: the merchant's alone, like the database
    // (which was made 0644 by hand above the umask and is narrowed on open).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&found[0]), 0o600);
        assert_eq!(mode(&path), 0o600);
    }
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
    let (_dir, store) = common::fresh();
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
    let (_dir, store) = common::fresh();
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
    assert_eq!(
        events::page(&conn, page::PageRequest::first(10))
            .unwrap()
            .rows
            .len(),
        1
    );
}

#[test]
fn payout_statuses_only_move_forwards_and_every_change_is_recorded() {
    let (_dir, store) = common::fresh();
    let conn = store.conn();
    let acc = accounts::insert(&conn, &fields("Boutique")).unwrap();
    let p = payouts::insert_queued(&conn, &common::payout(acc.id, "GCH-1")).unwrap();
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
        .map(|h| h.entry.event)
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
            name: String::new(),
            ..common::payout(acc.id, "GCH-1")
        },
    );
    assert!(matches!(dup, Err(StoreError::Duplicate { .. })));
}

mod contact_list {
    use super::*;
    use guichet_store::contacts::{self, ListFilter, NewContact, ProviderState};

    fn contact(account_id: i64, phone: &str, name: &str) -> NewContact {
        NewContact {
            account_id,
            prefix: "225".into(),
            phone: phone.into(),
            name: name.into(),
            surname: "Awa".into(),
            ..Default::default()
        }
    }

    #[test]
    fn contacts_kept_before_the_provider_answer_gain_its_answer_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("guichet.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            migrations::apply_up_to(&mut conn, 0, 4).unwrap();
            conn.execute_batch(
                "INSERT INTO accounts (label, provider, currency, country, created_at, updated_at)
                 VALUES ('A', 'cinetpay', 'XOF', 'CI', 'x', 'x');
                 INSERT INTO contacts (account_id, prefix, phone, name, provider_state, lot,
                     created_at, updated_at)
                 VALUES (1, '225', '0707123456', 'Koné', 'added', 'L1', 'x', 'x');",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let conn = store.conn();
        let c = contacts::by_phone(&conn, 1, "225", "0707123456")
            .unwrap()
            .unwrap();
        assert_eq!(
            (
                c.name.as_str(),
                c.provider_state,
                c.lot.as_deref(),
                c.pushed_at
            ),
            ("Koné", ProviderState::Added, Some("L1"), None)
        );
    }

    #[test]
    fn staging_twice_keeps_one_contact_and_never_touches_one_at_the_provider() {
        let (_dir, store) = common::fresh();
        let conn = store.conn();
        let a = accounts::insert(&conn, &fields("A")).unwrap().id;
        let b = accounts::insert(&conn, &fields("B")).unwrap().id;
        let now = guichet_store::now_utc();
        let id = contacts::stage(&conn, &contact(a, "0707123456", "Koné"), &now).unwrap();
        assert_eq!(
            contacts::stage(&conn, &contact(a, "0707123456", "Kone A."), &now).unwrap(),
            id
        );
        assert_eq!(contacts::get(&conn, id).unwrap().name, "Kone A.");
        // The same number at another account is another contact.
        let other = contacts::stage(&conn, &contact(b, "0707123456", "Koné"), &now).unwrap();
        assert_ne!(other, id);

        contacts::record_provider_answer(
            &conn,
            id,
            ProviderState::Added,
            Some("0"),
            None,
            Some("L9"),
        )
        .unwrap();
        assert_eq!(
            contacts::stage(&conn, &contact(a, "0707123456", "Someone else"), &now).unwrap(),
            id
        );
        let c = contacts::get(&conn, id).unwrap();
        assert_eq!(
            (c.name.as_str(), c.provider_state, c.lot.as_deref()),
            ("Kone A.", ProviderState::Added, Some("L9"))
        );
        assert!(c.pushed_at.is_some());
        let states = contacts::states(&conn, a).unwrap();
        assert_eq!(
            states.get(&("225".to_string(), "0707123456".to_string())),
            Some(&ProviderState::Added)
        );
    }

    #[test]
    fn search_edit_and_delete() {
        let (_dir, store) = common::fresh();
        let conn = store.conn();
        let a = accounts::insert(&conn, &fields("A")).unwrap().id;
        let now = guichet_store::now_utc();
        let kone = contacts::stage(&conn, &contact(a, "0707123456", "Koné"), &now).unwrap();
        let yao = contacts::stage(&conn, &contact(a, "0505998877", "Yao"), &now).unwrap();
        let find = |q: &str| -> Vec<i64> {
            contacts::page(
                &conn,
                &ListFilter {
                    account_id: Some(a),
                    search: Some(q.into()),
                },
                &Default::default(),
            )
            .unwrap()
            .rows
            .iter()
            .map(|c| c.id)
            .collect()
        };
        assert_eq!(find("kon"), [kone]);
        assert_eq!(find("99 88"), [yao]);
        assert_eq!(find("awa"), [kone, yao]);
        assert_eq!(find("Awa Yao"), [yao]);
        assert!(find("zz").is_empty());

        contacts::record_provider_answer(
            &conn,
            yao,
            ProviderState::Present,
            Some("726"),
            None,
            None,
        )
        .unwrap();
        let renamed = contacts::update(
            &conn,
            yao,
            &NewContact {
                name: "Yao K.".into(),
                ..contact(a, "0505998877", "")
            },
        )
        .unwrap();
        assert_eq!(
            (renamed.name.as_str(), renamed.provider_state),
            ("Yao K.", ProviderState::Present)
        );
        let moved = contacts::update(&conn, yao, &contact(a, "0505111111", "Yao K.")).unwrap();
        assert_eq!(
            moved.provider_state,
            ProviderState::Local,
            "a new number is pushed again"
        );
        assert!(matches!(
            contacts::update(&conn, yao, &contact(a, "0707123456", "Yao")),
            Err(StoreError::Duplicate { .. })
        ));
        contacts::delete(&conn, kone).unwrap();
        assert!(matches!(
            contacts::delete(&conn, kone),
            Err(StoreError::NotFound { .. })
        ));
        assert_eq!(find(""), [yao]);
    }
}

#[test]
fn a_queued_payout_is_claimed_for_sending_once_and_a_batch_keeps_its_file_and_balances() {
    let (_dir, store) = common::fresh();
    let conn = store.conn();
    let acc = accounts::insert(&conn, &fields("Boutique")).unwrap();
    let batch = batches::insert_confirmed(
        &conn,
        &batches::NewBatch {
            account_id: acc.id,
            file_name: "paie.csv",
            file_sha256: "abc",
            sheet: None,
            row_count: 1,
            total: Amount(5000),
            skipped: 1,
            balance_before: Some("865.4"),
            again: false,
        },
    )
    .unwrap();
    let p = payouts::insert_queued(
        &conn,
        &payouts::NewPayout {
            batch_id: Some(batch.id),
            merchant_reference: "FACT-7".into(),
            ..common::payout(acc.id, "GCH-2")
        },
    )
    .unwrap();
    assert_eq!(p.merchant_reference, "FACT-7");
    let lease = payouts::Lease {
        holder: "1-A",
        until: "2999-01-01T00:00:00.000Z",
    };
    assert_eq!(payouts::claim(&conn, &[p.id], lease).unwrap(), [p.id]);
    assert!(
        payouts::claim(&conn, &[p.id], lease).unwrap().is_empty(),
        "claimed twice"
    );
    let p = payouts::get(&conn, p.id).unwrap();
    assert_eq!(p.status, UnifiedStatus::Submitting);
    assert!(p.submitted_at.is_some());
    let sent = payouts::history(&conn, p.id).unwrap();
    assert_eq!(sent.len(), 2, "queued, then sent once");
    assert_eq!(sent[1].event, "sent");
    assert_eq!(sent[1].detail, r#"{"amount":5000,"phone":"0707123456"}"#);

    assert_eq!(
        batches::same_file(&conn, acc.id, "abc")
            .unwrap()
            .map(|b| b.id),
        Some(batch.id)
    );
    assert!(batches::same_file(&conn, acc.id, "abd").unwrap().is_none());
    batches::set_balance_after(&conn, batch.id, "860.4").unwrap();
    let b = batches::get(&conn, batch.id).unwrap();
    assert_eq!(
        (b.balance_before.as_deref(), b.balance_after.as_deref()),
        (Some("865.4"), Some("860.4"))
    );
    assert_eq!(
        batches::status_counts(&conn, batch.id).unwrap(),
        [("submitting".to_string(), 1)]
    );
}

#[test]
fn a_status_and_its_history_entry_are_written_together_or_not_at_all() {
    let (_dir, store) = common::fresh();
    let conn = store.conn();
    let acc = accounts::insert(&conn, &fields("Boutique")).unwrap();
    let new = |reference: &str| payouts::NewPayout {
        name: String::new(),
        ..common::payout(acc.id, reference)
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
    let (_dir, store) = common::fresh();
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
    let (_dir, store) = common::fresh();
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
    let sent = Change {
        event: "sent",
        ..Default::default()
    };
    collections::transition(&conn, c.id, UnifiedStatus::Submitting, &sent).unwrap();
    for _ in 0..10 {
        collections::transition(&conn, c.id, UnifiedStatus::Succeeded, &paid).unwrap();
    }
    let refused = collections::transition(&conn, c.id, UnifiedStatus::Failed, &paid).unwrap();
    assert!(refused.is_none());
    let history = collections::history(&conn, c.id).unwrap();
    let events: Vec<_> = history.iter().map(|h| h.event.as_str()).collect();
    assert_eq!(events, ["queued", "sent", "callback", "ignored"]);
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

#[test]
fn a_damaged_file_opens_fast_and_its_check_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guichet.db");
    {
        let store = Store::open(&path).unwrap();
        let conn = store.conn();
        conn.execute_batch(
            "PRAGMA wal_checkpoint(TRUNCATE);
             CREATE TABLE filler (x TEXT);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
             INSERT INTO filler SELECT printf('%0100d', i) FROM n;
             PRAGMA wal_checkpoint(TRUNCATE);",
        )
        .unwrap();
        assert_eq!(store.quick_check().unwrap(), "ok");
    }
    // Damage the last pages (the filler's), leaving the header and the schema readable.
    let mut bytes = std::fs::read(&path).unwrap();
    let len = bytes.len();
    for b in &mut bytes[len - 3 * 4096..len - 4096] {
        *b = 0x5a;
    }
    std::fs::write(&path, &bytes).unwrap();
    // Opening does not read the whole file; the check, run once the app is up, finds the damage.
    let store = Store::open(&path).unwrap();
    assert_ne!(store.quick_check().unwrap_or_default(), "ok");
}

fn queued(conn: &Connection, account_id: i64, reference: &str) -> payouts::PayoutRow {
    payouts::insert_queued(
        conn,
        &payouts::NewPayout {
            name: String::new(),
            ..common::payout(account_id, reference)
        },
    )
    .unwrap()
}

#[test]
fn a_payout_being_sent_is_taken_over_only_once_its_lease_has_run_out() {
    let (dir, store) = common::fresh();
    // A second process: its own connection to the same file.
    let other = Store::open(dir.path().join("guichet.db")).unwrap();
    let (a, b) = (store.conn(), other.conn());
    let acc = accounts::insert(&a, &fields("Boutique")).unwrap();
    let p = queued(&a, acc.id, "GCH-L1");
    let held = |until| payouts::Lease {
        holder: "100-A",
        until,
    };
    let theirs = payouts::Lease {
        holder: "200-B",
        until: "2026-12-06T10:05:00.000Z",
    };
    payouts::claim(&a, &[p.id], held("2026-12-06T10:01:30.000Z")).unwrap();
    let at = |t: &str| payouts::take_expired(&b, theirs, t, 100).unwrap();
    assert!(
        at("2026-12-06T10:01:00.000Z").is_empty(),
        "held by a live sender"
    );
    // Renewed: still held after the first lease's end.
    assert_eq!(
        payouts::renew_leases(&a, held("2026-12-06T10:03:00.000Z")).unwrap(),
        1
    );
    assert!(at("2026-12-06T10:02:00.000Z").is_empty());
    // Not renewed any more (the sender stopped): taken over once, by one process.
    let taken = at("2026-12-06T10:03:00.001Z");
    assert_eq!(taken.iter().map(|r| r.id).collect::<Vec<_>>(), [p.id]);
    assert!(at("2026-12-06T10:03:00.002Z").is_empty(), "taken twice");
    assert_eq!(
        payouts::renew_leases(&a, held("2026-12-06T10:09:00.000Z")).unwrap(),
        0,
        "the stopped sender no longer holds it"
    );
    // Set aside for a look-up later: nobody holds it until then.
    payouts::look_up_later(&b, p.id, "2026-12-06T10:10:00.000Z").unwrap();
    assert!(at("2026-12-06T10:09:59.000Z").is_empty());
    assert_eq!(at("2026-12-06T10:10:00.000Z").len(), 1);
    assert_eq!(
        payouts::submitting_due_at(&b).unwrap().as_deref(),
        Some("2026-12-06T10:10:00.000Z")
    );
    // Its answer recorded, it is held by no one.
    let ch = payouts::Change {
        event: "lookup",
        ..Default::default()
    };
    payouts::transition(&b, p.id, UnifiedStatus::Pending, &ch).unwrap();
    assert_eq!(payouts::submitting_due_at(&b).unwrap(), None);
}

#[test]
fn statuses_move_only_as_the_one_list_of_moves_says_also_in_sql() {
    let (_dir, store) = common::fresh();
    let conn = store.conn();
    let acc = accounts::insert(&conn, &fields("Boutique")).unwrap();
    let ch = |event| payouts::Change {
        event,
        ..Default::default()
    };
    // Every pair of statuses, from a row put there directly.
    for from in UnifiedStatus::ALL {
        for to in UnifiedStatus::ALL {
            let p = queued(&conn, acc.id, &format!("GCH-{from:?}-{to:?}"));
            conn.execute(
                "UPDATE payouts SET status = ?2 WHERE id = ?1",
                rusqlite::params![p.id, from.as_str()],
            )
            .unwrap();
            let moved = payouts::transition(&conn, p.id, to, &ch("test")).unwrap();
            assert_eq!(moved.is_some(), from.may_move_to(to), "{from:?} -> {to:?}");
            let now = payouts::get(&conn, p.id).unwrap().status;
            assert_eq!(now, if moved.is_some() { to } else { from });
        }
    }
    // An answer recorded is never replaced by "we do not know".
    let p = queued(&conn, acc.id, "GCH-P");
    payouts::transition(&conn, p.id, UnifiedStatus::Submitting, &ch("sent")).unwrap();
    payouts::transition(&conn, p.id, UnifiedStatus::Pending, &ch("answer")).unwrap();
    assert!(payouts::transition(
        &conn,
        p.id,
        UnifiedStatus::OutcomeUnknown,
        &ch("interrupted")
    )
    .unwrap()
    .is_none());
    assert_eq!(
        payouts::get(&conn, p.id).unwrap().status,
        UnifiedStatus::Pending
    );
}

#[test]
fn a_file_is_one_batch_per_account_unless_meant_again() {
    let (dir, store) = common::fresh();
    let other = Store::open(dir.path().join("guichet.db")).unwrap();
    let conn = store.conn();
    let acc = accounts::insert(&conn, &fields("Boutique")).unwrap();
    let new = |again| batches::NewBatch {
        account_id: acc.id,
        file_name: "paie.csv",
        file_sha256: "same",
        sheet: None,
        row_count: 1,
        total: Amount(5000),
        skipped: 0,
        balance_before: None,
        again,
    };
    batches::insert_confirmed(&conn, &new(false)).unwrap();
    drop(conn);
    assert!(matches!(
        batches::insert_confirmed(&other.conn(), &new(false)),
        Err(StoreError::Duplicate { .. })
    ));
    batches::insert_confirmed(&other.conn(), &new(true)).unwrap();
    batches::insert_confirmed(&other.conn(), &new(true)).unwrap();
}

#[test]
fn two_processes_writing_at_once_wait_for_each_other_instead_of_failing() {
    let (dir, store) = common::fresh();
    let path = dir.path().join("guichet.db");
    let acc = accounts::insert(&store.conn(), &fields("Boutique")).unwrap();
    drop(store);
    // Two processes move their own payouts at the same time: a status change reads, then
    // writes; one that began reading before the other's commit must wait, not fail with
    // "database is locked".
    let run = |name: &'static str| {
        let path = path.clone();
        std::thread::spawn(move || {
            let store = Store::open(&path).unwrap();
            let conn = store.conn();
            let ch = payouts::Change {
                event: "test",
                ..Default::default()
            };
            for i in 0..150 {
                let p = queued(&conn, acc.id, &format!("GCH-{name}-{i}"));
                for to in [
                    UnifiedStatus::Submitting,
                    UnifiedStatus::Pending,
                    UnifiedStatus::Succeeded,
                ] {
                    payouts::transition(&conn, p.id, to, &ch)
                        .unwrap_or_else(|e| panic!("{name} {i} {to:?}: {e}"));
                }
            }
        })
    };
    let (a, b) = (run("A"), run("B"));
    a.join().unwrap();
    b.join().unwrap();
}
