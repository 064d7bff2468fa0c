//! Real files, written here the way Excel, LibreOffice and people write them.

use guichet_tabular::{inspect, open, Field, Format, Limits, ReadOptions, TabularError};
use rust_xlsxwriter::{Formula, Workbook};
use std::io::Write;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn phones() -> ReadOptions {
    ReadOptions {
        required: vec![Field::Phone],
        ..Default::default()
    }
}

/// Every data row as (line, [(field, text or `!reason`)]) for the mapped fields.
fn rows(path: &Path, options: &ReadOptions) -> Vec<(usize, Vec<(Field, String)>)> {
    let table = open(path, options).unwrap();
    let fields: Vec<Field> = table.info().columns.iter().map(|c| c.field).collect();
    let mut out = Vec::new();
    table
        .for_each(|r| {
            let cells = fields
                .iter()
                .map(|f| {
                    let v = match r.get(*f).unwrap() {
                        Ok(t) => t.to_string(),
                        Err(why) => format!("!{why}"),
                    };
                    (*f, v)
                })
                .collect();
            out.push((r.line, cells));
            ControlFlow::Continue(())
        })
        .unwrap();
    out
}

fn phone_texts(path: &Path, options: &ReadOptions) -> Vec<String> {
    rows(path, options)
        .into_iter()
        .map(|(_, cells)| {
            cells
                .into_iter()
                .find(|(f, _)| *f == Field::Phone)
                .unwrap()
                .1
        })
        .collect()
}

const FRENCH: &str = "Nom;Prénom;Téléphone;Montant;Motif\r\n\
    Kouassi;Aimé;07 07 12 34 56;1 500,00;Salaire août\r\n\
    \"Bédié; fils\";Zoé;0505123456;25000;Prime\r\n\
    \r\n\
    Traoré;;+225 01 01 12 34 56;300;\r\n";

#[test]
fn french_excel_csv_in_windows_1252() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(FRENCH);
    assert!(!lossy);
    let p = write(dir.path(), "beneficiaires.csv", &bytes);
    let table = open(&p, &phones()).unwrap();
    let info = table.info().clone();
    assert_eq!(info.format, Format::Csv);
    assert_eq!(info.encoding.as_deref(), Some("Windows-1252"));
    assert_eq!(info.separator.as_deref(), Some(";"));
    assert_eq!(info.header_line, Some(1));
    let mapped: Vec<(Field, &str)> = info
        .columns
        .iter()
        .map(|c| (c.field, c.letter.as_str()))
        .collect();
    assert_eq!(
        mapped,
        vec![
            (Field::Phone, "C"),
            (Field::Name, "A"),
            (Field::Surname, "B"),
            (Field::Amount, "D"),
            (Field::Reason, "E")
        ]
    );
    assert_eq!(info.sample[0].cells[1], "Aimé");
    let all = rows(&p, &phones());
    assert_eq!(all.len(), 3, "the blank line is skipped");
    assert_eq!(all[0].0, 2);
    assert_eq!(all[2].0, 5);
    let first: Vec<&str> = all[0].1.iter().map(|(_, v)| v.as_str()).collect();
    assert_eq!(
        first,
        [
            "07 07 12 34 56",
            "Kouassi",
            "Aimé",
            "1 500,00",
            "Salaire août"
        ]
    );
    assert_eq!(all[1].1[1].1, "Bédié; fils");
}

#[test]
fn utf8_with_and_without_bom_and_tabs_and_utf16() {
    let dir = tempfile::tempdir().unwrap();
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), FRENCH.as_bytes()].concat();
    for (name, bytes) in [
        ("bom.csv", with_bom),
        ("plain.csv", FRENCH.as_bytes().to_vec()),
        ("tabs.txt", FRENCH.replace(';', "\t").into_bytes()),
    ] {
        let p = write(dir.path(), name, &bytes);
        let info = open(&p, &phones()).unwrap().info().clone();
        assert_eq!(info.encoding.as_deref(), Some("UTF-8"), "{name}");
        assert_eq!(info.headers[2], "Téléphone", "{name}");
        assert_eq!(info.sample[0].cells[1], "Aimé", "{name}");
    }
    // Excel's "Unicode text": UTF-16LE with a BOM, tab-separated.
    let text = FRENCH
        .replace(';', "\t")
        .replace("\"Bédié\t fils\"", "Bédié fils");
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let p = write(dir.path(), "unicode.txt", &utf16);
    let info = open(&p, &phones()).unwrap().info().clone();
    assert_eq!(info.encoding.as_deref(), Some("UTF-16LE"));
    assert_eq!(info.separator.as_deref(), Some("tab"));
    assert_eq!(info.sample[0].cells[1], "Aimé");
    assert_eq!(
        phone_texts(&p, &phones()),
        ["07 07 12 34 56", "0505123456", "+225 01 01 12 34 56"]
    );
}

#[test]
fn a_latin1_name_far_down_an_ascii_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"name,phone\n".to_vec();
    for i in 0..5000 {
        writeln!(bytes, "Person {i},07071{i:05}").unwrap();
    }
    bytes.extend_from_slice(b"Ren\xe9e,0707999999\n");
    let p = write(dir.path(), "late.csv", &bytes);
    let all = rows(&p, &phones());
    assert_eq!(all.len(), 5001);
    assert!(all[5000].1.contains(&(Field::Name, "Renée".to_string())));
}

#[test]
fn csv_formulas_and_quotes_give_per_row_problems() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "f.csv",
        b"name,phone\nAwa,=0707123456+0\nBi,0505123456\n",
    );
    let all = rows(&p, &phones());
    assert_eq!(
        all[0].1[0],
        (
            Field::Phone,
            "!holds a formula (`=0707123456+0`), not a value".into()
        )
    );
    assert_eq!(all[1].1[0], (Field::Phone, "0505123456".into()));
}

fn xlsx(path: &Path, build: impl FnOnce(&mut Workbook)) {
    let mut wb = Workbook::new();
    build(&mut wb);
    wb.save(path).unwrap();
}

#[test]
fn xlsx_numbers_are_exact_digits_and_formulas_give_their_saved_value() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("contacts.xlsx");
    xlsx(&p, |wb| {
        let notes = wb.add_worksheet().set_name("Notes").unwrap();
        notes.write(0, 0, "Rien ici").unwrap();
        let ws = wb.add_worksheet().set_name("Bénéficiaires").unwrap();
        ws.write(0, 0, "Liste du mois").unwrap();
        for (c, h) in ["NOM", "Prénoms", "N° de téléphone", "E-mail"]
            .iter()
            .enumerate()
        {
            ws.write(2, c as u16, *h).unwrap();
        }
        ws.write(3, 0, "Kouassi").unwrap();
        ws.write(3, 2, 707123456.0).unwrap(); // Excel dropped the zero
        ws.write(4, 0, "Koné").unwrap();
        ws.write(4, 2, 2250505123456.0).unwrap();
        ws.write(5, 0, "Yao").unwrap();
        ws.write(5, 2, "07 07 12 34 56").unwrap();
        ws.write(6, 0, "Formule").unwrap();
        ws.write(6, 2, Formula::new("=C4").set_result("707123456"))
            .unwrap();
        ws.write(8, 3, "seul@example.ci").unwrap();
    });
    let (format, sheets) = inspect(&p, &Limits::default()).unwrap();
    assert_eq!(format, Format::Xlsx);
    assert_eq!(sheets, ["Notes", "Bénéficiaires"]);

    let notes = ReadOptions {
        sheet: Some("Notes".into()),
        ..phones()
    };
    let err = open(&p, &notes).err().unwrap();
    assert_eq!(
        err.to_string(),
        "no column looks like the phone; the file has no header row, its first row reads: Rien ici (A)"
    );
    // Without a sheet asked, the one whose columns are recognised is taken, and said so.
    let found = open(&p, &phones()).unwrap().info().clone();
    assert_eq!(found.sheet.as_deref(), Some("Bénéficiaires"));
    assert!(found.sheet_found);
    for asked in ["Bénéficiaires", "BÉNÉFICIAIRES ", "2"] {
        let o = ReadOptions {
            sheet: Some(asked.into()),
            ..phones()
        };
        if asked.starts_with("BÉ") {
            // Case-insensitive for ASCII only; accents must match.
            assert!(open(&p, &o).is_err());
            continue;
        }
        let info = open(&p, &o).unwrap().info().clone();
        assert_eq!(info.header_line, Some(3), "{asked}");
        assert_eq!(
            phone_texts(&p, &o),
            [
                "707123456",
                "2250505123456",
                "07 07 12 34 56",
                "707123456",
                ""
            ]
        );
    }
    let err = open(
        &p,
        &ReadOptions {
            sheet: Some("Paie".into()),
            ..phones()
        },
    )
    .err()
    .unwrap();
    assert_eq!(
        err.to_string(),
        "no sheet named `Paie`; the sheets are: `Notes`, `Bénéficiaires`"
    );
    assert_eq!(err.code(), "sheet_missing");
}

#[test]
fn a_file_without_headers_is_read_with_chosen_columns() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "nohead.csv", b"Awa;0707123456\nBi;0505123456\n");
    let err = open(&p, &phones()).err().unwrap();
    assert_eq!(
        err.to_string(),
        "no column looks like the phone; the file has no header row, its first row reads: \
         Awa (A), 0707123456 (B)"
    );
    let o = ReadOptions {
        columns: vec![(Field::Phone, "B".into()), (Field::Name, "a".into())],
        ..phones()
    };
    let table = open(&p, &o).unwrap();
    assert_eq!(table.info().header_line, None);
    assert_eq!(
        rows(&p, &o),
        vec![
            (
                1,
                vec![
                    (Field::Phone, "0707123456".into()),
                    (Field::Name, "Awa".into())
                ]
            ),
            (
                2,
                vec![
                    (Field::Phone, "0505123456".into()),
                    (Field::Name, "Bi".into())
                ]
            )
        ]
    );
}

#[test]
fn bad_files_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let err = |p: &Path, limits: Limits| {
        open(p, &ReadOptions { limits, ..phones() })
            .err()
            .expect("refused")
    };
    let d = Limits::default;

    let empty = write(dir.path(), "empty.csv", b"");
    assert!(matches!(err(&empty, d()), TabularError::Empty));
    let bom_only = write(dir.path(), "bom.csv", b"\xEF\xBB\xBF\r\n\r\n");
    assert!(matches!(err(&bom_only, d()), TabularError::NoRows));

    let mut garbage = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..4096 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        garbage.push((x >> 16) as u8);
    }
    let bin = write(dir.path(), "photo.csv", &garbage);
    assert_eq!(
        err(&bin, d()).to_string(),
        "this is not a spreadsheet or a CSV file: it holds binary data, not text"
    );
    let fake = write(dir.path(), "fake.xlsx", b"name,phone\nAwa,0707123456\n");
    assert_eq!(
        err(&fake, d()).to_string(),
        "this is not a spreadsheet or a CSV file: its name ends in .xlsx but it is not a workbook"
    );

    let big = write(dir.path(), "big.csv", &vec![b'a'; 3_000_000]);
    assert_eq!(
        err(
            &big,
            Limits {
                max_file_bytes: 2_000_000,
                ..d()
            }
        )
        .to_string(),
        "the file is 3 MB; Guichet reads files up to 2 MB — split it"
    );

    let mut many = b"phone\n".to_vec();
    for i in 0..101 {
        writeln!(many, "07071{i:05}").unwrap();
    }
    let many = write(dir.path(), "many.csv", &many);
    let table = open(
        &many,
        &ReadOptions {
            limits: Limits {
                max_rows: 100,
                ..d()
            },
            ..phones()
        },
    )
    .unwrap();
    let mut seen = 0;
    let e = table
        .for_each(|_| {
            seen += 1;
            ControlFlow::Continue(())
        })
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "the file has more than 100 rows; Guichet reads up to 100 at a time — split it"
    );
    assert_eq!(seen, 100);

    let nophone = write(dir.path(), "nophone.csv", b"Nom;Ville\nAwa;Abidjan\n");
    let e = err(&nophone, d());
    assert_eq!(e.code(), "column_missing");
    assert_eq!(
        e.to_string(),
        "no column looks like the phone; columns found: Nom (A), Ville (B)"
    );
}

/// A zip whose directory claims what we want: the real `xlsx` with every declared unpacked size
/// in its central directory set to `declared`.
fn with_declared_sizes(xlsx: &[u8], declared: u32) -> Vec<u8> {
    let mut out = xlsx.to_vec();
    let mut i = 0;
    while i + 46 <= out.len() {
        if out[i..i + 4] == [0x50, 0x4b, 0x01, 0x02] {
            out[i + 24..i + 28].copy_from_slice(&declared.to_le_bytes());
            i += 46;
        } else {
            i += 1;
        }
    }
    out
}

#[test]
fn zip_bombs_are_refused_before_anything_is_unpacked() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.xlsx");
    xlsx(&good, |wb| {
        let ws = wb.add_worksheet();
        ws.write(0, 0, "phone").unwrap();
        ws.write(1, 0, "0707123456").unwrap();
    });
    assert!(open(&good, &phones()).is_ok());
    let bytes = std::fs::read(&good).unwrap();
    let bomb = write(
        dir.path(),
        "bomb.xlsx",
        &with_declared_sizes(&bytes, 4_000_000_000),
    );
    let e = open(&bomb, &phones()).err().unwrap();
    assert_eq!(e.code(), "file_unsafe");
    assert!(
        e.to_string()
            .starts_with("this workbook is refused: it would unpack to "),
        "{e}"
    );
    let e = open(
        &good,
        &ReadOptions {
            limits: Limits {
                max_zip_entries: 3,
                ..Limits::default()
            },
            ..phones()
        },
    )
    .err()
    .unwrap();
    assert!(e.to_string().contains("parts"), "{e}");

    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file(
        "photo.jpg",
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored),
    )
    .unwrap();
    z.write_all(b"not a workbook").unwrap();
    let plain_zip = write(
        dir.path(),
        "archive.xlsx",
        &z.finish().unwrap().into_inner(),
    );
    assert_eq!(
        open(&plain_zip, &phones()).err().unwrap().to_string(),
        "this is not a spreadsheet or a CSV file: a zip archive that is not a workbook"
    );
}

fn ods(dir: &Path, name: &str, rows_xml: &str) -> PathBuf {
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file("mimetype", stored).unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    z.start_file("META-INF/manifest.xml", stored).unwrap();
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"#).unwrap();
    z.start_file("content.xml", stored).unwrap();
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet>
<table:table table:name="Feuille1">
{rows_xml}
</table:table>
</office:spreadsheet></office:body></office:document-content>"#
    );
    z.write_all(content.as_bytes()).unwrap();
    write(dir, name, &z.finish().unwrap().into_inner())
}

const ODS_ROWS: &str = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>Nom</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Téléphone</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>Awa</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="707123456"><text:p>707123456</text:p></table:table-cell></table:table-row>
"#;

#[test]
fn ods_from_libreoffice() {
    let dir = tempfile::tempdir().unwrap();
    // LibreOffice ends each sheet with its empty rows and columns, repeated.
    let p = ods(
        dir.path(),
        "liste.ods",
        &format!(
            "{ODS_ROWS}<table:table-row table:number-rows-repeated=\"1048574\">\
             <table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>"
        ),
    );
    let info = open(&p, &phones()).unwrap().info().clone();
    assert_eq!(info.format, Format::Ods);
    assert_eq!(info.sheet.as_deref(), Some("Feuille1"));
    assert_eq!(phone_texts(&p, &phones()), ["707123456"]);
}

#[test]
fn an_ods_that_repeats_a_filled_row_a_million_times_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = ods(
        dir.path(),
        "bomb.ods",
        &format!(
            "{ODS_ROWS}<table:table-row table:number-rows-repeated=\"1000000\">\
             <table:table-cell office:value-type=\"string\" table:number-columns-repeated=\"1000\">\
             <text:p>x</text:p></table:table-cell></table:table-row>"
        ),
    );
    assert!(std::fs::metadata(&p).unwrap().len() < 2000);
    let e = open(&p, &phones()).err().unwrap();
    assert_eq!(e.code(), "file_unsafe", "{e}");
    assert!(e.to_string().contains("cells"), "{e}");
}

#[test]
fn lines_are_the_spreadsheet_lines_whatever_the_line_breaks() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("lf.csv", "phone,name\n0707123456,A\n\n\"0505123456\",\"B\nsecond line\"\n0101123456,C"),
        ("crlf.csv", "phone,name\r\n0707123456,A\r\n\r\n\"0505123456\",\"B\r\nsecond line\"\r\n0101123456,C\r\n"),
    ] {
        let p = write(dir.path(), name, text.as_bytes());
        let lines: Vec<usize> = rows(&p, &phones()).iter().map(|r| r.0).collect();
        assert_eq!(lines, [2, 4, 6], "{name}");
    }
}

#[test]
fn a_payroll_workbook_gives_its_amounts_as_numbers_and_its_other_columns_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("paie.xlsx");
    xlsx(&p, |wb| {
        let ws = wb.add_worksheet().set_name("Paie").unwrap();
        ws.write(0, 0, "ÉTAT DE PAIE — MARS").unwrap();
        for (c, h) in ["N°", "Nom & Prénoms", "N° Téléphone", "Net à payer (FCFA)"]
            .iter()
            .enumerate()
        {
            ws.write(2, c as u16, *h).unwrap();
        }
        ws.write(3, 0, 1.0).unwrap();
        ws.write(3, 1, "Awa").unwrap();
        ws.write(3, 2, 707123456.0).unwrap();
        ws.write(3, 3, Formula::new("=49165*0.025").set_result("1229.125"))
            .unwrap();
        ws.write(4, 0, "TOTAL").unwrap();
        ws.write(4, 3, "1\u{202f}229").unwrap();
    });
    let options = ReadOptions {
        required: vec![Field::Phone, Field::Amount],
        every_column: true,
        ..Default::default()
    };
    let table = open(&p, &options).unwrap();
    // `N°` is the row's number, not a phone: no tie with `N° Téléphone`.
    let phone = table
        .info()
        .columns
        .iter()
        .find(|c| c.field == Field::Phone);
    assert_eq!(phone.map(|c| c.letter.as_str()), Some("C"));
    let mut seen = Vec::new();
    table
        .for_each(|r| {
            seen.push((
                r.number(Field::Amount),
                r.text(Field::Amount).to_string(),
                r.others().collect::<Vec<_>>().join("|"),
            ));
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(
        seen,
        [
            (Some(1229.125), "1229.125".to_string(), "1".to_string()),
            (None, "1\u{202f}229".to_string(), "TOTAL".to_string()),
        ]
    );
}

#[test]
fn several_sheets_with_the_columns_needed_are_listed_for_the_merchant_to_choose() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("paie.xlsx");
    xlsx(&p, |wb| {
        for name in ["Lisez-moi", "Janvier", "Février"] {
            let ws = wb.add_worksheet().set_name(name).unwrap();
            if name != "Lisez-moi" {
                ws.write(0, 0, "Téléphone").unwrap();
                ws.write(1, 0, "0707123456").unwrap();
            } else {
                ws.write(0, 0, "Une ligne par personne.").unwrap();
            }
        }
    });
    let err = open(&p, &phones()).err().unwrap();
    assert_eq!(err.code(), "sheet_ambiguous");
    assert_eq!(
        err.to_string(),
        "several sheets have the columns needed: `Janvier`, `Février`; choose one"
    );
    let o = ReadOptions {
        sheet: Some("Février".into()),
        ..phones()
    };
    assert!(!open(&p, &o).unwrap().info().sheet_found);
}

#[test]
fn when_no_sheet_has_the_columns_the_error_is_the_closest_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("paie.xlsx");
    xlsx(&p, |wb| {
        let help = wb.add_worksheet().set_name("Mode d'emploi").unwrap();
        help.write(0, 0, "Une ligne par personne.").unwrap();
        let ws = wb.add_worksheet().set_name("Paie").unwrap();
        for (c, h) in ["Nom", "Tel", "Mobile"].iter().enumerate() {
            ws.write(0, c as u16, *h).unwrap();
        }
        ws.write(1, 1, "0707123456").unwrap();
        ws.write(1, 2, "0505123456").unwrap();
    });
    let err = open(&p, &phones()).err().unwrap();
    assert_eq!(
        err.to_string(),
        "2 columns could be the phone: Tel (B), Mobile (C); choose one"
    );
}

#[test]
fn a_new_number_column_is_not_taken_for_the_phone() {
    // The corrections of failed payouts: the number that failed, and the one to pay instead.
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "corrections.csv",
        "Numéro;Nouveau numéro;Montant\n07 07 12 34 56;05 05 12 34 56;2 000\n".as_bytes(),
    );
    let all = rows(&path, &phones());
    assert_eq!(
        all[0].1,
        vec![
            (Field::Phone, "07 07 12 34 56".to_string()),
            (Field::Amount, "2 000".to_string()),
            (Field::NewPhone, "05 05 12 34 56".to_string()),
        ]
    );
    assert_eq!(Field::parse("Corrected number"), Some(Field::NewPhone));
    assert_eq!(Field::parse("new_phone"), Some(Field::NewPhone));
}
