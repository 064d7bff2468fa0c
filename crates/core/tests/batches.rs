//! Payout batches against the provider sandbox, with a real SQLite file and the real keyring
//! (run under scripts/with-keyring.sh): pre-flight, review, confirmation, sending, tracking by lot.

mod common;

use guichet_core::payouts::{BatchLine, BatchPreview, BatchRequest, PayoutInput};
use guichet_core::{CoreEvent, EventSink, Guichet};
use guichet_sandbox::{Fault, FaultRule, SandboxHandle};
use guichet_store::page::PageRequest;
use guichet_types::UnifiedStatus;
use std::time::Duration;

async fn setup() -> (tempfile::TempDir, Guichet, SandboxHandle) {
    let sb = common::settled_sandbox().await;
    let (dir, g) = common::guichet_with_accounts(&sb);
    (dir, g, sb)
}

fn line(n: u32, phone: &str, amount: &str) -> BatchLine {
    BatchLine {
        line: n,
        phone: phone.into(),
        amount: amount.into(),
        name: format!("Personne {n}"),
        reference: format!("REF-{n}"),
        reason: "Salaire".into(),
        ..Default::default()
    }
}

fn request(account: &str, lines: Vec<BatchLine>, content: &str) -> BatchRequest {
    BatchRequest {
        account: account.into(),
        file_name: "paie.csv".into(),
        sheet: None,
        sheet_found: false,
        file_sha256: BatchRequest::sha256_of(content.as_bytes()),
        lines,
        again: false,
        remembered: None,
        list: None,
        own_batch: None,
    }
}

/// A row's errors and warnings, beneficiary flags aside (tests/beneficiaries.rs checks those).
fn codes(p: &BatchPreview, line: u32) -> (Vec<String>, Vec<String>) {
    let row = p.rows.iter().find(|r| r.line == line).unwrap();
    (
        row.errors.iter().map(|i| i.code.clone()).collect(),
        row.warnings
            .iter()
            .filter(|i| !matches!(i.code.as_str(), "new_beneficiary" | "name_changed"))
            .map(|i| i.code.clone())
            .collect(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn preflight_checks_every_row_flags_duplicates_and_sends_nothing() {
    let (_dir, g, sb) = setup().await;
    // Paid an hour ago: the same number and amount in the file is worth a warning.
    g.send_payout(
        "Abidjan",
        PayoutInput {
            phone: "0707000009".into(),
            amount: 7000,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let ledger_before = sb.ledger().len();
    let contacts_before = sb.shared().world().cinetpay["demo-cinetpay-apikey"]
        .contacts
        .len();

    let mut with_operator = line(8, "05 05 12 34 56", "5 000");
    with_operator.operator = "Orange".into();
    let mut right_operator = line(9, "05 05 12 34 57", "5 000");
    right_operator.operator = "MTN".into();
    let lines = vec![
        line(2, "07 07 12 34 56", "5 000"),
        line(3, "0707123457", "152"),
        line(4, "0707123458", "1001"),
        line(5, "0707123459", "1 500 005"),
        line(6, "27 21 00 00 00", "5000"),
        line(7, "0707123460", "2500 XAF"),
        with_operator,
        right_operator,
        line(10, "+225 07 07 12 34 56", "5000"),
        line(11, "0707000009", "7 000 FCFA"),
        line(12, "0101020304", "12,5"),
    ];
    let p = g
        .preview_batch(&request("Abidjan", lines, "file-1"))
        .await
        .unwrap();

    assert_eq!(codes(&p, 2), (vec![], vec![]));
    assert_eq!(codes(&p, 3).0, ["amount_bounds", "amount_multiple"]);
    assert_eq!(codes(&p, 4).0, ["amount_multiple"]);
    assert_eq!(codes(&p, 5).0, ["amount_bounds"]);
    assert_eq!(codes(&p, 6).0, ["phone_not_mobile_ci"]);
    assert_eq!(codes(&p, 7).0, ["currency"]);
    assert_eq!(codes(&p, 8).0, ["operator"]);
    assert_eq!(codes(&p, 9), (vec![], vec![]));
    assert_eq!(
        codes(&p, 10),
        (vec![], vec!["duplicate_in_file".to_string()])
    );
    assert_eq!(
        codes(&p, 11),
        (vec![], vec!["duplicate_recent".to_string()])
    );
    assert_eq!(codes(&p, 12).0, ["amount_not_whole"]);
    let row10 = p.rows.iter().find(|r| r.line == 10).unwrap();
    assert!(row10.warnings[0].message.contains("line 2"));
    let row6 = p.rows.iter().find(|r| r.line == 6).unwrap();
    assert!(row6.errors[0].message.contains("27 21 00 00 00"));

    assert_eq!((p.count, p.skipped, p.warned), (4, 7, 2));
    assert_eq!(p.total.0, 5000 + 5000 + 5000 + 7000);
    let ops: Vec<_> = p
        .per_operator
        .iter()
        .map(|o| (o.operator.as_str(), o.count, o.total.0))
        .collect();
    assert_eq!(ops, [("MOMO", 1, 5000), ("OM", 3, 17_000)]);
    assert!(p.blockers.is_empty(), "{:?}", p.blockers);
    let available: i64 = p.balance_available.as_deref().unwrap().parse().unwrap();
    assert_eq!(p.balance_after.unwrap().0, available - p.total.0);

    // The review sent nothing, queued nothing and added no contact.
    assert_eq!(sb.ledger().len(), ledger_before);
    assert_eq!(g.list_payouts(None, None, None, 100).unwrap().len(), 1);
    assert_eq!(
        sb.shared().world().cinetpay["demo-cinetpay-apikey"]
            .contacts
            .len(),
        contacts_before
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_above_the_available_balance_is_refused_and_nothing_leaves() {
    let (_dir, g, sb) = setup().await;
    // The demo CinetPay balance is 5 000 000: four payouts of 1 500 000 exceed it.
    let lines: Vec<_> = (0..4)
        .map(|i| line(i + 2, &format!("07070000{i:02}"), "1 500 000"))
        .collect();
    let req = request("Abidjan", lines, "too-much");
    let p = g.preview_batch(&req).await.unwrap();
    assert_eq!(p.blockers.len(), 1);
    assert_eq!(p.blockers[0].code, "insufficient_balance");
    assert!(
        p.blockers[0].message.contains("1\u{202f}000\u{202f}000"),
        "{}",
        p.blockers[0].message
    );
    let err = g.confirm_batch(&req, &req.file_sha256).await.unwrap_err();
    assert_eq!(err.code(), "insufficient_balance");
    assert!(g.list_payouts(None, None, None, 100).unwrap().is_empty());
    assert!(sb.ledger().is_empty());
    assert!(g.list_batches(None, 10).unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_confirmed_batch_is_paid_once_with_its_balance_before_and_after_and_the_same_file_needs_again(
) {
    let (_dir, g, sb) = setup().await;
    let lines = vec![
        line(2, "0707111111", "10 000"),
        line(3, "0505222222", "20 000"),
        line(4, "0101333333", "30 000"),
        line(5, "0707444444", "199"),
    ];
    let req = request("Abidjan", lines.clone(), "salaries-november");
    // A file that changed after its review is not sent.
    let err = g.confirm_batch(&req, "0000").await.unwrap_err();
    assert_eq!(err.code(), "file_changed");

    let batch = g.confirm_batch(&req, &req.file_sha256).await.unwrap();
    assert_eq!(
        (batch.row_count, batch.skipped, batch.total.0),
        (3, 1, 60_000)
    );
    assert!(sb.ledger().is_empty(), "confirmed is queued, not sent yet");
    let report = g.send_batch(batch.id).await.unwrap();
    assert_eq!(sb.ledger().len(), 3);
    g.sync_until_final(Duration::from_secs(20)).await.unwrap();
    let detail = g.batch(batch.id).unwrap();
    assert_eq!(detail.open, 0);
    assert_eq!(detail.counts.len(), 1);
    assert_eq!(
        (detail.counts[0].status, detail.counts[0].count),
        (UnifiedStatus::Succeeded, 3)
    );
    let before: i64 = report
        .batch
        .balance_before
        .as_deref()
        .unwrap()
        .parse()
        .unwrap();
    let after: i64 = report
        .batch
        .balance_after
        .as_deref()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(before - after, 60_000);
    let refs: Vec<_> = g
        .list_payouts(None, None, None, 10)
        .unwrap()
        .into_iter()
        .map(|p| p.merchant_reference)
        .collect();
    assert_eq!(refs, ["REF-4", "REF-3", "REF-2"]);

    // The same file again: refused unless the merchant says it is meant.
    let p = g.preview_batch(&req).await.unwrap();
    assert_eq!(p.earlier_batch.as_ref().map(|b| b.id), Some(batch.id));
    assert_eq!(p.blockers[0].code, "batch_already_sent");
    for row in &p.rows[..3] {
        assert!(row.warnings.iter().any(|w| w.code == "duplicate_recent"));
    }
    let err = g.confirm_batch(&req, &req.file_sha256).await.unwrap_err();
    assert_eq!(err.code(), "batch_already_sent");
    assert_eq!(sb.ledger().len(), 3);
    let again = BatchRequest {
        again: true,
        ..req.clone()
    };
    let second = g.confirm_batch(&again, &again.file_sha256).await.unwrap();
    g.send_batch(second.id).await.unwrap();
    assert_eq!(
        sb.ledger().len(),
        6,
        "paid again, as asked, under new references"
    );
    let mut refs: Vec<_> = sb.ledger().into_iter().map(|e| e.reference).collect();
    refs.sort();
    refs.dedup();
    assert_eq!(refs.len(), 6);

    // Listed newest first, a page at a time.
    let first = g.batch_page(None, PageRequest::first(1)).unwrap();
    assert_eq!(first.rows[0].batch.id, second.id);
    let older = PageRequest {
        before_id: first.next,
        limit: 1,
    };
    let rest = g.batch_page(Some("Abidjan"), older).unwrap();
    assert_eq!(rest.rows[0].batch.id, batch.id);
    assert_eq!(rest.next, None);
    assert!(g
        .batch_page(Some("Douala"), PageRequest::first(10))
        .unwrap()
        .rows
        .is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn lots_are_checked_in_one_call_and_each_payout_gets_its_own_status() {
    let (_dir, g, sb) = setup().await;
    // CinetPay's answer lists come in any order: statuses must follow client_transaction_id.
    sb.set_shuffle_answers(true);
    // Count the status checks (a zero-latency rule matches and counts every check request).
    sb.set_faults(vec![FaultRule {
        route: "/v1/transfer/check/money".into(),
        method: None,
        nth: None,
        probability: None,
        fault: Fault::Latency { ms: 0 },
    }]);
    let rejected: Vec<String> = (0..120)
        .filter(|i| i % 7 == 3)
        .map(|i| format!("0707{i:06}"))
        .collect();
    for phone in &rejected {
        sb.fail_phone(phone);
    }
    let lines: Vec<_> = (0..120u32)
        .map(|i| line(i + 2, &format!("0707{i:06}"), &(1000 + 5 * i).to_string()))
        .collect();
    let req = request("Abidjan", lines, "lots");
    let batch = g.confirm_batch(&req, &req.file_sha256).await.unwrap();
    g.send_batch(batch.id).await.unwrap();
    g.sync_until_final(Duration::from_secs(20)).await.unwrap();

    let all = g.list_payouts(None, None, None, 1000).unwrap();
    assert_eq!(all.len(), 120);
    let lots: std::collections::BTreeSet<_> = all.iter().map(|p| p.lot.clone().unwrap()).collect();
    assert_eq!(lots.len(), 3, "three chunks of at most 50");
    for p in &all {
        let expected = if rejected.contains(&p.phone) {
            UnifiedStatus::Rejected
        } else {
            UnifiedStatus::Succeeded
        };
        assert_eq!(p.status, expected, "{} {}", p.phone, p.reference);
        // Its own amount, as CinetPay recorded it under its own reference.
        let history = g.payout(p.id).unwrap().history;
        let poll = history.iter().find(|h| h.event == "poll").unwrap();
        let detail: serde_json::Value = serde_json::from_str(&poll.detail).unwrap();
        assert_eq!(detail["client_transaction_id"], p.reference.as_str());
        assert_eq!(detail["amount"], p.amount.0.to_string().as_str());
    }
    assert_eq!(
        sb.faults_injected().get("latency").copied(),
        Some(3),
        "one check per lot"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_my_coolpay_batch_reads_operators_and_is_paid_concurrently() {
    let (_dir, g, sb) = setup().await;
    let mut lines: Vec<_> = (0..30u32)
        .map(|i| line(i + 2, &format!("6770{i:05}"), "1 000"))
        .collect();
    lines[0].operator = "MCP".into();
    lines[1].operator = "orange".into();
    lines[2].operator = "Wave".into();
    let req = request("Douala", lines, "douala");
    let p = g.preview_batch(&req).await.unwrap();
    assert_eq!(p.rows[0].operator, "MCP");
    assert_eq!(p.rows[1].operator, "CM_OM");
    assert_eq!(codes(&p, 4).0, ["operator"]);
    assert_eq!(p.rows[3].operator, "CM_MOMO");
    assert_eq!((p.count, p.skipped), (29, 1));
    let batch = g.confirm_batch(&req, &req.file_sha256).await.unwrap();
    g.send_batch(batch.id).await.unwrap();
    g.sync_until_final(Duration::from_secs(20)).await.unwrap();
    let d = g.batch(batch.id).unwrap();
    assert_eq!(d.open, 0);
    assert_eq!(d.counts[0].count, 29);
    assert_eq!(d.counts[0].status, UnifiedStatus::Succeeded);
    assert_eq!(sb.ledger().len(), 29);
    let first = &g.list_payouts(Some("Douala"), None, None, 100).unwrap()[28];
    assert_eq!(first.operator.as_deref(), Some("MCP"));
}

/// Every event, in order.
struct Events(std::sync::Mutex<Vec<CoreEvent>>);

impl EventSink for Events {
    fn emit(&self, event: CoreEvent) {
        self.0.lock().unwrap().push(event);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_tells_once_that_it_ended_after_its_last_payout_and_with_its_counts() {
    let sb = common::settled_sandbox().await;
    let (_dir, g) = common::guichet_with_accounts(&sb);
    let events = std::sync::Arc::new(Events(Default::default()));
    let g = g.with_events(events.clone());
    let lines: Vec<_> = (0..40u32)
        .map(|i| line(i + 2, &format!("6771{i:05}"), "1 000"))
        .collect();
    let req = request("Douala", lines, "ended");
    let batch = g.confirm_batch(&req, &req.file_sha256).await.unwrap();
    g.send_batch(batch.id).await.unwrap();
    g.sync_until_final(Duration::from_secs(20)).await.unwrap();

    let events = events.0.lock().unwrap();
    let finished: Vec<usize> = events
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e {
            CoreEvent::BatchFinished {
                batch_id,
                succeeded,
                failed,
                outcome_unknown,
            } if *batch_id == batch.id => {
                assert_eq!((*succeeded, *failed, *outcome_unknown), (40, 0, 0));
                Some(i)
            }
            _ => None,
        })
        .collect();
    assert_eq!(finished.len(), 1, "told once");
    let last_final = events
        .iter()
        .rposition(|e| {
            matches!(e, CoreEvent::PayoutStatus { batch_id: Some(b), is_final: true, .. } if *b == batch.id)
        })
        .unwrap();
    assert!(finished[0] > last_final, "after the last payout ended");
}

#[tokio::test(flavor = "multi_thread")]
async fn numbers_not_yet_cinetpay_contacts_are_counted_and_a_headerless_file_reads_with_chosen_columns(
) {
    let (dir, g, _sb) = setup().await;
    // One of the two numbers went through the contacts import first.
    let contacts = dir.path().join("contacts.csv");
    std::fs::write(&contacts, "nom;telephone\nAwa;0707111111\n").unwrap();
    g.import_contacts("Abidjan", &contacts, &Default::default())
        .await
        .unwrap();

    // No header row: the merchant says which column is which.
    let file = dir.path().join("paie.csv");
    std::fs::write(&file, "0707111111;5000;Awa\n0505222222;2500;Yao\n").unwrap();
    let columns = |pairs: &[(&str, &str)]| guichet_core::contacts::ImportOptions {
        sheet: None,
        columns: pairs
            .iter()
            .map(|(f, c)| guichet_core::contacts::ColumnChoice {
                field: serde_json::from_value(serde_json::json!(f)).unwrap(),
                column: c.to_string(),
            })
            .collect(),
    };
    let err = BatchRequest::from_file(&file, "Abidjan", &columns(&[]), false).unwrap_err();
    assert!(err.to_string().contains("phone"), "{err}");
    let req = BatchRequest::from_file(
        &file,
        "Abidjan",
        &columns(&[("phone", "A"), ("amount", "B"), ("name", "C")]),
        false,
    )
    .unwrap();
    assert_eq!(req.lines.len(), 2);
    assert_eq!((req.lines[1].line, req.lines[1].name.as_str()), (2, "Yao"));

    let p = g.preview_batch(&req).await.unwrap();
    assert_eq!((p.count, p.contacts_to_add), (2, 1));
    let new: Vec<_> = p.rows.iter().map(|r| r.new_contact).collect();
    assert_eq!(new, [false, true]);
    // Once paid, a number is a CinetPay contact: the next batch has none to add.
    let batch = g.confirm_batch(&req, &req.file_sha256).await.unwrap();
    g.send_batch(batch.id).await.unwrap();
    g.sync_until_final(Duration::from_secs(20)).await.unwrap();
    let again = BatchRequest {
        again: true,
        ..req.clone()
    };
    assert_eq!(g.preview_batch(&again).await.unwrap().contacts_to_add, 0);
    // My-CoolPay has no contact list: nothing to add.
    let douala = BatchRequest {
        account: "Douala".into(),
        lines: vec![line(2, "677000001", "1 000")],
        ..req.clone()
    };
    assert_eq!(g.preview_batch(&douala).await.unwrap().contacts_to_add, 0);
}
