//! Payee lists in a real SQLite file: saved, replaced under the same name, one number once per
//! list, removed with their people; a payout's fee recorded and replaced by a later answer.

mod common;
use guichet_store::payee_lists::PayeeRow;
use guichet_store::StoreError;
use guichet_types::Amount;

fn person(phone: &str, amount: i64) -> PayeeRow {
    PayeeRow {
        phone: phone.into(),
        name: format!("Agent {phone}"),
        amount: Amount(amount),
        reason: "Salaire".into(),
        operator: String::new(),
    }
}

#[test]
fn a_list_is_saved_replaced_by_name_and_removed_with_its_people() {
    let (_dir, store) = common::fresh();
    let people = [
        person("+2250707000001", 5000),
        person("+2250707000002", 7000),
    ];
    let (id, replaced) = store
        .payee_lists_mut()
        .save("Agents terrain", "agents terrain", "batch #1", &people)
        .unwrap();
    assert!(!replaced);
    let (list, rows) = store.payee_lists().get("agents terrain").unwrap();
    assert_eq!((list.id, list.count, list.total), (id, 2, Amount(12000)));
    assert_eq!(rows, people);

    // The same name again replaces the people, keeps the list.
    let next = [person("+2250707000003", 9000)];
    let (again, replaced) = store
        .payee_lists_mut()
        .save("Agents Terrain", "agents terrain", "paie.csv", &next)
        .unwrap();
    assert!(replaced);
    assert_eq!(again, id);
    let (list, rows) = store.payee_lists().get("agents terrain").unwrap();
    assert_eq!(
        (list.name.as_str(), list.source.as_str()),
        ("Agents Terrain", "paie.csv")
    );
    assert_eq!(rows, next);

    // One number once per list: the save is refused whole, the list left as it was.
    let twice = [
        person("+2250707000004", 1000),
        person("+2250707000004", 2000),
    ];
    let refused = store
        .payee_lists_mut()
        .save("Agents terrain", "agents terrain", "x", &twice)
        .unwrap_err();
    assert!(matches!(refused, StoreError::Duplicate { .. }), "{refused}");
    assert_eq!(store.payee_lists().get("agents terrain").unwrap().1, next);

    store.payee_lists_mut().remove("agents terrain").unwrap();
    assert!(store.payee_lists().all().unwrap().is_empty());
    let left: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM payee_list_rows", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0, "its people go with it");
    assert!(matches!(
        store.payee_lists_mut().remove("agents terrain"),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn a_payout_fee_is_kept_in_francs_and_the_latest_answer_wins() {
    let (_dir, store) = common::fresh();
    let account = common::account(&store.conn(), "Abidjan");
    let p = store
        .payouts_mut()
        .insert_queued(&common::payout(account, "GCH-1"))
        .unwrap();
    store.fees_mut().record(p.id, Amount(20)).unwrap();
    store.fees_mut().record(p.id, Amount(25)).unwrap();
    let fees = store.fees().of_payouts(&[p.id, p.id + 1]).unwrap();
    assert_eq!(fees.len(), 1);
    assert_eq!(fees[&p.id], Amount(25));
}
