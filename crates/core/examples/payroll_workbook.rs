//! Writes the payroll workbook the tests read (`tests/fixtures/paie-janvier.xlsx`), made the way
//! an accountant in Abidjan makes one: an instructions sheet first, then the pay sheet with a
//! title, a `N°` column, phone numbers typed as numbers (Excel dropped their leading 0), amounts
//! typed as text with narrow no-break spaces, a few as numbers, and a `TOTAL` row.
//!
//! `cargo run -p guichet-core --example payroll_workbook -- tests/fixtures/paie-janvier.xlsx`

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// Employees paid: 50, the phone's national number without its leading 0, the net pay.
pub fn employees() -> Vec<(String, u64, &'static str, i64)> {
    let first = [
        "Kouassi", "Konan", "Yao", "Aya", "Adjoua", "Koffi", "Awa", "Moussa", "Fatou", "Ibrahim",
    ];
    let last = ["Kouamé", "N'Guessan", "Traoré", "Bamba", "Coulibaly"];
    (0..50u64)
        .map(|i| {
            let name = format!("{} {}", last[(i % 5) as usize], first[(i % 10) as usize]);
            // Orange (07), MTN (05), Moov (01): nine digits once the 0 is lost.
            let (prefix, operator) = match i % 3 {
                0 => (707_000_000, "Orange"),
                1 => (505_000_000, "MTN"),
                _ => (101_000_000, "Moov"),
            };
            let phone = prefix + 100_000 + i * 137;
            let net = 60_000 + (i as i64 * 7_345) % 90_000 / 5 * 5;
            (name, phone, operator, net)
        })
        .collect()
}

fn main() -> Result<(), XlsxError> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/fixtures/paie-janvier.xlsx".into());
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();

    let help = wb.add_worksheet().set_name("Mode d'emploi")?;
    help.write_string_with_format(0, 0, "Mode d'emploi", &bold)?;
    help.write_string(
        2,
        0,
        "Une ligne par employé, dans la feuille « Paie janvier ».",
    )?;
    help.write_string(
        3,
        0,
        "Indiquez le numéro de téléphone mobile et le montant net à payer en francs CFA.",
    )?;
    help.write_string(
        4,
        0,
        "Ne modifiez pas la ligne TOTAL : elle se calcule toute seule.",
    )?;

    let sheet = wb.add_worksheet().set_name("Paie janvier")?;
    sheet.write_string_with_format(0, 0, "ÉTAT DE PAIEMENT DES SALAIRES — JANVIER 2026", &bold)?;
    sheet.write_string(1, 0, "Société Lagunaire de Transport — Abidjan Plateau")?;
    let headers = [
        "N°",
        "Nom & Prénoms",
        "N° Téléphone",
        "Opérateur",
        "Montant (FCFA)",
        "Observation",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(3, c as u16, *h, &bold)?;
    }
    let mut total = 0i64;
    for (i, (name, phone, operator, net)) in employees().into_iter().enumerate() {
        let r = 4 + i as u32;
        sheet.write_number(r, 0, (i + 1) as f64)?;
        sheet.write_string(r, 1, &name)?;
        sheet.write_number(r, 2, phone as f64)?;
        sheet.write_string(r, 3, operator)?;
        // Most amounts typed as text, thousands grouped by U+202F; every seventh as a number.
        if i % 7 == 6 {
            sheet.write_number(r, 4, net as f64)?;
        } else {
            sheet.write_string(r, 4, guichet_types::Amount(net).grouped())?;
        }
        if i == 11 {
            sheet.write_string(r, 5, "Retour de congé")?;
        }
        total += net;
    }
    let r = 4 + 50;
    sheet.write_string_with_format(r, 0, "TOTAL", &bold)?;
    sheet.write_number_with_format(r, 4, total as f64, &bold)?;
    wb.save(&path)?;
    println!("{path}: 50 rows, total {total}");
    Ok(())
}
