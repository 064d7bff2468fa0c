//! The store's boundary: what the rest of Guichet sees of the database — typed handles, typed
//! errors, and status lists that follow the status rules.

mod common;
use common::{fields, payout};
use guichet_store::{payouts, StoreError};
use guichet_types::{Amount, UnifiedStatus};

#[test]
fn an_account_others_refer_to_is_in_use_and_stays() {
    let (_dir, store) = common::fresh();
    let paid = store.accounts_mut().insert(&fields("Boutique")).unwrap();
    let idle = store.accounts_mut().insert(&fields("Vide")).unwrap();
    store
        .payouts_mut()
        .insert_queued(&payout(paid.id, "GCH-1"))
        .unwrap();
    match store.accounts_mut().delete(paid.id) {
        Err(StoreError::InUse { what, key }) => {
            assert_eq!((what, key), ("account", paid.id.to_string()));
        }
        other => panic!("expected InUse, got {other:?}"),
    }
    assert_eq!(store.accounts().get(paid.id).unwrap().label, "Boutique");
    store.accounts_mut().delete(idle.id).unwrap();
    assert!(matches!(
        store.accounts_mut().delete(idle.id),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn a_write_transaction_commits_together_or_not_at_all() {
    let (_dir, store) = common::fresh();
    {
        let tx = store.write().unwrap();
        tx.accounts_mut().insert(&fields("Abandonné")).unwrap();
        // Dropped without commit: rolled back.
    }
    assert!(store.accounts().list().unwrap().is_empty());
    let tx = store.write().unwrap();
    let a = tx.accounts_mut().insert(&fields("Boutique")).unwrap();
    tx.payouts_mut()
        .insert_queued(&payout(a.id, "GCH-1"))
        .unwrap();
    // Reads inside the transaction see its own writes.
    assert_eq!(
        tx.payouts()
            .by_reference("GCH-1")
            .unwrap()
            .unwrap()
            .account_id,
        a.id
    );
    tx.commit().unwrap();
    assert_eq!(store.accounts().list().unwrap().len(), 1);
    assert!(store.payouts().by_reference("GCH-1").unwrap().is_some());
}

#[test]
fn the_status_lists_in_the_sql_follow_the_status_rules() {
    use UnifiedStatus::*;
    let (_dir, store) = common::fresh();
    let a = store.accounts_mut().insert(&fields("Boutique")).unwrap();
    let phone = |i: usize| format!("07071234{i:02}");
    // One payout in each status, each reached by the moves the rules allow.
    let path: &[(UnifiedStatus, &[UnifiedStatus])] = &[
        (Queued, &[]),
        (Submitting, &[Submitting]),
        (Pending, &[Submitting, Pending]),
        (AwaitingConfirmation, &[Submitting, AwaitingConfirmation]),
        (AwaitingCustomer, &[Submitting, AwaitingCustomer]),
        (Succeeded, &[Submitting, Succeeded]),
        (Failed, &[Failed]),
        (Rejected, &[Submitting, Pending, Rejected]),
        (Cancelled, &[Cancelled]),
        (OutcomeUnknown, &[Submitting, OutcomeUnknown]),
    ];
    for (i, (status, moves)) in path.iter().enumerate() {
        let row = store
            .payouts_mut()
            .insert_queued(&payouts::NewPayout {
                phone: phone(i),
                ..payout(a.id, &format!("GCH-{i}"))
            })
            .unwrap();
        for to in *moves {
            let change = payouts::Change {
                event: "test",
                ..Default::default()
            };
            store
                .payouts_mut()
                .transition(row.id, *to, &change)
                .unwrap()
                .expect("an allowed move");
        }
        assert_eq!(store.payouts().get(row.id).unwrap().status, *status);
    }
    let statuses = |rows: Vec<payouts::PayoutRow>| {
        let mut s: Vec<UnifiedStatus> = rows.into_iter().map(|r| r.status).collect();
        s.sort_by_key(|s| UnifiedStatus::ALL.iter().position(|a| a == s));
        s
    };
    // Open: every status that is not final.
    assert_eq!(
        statuses(store.payouts().in_statuses(None, &[]).unwrap()),
        UnifiedStatus::all_where(|s| !s.is_final())
    );
    // The duplicate warning counts every payout but those that ended unpaid.
    let same = (0..path.len())
        .flat_map(|i| {
            store
                .payouts()
                .same_since(&phone(i), Amount(5000), "")
                .unwrap()
        })
        .collect();
    assert_eq!(
        statuses(same),
        UnifiedStatus::all_where(|s| !s.is_unpaid_final())
    );
    // The numbers reached are those of the payouts the provider took to them.
    let reached = store.payouts().numbers_reached(a.id).unwrap();
    let mut by_status: Vec<UnifiedStatus> = path
        .iter()
        .enumerate()
        .filter(|(i, _)| reached.contains(&("225".to_string(), phone(*i))))
        .map(|(_, (s, _))| *s)
        .collect();
    by_status.sort_by_key(|s| UnifiedStatus::ALL.iter().position(|a| a == s));
    assert_eq!(
        by_status,
        UnifiedStatus::all_where(UnifiedStatus::reached_number)
    );
    let open = store.summary().open_payouts().unwrap();
    assert_eq!(
        open[0].count,
        UnifiedStatus::all_where(|s| !s.is_final()).len() as i64
    );
}

#[test]
fn recent_failures_are_chosen_by_the_database_by_status_and_time() {
    let (_dir, store) = common::fresh();
    let a = store.accounts_mut().insert(&fields("Boutique")).unwrap().id;
    // (reference, status, last change)
    let rows = [
        ("OLD", "failed", "2026-11-01T00:00:00Z"),
        ("NEW", "failed", "2026-12-06T00:00:00Z"),
        ("REJ", "rejected", "2026-12-05T00:00:00Z"),
        ("PAID", "succeeded", "2026-12-06T00:00:00Z"),
    ];
    for (reference, status, at) in rows {
        let id = store
            .payouts_mut()
            .insert_queued(&payout(a, reference))
            .unwrap()
            .id;
        store
            .conn()
            .execute(
                "UPDATE payouts SET status = ?1, updated_at = ?2 WHERE id = ?3",
                rusqlite::params![status, at, id],
            )
            .unwrap();
    }
    let recent = store
        .payouts()
        .in_statuses_since(
            &[UnifiedStatus::Failed, UnifiedStatus::Rejected],
            "2026-11-29T00:00:00Z",
        )
        .unwrap();
    let found: Vec<&str> = recent.iter().map(|p| p.reference.as_str()).collect();
    assert_eq!(found, ["NEW", "REJ"]);
}
