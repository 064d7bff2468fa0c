//! Canary secrets in the real OS keyring, the whole flow run — accounts, payouts (with lost
//! answers and refusals), sync, balances, credential tests, errors — through the `guichet`
//! command and through the core, and then proof that no canary (nor any session token CinetPay
//! issued) appears in any output, log line, error message, event sent to the UI, value a UI
//! command returns, byte of the database files, or exported CSV and XLSX file. Run under
//! `scripts/with-keyring.sh`.

mod common;
use guichet_core::accounts::AccountInput;
use guichet_core::payouts::PayoutInput;
use guichet_core::{CoreEvent, EventSink, Guichet};
use guichet_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig, SandboxHandle, Timings};
use guichet_secrets::Secret;
use guichet_types::Provider;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

struct Canaries {
    api_key: String,
    password: String,
    private_key: String,
    softsystem: String,
    wrong: String,
}

impl Canaries {
    fn new(tag: &str) -> Canaries {
        let n = std::process::id();
        Canaries {
            api_key: format!("canary-{tag}-apikey-{n:x}"),
            password: format!("canary-{tag}-transferpw-{n:x}"),
            private_key: format!("canary-{tag}-mcpprivate-{n:x}"),
            softsystem: format!("canary-{tag}-sstoken-{n:x}"),
            wrong: format!("canary-{tag}-wrongkey-{n:x}"),
        }
    }

    fn all(&self) -> Vec<&str> {
        vec![
            &self.api_key,
            &self.password,
            &self.private_key,
            &self.softsystem,
            &self.wrong,
        ]
    }
}

async fn sandbox(c: &Canaries) -> SandboxHandle {
    let sb = Sandbox::start(SandboxConfig {
        timings: Timings::settled(),
        demo: false,
        ..Default::default()
    })
    .await
    .unwrap();
    sb.seed_cinetpay(&c.api_key, &c.password, "445160", 5_000_000, false);
    sb.seed_mycoolpay("pk-hygiene", &c.private_key, 2_000_000, None);
    sb.shared()
        .world()
        .softsystem_tokens
        .insert(c.softsystem.clone());
    sb
}

/// Every CinetPay session token the sandbox handed out: secrets too.
fn tokens(sb: &SandboxHandle) -> Vec<String> {
    sb.shared().world().tokens.keys().cloned().collect()
}

/// Which of `needles` occur in `haystack`.
fn leaks<'a>(haystack: &[u8], needles: &[&'a str]) -> Vec<&'a str> {
    needles
        .iter()
        .filter(|n| haystack.windows(n.len()).any(|w| w == n.as_bytes()))
        .copied()
        .collect()
}

/// Every file in the data directory: the database, its -wal and -shm, backups.
fn scan_dir(dir: &Path, needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            for n in leaks(&bytes, needles) {
                found.push(format!("{} holds {n}", path.display()));
            }
        }
    }
    found
}

/// An exported file's bytes as a reader sees them: a CSV as is, an XLSX's every part inflated
/// (its zip compression would hide a secret from a byte scan).
fn export_contents(file: &Path) -> Vec<u8> {
    let bytes = std::fs::read(file).unwrap();
    if file.extension().is_some_and(|e| e == "csv") {
        return bytes;
    }
    let mut book = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut all = Vec::new();
    for i in 0..book.len() {
        let mut part = book.by_index(i).unwrap();
        std::io::copy(&mut part, &mut all).unwrap();
    }
    all
}

fn guichet(dir: &Path, args: &[&str], stdin: &str, transcript: &mut Vec<u8>) -> bool {
    let env = [("RUST_LOG", "trace"), ("RUST_BACKTRACE", "1")];
    let out = common::guichet_env(dir, args, stdin, &env);
    transcript.extend_from_slice(format!("$ guichet {}\n", args.join(" ")).as_bytes());
    transcript.extend_from_slice(&out.stdout);
    transcript.extend_from_slice(&out.stderr);
    out.status.success()
}

#[tokio::test(flavor = "multi_thread")]
async fn no_secret_leaves_the_keyring_through_the_command_line() {
    let c = Canaries::new("cli");
    let sb = sandbox(&c).await;
    let base = sb.base_url();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut t = Vec::new();
    let notify = format!("{base}/notify");
    let ok = |ran: bool, what: &str, t: &[u8]| {
        assert!(ran, "{what} failed:\n{}", String::from_utf8_lossy(t));
    };
    let r = guichet(
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
            "--base-url",
            &base,
            "--notify-url",
            &notify,
            "--secrets-stdin",
        ],
        &format!("api_key={}\ntransfer_password={}\n", c.api_key, c.password),
        &mut t,
    );
    ok(
        r,
        "adding the CinetPay account (is the keyring reachable? run under scripts/with-keyring.sh)",
        &t,
    );
    let r = guichet(
        d,
        &[
            "account",
            "add",
            "--provider",
            "mycoolpay",
            "--label",
            "Douala",
            "--public-key",
            "pk-hygiene",
            "--base-url",
            &base,
            "--secrets-stdin",
        ],
        &format!("private_key={}\n", c.private_key),
        &mut t,
    );
    ok(r, "adding the My-CoolPay account", &t);
    let r = guichet(
        d,
        &[
            "account",
            "add",
            "--provider",
            "softsystem",
            "--label",
            "Plateau",
            "--client-reference",
            "HYGIENE",
            "--base-url",
            &base,
            "--secrets-stdin",
        ],
        &format!("access_token={}\n", c.softsystem),
        &mut t,
    );
    ok(r, "adding the SOFTSYSTEM account", &t);
    // Wrong credentials: the refusal is reported without echoing the secret.
    let r = guichet(
        d,
        &[
            "account",
            "add",
            "--provider",
            "mycoolpay",
            "--label",
            "Faux",
            "--public-key",
            "pk-hygiene",
            "--base-url",
            &base,
            "--secrets-stdin",
        ],
        &format!("private_key={}\n", c.wrong),
        &mut t,
    );
    ok(r, "adding an account with a wrong key", &t);
    for args in [
        vec!["account", "list"],
        vec!["--json", "account", "list"],
        vec!["--json", "account", "show", "Abidjan"],
        vec!["account", "test", "Abidjan"],
        vec!["account", "test", "Douala"],
        vec!["--json", "account", "test", "Faux"],
        vec![
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
        vec![
            "--json",
            "payout",
            "send",
            "--account",
            "Douala",
            "--phone",
            "677 12 34 56",
            "--amount",
            "3000",
            "--yes",
        ],
        vec![
            "payout",
            "send",
            "--account",
            "Faux",
            "--phone",
            "677 12 34 57",
            "--amount",
            "3000",
            "--yes",
        ],
        vec![
            "payout",
            "send",
            "--account",
            "Abidjan",
            "--phone",
            "12",
            "--amount",
            "5000",
            "--yes",
        ],
    ] {
        guichet(d, &args, "", &mut t);
    }
    // Lost answers and provider failures: their raw bodies go to the history, never a secret.
    sb.set_faults(vec![
        FaultRule {
            route: "/money/send".into(),
            method: None,
            nth: Some(1),
            probability: None,
            fault: Fault::DropResponse,
        },
        FaultRule {
            route: "/payout".into(),
            method: None,
            nth: Some(1),
            probability: None,
            fault: Fault::Malformed,
        },
        FaultRule {
            route: "/balance".into(),
            method: None,
            nth: Some(1),
            probability: None,
            fault: Fault::Status { code: 500 },
        },
    ]);
    for args in [
        vec![
            "--json",
            "payout",
            "send",
            "--account",
            "Abidjan",
            "--phone",
            "0505123456",
            "--amount",
            "10000",
            "--yes",
        ],
        vec![
            "--json",
            "payout",
            "send",
            "--account",
            "Douala",
            "--phone",
            "699887766",
            "--amount",
            "1500",
            "--yes",
        ],
        vec!["--json", "sync", "--until-final", "--timeout", "30"],
        vec!["--json", "balance"],
        vec!["balance"],
        vec!["balance", "--history", "--account", "Abidjan"],
        vec!["--json", "payout", "list"],
        vec!["payout", "show", "1"],
        vec!["payout", "show", "3"],
        vec!["--json", "payout", "show", "4"],
    ] {
        guichet(d, &args, "", &mut t);
    }
    let r = guichet(
        d,
        &["account", "edit", "Faux", "--secrets-stdin"],
        &format!("private_key={}\n", c.private_key),
        &mut t,
    );
    ok(r, "replacing a secret", &t);
    guichet(d, &["account", "remove", "Faux"], "", &mut t);
    // Every table exported in both formats, as the merchant hands them to the accountant.
    let exports = tempfile::tempdir().unwrap();
    let mut exported = Vec::new();
    for dataset in ["payouts", "collections", "contacts", "balances", "events"] {
        for ext in ["csv", "xlsx"] {
            let file = exports.path().join(format!("{dataset}.{ext}"));
            let out = file.to_str().unwrap();
            let r = guichet(d, &["export", dataset, "--output", out], "", &mut t);
            ok(r, &format!("exporting {dataset} as {ext}"), &t);
            exported.push(file);
        }
    }
    let transcript = String::from_utf8_lossy(&t).to_string();
    assert!(
        transcript.contains("succeeded") || transcript.contains("paid"),
        "{transcript}"
    );

    // The scans see what is there: the public key is in the output and in the database.
    assert_eq!(leaks(&t, &["pk-hygiene"]), ["pk-hygiene"]);
    assert!(!scan_dir(d, &["pk-hygiene"]).is_empty());
    let toks = tokens(&sb);
    assert!(!toks.is_empty(), "CinetPay issued session tokens");
    let mut needles = c.all();
    needles.extend(toks.iter().map(String::as_str));
    let found = leaks(&t, &needles);
    assert!(found.is_empty(), "{found:?} in the output:\n{transcript}");
    let found = scan_dir(d, &needles);
    assert!(found.is_empty(), "{found:?}");
    // The exports hold the payouts (the scan reads inside the XLSX zip) and no secret.
    for file in &exported {
        let bytes = export_contents(file);
        if file.file_stem().unwrap() == "payouts" {
            assert_eq!(leaks(&bytes, &["2250707123456"]), ["2250707123456"]);
        }
        let found = leaks(&bytes, &needles);
        assert!(found.is_empty(), "{found:?} in {}", file.display());
    }
    // The canaries really are in the keyring (so the scans above looked for something real).
    let g = Guichet::open(d).unwrap();
    let row = g.account_row("Abidjan").unwrap();
    assert_eq!(
        g.account_secret(&row, "api_key").unwrap().expose(),
        c.api_key
    );
}

/// Every event, as the desktop shell sends it to the webview (JSON).
#[derive(Default)]
struct Recorder(Mutex<Vec<String>>);

impl EventSink for Recorder {
    fn emit(&self, event: CoreEvent) {
        self.0
            .lock()
            .unwrap()
            .push(serde_json::to_string(&event).unwrap());
    }
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn no_secret_leaves_the_keyring_through_the_core_the_ui_calls() {
    // Every log line at every level, from every thread of the runtime.
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_global_default(subscriber);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let c = Canaries::new("core");
    let sb = rt.block_on(sandbox(&c));
    let base = sb.base_url();
    let dir = tempfile::tempdir().unwrap();
    let events = Arc::new(Recorder::default());
    let mut issued: Vec<String> = Vec::new();
    let g = Guichet::open(dir.path())
        .unwrap()
        .with_events(events.clone());
    // What the UI would receive: every return value and error message, as JSON or text.
    let mut shown: Vec<String> = Vec::new();
    let mut show = |v: Result<serde_json::Value, String>| {
        shown.push(match v {
            Ok(v) => v.to_string(),
            Err(e) => e,
        })
    };
    let json = |r: guichet_core::Result<serde_json::Value>| r.map_err(|e| e.to_string());
    let account = |label: &str, provider, secrets: Vec<(&str, &str)>| AccountInput {
        label: Some(label.into()),
        provider: Some(provider),
        site_id: (provider == Provider::Cinetpay).then(|| "445160".to_string()),
        public_key: (provider == Provider::Mycoolpay).then(|| "pk-hygiene".to_string()),
        client_reference: (provider == Provider::Softsystem).then(|| "HYGIENE".to_string()),
        notify_url: Some(format!("{base}/notify")),
        base_url: Some(base.clone()),
        secrets: secrets
            .into_iter()
            .map(|(k, v)| (k.to_string(), Secret::new(v)))
            .collect(),
        ..Default::default()
    };
    for a in [
        account(
            "Abidjan",
            Provider::Cinetpay,
            vec![("api_key", &c.api_key), ("transfer_password", &c.password)],
        ),
        account(
            "Douala",
            Provider::Mycoolpay,
            vec![("private_key", &c.private_key)],
        ),
        account(
            "Plateau",
            Provider::Softsystem,
            vec![("access_token", &c.softsystem)],
        ),
        account("Faux", Provider::Mycoolpay, vec![("private_key", &c.wrong)]),
        // Refused: a duplicate label, with a secret in the request.
        account("Faux", Provider::Mycoolpay, vec![("private_key", &c.wrong)]),
    ] {
        show(json(
            g.add_account(a).map(|v| serde_json::to_value(v).unwrap()),
        ));
    }
    show(json(
        g.list_accounts().map(|v| serde_json::to_value(v).unwrap()),
    ));
    let input = |phone: &str, amount| PayoutInput {
        phone: phone.into(),
        amount,
        name: "Awa".into(),
        reason: "Salaire".into(),
        operator: None,
    };
    rt.block_on(async {
        for label in ["Abidjan", "Douala", "Plateau", "Faux"] {
            show(json(
                g.test_account(label)
                    .await
                    .map(|v| serde_json::to_value(v).unwrap()),
            ));
        }
        for (label, phone, amount) in [
            ("Abidjan", "0707123456", 5000),
            ("Douala", "677123456", 3000),
            ("Faux", "677123457", 3000),
            ("Plateau", "0707123456", 3000),
        ] {
            show(json(
                g.send_payout(label, input(phone, amount))
                    .await
                    .map(|v| serde_json::to_value(v).unwrap()),
            ));
        }
        issued.extend(tokens(&sb));
        sb.set_faults(vec![
            FaultRule {
                route: "/money/send".into(),
                method: None,
                nth: Some(1),
                probability: None,
                fault: Fault::Malformed,
            },
            FaultRule {
                route: "/payout".into(),
                method: None,
                nth: Some(1),
                probability: None,
                fault: Fault::DropResponse,
            },
            FaultRule {
                route: "/v1/auth/login".into(),
                method: None,
                nth: Some(1),
                probability: None,
                fault: Fault::ExpireTokens,
            },
        ]);
        for (label, phone) in [("Abidjan", "0505123456"), ("Douala", "699887766")] {
            show(json(
                g.send_payout(label, input(phone, 2000))
                    .await
                    .map(|v| serde_json::to_value(v).unwrap()),
            ));
        }
        show(json(
            g.sync_until_final(Duration::from_secs(20))
                .await
                .map(|v| serde_json::to_value(v).unwrap()),
        ));
        show(json(
            g.check_balances(None)
                .await
                .map(|v| serde_json::to_value(v).unwrap()),
        ));
    });
    for p in g.list_payouts(None, None, None, 100).unwrap() {
        show(json(
            g.payout(p.id).map(|v| serde_json::to_value(v).unwrap()),
        ));
    }
    show(json(
        g.remove_account("Faux").map(|_| serde_json::Value::Null),
    ));

    issued.extend(tokens(&sb));
    assert!(!issued.is_empty(), "CinetPay issued session tokens");
    let mut needles = c.all();
    needles.extend(issued.iter().map(String::as_str));
    let events = events.0.lock().unwrap().join("\n");
    assert!(events.contains("succeeded"), "{events}");
    let found = leaks(events.as_bytes(), &needles);
    assert!(found.is_empty(), "{found:?} in events to the UI:\n{events}");
    let shown = shown.join("\n");
    let found = leaks(shown.as_bytes(), &needles);
    assert!(
        found.is_empty(),
        "{found:?} in what the UI is given:\n{shown}"
    );
    let logs = logs.0.lock().unwrap().clone();
    assert!(!logs.is_empty(), "the log capture saw nothing");
    let found = leaks(&logs, &needles);
    assert!(
        found.is_empty(),
        "{found:?} in the logs:\n{}",
        String::from_utf8_lossy(&logs)
    );
    assert!(!scan_dir(dir.path(), &["pk-hygiene"]).is_empty());
    drop(g);
    let found = scan_dir(dir.path(), &needles);
    assert!(found.is_empty(), "{found:?}");
}
