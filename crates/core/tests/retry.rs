//! Re-paying the failures of a batch, against the provider sandbox with a real SQLite file and
//! the real keyring (run under scripts/with-keyring.sh): only the payouts that ended failed or
//! rejected are paid again — never one whose outcome is unknown — under new references, each
//! linked to the one it replaces, and only once.

mod common;

use guichet_core::payouts::{BatchLine, BatchRequest};
use guichet_sandbox::{Fault, FaultRule};
use guichet_types::UnifiedStatus;
use std::collections::BTreeSet;
use std::time::Duration;

fn line(n: u32, phone: &str) -> BatchLine {
    BatchLine {
        line: n,
        phone: phone.into(),
        amount: "2 000".into(),
        name: format!("Agent {n}"),
        reference: format!("PAIE-{n}"),
        reason: "Salaire".into(),
        ..Default::default()
    }
}

/// A batch of `phones` (2,000 each, lines from 2) sent from Douala and tracked until final.
async fn finished_batch(g: &guichet_core::Guichet, file: &[u8], phones: &[&str]) -> i64 {
    let req = BatchRequest {
        account: "Douala".into(),
        file_name: "paie.csv".into(),
        file_sha256: BatchRequest::sha256_of(file),
        lines: phones.iter().zip(2u32..).map(|(p, n)| line(n, p)).collect(),
        ..Default::default()
    };
    let batch = g.confirm_batch(&req, &req.file_sha256).await.unwrap();
    g.send_batch(batch.id).await.unwrap();
    g.sync_until_final(Duration::from_secs(5)).await.unwrap();
    batch.id
}

#[tokio::test(flavor = "multi_thread")]
async fn only_failed_and_rejected_payouts_are_paid_again_never_an_unknown_outcome() {
    let sb = common::settled_sandbox().await;
    let (dir, g) = common::guichet_with_accounts(&sb);
    let phones: Vec<String> = (0..8).map(|i| format!("6770000{i:02}")).collect();
    for p in &phones[..3] {
        sb.fail_phone(p);
    }
    // One answer lost: My-CoolPay has no look-up, the payout's outcome stays unknown.
    sb.set_faults(vec![FaultRule {
        route: "/payout".into(),
        method: None,
        nth: Some(5),
        probability: None,
        fault: Fault::DropResponse,
    }]);
    let lines: Vec<_> = phones.iter().zip(2u32..).map(|(p, n)| line(n, p)).collect();
    let req = BatchRequest {
        account: "Douala".into(),
        file_name: "paie.csv".into(),
        file_sha256: BatchRequest::sha256_of(b"paie"),
        lines,
        ..Default::default()
    };
    let batch = g.confirm_batch(&req, &req.file_sha256).await.unwrap();

    // Not finished yet (queued): nothing to re-pay.
    let err = g.retry_failed(batch.id, &[]).unwrap_err();
    assert_eq!(err.code(), "invalid_input", "{err}");

    g.send_batch(batch.id).await.unwrap();
    sb.set_faults(vec![]);
    g.sync_until_final(Duration::from_secs(5)).await.unwrap();
    let sent = g.list_payouts(Some("Douala"), None, None, 100).unwrap();
    let by = |s: UnifiedStatus| -> BTreeSet<i64> {
        sent.iter()
            .filter(|p| p.status == s)
            .map(|p| p.id)
            .collect()
    };
    let failed: BTreeSet<i64> = by(UnifiedStatus::Failed)
        .union(&by(UnifiedStatus::Rejected))
        .copied()
        .collect();
    let unknown = by(UnifiedStatus::OutcomeUnknown);
    assert_eq!(unknown.len(), 1, "{sent:?}");
    assert!(failed.len() >= 2, "{sent:?}");
    assert_eq!(
        failed.len() + unknown.len() + by(UnifiedStatus::Succeeded).len(),
        8
    );

    assert_eq!(g.batch(batch.id).unwrap().repayable as usize, failed.len());
    let retry = g.retry_failed(batch.id, &[]).unwrap();
    let replaced: BTreeSet<i64> = retry
        .lines
        .iter()
        .map(|l| l.retry_of.as_ref().unwrap().payout_id)
        .collect();
    assert_eq!(replaced, failed, "exactly the failed and rejected ones");
    assert!(replaced.is_disjoint(&unknown), "never an unknown outcome");

    let p = g.preview_batch(&retry).await.unwrap();
    assert!(p.blockers.is_empty(), "{:?}", p.blockers);
    assert_eq!(p.count as usize, failed.len());
    for row in &p.rows {
        let earlier = row.retry_of.as_ref().unwrap();
        let old = sent.iter().find(|s| s.id == earlier.payout_id).unwrap();
        assert_eq!((earlier.status, earlier.batch_id), (old.status, batch.id));
        assert!(!earlier.why.is_empty());
        assert_eq!(row.reference, old.merchant_reference);
        assert_eq!(row.phone, format!("+237{}", old.phone));
    }

    let ledger_before = sb.ledger().len();
    let second = g.confirm_batch(&retry, &p.file_sha256).await.unwrap();
    g.send_batch(second.id).await.unwrap();
    assert_eq!(sb.ledger().len(), ledger_before + failed.len());
    // New references, never an old one.
    let old_refs: BTreeSet<String> = sent.iter().map(|p| p.reference.clone()).collect();
    let new = g.list_payouts(Some("Douala"), None, None, 100).unwrap();
    let new: Vec<_> = new
        .iter()
        .filter(|p| p.batch_id == Some(second.id))
        .collect();
    assert_eq!(new.len(), failed.len());
    assert!(new.iter().all(|p| !old_refs.contains(&p.reference)));

    // The links are stored: the same failures are not paid a second time.
    assert_eq!(g.batch(batch.id).unwrap().repayable, 0);
    let err = g.retry_failed(batch.id, &[]).unwrap_err();
    assert_eq!(err.code(), "nothing_to_send", "{err}");
    drop(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn corrected_amounts_come_from_a_file_keyed_by_phone() {
    let sb = common::settled_sandbox().await;
    let (dir, g) = common::guichet_with_accounts(&sb);
    sb.fail_phone("677000101");
    sb.fail_phone("677000102");
    let batch = finished_batch(&g, b"paie-2", &["677000101", "677000102", "677000103"]).await;

    let amounts = dir.path().join("montants.csv");
    std::fs::write(&amounts, "Téléphone;Montant\n+237 677 00 01 02;2 500\n").unwrap();
    let corrections = g.retry_corrections(batch, &amounts).unwrap();
    let retry = g.retry_failed(batch, &corrections).unwrap();
    let p = g.preview_batch(&retry).await.unwrap();
    let amounts: Vec<_> = p
        .rows
        .iter()
        .map(|r| (r.phone.as_str(), r.amount.unwrap().0))
        .collect();
    assert_eq!(amounts, [("+237677000101", 2000), ("+237677000102", 2500)]);

    // A number of the file that did not fail is refused, not added.
    std::fs::write(
        dir.path().join("autre.csv"),
        "Téléphone;Montant\n677000103;9 000\n",
    )
    .unwrap();
    let err = g
        .retry_corrections(batch, &dir.path().join("autre.csv"))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("not among the payouts to pay again"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_number_is_corrected_from_a_file_or_from_the_review() {
    let sb = common::settled_sandbox().await;
    let (dir, g) = common::guichet_with_accounts(&sb);
    // Two numbers mistyped in the payroll sheet: the provider refuses them.
    sb.fail_phone("677000201");
    sb.fail_phone("677000202");
    let batch = finished_batch(&g, b"paie-3", &["677000201", "677000202"]).await;

    // The file: the number that failed, the right one, and for one row a new amount; a TOTAL
    // row and a blank cell are normal.
    let file = dir.path().join("corrections.csv");
    std::fs::write(
        &file,
        "Téléphone;Nouveau numéro;Montant\n\
         677 00 02 01;677 00 03 01;\n\
         +237677000202;;3 000\n\
         TOTAL;;3 000\n",
    )
    .unwrap();
    let corrections = g.retry_corrections(batch, &file).unwrap();
    let retry = g.retry_failed(batch, &corrections).unwrap();
    let p = g.preview_batch(&retry).await.unwrap();
    let rows: Vec<_> = p
        .rows
        .iter()
        .map(|r| {
            (
                r.phone.as_str(),
                r.amount.unwrap().0,
                r.retry_of.as_ref().unwrap().phone.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("+237677000301", 2000, "+237677000201"),
            ("+237677000202", 3000, "+237677000202"),
        ]
    );
    // The corrected number was never paid from this account: the review says so.
    assert!(
        p.rows[0]
            .warnings
            .iter()
            .any(|w| w.code == "new_beneficiary"),
        "{:?}",
        p.rows[0]
    );

    // The review's fingerprint covers the corrections: confirming another set is refused.
    let plain = g.retry_failed(batch, &[]).unwrap();
    assert_ne!(plain.file_sha256, retry.file_sha256);
    let err = g
        .confirm_batch(&plain, &retry.file_sha256)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("changed since it was reviewed"),
        "{err}"
    );

    // From the app's table: a correction for a payout that did not fail is refused.
    let other = g.list_payouts(Some("Douala"), None, None, 100).unwrap();
    let not_failed = other
        .iter()
        .find(|p| p.status == UnifiedStatus::Succeeded)
        .map(|p| p.id)
        .unwrap_or(i64::MAX);
    let err = g
        .retry_failed(
            batch,
            &[guichet_core::payouts::RetryCorrection {
                payout_id: not_failed,
                phone: Some("677000999".into()),
                amount: None,
            }],
        )
        .unwrap_err();
    assert!(err.to_string().contains("not among the payouts"), "{err}");

    // A file with neither an amount nor a new number column says so.
    std::fs::write(&file, "Téléphone;Nom\n677000201;Awa\n").unwrap();
    let err = g.retry_corrections(batch, &file).unwrap_err();
    assert!(err.to_string().contains("new number column"), "{err}");

    // Sent: the corrected number is paid, each new payout linked to the one it replaces.
    let sent = g.confirm_batch(&retry, &retry.file_sha256).await.unwrap();
    g.send_batch(sent.id).await.unwrap();
    g.sync_until_final(Duration::from_secs(5)).await.unwrap();
    let paid = g.list_payouts(Some("Douala"), None, None, 100).unwrap();
    assert!(
        paid.iter().any(|p| p.phone.ends_with("677000301")
            && p.batch_id == Some(sent.id)
            && p.status == UnifiedStatus::Succeeded),
        "{paid:?}"
    );
}
