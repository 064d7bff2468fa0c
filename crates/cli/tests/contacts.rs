//! `guichet contacts` as a merchant would run it, against `guichet sandbox` running as its own
//! process.

mod common;
use common::{guichet, ok, sandbox};

#[test]
fn contacts_imported_from_a_french_csv_previewed_confirmed_and_listed() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sb.add_cinetpay(d, "Abidjan");
    let file = d.join("liste.csv");
    std::fs::write(
        &file,
        "\u{feff}Nom;Prénom;Téléphone\r\nKoné;Awa;07 07 12 34 56\r\nYao;Bi;05.05.12.34.56\r\nTraoré;;0707\r\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();

    let preview: serde_json::Value = serde_json::from_str(&ok(guichet(
        d,
        &[
            "--json",
            "contacts",
            "import",
            f,
            "--account",
            "Abidjan",
            "--dry-run",
        ],
        "",
    )))
    .unwrap();
    assert_eq!(preview["totals"]["new"], 2);
    assert_eq!(preview["totals"]["invalid"], 1);
    assert_eq!(preview["rows"][2]["line"], 4);
    assert!(preview["rows"][2]["reason"]
        .as_str()
        .unwrap()
        .starts_with("Téléphone (C): `0707` has 4 digits"));

    // Without --yes and without a terminal, nothing is pushed nor stored.
    let refused = guichet(d, &["contacts", "import", f, "--account", "Abidjan"], "");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));
    let none: serde_json::Value =
        serde_json::from_str(&ok(guichet(d, &["--json", "contacts", "list"], ""))).unwrap();
    assert_eq!(none, serde_json::json!({"rows": [], "next": null}));

    let done: serde_json::Value = serde_json::from_str(&ok(guichet(
        d,
        &[
            "--json",
            "contacts",
            "import",
            f,
            "--account",
            "Abidjan",
            "--yes",
        ],
        "",
    )))
    .unwrap();
    assert_eq!(done["totals"]["added"], 2);
    assert_eq!(done["rows"][0]["outcome"], "added");
    assert_eq!(done["rows"][0]["e164"], "+2250707123456");

    // Again: nothing new.
    let again = ok(guichet(
        d,
        &["contacts", "import", f, "--account", "Abidjan", "--yes"],
        "",
    ));
    assert!(again.contains("2 already contacts"), "{again}");
    assert!(again.contains("Nothing new to push."), "{again}");

    // A page at a time: the cursor the first page prints gives the second.
    let list = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec!["--json", "contacts", "list", "--limit", "1"];
        args.extend_from_slice(extra);
        serde_json::from_str(&ok(guichet(d, &args, ""))).unwrap()
    };
    let first = list(&[]);
    let next = serde_json::to_string(&first["next"]).unwrap();
    let second = list(&["--after", &next]);
    assert_eq!(second["next"], serde_json::Value::Null);
    let names: Vec<&str> = [&first, &second]
        .iter()
        .map(|p| p["rows"][0]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Koné", "Yao"]);
    let text = ok(guichet(d, &["contacts", "list", "--limit", "1"], ""));
    assert!(
        text.contains("More: add --after '{\"name\":\"Koné\""),
        "{text}"
    );

    let found: serde_json::Value = serde_json::from_str(&ok(guichet(
        d,
        &[
            "--json",
            "contacts",
            "list",
            "--account",
            "Abidjan",
            "--search",
            "kon",
        ],
        "",
    )))
    .unwrap();
    let found = &found["rows"];
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["provider_state"], "added");
    let id = found[0]["id"].as_i64().unwrap().to_string();
    let edited = ok(guichet(
        d,
        &["contacts", "edit", &id, "--name", "Koné Awa"],
        "",
    ));
    assert!(edited.contains("Koné Awa"), "{edited}");
    ok(guichet(d, &["contacts", "delete", &id, "--yes"], ""));
    let left: serde_json::Value =
        serde_json::from_str(&ok(guichet(d, &["--json", "contacts", "list"], ""))).unwrap();
    assert_eq!(left["rows"].as_array().unwrap().len(), 1);

    // A file without headers: columns chosen by letter.
    let bare = d.join("bare.csv");
    std::fs::write(&bare, "Awa Diallo,0101020304\n").unwrap();
    let b = bare.to_str().unwrap();
    let missing = guichet(
        d,
        &["contacts", "import", b, "--account", "Abidjan", "--dry-run"],
        "",
    );
    assert!(String::from_utf8_lossy(&missing.stderr)
        .contains("no column looks like the phone; the file has no header row"));
    let chosen: serde_json::Value = serde_json::from_str(&ok(guichet(
        d,
        &[
            "--json",
            "contacts",
            "import",
            b,
            "--account",
            "Abidjan",
            "--yes",
            "--column",
            "phone=B",
            "--column",
            "name=A",
        ],
        "",
    )))
    .unwrap();
    assert_eq!(chosen["totals"]["added"], 1);
}
