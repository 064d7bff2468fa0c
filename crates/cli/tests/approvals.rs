//! People, roles and approvals from the command line, against the sandbox: a preparer's batch
//! above the account's threshold sends nothing until someone else approves it, two approvals
//! are two people, wrong PINs are slowed down and logged, and an audit log edited in the file
//! is caught by `guichet audit verify`, which names the entry.

mod common;

use common::{err, guichet, guichet_env, ok, sandbox, Sandbox};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::Path;

/// What the sandbox's providers really executed.
fn ledger(sb: &Sandbox) -> Vec<Value> {
    let base = sb.1["base_url"].as_str().unwrap();
    let addr = base.trim_start_matches("http://").trim_end_matches('/');
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(s, "GET /_sandbox/ledger HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let body = text.split_once("\r\n\r\n").unwrap().1;
    serde_json::from_str::<Value>(body)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// `guichet` run by `name` with `pin`.
fn by(dir: &Path, name: &str, pin: &str, args: &[&str]) -> std::process::Output {
    by_with(dir, name, pin, args, "")
}

/// [`by`] with `stdin` typed in.
fn by_with(dir: &Path, name: &str, pin: &str, args: &[&str], stdin: &str) -> std::process::Output {
    guichet_env(
        dir,
        args,
        stdin,
        &[("GUICHET_USER", name), ("GUICHET_PIN", pin)],
    )
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// A shop: the sandbox's CinetPay account `Abidjan`, Moussa the owner (PIN 1111), Awa a
/// preparer (2222), Fatou an approver (33335791), and a batch above `above` francs waiting for
/// `approvals` approvals.
fn shop(above: &str, approvals: &str) -> (Sandbox, tempfile::TempDir) {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sb.add_cinetpay(d, "Abidjan");
    // The first person of a folder becomes its owner without anyone signing in; with one
    // person, nobody is asked who they are.
    let first = ok(guichet(
        d,
        &["users", "add", "Moussa", "--role", "owner", "--pin-stdin"],
        "1111\n",
    ));
    assert!(first.contains("Moussa added as owner"), "{first}");
    ok(guichet(
        d,
        &["users", "add", "Awa", "--role", "preparer", "--pin-stdin"],
        "2222\n",
    ));
    // Two people now: the owner says who they are.
    let anonymous = err(guichet(
        d,
        &["users", "add", "Fatou", "--role", "approver", "--pin-stdin"],
        "33335791\n",
    ));
    assert!(anonymous.contains("say who you are"), "{anonymous}");
    ok(guichet_env(
        d,
        &["users", "add", "Fatou", "--role", "approver", "--pin-stdin"],
        "33335791\n",
        &[("GUICHET_USER", "Moussa"), ("GUICHET_PIN", "1111")],
    ));
    ok(by(
        d,
        "Moussa",
        "1111",
        &[
            "account",
            "edit",
            "Abidjan",
            "--batch-approve-above",
            above,
            "--approve-above",
            above,
            "--approvals",
            approvals,
        ],
    ));
    (sb, dir)
}

fn batch_file(d: &Path, name: &str) -> String {
    let file = d.join(name);
    std::fs::write(
        &file,
        "Téléphone;Montant;Nom\n07 07 12 34 56;5 000;Awa Koné\n01 01 12 34 56;2 500;Yao\n",
    )
    .unwrap();
    file.to_str().unwrap().to_string()
}

fn prepare(d: &Path, who: &str, pin: &str, file: &str) -> Value {
    json(&ok(by(
        d,
        who,
        pin,
        &[
            "--json",
            "payout",
            "batch",
            file,
            "--account",
            "Abidjan",
            "--yes",
        ],
    )))
}

#[test]
fn a_preparers_batch_above_the_threshold_sends_nothing_until_another_person_approves_it() {
    let (sb, dir) = shop("5000", "1");
    let d = dir.path();
    let file = batch_file(d, "paie.csv");

    let held = prepare(d, "Awa", "2222", &file);
    assert_eq!(held["status"], "awaiting_approval", "{held}");
    assert_eq!(held["total"], 7500);
    assert_eq!(held["prepared_by_name"], "Awa");
    let id = held["id"].as_i64().unwrap().to_string();
    // Nothing left: no payout recorded, none at the provider, even after a sync.
    assert_eq!(
        ok(by(d, "Awa", "2222", &["--json", "payout", "list"])).trim(),
        "[]"
    );
    ok(by(
        d,
        "Awa",
        "2222",
        &["sync", "--until-final", "--timeout", "10"],
    ));
    assert!(ledger(&sb).is_empty());
    let waiting = ok(by(
        d,
        "Fatou",
        "33335791",
        &["batch", "list", "--awaiting-approval"],
    ));
    assert!(
        waiting.contains(&format!("batch #{id} paie.csv")) && waiting.contains("awaiting_approval"),
        "{waiting}"
    );
    let listed = json(&ok(by(
        d,
        "Fatou",
        "33335791",
        &["--json", "batch", "list", "--awaiting-approval"],
    )));
    assert_eq!(listed[0]["status"], "awaiting_approval");

    // The preparer cannot approve: her role says so.
    let own = err(by(d, "Awa", "2222", &["batch", "approve", &id]));
    assert!(
        own.contains("Awa is a preparer") && own.contains("cannot approve"),
        "{own}"
    );

    // Fatou approves: the checks run again and the batch leaves through the usual path.
    let sent = json(&ok(by(
        d,
        "Fatou",
        "33335791",
        &["--json", "batch", "approve", &id],
    )));
    assert_eq!(sent["batch"]["row_count"], 2, "{sent}");
    ok(by(
        d,
        "Fatou",
        "33335791",
        &["sync", "--until-final", "--timeout", "60"],
    ));
    let paid = ledger(&sb);
    assert_eq!(paid.len(), 2, "{paid:?}");
    let payouts = json(&ok(by(
        d,
        "Fatou",
        "33335791",
        &["--json", "payout", "list"],
    )));
    let mut refs: Vec<String> = payouts
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["reference"].as_str().unwrap().to_string())
        .collect();
    let mut at_provider: Vec<String> = paid
        .iter()
        .map(|l| l["reference"].as_str().unwrap().to_string())
        .collect();
    refs.sort();
    at_provider.sort();
    assert_eq!(
        refs, at_provider,
        "each payout left once, under its own reference"
    );
    // Approving again does nothing more.
    let again = err(by(d, "Moussa", "1111", &["batch", "approve", &id]));
    assert!(again.contains("not awaiting approval"), "{again}");
    assert_eq!(ledger(&sb).len(), 2);

    let log = ok(by(d, "Moussa", "1111", &["audit", "list"]));
    for line in [
        format!("Awa prepared batch #{id}: 2 payments, 7\u{202f}500 FCFA"),
        format!("Fatou approved batch #{id}"),
        "Moussa added Awa (preparer)".to_string(),
        "changed the approval policy of account Abidjan".to_string(),
    ] {
        assert!(log.contains(&line), "{line} in:\n{log}");
    }
    let awa_only = ok(by(d, "Moussa", "1111", &["audit", "list", "--user", "Awa"]));
    assert!(!awa_only.contains("Fatou approved"), "{awa_only}");
    assert!(ok(by(d, "Moussa", "1111", &["audit", "verify"])).contains("intact"));
}

#[test]
fn who_prepared_it_cannot_approve_it_and_two_approvals_are_two_people() {
    let (sb, dir) = shop("5000", "2");
    let d = dir.path();
    // The owner prepares: she may approve in general, never what she prepared.
    let held = prepare(d, "Moussa", "1111", &batch_file(d, "prime.csv"));
    let id = held["id"].as_i64().unwrap().to_string();
    let own = err(by(d, "Moussa", "1111", &["batch", "approve", &id]));
    assert!(
        own.contains("Moussa prepared batch #") && own.contains("cannot approve"),
        "{own}"
    );
    // Fatou approves: one of two; nothing leaves yet.
    let first = json(&ok(by(
        d,
        "Fatou",
        "33335791",
        &["--json", "batch", "approve", &id],
    )));
    assert_eq!(first["status"], "awaiting_approval", "{first}");
    assert_eq!(first["approvals_missing"], 1);
    assert!(ledger(&sb).is_empty());
    // Fatou again is not a second approval.
    let twice = err(by(d, "Fatou", "33335791", &["batch", "approve", &id]));
    assert!(twice.contains("nobody approves twice"), "{twice}");
    assert!(ledger(&sb).is_empty());

    // A single payout above the threshold waits too; a second person makes two.
    ok(by_with(
        d,
        "Moussa",
        "1111",
        &["users", "add", "Kofi", "--role", "approver", "--pin-stdin"],
        "4444\n",
    ));
    let one = json(&ok(by(
        d,
        "Awa",
        "2222",
        &[
            "--json",
            "payout",
            "send",
            "--account",
            "Abidjan",
            "--phone",
            "0707123456",
            "--amount",
            "9000",
            "--name",
            "Adjoua",
            "--yes",
        ],
    )));
    assert_eq!(one["status"], "awaiting_approval", "{one}");
    let pid = one["id"].as_i64().unwrap().to_string();
    ok(by(d, "Fatou", "33335791", &["payout", "approve", &pid]));
    assert!(ledger(&sb).is_empty());
    let paid = json(&ok(by(
        d,
        "Moussa",
        "1111",
        &["--json", "payout", "approve", &pid],
    )));
    assert_eq!(paid["amount"], 9000, "{paid}");
    assert_eq!(ledger(&sb).len(), 1);

    // The batch's second approval, by another person, sends it.
    let sent = json(&ok(by(
        d,
        "Awa",
        "2222",
        &["--json", "batch", "list", "--awaiting-approval"],
    )));
    assert_eq!(sent.as_array().unwrap().len(), 1);
    let err_role = err(by(
        d,
        "Awa",
        "2222",
        &["batch", "reject", &id, "--reason", "x"],
    ));
    assert!(err_role.contains("cannot approve or reject"), "{err_role}");
    let done = json(&ok(by_with(
        d,
        "Kofi",
        "4444",
        &["--json", "batch", "approve", &id],
        "",
    )));
    assert_eq!(done["batch"]["row_count"], 2, "{done}");
    assert_eq!(ledger(&sb).len(), 3);
    let decided = json(&ok(by(
        d,
        "Kofi",
        "4444",
        &["--json", "audit", "list", "--action", "batch"],
    )));
    let approvers: Vec<&str> = decided
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "batch.approved")
        .map(|e| e["user_name"].as_str().unwrap())
        .collect();
    assert_eq!(approvers, ["Kofi", "Fatou"]);
}

#[test]
fn a_rejected_batch_is_never_sent_and_keeps_its_reason() {
    let (sb, dir) = shop("1000", "1");
    let d = dir.path();
    let held = prepare(d, "Awa", "2222", &batch_file(d, "avance.csv"));
    let id = held["id"].as_i64().unwrap().to_string();
    let no_reason = err(by(
        d,
        "Fatou",
        "33335791",
        &["batch", "reject", &id, "--reason", " "],
    ));
    assert!(no_reason.contains("say why"), "{no_reason}");
    let rejected = json(&ok(by(
        d,
        "Fatou",
        "33335791",
        &[
            "--json",
            "batch",
            "reject",
            &id,
            "--reason",
            "Montants faux",
        ],
    )));
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["decisions"][0]["reason"], "Montants faux");
    let late = err(by(d, "Moussa", "1111", &["batch", "approve", &id]));
    assert!(late.contains("rejected, not awaiting approval"), "{late}");
    ok(by(
        d,
        "Moussa",
        "1111",
        &["sync", "--until-final", "--timeout", "10"],
    ));
    assert!(ledger(&sb).is_empty());
    let log = ok(by(
        d,
        "Moussa",
        "1111",
        &["audit", "list", "--action", "batch"],
    ));
    assert!(
        log.contains("Fatou rejected batch") && log.contains("Montants faux"),
        "{log}"
    );
}

#[test]
fn roles_are_checked_for_every_command_and_wrong_pins_are_slowed_down_and_logged() {
    let (_sb, dir) = shop("5000", "1");
    let d = dir.path();
    ok(by_with(
        d,
        "Moussa",
        "1111",
        &["users", "add", "Binta", "--role", "viewer", "--pin-stdin"],
        "4444\n",
    ));
    // Neither a viewer nor an approver prepares payouts.
    for (who, pin, role) in [
        ("Binta", "4444", "a viewer"),
        ("Fatou", "33335791", "an approver"),
    ] {
        let refused = err(by(
            d,
            who,
            pin,
            &[
                "payout",
                "send",
                "--account",
                "Abidjan",
                "--phone",
                "0707123456",
                "--amount",
                "100",
                "--yes",
            ],
        ));
        assert!(
            refused.contains(&format!("{who} is {role}")) && refused.contains("prepare payouts"),
            "{refused}"
        );
    }
    // Commands the old table let through as reading: checking a callback and the CinetPay
    // history are tracking, not a viewer's.
    let body = d.join("callback.txt");
    std::fs::write(&body, "cpm_trans_id=X").unwrap();
    for args in [
        &[
            "callback",
            "verify",
            "--account",
            "Abidjan",
            body.to_str().unwrap(),
        ][..],
        &["collect", "history", "--account", "Abidjan"][..],
    ] {
        let refused = err(by(d, "Binta", "4444", args));
        assert!(
            refused.contains("Binta is a viewer") && refused.contains("send and track"),
            "{args:?}: {refused}"
        );
    }
    let users = err(by(d, "Awa", "2222", &["users", "remove", "Fatou"]));
    assert!(users.contains("add or remove people"), "{users}");
    let account = err(by(d, "Awa", "2222", &["account", "remove", "Abidjan"]));
    assert!(
        account.contains("add, change or remove accounts"),
        "{account}"
    );
    let policy = err(by(
        d,
        "Fatou",
        "33335791",
        &["account", "edit", "Abidjan", "--approvals", "1"],
    ));
    assert!(policy.contains("Fatou is an approver"), "{policy}");

    // A wrong PIN, a second one, then even the right one must wait.
    assert!(err(by(d, "Fatou", "0000", &["users", "list"])).contains("wrong PIN for Fatou"));
    assert!(err(by(d, "Fatou", "9999", &["users", "list"])).contains("wrong PIN for Fatou"));
    let wait = err(by(d, "Fatou", "33335791", &["users", "list"]));
    assert!(wait.contains("try again in"), "{wait}");
    // Never a PIN in an argument: there is no flag for it.
    let flag = err(guichet(d, &["--pin", "33335791", "users", "list"], ""));
    assert!(flag.contains("--pin"), "{flag}");
    let log = ok(by(
        d,
        "Moussa",
        "1111",
        &["audit", "list", "--action", "signin"],
    ));
    assert!(log.contains("Wrong PIN for Fatou (2 in a row)"), "{log}");
    assert!(log.contains("Fatou tried again too soon"), "{log}");
    // The list of people never shows a PIN or its hash.
    let people = ok(by(d, "Moussa", "1111", &["--json", "users", "list"]));
    assert!(
        !people.contains("argon2") && !people.contains("33335791"),
        "{people}"
    );
    let export = d.join("audit.csv");
    ok(by(
        d,
        "Moussa",
        "1111",
        &["export", "audit", "--output", export.to_str().unwrap()],
    ));
    let text = std::fs::read_to_string(&export).unwrap();
    assert!(
        text.contains("Wrong PIN") || text.contains("PIN erroné"),
        "{text}"
    );
    assert!(
        !text.contains("argon2") && !text.contains("33335791"),
        "{text}"
    );
}

#[test]
fn an_audit_entry_edited_or_deleted_in_the_file_is_named_by_audit_verify() {
    let (_sb, dir) = shop("5000", "1");
    let d = dir.path();
    assert!(ok(by(d, "Moussa", "1111", &["audit", "verify"])).contains("intact"));
    let db = rusqlite::Connection::open(d.join("guichet.db")).unwrap();
    // The store refuses; someone with the file drops the triggers first.
    assert!(db
        .execute("UPDATE audit_log SET user_name = 'Fatou' WHERE id = 2", [])
        .is_err());
    db.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    db.execute(
        "UPDATE audit_log SET details = '{\"name\":\"Awa\",\"role\":\"owner\"}' WHERE id = 2",
        [],
    )
    .unwrap();
    let broken = err(by(d, "Moussa", "1111", &["audit", "verify"]));
    assert!(
        broken.contains("entry #2") && broken.contains("was changed"),
        "{broken}"
    );
    let verdict = by(d, "Moussa", "1111", &["--json", "audit", "verify"]);
    assert!(!verdict.status.success());
    assert_eq!(
        json(&String::from_utf8_lossy(&verdict.stdout))["broken"]["id"],
        2
    );

    // Deleting an entry instead is named too.
    let (_sb2, dir2) = shop("5000", "1");
    let d2 = dir2.path();
    let db = rusqlite::Connection::open(d2.join("guichet.db")).unwrap();
    db.execute_batch("DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    db.execute("DELETE FROM audit_log WHERE id = 3", [])
        .unwrap();
    let broken = err(by(d2, "Moussa", "1111", &["audit", "verify"]));
    assert!(
        broken.contains("entry #3") && broken.contains("was deleted"),
        "{broken}"
    );
}

#[test]
fn a_merchant_alone_is_never_asked_and_sees_no_approval() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sb.add_cinetpay(d, "Abidjan");
    // Even with a threshold set, nobody else could approve: the batch leaves as before.
    ok(guichet(
        d,
        &[
            "account",
            "edit",
            "Abidjan",
            "--batch-approve-above",
            "1000",
        ],
        "",
    ));
    let sent = json(&ok(guichet(
        d,
        &[
            "--json",
            "payout",
            "batch",
            &batch_file(d, "seul.csv"),
            "--account",
            "Abidjan",
            "--yes",
        ],
        "",
    )));
    assert_eq!(sent["batch"]["row_count"], 2, "{sent}");
    assert_eq!(
        ok(guichet(d, &["users", "list"], "")).trim(),
        "Nobody yet: this folder is the merchant's alone."
    );
    let log = ok(guichet(d, &["audit", "list"], ""));
    assert!(
        log.contains("The owner: account.edit") || log.contains("The owner"),
        "{log}"
    );
}

/// Sets the sandbox's fault rules (an empty list clears them).
fn faults(sb: &Sandbox, rules: Value) {
    let base = sb.1["base_url"].as_str().unwrap();
    let addr = base.trim_start_matches("http://").trim_end_matches('/');
    let body = serde_json::json!({ "rules": rules }).to_string();
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST /_sandbox/faults HTTP/1.0\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    assert!(
        text.starts_with("HTTP/1.0 200") || text.starts_with("HTTP/1.1 200"),
        "{text}"
    );
}

#[test]
fn an_approved_batch_whose_send_failed_is_listed_and_sent_again_by_batch_resend() {
    let (sb, dir) = shop("5000", "1");
    let d = dir.path();
    let file = batch_file(d, "paie.csv");
    let held = prepare(d, "Awa", "2222", &file);
    let id = held["id"].as_i64().unwrap().to_string();

    // The approval's check reads the balance; the send's, once the approval is recorded,
    // finds CinetPay down, every retry too.
    let down = serde_json::json!({"route": "/check/balance", "nth": 2,
                                  "fault": {"type": "status", "code": 503}});
    faults(&sb, Value::Array(vec![down; 6]));
    let failed = err(by(d, "Fatou", "33335791", &["batch", "approve", &id]));
    assert!(failed.contains("balance"), "{failed}");
    faults(&sb, Value::Array(vec![]));
    assert!(ledger(&sb).is_empty());

    let listed = ok(by(
        d,
        "Fatou",
        "33335791",
        &["batch", "list", "--awaiting-approval"],
    ));
    assert!(
        listed.contains("approved") && listed.contains(&format!("guichet batch resend {id}")),
        "{listed}"
    );
    // Approving again is no way round it, and a preparer cannot send it again.
    let again = err(by(d, "Fatou", "33335791", &["batch", "approve", &id]));
    assert!(again.contains("not awaiting approval"), "{again}");
    let awa = err(by(d, "Awa", "2222", &["batch", "resend", &id]));
    assert!(awa.contains("Awa is a preparer"), "{awa}");

    let resent = json(&ok(by(
        d,
        "Fatou",
        "33335791",
        &["--json", "batch", "resend", &id],
    )));
    assert_eq!(resent["status"], "sent", "{resent}");
    assert_eq!(resent["unsent"], false);
    ok(by(
        d,
        "Fatou",
        "33335791",
        &["sync", "--until-final", "--timeout", "60"],
    ));
    let payouts = json(&ok(by(
        d,
        "Fatou",
        "33335791",
        &["--json", "payout", "list"],
    )));
    let mut ours: Vec<String> = payouts
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["reference"].as_str().unwrap().to_string())
        .collect();
    ours.sort();
    let mut paid: Vec<String> = ledger(&sb)
        .iter()
        .map(|e| e["reference"].as_str().unwrap().to_string())
        .collect();
    paid.sort();
    assert_eq!(ours.len(), 2);
    assert_eq!(paid, ours, "each payout left once, under its reference");
    let twice = err(by(d, "Fatou", "33335791", &["batch", "resend", &id]));
    assert!(
        twice.contains("only an approved one whose send failed"),
        "{twice}"
    );
    let log = ok(by(
        d,
        "Moussa",
        "1111",
        &["audit", "list", "--action", "batch"],
    ));
    assert!(
        log.contains(&format!("Batch #{id}, approved, was not sent"))
            && log.contains(&format!("Fatou sent batch #{id} again")),
        "{log}"
    );
}
