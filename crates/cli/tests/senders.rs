//! Several `guichet` processes on one data folder at the same moment, as merchants run them: a
//! batch from a script beside a cron `guichet sync`, the same file given to two terminals. The
//! provider sandbox runs in this test, its answers slowed down.

use guichet_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig, SandboxHandle};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

mod common;
use common::{guichet, ok};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn start(rt: &tokio::runtime::Runtime) -> SandboxHandle {
    rt.block_on(Sandbox::start(SandboxConfig::default()))
        .unwrap()
}

fn add_accounts(d: &Path, sb: &SandboxHandle) {
    let demo = sb.demo_credentials();
    common::add_cinetpay_account(
        d,
        "Abidjan",
        &demo.base_url,
        &demo.cinetpay_site_id,
        &demo.cinetpay_api_key,
        &demo.cinetpay_transfer_password,
    );
    common::add_mycoolpay_account(
        d,
        "Douala",
        &demo.base_url,
        &demo.mycoolpay_public_key,
        &demo.mycoolpay_private_key,
    );
}

fn slow(route: &str, ms: u64) -> Vec<FaultRule> {
    vec![FaultRule {
        route: route.into(),
        method: Some("POST".into()),
        nth: None,
        probability: None,
        fault: Fault::Latency { ms },
    }]
}

fn spawn(d: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_guichet"))
        .arg("--data-dir")
        .arg(d)
        .args(args)
        .env_remove("GUICHET_DATA_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn payroll(d: &Path, rows: usize, phone: impl Fn(usize) -> String) -> std::path::PathBuf {
    let mut text = String::from("Nom;Téléphone;Montant\n");
    for i in 0..rows {
        text.push_str(&format!("Agent {i};{};1 000\n", phone(i)));
    }
    let path = d.join("paie.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn said(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn the_same_file_given_to_two_terminals_at_once_is_paid_once_and_neither_fails_on_a_busy_database()
{
    let rt = runtime();
    let sb = start(&rt);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_accounts(d, &sb);
    let file = payroll(d, 20, |i| format!("07 07 00 06 {i:02}"));
    let file = file.to_str().unwrap();
    sb.set_faults(slow("/transfer/money/send", 1000));
    let args = ["payout", "batch", file, "--account", "Abidjan", "--yes"];
    let (a, b) = (spawn(d, &args), spawn(d, &args));
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let paid = sb
        .ledger()
        .iter()
        .filter(|e| e.kind == "cinetpay_transfer")
        .count();
    assert_eq!(paid, 20, "{}\n---\n{}", said(&a), said(&b));
    let (sent, refused) = if a.status.success() { (a, b) } else { (b, a) };
    assert!(sent.status.success(), "{}", said(&sent));
    assert!(!refused.status.success(), "{}", said(&refused));
    assert!(
        said(&refused).contains("already paid"),
        "{}",
        said(&refused)
    );
    for o in [&sent, &refused] {
        assert!(!said(o).contains("locked"), "{}", said(o));
    }
}

#[test]
fn a_sync_every_half_second_beside_a_batch_never_calls_its_payouts_unknown() {
    let rt = runtime();
    let sb = start(&rt);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_accounts(d, &sb);
    let file = payroll(d, 30, |i| format!("6770007{i:02}"));
    sb.set_faults(slow("/payout", 2000));
    let mut batch = spawn(
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
    let mut syncs = 0;
    while batch.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(500));
        let report: serde_json::Value =
            serde_json::from_str(&ok(guichet(d, &["--json", "sync"], ""))).unwrap();
        assert_eq!(report["outcome_unknown"], 0, "{report}");
        assert_eq!(report["resolved"], 0, "{report}");
        syncs += 1;
    }
    let out = batch.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", said(&out));
    assert!(syncs >= 2, "the syncs ran while the batch was out");
    sb.set_faults(Vec::new());
    let report: serde_json::Value = serde_json::from_str(&ok(guichet(
        d,
        &["--json", "sync", "--until-final", "--timeout", "60"],
        "",
    )))
    .unwrap();
    assert_eq!(report["outcome_unknown"], 0, "{report}");
    assert_eq!(report["pending"], 0, "{report}");
    let paid = sb
        .ledger()
        .iter()
        .filter(|e| e.kind == "mycoolpay_payout")
        .count();
    assert_eq!(paid, 30);
}
