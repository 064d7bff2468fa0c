//! Several senders on one data folder — as the app's poller, a cron `guichet sync` and a batch
//! from a script are — each a `Guichet` of its own over the same SQLite file (its own connection,
//! its own lease holder), against the provider sandbox. Run under scripts/with-keyring.sh.

mod common;

use guichet_core::payouts::{BatchLine, BatchRequest, PayoutInput};
use guichet_core::Guichet;
use guichet_sandbox::{Fault, FaultRule, SandboxHandle};
use guichet_types::UnifiedStatus;
use std::time::Duration;

/// A second process on the same data folder.
fn beside(dir: &tempfile::TempDir) -> Guichet {
    Guichet::open(dir.path()).unwrap()
}

fn slow(route: &str, ms: u64) -> FaultRule {
    FaultRule {
        route: route.into(),
        method: Some("POST".into()),
        nth: None,
        probability: None,
        fault: Fault::Latency { ms },
    }
}

fn input(phone: &str, amount: i64) -> PayoutInput {
    PayoutInput {
        phone: phone.into(),
        amount,
        name: "Awa Koné".into(),
        ..Default::default()
    }
}

fn executed(sb: &SandboxHandle, reference: &str) -> usize {
    sb.ledger()
        .iter()
        .filter(|e| e.reference == reference)
        .count()
}

async fn sync_beside_a_slow_send(account: &str, route: &str, phones: &[&str]) {
    let sb = common::settled_sandbox().await;
    let (dir, sender) = common::guichet_with_accounts(&sb);
    let other = beside(&dir);
    sb.set_faults(vec![slow(route, 1500)]);
    let ids: Vec<i64> = phones
        .iter()
        .map(|p| {
            sender
                .queue_payout(account, &input(p, 1000), None)
                .unwrap()
                .id
        })
        .collect();
    let sending = {
        let (g, ids) = (sender.clone(), ids.clone());
        tokio::spawn(async move { g.submit(&ids).await })
    };
    // The other process syncs while every request is out.
    tokio::time::sleep(Duration::from_millis(400)).await;
    for _ in 0..3 {
        let report = other.sync_once().await.unwrap();
        assert_eq!(report.resolved, 0, "{report:?}");
        for id in &ids {
            let p = other.payout(*id).unwrap().payout;
            assert_eq!(p.status, UnifiedStatus::Submitting, "{p:?}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    sending.await.unwrap().unwrap();
    sb.set_faults(Vec::new());
    other
        .sync_until_final(Duration::from_secs(20))
        .await
        .unwrap();
    for id in &ids {
        let p = sender.payout(*id).unwrap();
        assert_eq!(p.payout.status, UnifiedStatus::Succeeded, "{p:?}");
        assert_eq!(executed(&sb, &p.payout.reference), 1);
        assert!(
            p.history
                .iter()
                .all(|h| h.event != "interrupted" && h.event != "resent"),
            "{:?}",
            p.history
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sync_in_another_process_never_calls_unknown_the_my_coolpay_payouts_being_sent() {
    sync_beside_a_slow_send(
        "Douala",
        "/payout",
        &["677000001", "677000002", "677000003"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sync_in_another_process_never_looks_up_or_resends_the_cinetpay_payouts_being_sent() {
    sync_beside_a_slow_send(
        "Abidjan",
        "/transfer/money/send",
        &["0707000101", "0707000102", "0707000103"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sender_that_stopped_is_taken_over_once_its_lease_runs_out() {
    let sb = common::settled_sandbox().await;
    let (dir, _) = common::guichet_with_accounts(&sb);
    let sender = beside(&dir).with_patience(common::quick_patience());
    let other = beside(&dir).with_patience(common::quick_patience());
    sb.set_faults(vec![slow("/payout", 60_000)]);
    let id = sender
        .queue_payout("Douala", &input("677000011", 1000), None)
        .unwrap()
        .id;
    // The sender stops (its future dropped: no more renewals) while its request is out.
    let _ = tokio::time::timeout(Duration::from_millis(300), sender.submit(&[id])).await;
    drop(sender);
    assert_eq!(
        other.sync_once().await.unwrap().resolved,
        0,
        "lease still valid"
    );
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let report = other.sync_once().await.unwrap();
    assert_eq!(report.resolved, 1, "{report:?}");
    let p = other.payout(id).unwrap().payout;
    assert_eq!(p.status, UnifiedStatus::OutcomeUnknown);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lease_is_renewed_while_a_slow_request_is_out() {
    let sb = common::settled_sandbox().await;
    let (dir, _) = common::guichet_with_accounts(&sb);
    let sender = beside(&dir).with_patience(common::quick_patience());
    let other = beside(&dir).with_patience(common::quick_patience());
    // The answer takes twice the lease: only renewals keep the other process away.
    sb.set_faults(vec![slow("/payout", 3000)]);
    let id = sender
        .queue_payout("Douala", &input("677000012", 1000), None)
        .unwrap()
        .id;
    let sending = {
        let g = sender.clone();
        tokio::spawn(async move { g.submit(&[id]).await })
    };
    for _ in 0..12 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(other.sync_once().await.unwrap().resolved, 0);
    }
    sending.await.unwrap().unwrap();
    let p = other.payout(id).unwrap().payout;
    assert_ne!(p.status, UnifiedStatus::OutcomeUnknown, "{p:?}");
    assert_eq!(executed(&sb, &p.reference), 1);
}

fn line(n: u32, phone: &str) -> BatchLine {
    BatchLine {
        line: n,
        phone: phone.into(),
        amount: "1 000".into(),
        name: format!("Agent {n}"),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_file_confirmed_by_two_processes_at_once_is_one_batch_and_one_refusal() {
    let sb = common::settled_sandbox().await;
    let (dir, first) = common::guichet_with_accounts(&sb);
    let second = beside(&dir);
    let content = "telephone;montant\n0707000201;1000\n0707000202;1000\n";
    let req = BatchRequest {
        account: "Abidjan".into(),
        file_name: "paie.csv".into(),
        sheet: None,
        sheet_found: false,
        file_sha256: BatchRequest::sha256_of(content.as_bytes()),
        lines: vec![line(2, "0707000201"), line(3, "0707000202")],
        again: false,
        remembered: None,
        list: None,
        own_batch: None,
    };
    let sha = req.file_sha256.clone();
    let (a, b) = tokio::join!(
        first.confirm_batch(&req, &sha),
        second.confirm_batch(&req, &sha)
    );
    let (ok, refused): (Vec<_>, Vec<_>) = [a, b].into_iter().partition(|r| r.is_ok());
    assert_eq!(ok.len(), 1, "one batch: {ok:?} {refused:?}");
    let e = refused.into_iter().next().unwrap().unwrap_err();
    assert_eq!(e.code(), "batch_already_sent", "{e}");
    assert_eq!(first.list_batches(None, 10).unwrap().len(), 1);
    // Meant again, it is a second batch.
    let again = BatchRequest { again: true, ..req };
    second.confirm_batch(&again, &sha).await.unwrap();
    assert_eq!(first.list_batches(None, 10).unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_cinetpay_answer_is_looked_up_once_it_settles_and_never_sent_again() {
    let sb = common::settled_sandbox().await;
    let (dir, _) = common::guichet_with_accounts(&sb);
    let g = beside(&dir).with_patience(common::quick_patience());
    // The order travels inside CinetPay for 400 ms after the connection broke: a look-up at
    // once would hear 723 (unknown) and send it again.
    sb.set_faults(vec![FaultRule {
        route: "/transfer/money/send".into(),
        method: Some("POST".into()),
        nth: Some(1),
        probability: None,
        fault: Fault::ApplyLater { ms: 400 },
    }]);
    let p = g
        .send_payout("Abidjan", input("0707000301", 5000))
        .await
        .unwrap();
    assert_eq!(p.status, UnifiedStatus::Submitting, "{p:?}");
    assert_eq!(g.sync_once().await.unwrap().resolved, 0, "not due yet");
    g.sync_until_final(Duration::from_secs(10)).await.unwrap();
    let d = g.payout(p.id).unwrap();
    assert_eq!(d.payout.status, UnifiedStatus::Succeeded, "{d:?}");
    assert!(
        d.history.iter().all(|h| h.event != "resent"),
        "{:?}",
        d.history
    );
    assert_eq!(executed(&sb, &p.reference), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_payout_cinetpay_never_heard_of_is_sent_again_only_after_patient_look_ups_then_called_unknown(
) {
    let sb = common::settled_sandbox().await;
    let (dir, _) = common::guichet_with_accounts(&sb);
    let g = beside(&dir).with_patience(common::quick_patience());
    // Every send of this number is lost before it arrives.
    sb.set_faults(vec![FaultRule {
        route: "/transfer/money/send".into(),
        method: Some("POST".into()),
        nth: None,
        probability: None,
        fault: Fault::Reset,
    }]);
    let p = g
        .send_payout("Abidjan", input("0707000302", 5000))
        .await
        .unwrap();
    g.sync_until_final(Duration::from_secs(20)).await.unwrap();
    let d = g.payout(p.id).unwrap();
    assert_eq!(d.payout.status, UnifiedStatus::OutcomeUnknown, "{d:?}");
    let count = |e: &str| d.history.iter().filter(|h| h.event == e).count();
    assert_eq!(count("resent"), 2, "capped: {:?}", d.history);
    // Three "unknown to CinetPay" answers before each re-send, and after the last one.
    assert_eq!(count("not_found"), 9, "{:?}", d.history);
    assert_eq!(executed(&sb, &p.reference), 0);
    assert!(d
        .payout
        .status_detail
        .as_deref()
        .is_some_and(|t| t.contains("back-office")));
}

#[tokio::test(flavor = "multi_thread")]
async fn cinetpay_order_answers_that_are_neither_success_nor_a_documented_refusal_are_looked_up() {
    let sb = common::settled_sandbox().await;
    let (dir, _) = common::guichet_with_accounts(&sb);
    let g = beside(&dir).with_patience(common::quick_patience());
    // Executed, answered 715; executed, answered with an empty status; executed, left out of the
    // answer; not executed, answered with a code no document lists.
    sb.odd_item("0707000401", Some("715"), true);
    sb.odd_item("0707000402", Some(""), true);
    sb.odd_item("0707000403", None, true);
    sb.odd_item("0707000404", Some("999"), false);
    let ids: Vec<i64> = ["0707000401", "0707000402", "0707000403", "0707000404"]
        .iter()
        .map(|p| g.queue_payout("Abidjan", &input(p, 1000), None).unwrap().id)
        .collect();
    g.submit(&ids).await.unwrap();
    for id in &ids {
        let p = g.payout(*id).unwrap().payout;
        assert_eq!(p.status, UnifiedStatus::Submitting, "never failed: {p:?}");
    }
    g.sync_until_final(Duration::from_secs(20)).await.unwrap();
    for id in &ids[..3] {
        let p = g.payout(*id).unwrap().payout;
        assert_eq!(p.status, UnifiedStatus::Succeeded, "{p:?}");
        assert_eq!(executed(&sb, &p.reference), 1);
    }
    // The one never executed is sent again under its reference (and answered oddly again):
    // it ends unknown, never failed, never paid twice.
    let p = g.payout(ids[3]).unwrap().payout;
    assert_eq!(p.status, UnifiedStatus::OutcomeUnknown, "{p:?}");
    assert_eq!(executed(&sb, &p.reference), 0);
}
