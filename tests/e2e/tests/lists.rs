//! The 120-person payroll in the real window: month 1 paid from a French spreadsheet and saved
//! as a list; month 2 paid from the list, one amount typed at the keyboard and one number now
//! someone else's — the review flags exactly that number. The merchant's time of month 2 (from
//! opening the list to the batch confirmed) is measured and printed. Run via tests/e2e/run.sh.

use guichet_e2e::Session;
use std::time::{Duration, Instant};

/// Agent `i`'s number as the sheet writes it, and in international form.
fn agent_phone(i: u32) -> (String, String) {
    let (a, b) = (i / 100, i % 100);
    (
        format!("07 07 40 {a:02} {b:02}"),
        format!("+225070740{a:02}{b:02}"),
    )
}

fn agent_amount(i: u32) -> i64 {
    5_000 + i64::from(i % 7) * 1_000
}

/// As French Excel saves a CSV: Windows-1252.
fn windows_1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("a Windows-1252 character"))
        .collect()
}

/// Moves every payout a month back, as if month 1 had been paid last month (a review warns of
/// the same number and amount paid in the last 24 hours).
fn a_month_later(dir: &std::path::Path) {
    let db = rusqlite::Connection::open(dir.join("guichet.db")).unwrap();
    db.busy_timeout(Duration::from_secs(10)).unwrap();
    let back = |c: &str| format!("{c} = strftime('%Y-%m-%dT%H:%M:%fZ', {c}, '-30 days')");
    db.execute_batch(&format!(
        "UPDATE payouts SET {}, {}, {}, {};",
        back("created_at"),
        back("updated_at"),
        back("submitted_at"),
        back("final_at")
    ))
    .unwrap();
}

#[test]
fn a_payroll_of_120_paid_twice_from_one_list_flags_the_renamed_number() {
    let dir = tempfile::tempdir().unwrap();
    let mut sheet = String::from("Nom;Téléphone;Net à payer;Motif\r\n");
    for i in 1..=120 {
        let amount = agent_amount(i);
        sheet.push_str(&format!(
            "Agent Élève {i};{};{} {:03};Salaire novembre\r\n",
            agent_phone(i).0,
            amount / 1000,
            amount % 1000
        ));
    }
    let file = dir.path().join("paie novembre.csv");
    std::fs::write(&file, windows_1252(&sheet)).unwrap();

    let s = Session::app(dir.path());
    s.wait_text("#no-account", "bac à sable");
    s.click("#try-sandbox");
    s.wait_text("#account-count", "3 comptes configurés");
    s.click("#nav-payouts");

    // Month 1, from the spreadsheet.
    s.click("#batch-account option[value='Démo CinetPay']");
    s.type_into("#batch-path", &file.display().to_string());
    s.click("#batch-read");
    s.wait_text("#batch-summary", "120 paiements");
    s.click("#batch-send");
    s.click("#batch-confirm-confirm");
    let sent = s.wait_text("#batch-result", "Lot n°");
    let id: String = sent
        .split("Lot n°")
        .nth(1)
        .unwrap()
        .trim_start_matches([' ', '\u{a0}', '\u{202f}'])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    s.wait_for("month 1 to be paid", || {
        let open = s.script(&format!(
            "const r = document.querySelector(\"#batches-table tr[data-batch='{id}']\"); \
             return r ? r.dataset.open : null"
        ));
        (open == serde_json::json!("0")).then_some(())
    });
    a_month_later(dir.path());

    // Saved as a list from the batches list.
    s.click(&format!("#batches-table button[data-save-list='{id}']"));
    s.type_into("#list-name", "Agents terrain");
    s.click("#list-save");
    s.wait_text("#lists-notice", "120 personnes");
    s.wait_text("#lists-table tr[data-list='Agents terrain']", "120");

    // Month 2: the merchant's part, timed.
    let started = Instant::now();
    s.click("#lists-table button[data-pay-list='Agents terrain']");
    s.click("#list-account option[value='Démo CinetPay']");
    s.click("#list-amounts tbody tr:first-child .amount-input");
    // Down the amounts column at the keyboard to agent 17, typed over.
    for _ in 1..17 {
        s.press('\u{E004}');
    }
    for c in "25000".chars() {
        s.press(c);
    }
    s.press('\u{E007}');
    let (_, renamed) = agent_phone(42);
    s.type_into(
        &format!("#list-amounts tr[data-phone='{renamed}'] .name-input"),
        "KONAN Aya",
    );
    s.click("#list-review");
    s.wait_text("#list-changes", "0 ajouté, 0 retiré, 1 montant changé");
    s.wait_text("#list-summary", "120 paiements");
    let flagged = s.wait_text("#list-flagged", "ici : KONAN Aya");
    assert!(flagged.contains("payé à Agent Élève 42 en "), "{flagged}");
    let rows =
        s.script("return document.querySelectorAll('#list-flagged tr[data-flagged]').length");
    assert_eq!(rows, serde_json::json!(1), "exactly one row to check");
    let which =
        s.script("return document.querySelector('#list-flagged tr[data-flagged]').dataset.flagged");
    assert_eq!(which, serde_json::json!(renamed));
    s.screenshot("80-list-month2-review");
    s.click("#list-send");
    s.wait_text(
        "#list-dialog-message",
        "Rien ne part sans cette confirmation",
    );
    s.click("#list-dialog-confirm");
    s.wait_text("#lists-notice", "Lot n°");
    let merchant_time = started.elapsed();
    println!(
        "month 2 from the list, opened to confirmed: {} ms",
        merchant_time.as_millis()
    );
    assert!(merchant_time < Duration::from_secs(60), "{merchant_time:?}");
    s.screenshot("81-list-month2-sent");

    // The same in English.
    s.click("#nav-settings");
    s.click("#language option[value=en]");
    s.wait_text("main[data-screen=settings] h1", "Settings");
    s.click("#nav-payouts");
    s.wait_text("#lists-title", "Payee lists");
    // The screen may still be drawing its lists in English: a click on a button being replaced
    // opens nothing, so it is clicked again until the form is there.
    s.wait_for("the list's pay form", || {
        if s.try_text("#list-pay-title").is_none() {
            s.click("#lists-table button[data-pay-list='Agents terrain']");
            std::thread::sleep(std::time::Duration::from_millis(300));
        }
        s.try_text("#list-pay-title")
    });
    s.click("#list-account option[value='Démo CinetPay']");
    s.wait_text("#list-pay-title", "Pay the list “Agents terrain”");
    s.type_into(
        &format!(
            "#list-amounts tr[data-phone='{}'] .amount-input",
            agent_phone(3).1
        ),
        "0",
    );
    s.click("#list-review");
    s.wait_text(
        "#list-changes",
        "From list “Agents terrain”: 0 added, 1 removed",
    );
    s.screenshot("82-list-review-en");
}
