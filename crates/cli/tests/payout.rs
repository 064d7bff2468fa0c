//! `guichet payout` and `guichet sync` as a merchant's script would run them, against
//! `guichet sandbox` running as its own process.

mod common;
use common::{guichet, ok, sandbox};

#[test]
fn a_payout_sent_from_the_command_line_is_tracked_to_paid() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sb.add_cinetpay(d, "Abidjan");

    // Without --yes and without a terminal, nothing leaves.
    let refused = guichet(
        d,
        &[
            "payout",
            "send",
            "--account",
            "Abidjan",
            "--phone",
            "07 07 12 34 56",
            "--amount",
            "5000",
        ],
        "",
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));
    assert_eq!(
        ok(guichet(d, &["--json", "payout", "list"], "")).trim(),
        "[]"
    );

    // A bad amount names the field.
    let bad = guichet(
        d,
        &[
            "payout",
            "send",
            "--account",
            "Abidjan",
            "--phone",
            "0707123456",
            "--amount",
            "1001",
            "--yes",
        ],
        "",
    );
    assert!(String::from_utf8_lossy(&bad.stderr).contains("amount"));

    let sent: serde_json::Value = serde_json::from_str(&ok(guichet(
        d,
        &[
            "--json",
            "payout",
            "send",
            "--account",
            "Abidjan",
            "--phone",
            "07 07 12 34 56",
            "--amount",
            "5000",
            "--name",
            "Awa",
            "--yes",
        ],
        "",
    )))
    .unwrap();
    assert_eq!(sent["status"], "pending");
    let report: serde_json::Value = serde_json::from_str(&ok(guichet(
        d,
        &["--json", "sync", "--until-final", "--timeout", "60"],
        "",
    )))
    .unwrap();
    assert_eq!(report["pending"], 0);
    let shown = ok(guichet(d, &["payout", "show", &sent["id"].to_string()], ""));
    assert!(
        shown.contains("paid") && shown.contains("accepted"),
        "{shown}"
    );
    let paid: serde_json::Value = serde_json::from_str(&ok(guichet(
        d,
        &["--json", "payout", "list", "--status", "succeeded"],
        "",
    )))
    .unwrap();
    assert_eq!(paid[0]["amount"], 5000);
    assert_eq!(paid[0]["phone"], "0707123456");
}

#[test]
fn a_french_spreadsheet_is_reviewed_row_by_row_then_paid_once_and_not_twice_unless_meant() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sb.add_cinetpay(d, "Abidjan");
    // As French Excel saves it: `;`, Windows-1252 (é = 0xE9), spaced numbers and amounts.
    let mut csv: Vec<u8> = Vec::new();
    csv.extend_from_slice(b"T\xe9l\xe9phone;Montant;Nom;R\xe9f\xe9rence;Motif\r\n");
    csv.extend_from_slice(b"07 07 12 34 56;5 000;Awa Kon\xe9;F-1;Salaire\r\n");
    csv.extend_from_slice(b"05 05 12 34 56;1 001;Yao;F-2;Salaire\r\n");
    csv.extend_from_slice(b"01 01 12 34 56;2 500;Moussa;F-3;Prime\r\n");
    let file = d.join("paie novembre.csv");
    std::fs::write(&file, &csv).unwrap();
    let path = file.to_str().unwrap();

    // The review names the bad row and its column; a dry run sends nothing.
    let review = ok(guichet(
        d,
        &["payout", "batch", path, "--account", "Abidjan", "--dry-run"],
        "",
    ));
    assert!(review.contains("line 3"), "{review}");
    assert!(review.contains("multiple of 5"), "{review}");
    assert!(review.contains("2 payout(s)"), "{review}");
    // Without --yes and without a terminal, nothing leaves either.
    let refused = guichet(d, &["payout", "batch", path, "--account", "Abidjan"], "");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));
    assert_eq!(
        ok(guichet(d, &["--json", "payout", "list"], "")).trim(),
        "[]"
    );

    let sent: serde_json::Value = serde_json::from_str(&ok(guichet(
        d,
        &[
            "--json",
            "payout",
            "batch",
            path,
            "--account",
            "Abidjan",
            "--yes",
        ],
        "",
    )))
    .unwrap();
    assert_eq!(sent["batch"]["row_count"], 2);
    assert_eq!(sent["batch"]["skipped"], 1);
    assert_eq!(sent["batch"]["total"], 7500);
    assert!(sent["batch"]["balance_before"].is_string());
    assert!(sent["batch"]["balance_after"].is_string());
    ok(guichet(
        d,
        &["--json", "sync", "--until-final", "--timeout", "60"],
        "",
    ));
    let paid: serde_json::Value = serde_json::from_str(&ok(guichet(
        d,
        &["--json", "payout", "list", "--status", "succeeded"],
        "",
    )))
    .unwrap();
    let mut refs: Vec<_> = paid
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["merchant_reference"].as_str().unwrap().to_string())
        .collect();
    refs.sort();
    assert_eq!(refs, ["F-1", "F-3"]);

    // The same file again is refused; --again pays it again.
    let twice = guichet(
        d,
        &["payout", "batch", path, "--account", "Abidjan", "--yes"],
        "",
    );
    assert!(!twice.status.success());
    assert!(
        String::from_utf8_lossy(&twice.stderr).contains("--again"),
        "{}",
        String::from_utf8_lossy(&twice.stderr)
    );
    ok(guichet(
        d,
        &[
            "payout",
            "batch",
            path,
            "--account",
            "Abidjan",
            "--yes",
            "--again",
        ],
        "",
    ));
    let all: serde_json::Value =
        serde_json::from_str(&ok(guichet(d, &["--json", "payout", "list"], ""))).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 4);
    let batches = ok(guichet(d, &["payout", "batches"], ""));
    assert!(
        batches.contains("batch #2") && batches.contains("batch #1"),
        "{batches}"
    );
}

#[test]
fn an_unknown_status_filter_names_the_statuses_that_exist() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in ["payout", "collect"] {
        let out = guichet(dir.path(), &[cmd, "list", "--status", "paid"], "");
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("unknown status `paid`") && err.contains("succeeded, failed"),
            "{cmd}: {err}"
        );
    }
}

/// `guichet ARGS…` on `dir` in a process allowed `files` open files at most (soft and hard, as
/// a laptop's session often sets 1,024, macOS 256): each request in flight holds one.
fn guichet_with_open_files(dir: &std::path::Path, files: u32, args: &[&str]) -> String {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -n {files} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_guichet"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("GUICHET_DATA_DIR")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    ok(out)
}

#[test]
fn a_payroll_larger_than_the_files_a_process_may_open_is_paid_whole() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sb.add_mycoolpay(d, "Douala");
    let rows = 600;
    let mut csv = String::from("Téléphone;Montant;Nom\r\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "677 {:03} {:03};500;Agent {i}\r\n",
            i / 1000,
            i % 1000
        ));
    }
    let file = d.join("paie.csv");
    std::fs::write(&file, csv).unwrap();

    // 256 files: far fewer than the payouts, and than the requests Guichet would otherwise
    // keep in flight. None may fail for it, let alone end with an unknown outcome.
    guichet_with_open_files(
        d,
        256,
        &[
            "payout",
            "batch",
            file.to_str().unwrap(),
            "--account",
            "Douala",
            "--yes",
        ],
    );
    guichet_with_open_files(d, 256, &["sync", "--until-final", "--timeout", "120"]);
    let all: serde_json::Value = serde_json::from_str(&ok(guichet(
        d,
        &["--json", "payout", "list", "--limit", "1000"],
        "",
    )))
    .unwrap();
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), rows);
    let not_paid: Vec<_> = all
        .iter()
        .filter(|p| p["status"] != "succeeded")
        .map(|p| format!("{} {}", p["phone"], p["status"]))
        .collect();
    assert!(
        not_paid.is_empty(),
        "{} not paid: {:?}",
        not_paid.len(),
        &not_paid[..not_paid.len().min(5)]
    );
}
