//! `guichet batch retry-failed ID [--amounts FILE]`, the real binary against the provider
//! sandbox run in this test: a finished batch's failed and rejected payouts are reviewed and
//! paid again under new references, never one whose outcome is unknown, and only once.

use guichet_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig, SandboxHandle, Timings};
use std::collections::BTreeSet;
use std::path::Path;

mod common;
use common::{err, guichet, ok};

fn json(d: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(guichet(d, &all, ""))).unwrap()
}

fn add_douala(d: &Path, sb: &SandboxHandle) {
    let demo = sb.demo_credentials();
    common::add_mycoolpay_account(
        d,
        "Douala",
        &demo.base_url,
        &demo.mycoolpay_public_key,
        &demo.mycoolpay_private_key,
    );
}

#[test]
fn retry_failed_pays_again_only_the_failed_and_rejected_payouts_of_a_finished_batch() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sb = rt
        .block_on(Sandbox::start(SandboxConfig {
            timings: Timings {
                accept_to_progress_ms: 0,
                progress_to_final_ms: 0,
                ..Default::default()
            },
            ..Default::default()
        }))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_douala(d, &sb);
    sb.fail_phone("677000001");
    sb.fail_phone("677000002");
    // One answer lost: the payout's outcome stays unknown (My-CoolPay has no look-up).
    sb.set_faults(vec![FaultRule {
        route: "/payout".into(),
        method: None,
        nth: Some(4),
        probability: None,
        fault: Fault::DropResponse,
    }]);
    let file = d.join("paie.csv");
    let mut csv = String::from("Nom;Téléphone;Montant;Référence\n");
    for i in 1..=6 {
        csv.push_str(&format!("Agent {i};67700000{i};2 000;PAIE-{i}\n"));
    }
    std::fs::write(&file, csv).unwrap();
    let report = json(
        d,
        &[
            "payout",
            "batch",
            file.to_str().unwrap(),
            "--account",
            "Douala",
            "--yes",
        ],
    );
    let id = report["batch"]["id"].as_i64().unwrap().to_string();
    sb.set_faults(vec![]);
    ok(guichet(
        d,
        &["sync", "--until-final", "--timeout", "30"],
        "",
    ));

    let sent = json(d, &["payout", "list"]);
    let ids = |statuses: &[&str]| -> BTreeSet<i64> {
        sent.as_array()
            .unwrap()
            .iter()
            .filter(|p| statuses.contains(&p["status"].as_str().unwrap()))
            .map(|p| p["id"].as_i64().unwrap())
            .collect()
    };
    let failed = ids(&["failed", "rejected"]);
    let unknown = ids(&["outcome_unknown"]);
    assert_eq!(unknown.len(), 1, "{sent}");
    assert!(!failed.is_empty(), "{sent}");

    // The review names each payout it replaces and why it failed.
    let review = ok(guichet(d, &["batch", "retry-failed", &id, "--dry-run"], ""));
    for f in &failed {
        assert!(
            review.contains(&format!("RE-PAYS payout #{f} of batch #{id}")),
            "{review}"
        );
    }
    let u = unknown.first().unwrap();
    assert!(!review.contains(&format!("payout #{u} ")), "{review}");
    let preview = json(d, &["batch", "retry-failed", &id, "--dry-run"]);
    let replaced: BTreeSet<i64> = preview["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["retry_of"]["payout_id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        replaced, failed,
        "only failed and rejected, never unknown: {preview}"
    );

    // Amounts corrected by a file keyed by phone (a number written as people write it).
    let first = failed.first().unwrap();
    let national = sent
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == *first)
        .map(|p| p["phone"].as_str().unwrap().to_string())
        .unwrap();
    let amounts = d.join("montants.csv");
    std::fs::write(
        &amounts,
        format!("Téléphone;Montant\n+237 {national};2 500\n"),
    )
    .unwrap();
    let corrected = json(
        d,
        &[
            "batch",
            "retry-failed",
            &id,
            "--amounts",
            amounts.to_str().unwrap(),
            "--dry-run",
        ],
    );
    for row in corrected["rows"].as_array().unwrap() {
        let expected = if row["retry_of"]["payout_id"] == *first {
            2500
        } else {
            2000
        };
        assert_eq!(row["amount"], expected, "{corrected}");
    }

    // A wrong number corrected by the same kind of file: the review says which number is paid
    // instead of which, and the money goes to the corrected one.
    let numbers = d.join("numeros.csv");
    std::fs::write(
        &numbers,
        format!("N°;Téléphone;Nouveau numéro\n1;+237 {national};677 00 09 01\n"),
    )
    .unwrap();
    let args = [
        "batch",
        "retry-failed",
        &id,
        "--amounts",
        numbers.to_str().unwrap(),
    ];
    let review = ok(guichet(d, &[&args[..], &["--dry-run"]].concat(), ""));
    assert!(
        review.contains(&format!(
            "NUMBER  corrected: +237677000901 instead of +237{national}"
        )),
        "{review}"
    );
    let bad = d.join("mauvais.csv");
    std::fs::write(&bad, "Téléphone;Nouveau numéro\n677000555;677000901\n").unwrap();
    let refused = err(guichet(
        d,
        &[
            "batch",
            "retry-failed",
            &id,
            "--amounts",
            bad.to_str().unwrap(),
            "--yes",
        ],
        "",
    ));
    assert!(
        refused.contains("line 2: +237677000555 is not among the payouts to pay again"),
        "{refused}"
    );

    let ledger = sb.ledger().len();
    let paid = json(d, &[&args[..], &["--yes"]].concat());
    assert_eq!(sb.ledger().len(), ledger + failed.len());
    let to: Vec<String> = sb.ledger()[ledger..]
        .iter()
        .map(|e| e.phone.clone())
        .collect();
    assert!(to.iter().any(|p| p.ends_with("677000901")), "{to:?}");
    assert!(!to.iter().any(|p| p.ends_with(&national)), "{to:?}");
    assert_ne!(paid["batch"]["id"].as_i64().unwrap().to_string(), id);
    let again = err(guichet(d, &["batch", "retry-failed", &id, "--yes"], ""));
    assert!(
        again.contains("no failed or rejected payout left"),
        "{again}"
    );
    assert_eq!(
        sb.ledger().len(),
        ledger + failed.len(),
        "paid again once only"
    );
}
