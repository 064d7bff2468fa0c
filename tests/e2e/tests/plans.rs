//! Batches that leave later, in the real window: a batch scheduled a little ahead is listed
//! « programmé pour le … » and leaves by itself while the app is open; a batch held while the
//! balance is short is listed « en attente de fonds : il manque … » and released once the
//! sandbox's balance is raised and read. Then in English. Run via tests/e2e/run.sh.

use guichet_e2e::Session;
use serde_json::json;
use std::time::{Duration, Instant};

/// `now + secs` as the core stores times (RFC 3339 UTC).
fn utc_in(secs: i64) -> String {
    guichet_store::format_ts(time::OffsetDateTime::now_utc() + time::Duration::seconds(secs))
}

/// The demo CinetPay merchant of the app's simulator, its balance set to `balance` francs.
fn set_demo_balance(dir: &std::path::Path, balance: i64) {
    let g = guichet_core::Guichet::open(dir).unwrap();
    let base = g.demo_base_url().unwrap().expect("the demo is running");
    let answer = reqwest::blocking::Client::new()
        .post(format!(
            "{}/_sandbox/cinetpay/merchants",
            base.trim_end_matches('/')
        ))
        .json(
            &json!({"apikey": "demo-cinetpay-apikey", "password": "demo-transfer-password",
                      "site_id": "445160", "balance": balance}),
        )
        .send()
        .unwrap();
    assert!(answer.status().is_success());
}

/// Reads a payout file for the demo CinetPay account (chosen once: the form keeps it).
fn read_file(s: &Session, path: &std::path::Path, count: &str) {
    if s.script("return document.querySelector('#batch-account').value") != json!("Démo CinetPay")
    {
        s.click("#batch-account option[value='Démo CinetPay']");
    }
    s.type_into("#batch-path", &path.display().to_string());
    s.click("#batch-read");
    s.wait_text("#batch-summary", count);
}

fn walk(english: bool) {
    let (scheduled_text, held_text, left_text) = if english {
        (
            "scheduled for",
            "waiting for funds: 85\u{202f}000\u{a0}FCFA missing",
            "left on",
        )
    } else {
        (
            "programmé pour le",
            "en attente de fonds : il manque 85\u{202f}000\u{a0}FCFA",
            "parti le",
        )
    };
    let shot =
        |n: u32, name: &str| format!("{n}-plans-{name}-{}", if english { "en" } else { "fr" });
    let dir = tempfile::tempdir().unwrap();
    let s = Session::app(dir.path());
    s.wait_text("#no-account", "bac à sable");
    s.click("#try-sandbox");
    s.wait_text("#account-count", "3 comptes configurés");
    if english {
        s.click("#nav-settings");
        s.click("#language option[value=en]");
        s.wait_text("main[data-screen=settings] h1", "Settings");
    }
    s.click("#nav-payouts");
    s.find("#batch-path");

    // Scheduled a little ahead: listed with its time, then it leaves by itself.
    let file = dir.path().join("paie noel.csv");
    std::fs::write(
        &file,
        "Nom;Téléphone;Montant\nAwa;07 07 61 00 01;1 000\nYao;07 07 61 00 02;2 000\n",
    )
    .unwrap();
    read_file(&s, &file, if english { "2 payouts" } else { "2 paiements" });
    s.click("#batch-when-later");
    let local = guichet_core::payouts::local_text(&utc_in(90));
    let (day, time) = local.split_once(' ').unwrap();
    s.type_into("#batch-at-date", day);
    s.type_into("#batch-at-time", time);
    s.screenshot(&shot(80, "choice"));
    s.click("#batch-send");
    s.click("#batch-confirm-confirm");
    s.wait_text("#batch-result-plan", scheduled_text);
    let row = s.wait_text("#batches-table", scheduled_text);
    assert!(row.contains(&time[..5]), "{row}");
    s.screenshot(&shot(81, "scheduled"));
    let start = Instant::now();
    loop {
        if s.try_text("#batches-table")
            .is_some_and(|t| t.contains(left_text))
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(200),
            "the scheduled batch did not leave"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    s.screenshot(&shot(82, "left"));

    // Held while the balance is short, released once it is raised and read.
    set_demo_balance(dir.path(), 10_000);
    let file = dir.path().join("prime.csv");
    std::fs::write(
        &file,
        "Nom;Téléphone;Montant\nAwa;07 07 62 00 01;60 000\nYao;07 07 62 00 02;35 000\n",
    )
    .unwrap();
    read_file(&s, &file, if english { "2 payouts" } else { "2 paiements" });
    s.click("#batch-when-now");
    s.click("#batch-short-hold");
    s.click("#batch-send");
    s.click("#batch-confirm-confirm");
    s.wait_text("#batch-result-plan", held_text);
    s.wait_text("#batches-table", held_text);
    s.screenshot(&shot(83, "held"));
    set_demo_balance(dir.path(), 200_000);
    s.click("#nav-dashboard");
    s.click("#check-balances");
    s.click("#nav-payouts");
    s.wait_for("the held batch to leave", || {
        let t = s.try_text("#batches-table")?;
        (!t.contains(held_text.split(':').next().unwrap())).then_some(())
    });
    s.screenshot(&shot(84, "released"));
}

#[test]
fn a_scheduled_batch_leaves_by_itself_and_a_held_one_once_funds_come() {
    walk(false);
}

#[test]
fn the_same_in_english() {
    walk(true);
}
