//! Payee lists from the command line, the real binary against the provider sandbox run in this
//! test: a 120-person payroll paid from a French spreadsheet, saved as a list, and the next
//! month paid from the list with one amount changed and one number handed to someone else —
//! the review flags exactly that number. Fees My-CoolPay reports are summed per batch and
//! exported; operators are named, not coded.

use guichet_sandbox::{Sandbox, SandboxConfig, SandboxHandle, Timings};
use std::path::Path;
use std::time::{Duration, Instant};

mod common;
use common::{err, guichet, ok};

fn json(d: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(guichet(d, &all, ""))).unwrap()
}

fn start_sandbox(rt: &tokio::runtime::Runtime) -> SandboxHandle {
    rt.block_on(Sandbox::start(SandboxConfig {
        timings: Timings {
            accept_to_progress_ms: 0,
            progress_to_final_ms: 0,
            ..Default::default()
        },
        ..Default::default()
    }))
    .unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Text as French Excel saves a CSV: Windows-1252 (every character here is in Latin-1).
fn windows_1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("a Windows-1252 character"))
        .collect()
}

/// Agent `i`'s number as written in the sheet, and in international form.
fn agent_phone(i: u32) -> (String, String) {
    let (a, b) = (i / 100, i % 100);
    (
        format!("07 07 40 {a:02} {b:02}"),
        format!("+225070740{a:02}{b:02}"),
    )
}

fn agent_amount(i: u32) -> i64 {
    5_000 + i64::from(i % 7) * 1_000
}

/// Moves every payout a month back, as if the last payroll had been paid last month (the
/// review warns of a number paid the same amount in the last 24 hours).
fn a_month_later(d: &Path) {
    let db = rusqlite::Connection::open(d.join("guichet.db")).unwrap();
    let back = |c: &str| format!("{c} = strftime('%Y-%m-%dT%H:%M:%fZ', {c}, '-30 days')");
    db.execute_batch(&format!(
        "UPDATE payouts SET {}, {}, {}, {};",
        back("created_at"),
        back("updated_at"),
        back("submitted_at"),
        back("final_at")
    ))
    .unwrap();
}

fn sync(d: &Path) {
    ok(guichet(
        d,
        &["sync", "--until-final", "--timeout", "120"],
        "",
    ));
}

fn paid(d: &Path, batch: i64) -> i64 {
    let detail = json(d, &["batch", "show", &batch.to_string()]);
    detail["counts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "succeeded")
        .map(|c| c["count"].as_i64().unwrap())
        .sum()
}

#[test]
fn a_payroll_of_120_is_paid_twice_from_one_list_and_the_renamed_number_is_flagged() {
    let rt = runtime();
    let sb = start_sandbox(&rt);
    let demo = sb.demo_credentials();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    common::add_cinetpay_account(
        d,
        "Abidjan",
        &demo.base_url,
        &demo.cinetpay_site_id,
        &demo.cinetpay_api_key,
        &demo.cinetpay_transfer_password,
    );

    // Month 1: the payroll as the accountant keeps it.
    let mut sheet = String::from("Nom;Téléphone;Net à payer;Motif\r\n");
    let mut total = 0;
    for i in 1..=120 {
        let amount = agent_amount(i);
        total += amount;
        sheet.push_str(&format!(
            "Agent Élève {i};{};{} {:03};Salaire novembre\r\n",
            agent_phone(i).0,
            amount / 1000,
            amount % 1000
        ));
    }
    let novembre = d.join("paie-novembre.csv");
    std::fs::write(&novembre, windows_1252(&sheet)).unwrap();
    let report = json(
        d,
        &[
            "payout",
            "batch",
            novembre.to_str().unwrap(),
            "--account",
            "Abidjan",
            "--yes",
        ],
    );
    let first = report["batch"]["id"].as_i64().unwrap();
    sync(d);
    assert_eq!(paid(d, first), 120);
    a_month_later(d);

    // Saved as a list; found again whatever the case and accents of its name.
    let saved = ok(guichet(
        d,
        &[
            "list",
            "save",
            &first.to_string(),
            "--name",
            "Agents terrain",
        ],
        "",
    ));
    assert!(
        saved.contains(&format!(
            "list `Agents terrain` saved: 120 people, {total} by default"
        )),
        "{saved}"
    );
    let lists = ok(guichet(d, &["list"], ""));
    assert!(
        lists.contains(&format!(
            "Agents terrain: 120 people, {total} by default (from batch #{first}"
        )),
        "{lists}"
    );
    let shown = json(d, &["list", "show", "AGENTS  terrain"]);
    assert_eq!(shown["list"]["count"], 120);
    assert_eq!(shown["people"][0]["phone"], agent_phone(1).1);
    assert_eq!(shown["people"][0]["name"], "Agent Élève 1");
    assert_eq!(shown["people"][0]["amount"], agent_amount(1));
    assert_eq!(shown["people"][0]["reason"], "Salaire novembre");
    let text = ok(guichet(d, &["list", "show", "Agents terrain"], ""));
    assert!(text.contains("Orange Money"), "{text}");
    assert!(
        !text.contains(" OM "),
        "operators by name, not code: {text}"
    );

    // Month 2, the merchant's part: one amount changed, one number now someone else's.
    let started = Instant::now();
    let (renamed, renamed_e164) = agent_phone(42);
    let amounts = d.join("decembre.csv");
    std::fs::write(
        &amounts,
        windows_1252(&format!(
            "Téléphone;Montant;Nom\r\n{};25 000;\r\n{renamed};{} {:03};KONAN Aya\r\n",
            agent_phone(17).0,
            agent_amount(42) / 1000,
            agent_amount(42) % 1000
        )),
    )
    .unwrap();
    let args = [
        "payout",
        "batch",
        "--list",
        "Agents terrain",
        "--account",
        "Abidjan",
        "--amounts",
        amounts.to_str().unwrap(),
    ];
    let review = ok(guichet(d, &[&args[..], &["--dry-run"]].concat(), ""));
    assert!(
        review.contains("from list `Agents terrain`: 0 added, 0 left out, 1 amount(s) changed"),
        "{review}"
    );
    let flagged: Vec<&str> = review.lines().filter(|l| l.contains("WARNING")).collect();
    assert_eq!(flagged.len(), 1, "{review}");
    assert!(
        flagged[0].contains("name: paid to Agent Élève 42 in ")
            && flagged[0].contains("here: KONAN Aya"),
        "{review}"
    );
    let total2 = total - agent_amount(17) + 25_000;
    assert!(review.contains("120 payout(s)"), "{review}");
    assert!(review.contains("Orange Money"), "{review}");
    let preview = json(d, &[&args[..], &["--dry-run"]].concat());
    assert_eq!(preview["names_changed"], 1);
    assert_eq!(preview["new_beneficiaries"], 0);
    assert_eq!(preview["warned"], 1);
    assert_eq!(preview["total"], total2);
    assert_eq!(preview["list"]["amounts_changed"], 1);
    let rows = preview["rows"].as_array().unwrap();
    let warned: Vec<&str> = rows
        .iter()
        .filter(|r| !r["warnings"].as_array().unwrap().is_empty())
        .map(|r| r["phone"].as_str().unwrap())
        .collect();
    assert_eq!(warned, [renamed_e164.as_str()]);

    let sent = json(d, &[&args[..], &["--yes"]].concat());
    let merchant_time = started.elapsed();
    let second = sent["batch"]["id"].as_i64().unwrap();
    assert_eq!(sent["batch"]["row_count"], 120);
    sync(d);
    assert_eq!(paid(d, second), 120);
    println!(
        "month 2 from the list (amounts file, review, confirmation): {} ms",
        merchant_time.as_millis()
    );
    assert!(merchant_time < Duration::from_secs(60), "{merchant_time:?}");

    // The same list with the same amounts again this month is a batch paid twice.
    let again = err(guichet(d, &[&args[..], &["--yes"]].concat(), ""));
    assert!(again.contains("already paid as batch #"), "{again}");
}

#[test]
fn an_amounts_file_adds_and_leaves_out_people_and_a_list_is_saved_from_a_file() {
    let rt = runtime();
    let sb = start_sandbox(&rt);
    let demo = sb.demo_credentials();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    common::add_cinetpay_account(
        d,
        "Abidjan",
        &demo.base_url,
        &demo.cinetpay_site_id,
        &demo.cinetpay_api_key,
        &demo.cinetpay_transfer_password,
    );
    let file = d.join("equipe.csv");
    std::fs::write(
        &file,
        "Nom;Téléphone;Montant;Motif\nKONÉ Awa;07 07 12 34 56;15 000;Prime\nKouassi Jean;05 05 12 34 56;20 000;Prime\nTraoré Issa;01 01 12 34 56;5 000;Prime\n",
    )
    .unwrap();
    let saved = ok(guichet(
        d,
        &[
            "list",
            "save",
            "--file",
            file.to_str().unwrap(),
            "--account",
            "Abidjan",
            "--name",
            "Équipe",
        ],
        "",
    ));
    assert!(
        saved.contains("list `Équipe` saved: 3 people, 40000 by default"),
        "{saved}"
    );
    let shown = ok(guichet(d, &["list", "show", "equipe"], ""));
    for name in ["Orange Money", "MTN MoMo", "Moov Money"] {
        assert!(shown.contains(name), "{shown}");
    }

    // Jean out this time (0), a newcomer added, Awa at her default amount.
    let amounts = d.join("montants.csv");
    std::fs::write(
        &amounts,
        "Téléphone;Montant;Nom\n0505123456;0;\n07 08 99 99 99;7 500;Yao Paul\n01 01 12 34 56;6 000;\n",
    )
    .unwrap();
    let args = [
        "payout",
        "batch",
        "--list",
        "Équipe",
        "--account",
        "Abidjan",
        "--amounts",
        amounts.to_str().unwrap(),
        "--dry-run",
    ];
    let review = ok(guichet(d, &args, ""));
    assert!(
        review.contains("from list `Équipe`: 1 added, 1 left out, 1 amount(s) changed"),
        "{review}"
    );
    assert!(
        review.contains("ADDED     +2250708999999 Yao Paul"),
        "{review}"
    );
    assert!(
        review.contains("LEFT OUT  +2250505123456 Kouassi Jean"),
        "{review}"
    );
    assert!(
        review.contains("3 payout(s), 28\u{202f}500\u{a0}XOF"),
        "{review}"
    );
    // The added number is new to the account, said as every batch says it.
    assert!(
        review.contains("+2250708999999 was never paid from this account"),
        "{review}"
    );

    // An amount the reader refuses is that row's error, not the batch's.
    std::fs::write(&amounts, "Téléphone;Montant\n07 07 12 34 56;quinze mille\n").unwrap();
    let review = ok(guichet(d, &args, ""));
    assert!(review.contains("line 1     ERROR   amount:"), "{review}");
    assert!(review.contains("2 payout(s)"), "{review}");

    // A number twice in the file is refused with both lines.
    std::fs::write(
        &amounts,
        "Téléphone;Montant\n07 07 12 34 56;1 000\n0707123456;2 000\n",
    )
    .unwrap();
    let twice = err(guichet(d, &args, ""));
    assert!(
        twice.contains("line 3: +2250707123456 is already on line 2"),
        "{twice}"
    );

    // Removed, it is gone; an unknown list is named.
    ok(guichet(d, &["list", "remove", "ÉQUIPE"], ""));
    let none = ok(guichet(d, &["list", "list"], ""));
    assert!(none.contains("no list saved yet"), "{none}");
    let missing = err(guichet(d, &args, ""));
    assert!(missing.contains("Équipe"), "{missing}");
}

#[test]
fn my_coolpay_fees_are_recorded_per_payout_summed_per_batch_and_exported() {
    let rt = runtime();
    let sb = start_sandbox(&rt);
    let demo = sb.demo_credentials();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    common::add_mycoolpay_account(
        d,
        "Douala",
        &demo.base_url,
        &demo.mycoolpay_public_key,
        &demo.mycoolpay_private_key,
    );
    let file = d.join("paie.csv");
    std::fs::write(
        &file,
        "Nom;Téléphone;Montant\nA;677000101;10 000\nB;699000102;20 000\nC;677000103;2 525\n",
    )
    .unwrap();
    let review = ok(guichet(
        d,
        &[
            "payout",
            "batch",
            file.to_str().unwrap(),
            "--account",
            "Douala",
            "--dry-run",
        ],
        "",
    ));
    // Per operator, by name.
    assert!(review.contains("  MTN MoMo"), "{review}");
    assert!(review.contains("  Orange Money"), "{review}");
    assert!(!review.contains("CM_MOMO"), "{review}");
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
    sync(d);
    // The sandbox charges 2 %, rounded up to the franc: 200 + 400 + 51.
    let detail = json(d, &["batch", "show", &id]);
    assert_eq!(detail["fees"], 651);
    assert_eq!(detail["fees_reported"], 3);
    let text = ok(guichet(d, &["batch", "show", &id], ""));
    assert!(
        text.contains("fees 651\u{a0}XAF (reported for 3 payout(s))"),
        "{text}"
    );
    let out = d.join("paiements.csv");
    ok(guichet(
        d,
        &["export", "payouts", "--output", out.to_str().unwrap()],
        "",
    ));
    let csv = std::fs::read_to_string(&out).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(';').collect();
    let fee_col = header
        .iter()
        .position(|h| h.contains("Frais"))
        .expect("a Frais column");
    let op_col = header.iter().position(|h| h.contains("Opérateur")).unwrap();
    let rows: Vec<Vec<String>> = lines
        .map(|l| {
            l.split(';')
                .map(|c| c.trim_matches('"').to_string())
                .collect()
        })
        .collect();
    let mut fees: Vec<&str> = rows.iter().map(|r| r[fee_col].as_str()).collect();
    fees.sort_unstable();
    assert_eq!(fees, ["200", "400", "51"]);
    assert!(
        rows.iter()
            .all(|r| r[op_col] != "CM_MOMO" && r[op_col] != "CM_OM"),
        "{csv}"
    );
}
