//! `guichet payout batch` on spreadsheets as accountants keep them, and amounts typed on the
//! command line read as the batch reads them, against `guichet sandbox` as its own process.

mod common;
use common::{err, guichet, ok, sandbox};
use std::path::PathBuf;

fn payroll() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/paie-janvier.xlsx")
}

#[test]
fn a_payroll_workbook_as_kept_reads_to_the_franc_without_column_or_sheet() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sb.add_cinetpay(d, "Abidjan");
    let file = payroll();
    let review = ok(guichet(
        d,
        &[
            "payout",
            "batch",
            file.to_str().unwrap(),
            "--account",
            "Abidjan",
            "--dry-run",
        ],
        "",
    ));
    assert!(
        review.contains("(sheet Paie janvier, the one whose columns are recognised)"),
        "{review}"
    );
    assert!(!review.contains("ERROR"), "{review}");
    assert!(
        review.contains("50 payout(s), 5\u{202f}247\u{202f}625\u{a0}XOF; 0 row(s) left out"),
        "{review}"
    );
    assert!(
        review.contains(
            "line 55    TOTAL   TOTAL: file total 5\u{202f}247\u{202f}625\u{a0}XOF = to pay \
             5\u{202f}247\u{202f}625\u{a0}XOF + left out 0\u{a0}XOF"
        ),
        "{review}"
    );
}

#[test]
fn two_phone_columns_are_chosen_with_column_and_the_error_names_the_flag() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sb.add_cinetpay(d, "Abidjan");
    // Two numbers per person: the headers and the cells cannot tell which one to pay.
    let file = d.join("paie.csv");
    std::fs::write(
        &file,
        "Nom;Téléphone;Mobile;Net à payer\nAwa;0707123456;0505123456;5 000\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let refused = err(guichet(
        d,
        &["payout", "batch", path, "--account", "Abidjan", "--dry-run"],
        "",
    ));
    assert!(
        refused.contains("2 columns could be the phone: Téléphone (B), Mobile (C); choose one with --column phone=B"),
        "{refused}"
    );
    let review = ok(guichet(
        d,
        &[
            "payout",
            "batch",
            path,
            "--account",
            "Abidjan",
            "--dry-run",
            "--column",
            "phone=C",
            "--column",
            "amount=Net à payer",
        ],
        "",
    ));
    assert!(
        review.contains("1 payout(s), 5\u{202f}000\u{a0}XOF"),
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
            "--column",
            "phone=Mobile",
        ],
        "",
    )))
    .unwrap();
    assert_eq!(json["rows"][0]["phone"], "+2250505123456");
    let bad = err(guichet(
        d,
        &[
            "payout",
            "batch",
            path,
            "--account",
            "Abidjan",
            "--column",
            "email=B",
        ],
        "",
    ));
    assert!(bad.contains("unknown field `email`"), "{bad}");
}

#[test]
fn an_amount_typed_on_the_command_line_is_read_as_the_batch_reads_it() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sb.add_cinetpay(d, "Abidjan");
    let send = |amount: &str| {
        guichet(
            d,
            &[
                "--json",
                "payout",
                "send",
                "--account",
                "Abidjan",
                "--phone",
                "0707123456",
                "--amount",
                amount,
                "--yes",
            ],
            "",
        )
    };
    // `15.000` is fifteen thousand francs, as in a spreadsheet, not 15.
    let sent: serde_json::Value = serde_json::from_str(&ok(send("15.000"))).unwrap();
    assert_eq!(sent["amount"], 15_000);
    let refused = err(send("1 229,125"));
    assert!(
        refused.contains("1 229,125 is not a whole number of francs"),
        "{refused}"
    );
    assert!(err(send("2500 XAF")).contains("this account pays in XOF"));
}

#[test]
fn columns_chosen_once_are_used_again_for_next_months_file_with_the_same_headers() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sb.add_cinetpay(d, "Abidjan");
    let month = |name: &str, rows: &str| {
        let file = d.join(name);
        std::fs::write(&file, format!("Nom;Téléphone;Mobile;Net à payer\n{rows}")).unwrap();
        file
    };
    let january = month("janvier.csv", "Awa;0707123456;0505123456;5 000\n");
    let february = month(
        "fevrier.csv",
        "Awa;0707123456;0505123456;7 500\nYao;0101123456;0505654321;2 500\n",
    );
    let batch = |file: &PathBuf, extra: &[&str]| {
        let mut args = vec![
            "payout",
            "batch",
            file.to_str().unwrap(),
            "--account",
            "Abidjan",
            "--dry-run",
        ];
        args.extend_from_slice(extra);
        guichet(d, &args, "")
    };
    // Before any choice, February's file cannot be read as is.
    assert!(err(batch(&february, &[])).contains("--column phone="));
    ok(batch(&january, &["--column", "phone=Mobile"]));
    let review = ok(batch(&february, &[]));
    assert!(
        review.contains("columns as chosen on ")
            && review.contains("for this layout of headers: phone=Mobile"),
        "{review}"
    );
    assert!(
        review.contains("2 payout(s), 10\u{202f}000\u{a0}XOF"),
        "{review}"
    );
    // Another account has its own choices.
    sb.add_cinetpay(d, "Bouaké");
    let other = guichet(
        d,
        &[
            "payout",
            "batch",
            february.to_str().unwrap(),
            "--account",
            "Bouaké",
            "--dry-run",
        ],
        "",
    );
    assert!(err(other).contains("2 columns could be the phone"));
}

#[test]
fn a_low_balance_threshold_is_read_as_every_amount_is() {
    let sb = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sb.add_cinetpay(d, "Abidjan");
    let threshold = || {
        let shown: serde_json::Value = serde_json::from_str(&ok(guichet(
            d,
            &["--json", "account", "show", "Abidjan"],
            "",
        )))
        .unwrap();
        shown["low_balance_threshold"].clone()
    };
    ok(guichet(
        d,
        &["account", "edit", "Abidjan", "--low-balance", "50.000"],
        "",
    ));
    assert_eq!(threshold(), 50_000, "not 50 francs");
    let refused = err(guichet(
        d,
        &["account", "edit", "Abidjan", "--low-balance", "12,5"],
        "",
    ));
    assert!(
        refused.contains("--low-balance: 12,5 is not a whole number"),
        "{refused}"
    );
    ok(guichet(
        d,
        &["account", "edit", "Abidjan", "--low-balance", "-1"],
        "",
    ));
    assert_eq!(threshold(), serde_json::Value::Null);
}
