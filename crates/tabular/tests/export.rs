//! The writers as an accountant's spreadsheet sees their files.

use calamine::{open_workbook, Data, Reader, Xlsx};
use guichet_tabular::export::{create, Cell, DateStyle, Format, Options, Zone};
use std::path::Path;

const HEADERS: &[&str] = &["N°", "Date", "Téléphone", "Nom", "Montant", "Solde"];

fn rows() -> Vec<Vec<Cell<'static>>> {
    vec![
        vec![
            Cell::Int(1),
            Cell::Time("2026-11-23T14:05:09.000Z"),
            Cell::Phone("+2250707123456"),
            Cell::Text("Awa Koné; \"la grande\""),
            Cell::Amount(1_500_000),
            Cell::Decimal("865.4"),
        ],
        vec![
            Cell::Int(2),
            Cell::Time("2026-11-24T00:30:00.000Z"),
            Cell::Phone("=cmd|' /C calc'!A0"),
            Cell::Text("=HYPERLINK(\"http://evil\")"),
            Cell::Amount(200),
            Cell::Empty,
        ],
    ]
}

fn write(path: &Path, options: Options) {
    let mut w = create(path, HEADERS, "Paiements", options).unwrap();
    for r in rows() {
        w.write_row(&r).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn csv_is_utf8_with_bom_the_chosen_separator_and_french_dates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paiements.csv");
    write(
        &path,
        Options {
            format: Format::Csv { delimiter: b';' },
            date_style: DateStyle::Fr,
            zone: Zone::Fixed(3600),
        },
    );
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines[0], "N°;Date;Téléphone;Nom;Montant;Solde");
    assert_eq!(
        lines[1],
        "1;23/11/2026 15:05;+2250707123456;\"Awa Koné; \"\"la grande\"\"\";1500000;865,4"
    );
    assert_eq!(
        lines[2],
        "2;24/11/2026 01:30;'=cmd|' /C calc'!A0;\"'=HYPERLINK(\"\"http://evil\"\")\";200;"
    );
    assert_eq!(lines[3], "");
    assert!(!dir.path().join("paiements.csv.part").exists());
}

#[test]
fn csv_with_comma_and_iso_dates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("payouts.csv");
    write(
        &path,
        Options {
            format: Format::Csv { delimiter: b',' },
            date_style: DateStyle::Iso,
            zone: Zone::Fixed(0),
        },
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let mut r =
        csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let recs: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    assert_eq!(&recs[0][1], "2026-11-23T14:05:09+00:00");
    assert_eq!(&recs[0][3], "Awa Koné; \"la grande\"");
    assert_eq!(&recs[0][5], "865.4");
    assert_eq!(&recs[1][3], "'=HYPERLINK(\"http://evil\")");
}

#[test]
fn xlsx_cells_are_typed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paiements.xlsx");
    write(
        &path,
        Options {
            format: Format::Xlsx,
            date_style: DateStyle::Fr,
            zone: Zone::Fixed(0),
        },
    );
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), vec!["Paiements".to_string()]);
    let range = book.worksheet_range("Paiements").unwrap();
    let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(0, 2), Data::String("Téléphone".into()));
    assert_eq!(cell(1, 0), Data::Float(1.0));
    // A date, 2026-11-23 14:05:09 as Excel counts it (days since 1899-12-30).
    match cell(1, 1) {
        Data::DateTime(d) => {
            let expected = 1_795_442_709.0 / 86_400.0 + 25_569.0;
            assert!((d.as_f64() - expected).abs() < 1e-6, "{}", d.as_f64());
        }
        other => panic!("date cell is {other:?}"),
    }
    assert_eq!(cell(1, 2), Data::String("+2250707123456".into()));
    assert_eq!(cell(1, 4), Data::Float(1_500_000.0));
    assert_eq!(cell(1, 5), Data::Float(865.4));
    // Text is text: never evaluated, kept exactly.
    assert_eq!(
        cell(2, 3),
        Data::String("=HYPERLINK(\"http://evil\")".into())
    );
    assert_eq!(cell(2, 5), Data::Empty);
}

#[test]
fn a_writer_dropped_before_finish_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("half.csv");
    let mut w = create(
        &path,
        HEADERS,
        "x",
        Options {
            format: Format::Csv { delimiter: b';' },
            date_style: DateStyle::Fr,
            zone: Zone::Fixed(0),
        },
    )
    .unwrap();
    w.write_row(&rows()[0]).unwrap();
    assert!(dir.path().join("half.csv.part").exists());
    drop(w);
    assert!(!path.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
