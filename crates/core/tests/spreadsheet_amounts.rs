//! Money and columns as merchants' spreadsheets hold them, against the provider sandbox with a
//! real SQLite file: a computed amount is refused, never multiplied; a payroll workbook as an
//! accountant keeps it reads to the franc; the form and the batch read amounts alike.

mod common;

use guichet_core::payouts::{BatchLine, BatchRequest};
use guichet_core::Guichet;
use guichet_sandbox::SandboxHandle;
use guichet_types::{Amount, AmountInput};
use rust_xlsxwriter::{Formula, Workbook};
use std::path::{Path, PathBuf};

async fn setup() -> (tempfile::TempDir, Guichet, SandboxHandle) {
    let sb = common::settled_sandbox().await;
    let (dir, g) = common::guichet_with_accounts(&sb);
    (dir, g, sb)
}

/// The committed payroll workbook (`crates/core/examples/payroll_workbook.rs` writes it).
fn payroll() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/paie-janvier.xlsx")
}

/// What `payroll_workbook` puts in the pay sheet: 50 rows adding up to this.
const PAYROLL_TOTAL: i64 = 5_247_625;

#[tokio::test(flavor = "multi_thread")]
async fn a_computed_amount_is_refused_with_its_row_and_column_never_multiplied() {
    let (dir, g, _sb) = setup().await;
    let path = dir.path().join("commissions.xlsx");
    let mut wb = Workbook::new();
    let s = wb.add_worksheet();
    for (c, h) in ["Téléphone", "Ventes", "Montant"].iter().enumerate() {
        s.write_string(0, c as u16, *h).unwrap();
    }
    // A commission of 2.5 %: 1229.125 as Excel saved it.
    s.write_string(1, 0, "0707123456").unwrap();
    s.write_number(1, 1, 49_165.0).unwrap();
    s.write_formula(1, 2, Formula::new("=B2*0.025").set_result("1229.125"))
        .unwrap();
    // A computed amount that is whole is paid as it is.
    s.write_string(2, 0, "0505123456").unwrap();
    s.write_number(2, 1, 200_000.0).unwrap();
    s.write_formula(2, 2, Formula::new("=B3*0.025").set_result("5000"))
        .unwrap();
    wb.save(&path).unwrap();

    let req = BatchRequest::from_file(&path, "Abidjan", &Default::default(), false).unwrap();
    assert_eq!(req.lines[0].amount, AmountInput::Number(1229.125));
    let p = g.preview_batch(&req).await.unwrap();
    let row = p.rows.iter().find(|r| r.line == 2).unwrap();
    assert_eq!(row.amount, None, "never 1 229 125");
    let issue = &row.errors[0];
    assert_eq!(
        (issue.column.as_str(), issue.code.as_str()),
        ("amount", "amount_not_whole")
    );
    assert_eq!(issue.value, "1\u{202f}229,125");
    assert_eq!(
        issue.message,
        "1\u{202f}229,125 is not a whole number of francs"
    );
    assert_eq!((p.count, p.total), (1, Amount(5000)));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_payroll_workbook_as_kept_reads_to_the_franc_without_any_mapping() {
    let (_dir, g, _sb) = setup().await;
    let req = BatchRequest::from_file(&payroll(), "Abidjan", &Default::default(), false).unwrap();
    // The instructions sheet comes first: the pay sheet is found.
    assert_eq!(req.sheet.as_deref(), Some("Paie janvier"));
    assert!(req.sheet_found);
    // 50 employees, then the TOTAL row set aside.
    assert_eq!(req.lines.len(), 51);
    assert_eq!(req.lines[0].line, 5);
    assert_eq!(req.lines[0].name, "Kouamé Kouassi");
    assert_eq!(req.lines[50].total_label.as_deref(), Some("TOTAL"));

    let p = g.preview_batch(&req).await.unwrap();
    let errors: Vec<_> = p.rows.iter().filter(|r| !r.errors.is_empty()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!((p.count, p.skipped), (50, 0));
    assert_eq!(p.total, Amount(PAYROLL_TOTAL));
    // Phones lost their leading 0 in Excel: read back as the numbers they were.
    assert_eq!(p.rows[0].phone, "+2250707100000");
    assert_eq!(p.rows[1].phone, "+2250505100137");
    assert_eq!(p.rows[2].phone, "+2250101100274");
    let total = &p.file_totals[..];
    assert_eq!(total.len(), 1, "{total:?}");
    assert!(total[0].matches, "{:?}", total[0]);
    assert_eq!(total[0].stated, Some(Amount(PAYROLL_TOTAL)));
    assert_eq!(
        total[0].message,
        format!(
            "file total {x} = to pay {x} + left out 0\u{a0}XOF",
            x = Amount(PAYROLL_TOTAL).with_currency(guichet_types::Currency::XOF)
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_total_row_is_compared_with_what_is_paid_and_what_is_left_out() {
    let (dir, g, _sb) = setup().await;
    let path = dir.path().join("paie.csv");
    std::fs::write(
        &path,
        "N°;Nom;Téléphone;Net à payer\n\
         1;Awa;0707123456;1 250 000\n\
         2;Yao;0505123456;1 252 500\n\
         3;Koffi;27 21 00 00 00;120 000\n\
         ;Sous-total;;2 622 500\n\
         4;Aya;0101123456;10 000\n\
         Total général;;;2 632 600\n",
    )
    .unwrap();
    let req = BatchRequest::from_file(&path, "Abidjan", &Default::default(), false).unwrap();
    let p = g.preview_batch(&req).await.unwrap();
    assert_eq!((p.count, p.skipped), (3, 1));
    assert!(p.rows.iter().all(|r| r.line != 5 && r.line != 7));
    let sub = &p.file_totals[0];
    assert_eq!(
        (sub.line, sub.label.as_str(), sub.matches),
        (5, "Sous-total", true)
    );
    assert_eq!(
        sub.message,
        "file total 2\u{202f}622\u{202f}500\u{a0}XOF = to pay 2\u{202f}502\u{202f}500\u{a0}XOF + left out 120\u{202f}000\u{a0}XOF"
    );
    // The grand total is 100 francs off: shown, not hidden.
    let all = &p.file_totals[1];
    assert_eq!((all.line, all.matches), (7, false));
    assert!(all.message.contains('≠'), "{}", all.message);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_payout_form_and_the_batch_accept_and_refuse_the_same_amounts() {
    let (_dir, g, _sb) = setup().await;
    let mut texts: Vec<String> = [
        "15.000",
        "15 000",
        "15,000",
        "1.500,00",
        "1 229,125",
        "15,5",
        "1500 FCFA",
        "1500 XAF",
        "2 500 F CFA",
        "abc",
        "",
        "-500",
        "0",
        "1000000000001",
        "1 500.000",
        "12\u{202f}500",
        "7.500.000",
        "1,500.00",
    ]
    .map(String::from)
    .to_vec();
    // And a few hundred more, drawn from what merchants type.
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let alphabet = ['1', '5', '0', '0', '2', ' ', '.', ',', '\u{202f}', 'F'];
    for _ in 0..300 {
        let len = 1 + next() % 10;
        texts.push((0..len).map(|_| alphabet[(next() % 10) as usize]).collect());
    }
    let lines: Vec<BatchLine> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| BatchLine {
            line: i as u32 + 2,
            phone: "0707123456".into(),
            amount: AmountInput::Text(t.clone()),
            ..Default::default()
        })
        .collect();
    let req = BatchRequest {
        account: "Abidjan".into(),
        file_name: "form.csv".into(),
        file_sha256: BatchRequest::sha256_of(b"form"),
        lines,
        ..Default::default()
    };
    let p = g.preview_batch(&req).await.unwrap();
    for (text, row) in texts.iter().zip(&p.rows) {
        let form = g.read_amount("Abidjan", text).unwrap();
        assert_eq!(form.amount, row.amount, "{text:?}");
        let amount_issue = row
            .errors
            .iter()
            .find(|i| i.column == "amount" || i.column == "currency")
            .cloned();
        if form.amount.is_none() {
            assert_eq!(form.issue, amount_issue, "{text:?}");
        }
    }
    let read = |t: &str| g.read_amount("Abidjan", t).unwrap().amount;
    assert_eq!(read("15.000"), Some(Amount(15_000)), "not 15 francs");
    assert_eq!(read("1 229,125"), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_apps_column_step_offers_the_columns_chosen_before_for_the_same_headers() {
    let (dir, g, _sb) = setup().await;
    let month = |name: &str, rows: &str| {
        let file = dir.path().join(name);
        std::fs::write(&file, format!("Nom;Tél.;Contact;Salaire net\n{rows}")).unwrap();
        file
    };
    let january = month("janvier.csv", "Awa;0707123456;0505123456;5 000\n");
    let february = month("fevrier.csv", "Yao;0101123456;0505654321;2 500\n");
    let none = Default::default();
    let before = g.batch_columns("Abidjan", &february, &none);
    assert!(
        before.is_ok(),
        "the mapping step answers even when it can't choose"
    );
    assert_eq!(before.unwrap().remembered, None);

    let chosen = guichet_core::contacts::ImportOptions {
        sheet: None,
        columns: vec![guichet_core::contacts::ColumnChoice {
            field: guichet_core::contacts::Field::Phone,
            column: "C".into(),
        }],
    };
    g.read_batch(&january, "Abidjan", &chosen, false).unwrap();

    let after = g.batch_columns("Abidjan", &february, &none).unwrap();
    assert_eq!(
        after.remembered.as_ref().map(|r| r.columns.clone()),
        Some(chosen.columns.clone())
    );
    let phone = after
        .info
        .columns
        .iter()
        .find(|c| c.field == guichet_core::contacts::Field::Phone)
        .unwrap();
    assert_eq!((phone.letter.as_str(), phone.chosen), ("C", true));
    let req = g.read_batch(&february, "Abidjan", &none, false).unwrap();
    assert_eq!(req.lines[0].phone, "0505654321");
    assert!(req.remembered.is_some());
    // Another layout of headers is not read with them.
    let other = dir.path().join("autre.csv");
    std::fs::write(
        &other,
        "Nom;Tél.;Contact;Montant\nYao;0101123456;0505654321;2 500\n",
    )
    .unwrap();
    assert!(g.read_batch(&other, "Abidjan", &none, false).is_err());
}
