//! The rules of people, approvals and the audit log hold in the database itself: writes made
//! straight to the file, bypassing Guichet's code, are refused, and an audit log edited by
//! someone who dropped its triggers no longer verifies.

mod common;

use guichet_store::approvals::{Decision, Kind, NewRequest};
use guichet_store::audit::{Break, NewAudit};
use guichet_store::users::Role;
use guichet_store::{Store, StoreError};
use guichet_types::Amount;

struct Shop {
    _dir: tempfile::TempDir,
    store: Store,
    awa: i64,
    moussa: i64,
    fatou: i64,
    request: i64,
}

/// Awa (preparer) prepared a batch of 1,250,000 francs that needs two approvals; Moussa and
/// Fatou approve.
fn shop() -> Shop {
    let (dir, store) = common::fresh();
    let account = common::account(&store.conn(), "Abidjan");
    let users = store.users_mut();
    let moussa = users
        .insert("Moussa", Role::Owner, "$argon2id$x")
        .unwrap()
        .id;
    let awa = users
        .insert("Awa", Role::Preparer, "$argon2id$y")
        .unwrap()
        .id;
    let fatou = users
        .insert("Fatou", Role::Approver, "$argon2id$z")
        .unwrap()
        .id;
    drop(users);
    let request = store
        .approvals_mut()
        .insert_request(&NewRequest {
            kind: Kind::Batch,
            account_id: account,
            prepared_by: awa,
            label: "paie.csv",
            count: 48,
            total: Amount(1_250_000),
            request: "{}",
            request_sha256: "abc",
            needed: 2,
        })
        .unwrap()
        .id;
    Shop {
        _dir: dir,
        store,
        awa,
        moussa,
        fatou,
        request,
    }
}

fn raw_approve(s: &Shop, user: i64, sha: &str) -> rusqlite::Result<usize> {
    s.store.conn().execute(
        "INSERT INTO approvals (request_id, user_id, decision, request_sha256, at)
         VALUES (?1, ?2, 'approved', ?3, '2026-12-07T00:00:00.000Z')",
        rusqlite::params![s.request, user, sha],
    )
}

#[test]
fn the_preparer_cannot_approve_even_writing_to_the_file() {
    let s = shop();
    let err = raw_approve(&s, s.awa, "abc").unwrap_err().to_string();
    assert!(err.contains("who prepared it cannot approve"), "{err}");
    // Through the handle: a typed refusal with the same words.
    let decided = s
        .store
        .approvals_mut()
        .decide(s.request, s.awa, Decision::Approved, None, "abc");
    match decided {
        Err(StoreError::Refused(why)) => assert!(why.contains("who prepared it"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn nobody_approves_twice_and_two_approvals_are_two_people() {
    let s = shop();
    raw_approve(&s, s.moussa, "abc").unwrap();
    let err = raw_approve(&s, s.moussa, "abc").unwrap_err().to_string();
    assert!(err.contains("UNIQUE"), "{err}");
    assert!(matches!(
        s.store
            .approvals_mut()
            .decide(s.request, s.moussa, Decision::Approved, None, "abc"),
        Err(StoreError::Duplicate { .. })
    ));
    raw_approve(&s, s.fatou, "abc").unwrap();
    let people: Vec<i64> = s
        .store
        .approvals()
        .decisions(s.request)
        .unwrap()
        .iter()
        .map(|d| d.user_id)
        .collect();
    assert_eq!(people, vec![s.moussa, s.fatou]);
    // Decisions are kept as made.
    let err = s
        .store
        .conn()
        .execute("DELETE FROM approvals", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
}

#[test]
fn a_decision_is_on_what_was_prepared_and_only_while_it_waits() {
    let s = shop();
    let err = raw_approve(&s, s.moussa, "other").unwrap_err().to_string();
    assert!(err.contains("not on what was prepared"), "{err}");
    let err = s
        .store
        .conn()
        .execute(
            "UPDATE approval_requests SET total = 1 WHERE id = ?1",
            [s.request],
        )
        .unwrap_err();
    assert!(err.to_string().contains("cannot change"), "{err}");
    s.store
        .conn()
        .execute(
            "UPDATE approval_requests SET status = 'rejected' WHERE id = ?1",
            [s.request],
        )
        .unwrap();
    let err = raw_approve(&s, s.moussa, "abc").unwrap_err().to_string();
    assert!(err.contains("no longer awaiting"), "{err}");
    // A rejection needs its reason.
    let (_, store) = (0, &s.store);
    assert!(store
        .conn()
        .execute(
            "INSERT INTO approvals (request_id, user_id, decision, reason, request_sha256, at)
             VALUES (?1, ?2, 'rejected', '  ', 'abc', 'x')",
            rusqlite::params![s.request, s.fatou],
        )
        .is_err());
}

fn log(store: &Store, n: usize) {
    for i in 0..n {
        store
            .audit_mut()
            .append(&NewAudit {
                user_id: None,
                user_name: Some("Awa"),
                action: "batch.prepared",
                subject: Some(&i.to_string()),
                details: &serde_json::json!({"count": 48, "total": 1_250_000}),
            })
            .unwrap();
    }
}

#[test]
fn the_audit_log_refuses_edits_and_a_chain_edited_behind_its_back_names_the_entry() {
    let (_dir, store) = common::fresh();
    log(&store, 6);
    let v = store.audit().verify().unwrap();
    assert_eq!((v.entries, v.broken), (6, None));
    for sql in [
        "UPDATE audit_log SET details = '{}' WHERE id = 3",
        "DELETE FROM audit_log WHERE id = 3",
    ] {
        let err = store.conn().execute(sql, []).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    // Someone with the file drops the triggers.
    store
        .conn()
        .execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    store
        .conn()
        .execute(
            "UPDATE audit_log SET details = '{\"count\":4}' WHERE id = 3",
            [],
        )
        .unwrap();
    let broken = store.audit().verify().unwrap().broken.unwrap();
    assert_eq!((broken.id, broken.what), (3, Break::Changed));
}

#[test]
fn a_deleted_entry_is_named_first_middle_or_last() {
    for (deleted, named) in [(1, 1), (4, 4), (6, 6)] {
        let (_dir, store) = common::fresh();
        log(&store, 6);
        store
            .conn()
            .execute_batch("DROP TRIGGER audit_log_no_delete;")
            .unwrap();
        store
            .conn()
            .execute("DELETE FROM audit_log WHERE id = ?1", [deleted])
            .unwrap();
        let broken = store.audit().verify().unwrap().broken.unwrap();
        assert_eq!((broken.id, broken.what), (named, Break::Deleted));
        // A new entry after the gap does not hide it.
        log(&store, 1);
        assert_eq!(store.audit().verify().unwrap().broken.unwrap().id, named);
    }
}

#[test]
fn an_entry_rewritten_with_a_fresh_hash_breaks_the_next_link() {
    let (_dir, store) = common::fresh();
    log(&store, 4);
    let mut e = store.audit().list(None, Some(3), 1).unwrap().remove(0);
    assert_eq!(e.id, 2);
    e.details = "{\"count\":1}".into();
    e.hash = guichet_store::audit::hash_of(&e);
    let conn = store.conn();
    conn.execute_batch("DROP TRIGGER audit_log_no_update;")
        .unwrap();
    conn.execute(
        "UPDATE audit_log SET details = ?2, hash = ?3 WHERE id = ?1",
        rusqlite::params![e.id, e.details, e.hash],
    )
    .unwrap();
    drop(conn);
    let broken = store.audit().verify().unwrap().broken.unwrap();
    assert_eq!((broken.id, broken.what), (3, Break::Unchained));
}

#[test]
fn names_are_unique_among_people_present_and_no_row_carries_a_pin_hash() {
    let (_dir, store) = common::fresh();
    let awa = store
        .users_mut()
        .insert("Awa", Role::Preparer, "$argon2id$secret")
        .unwrap();
    assert!(matches!(
        store.users_mut().insert("awa", Role::Viewer, "h"),
        Err(StoreError::Duplicate { .. })
    ));
    store.users_mut().remove(awa.id).unwrap();
    store.users_mut().insert("Awa", Role::Viewer, "h").unwrap();
    let json = serde_json::to_string(&store.users().present().unwrap()).unwrap();
    assert!(!json.contains("argon2"), "{json}");
    assert_eq!(store.users().failures(awa.id).unwrap().count, 0);
    assert_eq!(store.users_mut().record_failure(awa.id).unwrap(), 1);
    assert_eq!(store.users_mut().record_failure(awa.id).unwrap(), 2);
}
