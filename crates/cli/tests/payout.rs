//! `guichet payout` and `guichet sync` as a merchant's script would run them, against
//! `guichet sandbox` running as its own process.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

struct Sandbox(Child, serde_json::Value);

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.0.kill();
    }
}

fn sandbox() -> Sandbox {
    let mut child = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .args(["--json", "sandbox"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut text = String::new();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    while !text.trim_end().ends_with('}') {
        reader.read_line(&mut text).unwrap();
    }
    Sandbox(child, serde_json::from_str(&text).unwrap())
}

fn guichet(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn ok(o: Output) -> String {
    assert!(
        o.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn a_payout_sent_from_the_command_line_is_tracked_to_paid() {
    let sb = sandbox();
    let demo = &sb.1;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = demo["base_url"].as_str().unwrap();
    ok(guichet(
        d,
        &[
            "account",
            "add",
            "--provider",
            "cinetpay",
            "--label",
            "Abidjan",
            "--site-id",
            demo["cinetpay_site_id"].as_str().unwrap(),
            "--base-url",
            base,
            "--notify-url",
            &format!("{base}/notify"),
            "--secrets-stdin",
        ],
        &format!(
            "api_key={}\ntransfer_password={}\n",
            demo["cinetpay_api_key"].as_str().unwrap(),
            demo["cinetpay_transfer_password"].as_str().unwrap()
        ),
    ));

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
