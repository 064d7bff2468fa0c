//! The `guichet account` commands, run as a real process against a real SQLite file and the
//! real Secret Service (run under `scripts/with-keyring.sh`).

mod common;
use common::{err, guichet, guichet_env, ok};
use std::path::Path;
use std::process::{Command, Output};

fn files_contain(dir: &Path, needle: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            std::fs::read(p)
                .unwrap()
                .windows(needle.len())
                .any(|w| w == needle.as_bytes())
        })
        .map(|p| p.display().to_string())
        .collect()
}

fn listed(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&ok(guichet(dir, &["--json", "account", "list"], ""))).unwrap()
}

#[test]
fn an_account_added_from_stdin_is_listed_without_its_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let canary_key = "canary-apikey-7d1e9";
    let canary_pw = "canary-transferpw-30ac";
    ok(guichet(
        d,
        &[
            "account",
            "add",
            "--provider",
            "cinetpay",
            "--label",
            "Boutique Treichville",
            "--site-id",
            "445160",
            "--base-url",
            "http://127.0.0.1:9",
            "--secrets-stdin",
        ],
        &format!("api_key={canary_key}\ntransfer_password={canary_pw}\n"),
    ));

    let out = ok(guichet(d, &["--json", "account", "list"], ""));
    assert!(!out.contains(canary_key) && !out.contains(canary_pw));
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let a = &list[0];
    assert_eq!(a["label"], "Boutique Treichville");
    assert_eq!(a["provider"], "cinetpay");
    assert_eq!(a["currency"], "XOF");
    assert_eq!(a["country"], "CI");
    assert_eq!(a["site_id"], "445160");
    assert_eq!(a["base_url"], "http://127.0.0.1:9");
    assert_eq!(
        a["secrets"],
        serde_json::json!([
            {"name": "api_key", "set": true, "environment": null},
            {"name": "transfer_password", "set": true, "environment": null}
        ])
    );

    // Not in the database file, its WAL, or anything else in the data directory.
    assert_eq!(files_contain(d, canary_key), Vec::<String>::new());
    assert_eq!(files_contain(d, canary_pw), Vec::<String>::new());

    // In the Secret Service, under this data directory's namespace.
    let id = a["id"].as_i64().unwrap();
    let service = guichet_secrets::SecretStore::for_data_dir(d)
        .service()
        .to_string();
    let found = Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            &service,
            "username",
            &format!("{id}/api_key"),
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&found.stdout).trim(), canary_key);

    // Show and edit, then remove: the secrets go with the account.
    let shown = ok(guichet(d, &["account", "show", "Boutique Treichville"], ""));
    assert!(shown.contains("445160") && !shown.contains(canary_key));
    ok(guichet(
        d,
        &[
            "account",
            "edit",
            "Boutique Treichville",
            "--notify-url",
            "https://example.ci/notify",
        ],
        "",
    ));
    assert_eq!(listed(d)[0]["notify_url"], "https://example.ci/notify");
    ok(guichet(
        d,
        &["account", "remove", "Boutique Treichville"],
        "",
    ));
    assert_eq!(listed(d), serde_json::json!([]));
    let gone = Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            &service,
            "username",
            &format!("{id}/api_key"),
        ])
        .output()
        .unwrap();
    assert!(gone.stdout.is_empty());
}

#[test]
fn bad_input_names_the_field_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let add = |args: &[&str], stdin: &str| {
        let mut full = vec!["account", "add"];
        full.extend_from_slice(args);
        guichet(d, &full, stdin)
    };
    let cases: Vec<(Output, &str)> = vec![
        (
            add(
                &["--provider", "orange", "--label", "X", "--secrets-stdin"],
                "",
            ),
            "orange",
        ),
        (
            add(
                &["--provider", "cinetpay", "--label", "X", "--secrets-stdin"],
                "api_key=a\ntransfer_password=b\n",
            ),
            "site_id",
        ),
        (
            add(
                &[
                    "--provider",
                    "mycoolpay",
                    "--label",
                    "X",
                    "--public-key",
                    "pk",
                    "--base-url",
                    "ftp://host",
                    "--secrets-stdin",
                ],
                "private_key=s\n",
            ),
            "base_url",
        ),
        (
            add(
                &[
                    "--provider",
                    "mycoolpay",
                    "--label",
                    "X",
                    "--public-key",
                    "pk",
                    "--base-url",
                    "http://h:1/api/x",
                    "--secrets-stdin",
                ],
                "private_key=s\n",
            ),
            "base_url",
        ),
        (
            add(
                &[
                    "--provider",
                    "mycoolpay",
                    "--label",
                    "X",
                    "--public-key",
                    "pk",
                    "--secrets-stdin",
                ],
                "private_key=s\napi_key=zz\n",
            ),
            "api_key",
        ),
        (
            add(
                &[
                    "--provider",
                    "mycoolpay",
                    "--label",
                    "X",
                    "--public-key",
                    "pk",
                    "--secrets-stdin",
                ],
                "private_key=\n",
            ),
            "private_key",
        ),
        (
            add(
                &[
                    "--provider",
                    "softsystem",
                    "--label",
                    "X",
                    "--client-reference",
                    "R",
                    "--secrets-stdin",
                ],
                "",
            ),
            "access_token",
        ),
        (
            add(
                &[
                    "--provider",
                    "softsystem",
                    "--label",
                    " ",
                    "--client-reference",
                    "R",
                    "--secrets-stdin",
                ],
                "access_token=t\n",
            ),
            "label",
        ),
        (
            add(
                &[
                    "--provider",
                    "cinetpay",
                    "--label",
                    "X",
                    "--site-id",
                    "1",
                    "--notify-url",
                    "not a url",
                    "--secrets-stdin",
                ],
                "api_key=a\ntransfer_password=b\n",
            ),
            "notify_url",
        ),
    ];
    for (o, field) in &cases {
        let e = err(o);
        assert!(e.contains(field), "error should name `{field}`: {e}");
    }
    assert_eq!(listed(d), serde_json::json!([]));

    ok(add(
        &[
            "--provider",
            "softsystem",
            "--label",
            "Caisse",
            "--client-reference",
            "R",
            "--secrets-stdin",
        ],
        "access_token=t1\n",
    ));
    let e = err(add(
        &[
            "--provider",
            "softsystem",
            "--label",
            "Caisse",
            "--client-reference",
            "R2",
            "--secrets-stdin",
        ],
        "access_token=t2\n",
    ));
    assert!(e.contains("already exists"), "{e}");
    let list = listed(d);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["client_reference"], "R");
    let e = err(guichet(d, &["account", "show", "Nope"], ""));
    assert!(e.contains("Nope") && e.contains("not found"), "{e}");
}

#[test]
fn a_database_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("guichet.db");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); PRAGMA user_version = 999;")
        .unwrap();
    let before = std::fs::read(&db).unwrap();
    let e = err(guichet(dir.path(), &["account", "list"], ""));
    assert!(e.contains("newer version of Guichet"), "{e}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn a_new_host_needs_the_secrets_again_and_must_be_https_or_this_machine() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let add = |label: &str, base: &str| {
        guichet(
            d,
            &[
                "account",
                "add",
                "--provider",
                "mycoolpay",
                "--label",
                label,
                "--public-key",
                "pk",
                "--base-url",
                base,
                "--secrets-stdin",
            ],
            "private_key=first-key\n",
        )
    };
    let e = err(add("Douala", "http://api.my-coolpay.com"));
    assert!(e.contains("https://"), "{e}");
    ok(add("Douala", "https://api.my-coolpay.com"));
    // The label folds to the same GUICHET_SECRET_ variables: refused.
    let e = err(add("douala", "https://api.my-coolpay.com"));
    assert!(e.contains("GUICHET_SECRET_DOUALA_"), "{e}");

    let e = err(guichet(
        d,
        &[
            "account",
            "edit",
            "Douala",
            "--base-url",
            "https://elsewhere.example",
        ],
        "",
    ));
    assert!(e.contains("private_key"), "{e}");
    assert_eq!(listed(d)[0]["base_url"], "https://api.my-coolpay.com");
    ok(guichet(
        d,
        &[
            "account",
            "edit",
            "Douala",
            "--base-url",
            "https://elsewhere.example",
            "--secrets-stdin",
        ],
        "private_key=key-for-elsewhere\n",
    ));
    assert_eq!(listed(d)[0]["base_url"], "https://elsewhere.example");

    // A secret from the environment is named where it is used.
    let shown = ok(guichet_env(
        d,
        &["account", "show", "Douala"],
        "",
        &[("GUICHET_SECRET_DOUALA_PRIVATE_KEY", "from-env")],
    ));
    assert!(
        shown.contains("private_key from the environment (GUICHET_SECRET_DOUALA_PRIVATE_KEY"),
        "{shown}"
    );
    assert!(!shown.contains("from-env"));
}
