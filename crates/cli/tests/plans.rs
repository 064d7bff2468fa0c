//! Batches that leave later, from the command line against the sandbox: a batch scheduled
//! with `--at` sends nothing until its time, then leaves once even when several `guichet
//! sync` processes start at the same moment; a missed time is sent at the next run with a
//! notice; a batch held with `--when-short hold` is not released by a balance reading that
//! does not cover it, and is by one that does; a waiting batch can be cancelled, not one that
//! left.

mod common;

use common::{add_cinetpay_account, err, guichet_env, ok, sandbox, Sandbox};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Every run on this machine's clock set to UTC, so that the times written are plain.
const TZ: (&str, &str) = ("TZ", "UTC");

fn run(d: &Path, args: &[&str]) -> std::process::Output {
    guichet_env(d, args, "", &[TZ])
}

/// Text with its grouping spaces (`85 000`, non-breaking) as plain spaces.
fn plain(text: String) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ")
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// A request to the sandbox (`GET` without a body), its JSON answer.
fn sandbox_call(sb: &Sandbox, method: &str, path: &str, body: Option<Value>) -> Value {
    let base = sb.1["base_url"].as_str().unwrap();
    let addr = base.trim_start_matches("http://").trim_end_matches('/');
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.0\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    serde_json::from_str(text.split_once("\r\n\r\n").unwrap().1).unwrap()
}

/// What the sandbox's providers really executed: each reference and how many times.
fn executed(sb: &Sandbox) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for e in sandbox_call(sb, "GET", "/_sandbox/ledger", None)
        .as_array()
        .unwrap()
    {
        *seen
            .entry(e["reference"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    seen
}

/// A CinetPay merchant of its own in the sandbox, with `balance` francs.
fn seed_merchant(sb: &Sandbox, key: &str, balance: i64) {
    sandbox_call(
        sb,
        "POST",
        "/_sandbox/cinetpay/merchants",
        Some(
            json!({"apikey": key, "password": "pw-plans", "site_id": "445999", "balance": balance}),
        ),
    );
}

fn file(d: &Path, name: &str, rows: &[(&str, &str)]) -> String {
    let path = d.join(name);
    let mut text = String::from("Téléphone;Montant;Nom\n");
    for (phone, amount) in rows {
        text.push_str(&format!("{phone};{amount};Agent {phone}\n"));
    }
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// `now + secs` as written on the command line (UTC, see [`TZ`]).
fn at(secs: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::seconds(secs);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn batch(d: &Path, file: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "--json",
        "payout",
        "batch",
        file,
        "--account",
        "Abidjan",
        "--yes",
    ];
    args.extend_from_slice(extra);
    json_of(&ok(run(d, &args)))
}

/// The references of a batch's payouts.
fn references(d: &Path, id: i64) -> Vec<String> {
    let db = rusqlite::Connection::open(d.join("guichet.db")).unwrap();
    let mut stmt = db
        .prepare("SELECT reference FROM payouts WHERE batch_id = ?1 ORDER BY id")
        .unwrap();
    stmt.query_map([id], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn wait_until(secs_from_start: i64, start: time::OffsetDateTime) {
    let due = start + time::Duration::seconds(secs_from_start);
    let left = due - time::OffsetDateTime::now_utc();
    if left.is_positive() {
        std::thread::sleep(Duration::try_from(left).unwrap());
    }
}

/// `n` `guichet sync` processes started at the same moment; their standard outputs.
fn syncs_at_once(d: &Path, n: usize) -> Vec<String> {
    let children: Vec<_> = (0..n)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_guichet"))
                .arg("--data-dir")
                .arg(d)
                .arg("sync")
                .env_remove("GUICHET_DATA_DIR")
                .env(TZ.0, TZ.1)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|c| ok(c.wait_with_output().unwrap()))
        .collect()
}

#[test]
fn a_scheduled_batch_sends_nothing_before_its_time_then_leaves_once_whatever_runs_at_once() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sb.add_cinetpay(d, "Abidjan");

    // A time past, or not a time, is refused before anything is recorded.
    let f = file(d, "paie-0.csv", &[("07 07 30 00 01", "1 000")]);
    let past = err(run(
        d,
        &[
            "payout",
            "batch",
            &f,
            "--account",
            "Abidjan",
            "--yes",
            "--at",
            &at(-60),
        ],
    ));
    assert!(past.contains("already past"), "{past}");
    let garbled = err(run(
        d,
        &[
            "payout",
            "batch",
            &f,
            "--account",
            "Abidjan",
            "--yes",
            "--at",
            "Noël 8h",
        ],
    ));
    assert!(garbled.contains("is not a date and time"), "{garbled}");
    assert_eq!(
        ok(run(d, &["payout", "batches"])).trim(),
        "No batch.",
        "nothing recorded"
    );

    // Several rounds, each with its own file: three syncs start together at its time.
    let mut all = Vec::new();
    for round in 0..3 {
        let rows: Vec<(String, String)> = (1..=4)
            .map(|i| {
                (
                    format!("07 07 3{round} 00 0{i}"),
                    format!("{} 000", i + round),
                )
            })
            .collect();
        let rows: Vec<(&str, &str)> = rows.iter().map(|(p, a)| (p.as_str(), a.as_str())).collect();
        let f = file(d, &format!("paie-{round}.csv"), &rows);
        let start = time::OffsetDateTime::now_utc();
        let b = batch(d, &f, &["--at", &at(4)]);
        let id = b["batch"]["id"].as_i64().unwrap();
        assert_eq!(b["plan"]["state"], "scheduled", "{b}");
        let refs = references(d, id);
        assert_eq!(
            refs.len(),
            4,
            "every payout recorded with its reference at confirmation"
        );

        // Before its time: a sync sends nothing of it, and the list says when it leaves.
        let early = ok(run(d, &["sync"]));
        assert!(!early.contains("SENT"), "{early}");
        let ledger = executed(&sb);
        assert!(refs.iter().all(|r| !ledger.contains_key(r)), "sent early");
        let shown = ok(run(d, &["batch", "show", &id.to_string()]));
        assert!(shown.contains("scheduled for"), "{shown}");

        wait_until(5, start);
        let outs = syncs_at_once(d, 3);
        let said: usize = outs
            .iter()
            .map(|o| o.matches(&format!("batch #{id} left")).count())
            .sum();
        assert_eq!(said, 1, "one process sends it: {outs:?}");
        let ledger = executed(&sb);
        for r in &refs {
            assert_eq!(ledger.get(r), Some(&1), "{r} executed once: {outs:?}");
        }
        all.extend(refs);
    }
    // A later sync sends nothing again.
    ok(run(d, &["sync"]));
    let ledger = executed(&sb);
    assert_eq!(ledger.len(), all.len());
    assert!(ledger.values().all(|n| *n == 1));
}

#[test]
fn a_missed_time_is_sent_at_the_next_run_with_a_notice_and_a_waiting_batch_can_be_cancelled() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sb.add_cinetpay(d, "Abidjan");

    let f = file(
        d,
        "prime.csv",
        &[("07 07 40 00 01", "2 000"), ("07 07 40 00 02", "3 000")],
    );
    let b = batch(d, &f, &["--at", &at(3600)]);
    let id = b["batch"]["id"].as_i64().unwrap();
    let refs = references(d, id);
    // The laptop was off at its time: three hours ago, as the store sees it.
    let db = rusqlite::Connection::open(d.join("guichet.db")).unwrap();
    let three_hours_ago =
        guichet_store::format_ts(time::OffsetDateTime::now_utc() - time::Duration::hours(3));
    db.execute(
        "UPDATE batch_plans SET send_at = ?1 WHERE batch_id = ?2",
        rusqlite::params![three_hours_ago, id],
    )
    .unwrap();
    let out = ok(run(d, &["sync"]));
    assert!(out.contains("SENT LATE"), "{out}");
    assert!(out.contains("Guichet was not running then"), "{out}");
    assert!(
        out.contains("180 minute(s) late") || out.contains("179 minute(s) late"),
        "{out}"
    );
    let again = ok(run(d, &["sync"]));
    assert!(!again.contains("SENT"), "{again}");
    let ledger = executed(&sb);
    assert!(refs.iter().all(|r| ledger.get(r) == Some(&1)));
    // The event log has it.
    let logged: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM event_log WHERE kind = 'batch.released' AND subject = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(logged, 1);
    // It left: it cannot be cancelled any more.
    let left = err(run(d, &["batch", "cancel", &id.to_string()]));
    assert!(left.contains("already left"), "{left}");

    // A batch scheduled, moved, then cancelled: nothing of it is sent, ever.
    let f = file(d, "avance.csv", &[("07 07 41 00 01", "4 000")]);
    let b = batch(d, &f, &["--at", &at(3600)]);
    let id = b["batch"]["id"].as_i64().unwrap();
    let moved = json_of(&ok(run(
        d,
        &[
            "--json",
            "batch",
            "schedule",
            &id.to_string(),
            "--at",
            "2099-12-25 08:00",
        ],
    )));
    assert_eq!(moved["plan"]["send_at"], "2099-12-25T08:00:00.000Z");
    let cancelled = json_of(&ok(run(d, &["--json", "batch", "cancel", &id.to_string()])));
    assert_eq!(cancelled["plan"]["state"], "cancelled");
    assert_eq!(cancelled["counts"][0]["status"], "cancelled", "{cancelled}");
    let twice = err(run(d, &["batch", "cancel", &id.to_string()]));
    assert!(twice.contains("already cancelled"), "{twice}");
    let refs = references(d, id);
    db.execute(
        "UPDATE batch_plans SET send_at = ?1 WHERE batch_id = ?2",
        rusqlite::params![three_hours_ago, id],
    )
    .unwrap();
    ok(run(d, &["sync"]));
    let ledger = executed(&sb);
    assert!(refs.iter().all(|r| !ledger.contains_key(r)));
    // The file of a cancelled batch is not "already paid".
    let again = batch(d, &f, &[]);
    assert_eq!(again["batch"]["row_count"], 1, "{again}");
}

#[test]
fn a_held_batch_leaves_only_once_a_balance_reading_covers_it() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = sb.1["base_url"].as_str().unwrap().to_string();
    seed_merchant(&sb, "key-plans", 10_000);
    add_cinetpay_account(d, "Abidjan", &base, "445999", "key-plans", "pw-plans");

    let f = file(
        d,
        "paie.csv",
        &[("07 07 50 00 01", "60 000"), ("07 07 50 00 02", "35 000")],
    );
    // Refused by default, as before.
    let refused = plain(err(run(
        d,
        &["payout", "batch", &f, "--account", "Abidjan", "--yes"],
    )));
    assert!(refused.contains("85 000"), "{refused}");
    // Held with --when-short hold: recorded, nothing sent, the missing amount told.
    let held = batch(d, &f, &["--when-short", "hold"]);
    let id = held["batch"]["id"].as_i64().unwrap();
    assert_eq!(held["plan"]["state"], "held", "{held}");
    assert_eq!(held["plan"]["missing"], 85_000);
    let refs = references(d, id);
    let list = plain(ok(run(d, &["batch", "list"])));
    assert!(list.contains("waiting for funds: 85 000"), "{list}");

    // A reading that does not cover it: still held, with what it lacks now.
    seed_merchant(&sb, "key-plans", 50_000);
    let reading = ok(run(d, &["balance"]));
    assert!(!reading.contains("SENT"), "{reading}");
    let shown = json_of(&ok(run(d, &["--json", "batch", "show", &id.to_string()])));
    assert_eq!(shown["plan"]["state"], "held");
    assert_eq!(shown["plan"]["missing"], 45_000);
    ok(run(d, &["sync"]));
    assert!(
        refs.iter().all(|r| !executed(&sb).contains_key(r)),
        "sent while short"
    );

    // A reading that covers it: released and sent, once.
    seed_merchant(&sb, "key-plans", 100_000);
    let reading = ok(run(d, &["balance"]));
    assert!(reading.contains(&format!("batch #{id} left")), "{reading}");
    ok(run(d, &["sync"]));
    ok(run(d, &["balance"]));
    let ledger = executed(&sb);
    for r in &refs {
        assert_eq!(ledger.get(r), Some(&1), "{r}");
    }
    let shown = json_of(&ok(run(d, &["--json", "batch", "show", &id.to_string()])));
    assert_eq!(shown["plan"]["state"], "released");
}

/// `guichet` run by `name` with `pin`, this machine's clock in UTC.
fn by(d: &Path, who: (&str, &str), args: &[&str]) -> std::process::Output {
    guichet_env(
        d,
        args,
        "",
        &[TZ, ("GUICHET_USER", who.0), ("GUICHET_PIN", who.1)],
    )
}

#[test]
fn a_scheduled_batch_awaiting_approval_at_its_time_waits_and_says_so_then_leaves_once_approved() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sb.add_cinetpay(d, "Abidjan");
    let (owner, preparer, approver) = (
        ("Moussa", "1111"),
        ("Awa", "22224680"),
        ("Fatou", "33335791"),
    );
    ok(guichet_env(
        d,
        &["users", "add", "Moussa", "--role", "owner", "--pin-stdin"],
        "1111\n",
        &[],
    ));
    for (name, role, pin) in [
        ("Awa", "preparer", preparer.1),
        ("Fatou", "approver", approver.1),
    ] {
        ok(guichet_env(
            d,
            &["users", "add", name, "--role", role, "--pin-stdin"],
            &format!("{pin}\n"),
            &[("GUICHET_USER", owner.0), ("GUICHET_PIN", owner.1)],
        ));
    }
    ok(by(
        d,
        owner,
        &[
            "account",
            "edit",
            "Abidjan",
            "--batch-approve-above",
            "1000",
        ],
    ));

    let f = file(
        d,
        "paie.csv",
        &[("07 07 70 00 01", "5 000"), ("07 07 70 00 02", "2 500")],
    );
    let start = time::OffsetDateTime::now_utc();
    let held = json_of(&ok(by(
        d,
        preparer,
        &[
            "--json",
            "payout",
            "batch",
            &f,
            "--account",
            "Abidjan",
            "--yes",
            "--at",
            &at(2),
        ],
    )));
    assert_eq!(held["status"], "awaiting_approval", "{held}");
    let id = held["id"].as_i64().unwrap().to_string();
    wait_until(3, start);
    // Its time came: nothing leaves, and the run says why.
    let out = ok(by(d, owner, &["sync"]));
    assert!(out.contains("still awaits approval"), "{out}");
    assert!(executed(&sb).is_empty());
    // Approved after its time: it leaves at once, once.
    ok(by(d, approver, &["batch", "approve", &id]));
    ok(by(d, owner, &["sync"]));
    let ledger = executed(&sb);
    assert_eq!(ledger.len(), 2, "{ledger:?}");
    assert!(ledger.values().all(|n| *n == 1));
}
