//! Payouts end to end against the provider sandbox, with a real SQLite file and the real
//! keyring (run under scripts/with-keyring.sh): each person paid once, whatever is lost.

mod common;

use guichet_core::payouts::PayoutInput;
use guichet_core::Guichet;
use guichet_sandbox::{Fault, FaultRule, SandboxHandle};
use guichet_types::UnifiedStatus;
use std::time::Duration;

async fn setup() -> (tempfile::TempDir, Guichet, SandboxHandle) {
    let sb = common::settled_sandbox().await;
    let (dir, g) = common::guichet_with_accounts(&sb);
    (dir, g, sb)
}

/// [`setup`], with lost answers looked up within a test's time.
async fn patient_setup() -> (tempfile::TempDir, Guichet, SandboxHandle) {
    let (dir, g, sb) = setup().await;
    (dir, g.with_patience(common::quick_patience()), sb)
}

fn input(phone: &str, amount: i64) -> PayoutInput {
    PayoutInput {
        phone: phone.into(),
        amount,
        name: "Awa Koné".into(),
        reason: "Salaire".into(),
        operator: None,
    }
}

fn assert_paid_once(sb: &SandboxHandle, g: &Guichet) {
    let ledger = sb.ledger();
    let mut refs: Vec<_> = ledger.iter().map(|e| e.reference.clone()).collect();
    refs.sort();
    refs.dedup();
    assert_eq!(
        refs.len(),
        ledger.len(),
        "a reference was executed twice: {ledger:?}"
    );
    let ours = g.list_payouts(None, None, None, 10_000).unwrap();
    for e in &ledger {
        let p = ours
            .iter()
            .find(|p| p.reference == e.reference)
            .expect("every executed payout is ours");
        assert_eq!(p.amount.0, e.amount);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cinetpay_payout_is_sent_once_and_tracked_to_success() {
    let (_dir, g, sb) = setup().await;
    let p = g
        .send_payout("Abidjan", input("07 07 12 34 56", 5000))
        .await
        .unwrap();
    // Looked at as soon as its acceptance was recorded: settled by then in this sandbox.
    assert_eq!(p.status, UnifiedStatus::Succeeded);
    assert!(p.provider_ref.is_some());
    let report = g.sync_until_final(Duration::from_secs(20)).await.unwrap();
    assert_eq!(report.pending, 0);
    let detail = g.payout(p.id).unwrap();
    assert_eq!(detail.payout.status, UnifiedStatus::Succeeded);
    let events: Vec<_> = detail.history.iter().map(|h| h.event.as_str()).collect();
    assert_eq!(events, ["queued", "sent", "accepted", "poll"]);
    assert_paid_once(&sb, &g);
    assert_eq!(sb.ledger().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_cinetpay_answer_is_looked_up_not_resent_under_a_new_reference() {
    let (_dir, g, sb) = patient_setup().await;
    sb.set_faults(vec![FaultRule {
        route: "/money/send".into(),
        method: None,
        nth: Some(1),
        probability: None,
        fault: Fault::DropResponse,
    }]);
    let p = g
        .send_payout("Abidjan", input("0505123456", 10_000))
        .await
        .unwrap();
    assert_ne!(p.status, UnifiedStatus::Failed);
    g.sync_until_final(Duration::from_secs(20)).await.unwrap();
    assert_eq!(
        g.payout(p.id).unwrap().payout.status,
        UnifiedStatus::Succeeded
    );
    assert_eq!(sb.ledger().len(), 1);
    assert_paid_once(&sb, &g);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_payout_interrupted_before_its_request_left_is_sent_under_its_own_reference() {
    let (_dir, g, sb) = patient_setup().await;
    // As if Guichet was killed right after recording `submitting`, before the request left.
    let p = g
        .queue_payout("Abidjan", &input("0101020304", 2500), None)
        .unwrap();
    g.store
        .payouts_mut()
        .transition(p.id, UnifiedStatus::Submitting, &Default::default())
        .unwrap();
    g.sync_until_final(Duration::from_secs(20)).await.unwrap();
    let done = g.payout(p.id).unwrap().payout;
    assert_eq!(done.status, UnifiedStatus::Succeeded);
    let ledger = sb.ledger();
    assert_eq!(
        (ledger.len(), ledger[0].reference.as_str()),
        (1, p.reference.as_str())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_my_coolpay_answer_becomes_outcome_unknown_and_is_never_resent() {
    let (_dir, g, sb) = setup().await;
    sb.set_faults(vec![FaultRule {
        route: "/payout".into(),
        method: None,
        nth: Some(1),
        probability: None,
        fault: Fault::DropResponse,
    }]);
    let p = g
        .send_payout("Douala", input("677 12 34 56", 3000))
        .await
        .unwrap();
    assert_eq!(p.status, UnifiedStatus::OutcomeUnknown);
    assert!(p.status_detail.unwrap().contains("back-office"));
    let report = g.sync_until_final(Duration::from_secs(3)).await.unwrap();
    assert_eq!((report.pending, report.outcome_unknown), (0, 1));
    assert_eq!(sb.ledger().len(), 1, "executed once, never re-sent");

    let ok = g
        .send_payout("Douala", input("+237 699 88 77 66", 1500))
        .await
        .unwrap();
    g.sync_until_final(Duration::from_secs(20)).await.unwrap();
    assert_eq!(
        g.payout(ok.id).unwrap().payout.status,
        UnifiedStatus::Succeeded
    );
    assert_paid_once(&sb, &g);
}

#[tokio::test(flavor = "multi_thread")]
async fn refusals_are_final_and_bad_input_queues_nothing() {
    let (_dir, g, sb) = setup().await;
    for (bad, field) in [
        (input("0707123456", 150), "amount"),
        (input("0707123456", 1001), "amount"),
        (input("27 21 00 00 00", 5000), "phone"),
        (input("+237677123456", 5000), "phone"),
    ] {
        let err = g.queue_payout("Abidjan", &bad, None).unwrap_err();
        assert_eq!(err.field(), Some(field), "{err}");
    }
    assert!(g.list_payouts(None, None, None, 100).unwrap().is_empty());

    sb.fail_phone("0707999999");
    let p = g
        .send_payout("Abidjan", input("0707999999", 5000))
        .await
        .unwrap();
    g.sync_until_final(Duration::from_secs(20)).await.unwrap();
    assert_eq!(
        g.payout(p.id).unwrap().payout.status,
        UnifiedStatus::Rejected
    );
    let broke = g
        .send_payout("Abidjan", input("0707123456", 1_500_000))
        .await
        .unwrap();
    let broke2 = g
        .send_payout("Abidjan", input("0707123457", 1_500_000))
        .await
        .unwrap();
    let broke3 = g
        .send_payout("Abidjan", input("0707123458", 1_500_000))
        .await
        .unwrap();
    let broke4 = g
        .send_payout("Abidjan", input("0707123459", 1_500_000))
        .await
        .unwrap();
    let statuses: Vec<_> = [broke, broke2, broke3, broke4]
        .iter()
        .map(|p| g.payout(p.id).unwrap().payout.status)
        .collect();
    assert!(
        statuses.contains(&UnifiedStatus::Failed),
        "the balance ran out: {statuses:?}"
    );
    assert_paid_once(&sb, &g);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_queued_batch_is_sent_in_chunks_and_every_payout_ends_final() {
    let (_dir, g, sb) = setup().await;
    for i in 0..120 {
        g.queue_payout(
            "Abidjan",
            &input(&format!("07070{:05}", i), 1000 + 5 * i),
            None,
        )
        .unwrap();
    }
    for i in 0..20 {
        g.queue_payout("Douala", &input(&format!("6770{:05}", i), 500 + i), None)
            .unwrap();
    }
    let report = g.sync_until_final(Duration::from_secs(30)).await.unwrap();
    assert_eq!(report.pending, 0);
    let all = g.list_payouts(None, None, None, 1000).unwrap();
    assert_eq!(all.len(), 140);
    assert!(all.iter().all(|p| p.status == UnifiedStatus::Succeeded));
    assert_eq!(sb.ledger().len(), 140);
    assert_paid_once(&sb, &g);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_cinetpay_send_refused_on_resend_ends_failed_not_stuck_being_sent() {
    // Found by the fault simulation (seed 192): the first send never reaches CinetPay (503), the
    // lookup finds nothing, and the resend is refused as a whole (602, balance too low). The
    // payout used to stay `submitting` for ever — and leave by itself once the balance allowed.
    let (_dir, g, sb) = patient_setup().await;
    let demo = sb.demo_credentials();
    sb.seed_cinetpay(
        &demo.cinetpay_api_key,
        &demo.cinetpay_transfer_password,
        &demo.cinetpay_site_id,
        1_000,
        false,
    );
    sb.set_faults(vec![FaultRule {
        route: "/money/send".into(),
        method: None,
        nth: Some(1),
        probability: None,
        fault: Fault::Status { code: 503 },
    }]);
    let p = g
        .send_payout("Abidjan", input("0707123456", 5_000))
        .await
        .unwrap();
    // Looked up once CinetPay had time to settle, sent again after it said "not found" three
    // times, refused as a whole: final.
    let report = g.sync_until_final(Duration::from_secs(20)).await.unwrap();
    assert_eq!(report.pending, 0);
    let p = g.payout(p.id).unwrap().payout;
    assert_eq!(p.status, UnifiedStatus::Failed, "{:?}", g.payout(p.id));
    assert!(p.status_detail.unwrap().contains("balance"));
    assert!(sb.ledger().is_empty());
}

/// A payout whose request could not even connect (the provider unreachable, no socket left)
/// never reached My-CoolPay: it ends failed, saying nothing was sent, and can be paid again —
/// not "outcome unknown", which would send the merchant to check each one by hand.
#[tokio::test(flavor = "multi_thread")]
async fn a_my_coolpay_payout_that_could_not_connect_is_failed_not_of_unknown_outcome() {
    let (dir, g, sb) = setup().await;
    let file = dir.path().join("paie.csv");
    std::fs::write(
        &file,
        "Téléphone;Montant;Nom\r\n677 12 34 56;3 000;Awa\r\n699 88 77 66;1 500;Yao\r\n",
    )
    .unwrap();
    let req = g
        .read_batch(&file, "Douala", &Default::default(), false)
        .unwrap();
    g.preview_batch(&req).await.unwrap();
    let batch = g.confirm_batch(&req, &req.file_sha256).await.unwrap();
    // My-CoolPay goes away between the review and the send: every connection is refused.
    sb.shutdown().await;
    let _ = g.send_batch(batch.id).await;
    let detail = g.batch(batch.id).unwrap();
    let statuses: Vec<_> = detail.counts.iter().map(|c| (c.status, c.count)).collect();
    assert_eq!(statuses, [(UnifiedStatus::Failed, 2)], "{statuses:?}");
    assert_eq!(detail.repayable, 2, "both can be paid again");
    for p in g.list_payouts(Some("Douala"), None, None, 10).unwrap() {
        let why = p.status_detail.unwrap_or_default();
        assert!(why.contains("nothing was sent"), "{why}");
    }
}
