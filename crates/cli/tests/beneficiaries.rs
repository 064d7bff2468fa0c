//! `guichet payout batch` flags, in its review and in `--json`, a number never paid from the
//! account and a number paid before under another name, against `guichet sandbox` as its own
//! process.

mod common;
use common::{guichet, ok, sandbox};

#[test]
fn the_batch_review_flags_a_new_number_and_a_number_paid_under_another_name() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sb.add_cinetpay(d, "Abidjan");
    for (phone, name) in [("0707111111", "KONÉ Awa"), ("0505222222", "Kouassi Jean")] {
        ok(guichet(
            d,
            &[
                "payout",
                "send",
                "--account",
                "Abidjan",
                "--phone",
                phone,
                "--amount",
                "10000",
                "--name",
                name,
                "--yes",
            ],
            "",
        ));
    }
    ok(guichet(
        d,
        &["sync", "--until-final", "--timeout", "60"],
        "",
    ));

    let file = d.join("paie-decembre.csv");
    std::fs::write(
        &file,
        "Nom;Téléphone;Montant\nKONAN Aya;07 07 11 11 11;5 000\nKOUASSI  jéan;0505222222;5 000\nTraoré Issa;0101999999;5 000\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let review = ok(guichet(
        d,
        &["payout", "batch", path, "--account", "Abidjan", "--dry-run"],
        "",
    ));
    assert!(
        review.contains("line 2     WARNING name: paid to KONÉ Awa in ")
            && review.contains(", here: KONAN Aya"),
        "{review}"
    );
    assert!(
        review
            .contains("line 4     WARNING phone: +2250101999999 was never paid from this account"),
        "{review}"
    );
    assert!(!review.contains("line 3     WARNING"), "{review}");
    assert!(
        review
            .contains("1 number(s) never paid from this account, 1 paid before under another name"),
        "{review}"
    );

    let json: serde_json::Value = serde_json::from_str(&ok(guichet(
        d,
        &[
            "--json",
            "payout",
            "batch",
            path,
            "--account",
            "Abidjan",
            "--dry-run",
        ],
        "",
    )))
    .unwrap();
    let preview = if json.get("rows").is_some() {
        &json
    } else {
        &json["preview"]
    };
    assert_eq!(preview["new_beneficiaries"], 1, "{json}");
    assert_eq!(preview["names_changed"], 1, "{json}");
    let changed = &preview["rows"][0]["warnings"][0];
    assert_eq!(changed["code"], "name_changed", "{json}");
    assert_eq!(changed["paid_before"]["name"], "KONÉ Awa", "{json}");
    assert_eq!(
        preview["rows"][1]["warnings"],
        serde_json::json!([]),
        "{json}"
    );
    assert_eq!(
        preview["rows"][2]["warnings"][0]["code"], "new_beneficiary",
        "{json}"
    );

    // A single payout says it too, before it leaves.
    let single = guichet(
        d,
        &[
            "payout",
            "send",
            "--account",
            "Abidjan",
            "--phone",
            "0707111111",
            "--amount",
            "5000",
            "--name",
            "KONAN Aya",
            "--yes",
        ],
        "",
    );
    let said = String::from_utf8_lossy(&single.stderr);
    assert!(
        single.status.success() && said.contains("warning: paid to KONÉ Awa in "),
        "{said}"
    );
}
