//! `guichet export` and `guichet reconcile` as a merchant's script runs them: a real process, a
//! real SQLite file, the real Secret Service (run under `scripts/with-keyring.sh`).

mod common;
use common::ok;
use std::path::Path;

/// Dates in these files are read in Abidjan's time.
fn guichet(dir: &Path, args: &[&str], stdin: &str) -> std::process::Output {
    common::guichet_env(dir, args, stdin, &[("TZ", "Africa/Abidjan")])
}

#[test]
fn export_and_reconcile_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
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
            "445160",
            "--notify-url",
            "https://shop.example/n",
            "--secrets-stdin",
        ],
        "api_key=canary-cli-key\ntransfer_password=canary-cli-pw\n",
    ));
    // A payout as the payouts flow records it, sent and pending.
    {
        let conn = rusqlite::Connection::open(d.join("guichet.db")).unwrap();
        conn.execute(
            "INSERT INTO payouts (account_id, reference, prefix, phone, name, amount, currency,
                 status, provider_ref, created_at, updated_at, submitted_at)
             VALUES (1, 'GCHCLI1', '225', '0707123456', '@SUM(A1)', 5000, 'XOF', 'pending',
                 'EA-CLI-1', '2026-11-23T14:05:00.000Z', '2026-11-23T14:05:00.000Z',
                 '2026-11-23T14:05:01.000Z')",
            [],
        )
        .unwrap();
    }

    let csv_path = d.join("paiements.csv");
    let out = ok(guichet(
        d,
        &[
            "export",
            "payouts",
            "--output",
            csv_path.to_str().unwrap(),
            "--from",
            "23/11/2026",
            "--to",
            "23/11/2026",
            "--account",
            "Abidjan",
            "--status",
            "pending",
        ],
        "",
    ));
    assert!(out.contains("1 rows"), "{out}");
    let text = String::from_utf8(std::fs::read(&csv_path).unwrap()).unwrap();
    assert!(text.starts_with('\u{feff}'));
    let line = text.lines().nth(1).unwrap();
    assert!(
        line.contains("23/11/2026 14:05;Abidjan;CinetPay;GCHCLI1;EA-CLI-1"),
        "{line}"
    );
    assert!(line.contains(";+2250707123456;'@SUM(A1);"), "{line}");

    let xlsx_path = d.join("journal.xlsx");
    let json: serde_json::Value = serde_json::from_str(&ok(guichet(
        d,
        &[
            "--json",
            "export",
            "events",
            "--output",
            xlsx_path.to_str().unwrap(),
        ],
        "",
    )))
    .unwrap();
    assert!(json["rows"].as_u64().unwrap() >= 1);
    assert!(std::fs::read(&xlsx_path).unwrap().starts_with(b"PK"));

    let bad = guichet(
        d,
        &[
            "export",
            "payouts",
            "--output",
            "x.csv",
            "--from",
            "2026-13-01",
        ],
        "",
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("from"));

    let statement = d.join("cinetpay.csv");
    std::fs::write(
        &statement,
        "\"Date Création (GMT)\";\"ID CinetPay\";\"ID Marchand\";\"Montant Envoyé\";\"Statut\"\n\
         \"2026-11-23 14:06:00\";\"EA-CLI-1\";\"GCHCLI1\";\"5000\";\"VAL\"\n\
         \"2026-11-23 15:00:00\";\"EA-X\";\"\";\"700\";\"VAL\"\n",
    )
    .unwrap();
    let report_path = d.join("rapport.csv");
    let out = ok(guichet(
        d,
        &[
            "reconcile",
            statement.to_str().unwrap(),
            "--account",
            "Abidjan",
            "--report",
            report_path.to_str().unwrap(),
        ],
        "",
    ));
    assert!(
        out.contains("updated 1") && out.contains("missing locally 1"),
        "{out}"
    );
    let report = std::fs::read_to_string(&report_path).unwrap();
    assert!(report.contains("mis à jour") && report.contains("absent de Guichet"));
    let shown = ok(guichet(d, &["--json", "payout", "show", "1"], ""));
    let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown["payout"]["status"], "succeeded");
    assert_eq!(
        shown["history"].as_array().unwrap().last().unwrap()["event"],
        "reconciliation"
    );
    for f in [&csv_path, &report_path] {
        assert!(!std::fs::read_to_string(f).unwrap().contains("canary"));
    }
}
