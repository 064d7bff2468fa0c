//! A payroll month in the real window: a number paid before under another name and numbers
//! never paid are flagged in the review; the payout that failed is paid again from the batches
//! list, the review naming the payout it replaces and why it failed, its number and amount
//! corrected in the table. Run via tests/e2e/run.sh.

use guichet_e2e::Session;

#[test]
fn a_changed_name_is_flagged_and_the_failures_are_paid_again() {
    let dir = tempfile::tempdir().unwrap();
    // The demo paid Awa Koné at 07 07 12 34 56; this month's sheet has another name there. The
    // demo simulator refuses 07 07 99 99 99.
    let file = dir.path().join("paie decembre.csv");
    std::fs::write(
        &file,
        "Nom;Téléphone;Montant\nKONAN Aya;07 07 12 34 56;5 000\n\
         Nouvelle Recrue;05 05 77 88 99;4 000\nFatou Diallo;07 07 99 99 99;2 000\n",
    )
    .unwrap();
    let s = Session::app(dir.path());
    s.wait_text("#no-account", "bac à sable");
    s.click("#try-sandbox");
    s.wait_text("#account-count", "3 comptes configurés");
    s.click("#nav-payouts");
    s.wait_for("the demo payout to Awa Koné to be paid", || {
        s.paid("Awa Koné")
    });

    s.click("#batch-account option[value='Démo CinetPay']");
    s.type_into("#batch-path", &file.display().to_string());
    s.click("#batch-read");
    s.wait_text("#batch-summary", "3 paiements");
    s.wait_text(
        "#batch-names-changed",
        "1 numéro déjà payé sous un autre nom",
    );
    s.wait_text("#batch-new-beneficiaries", "2 numéros jamais payés");
    let changed = s.wait_text("#batch-rows [data-line='2']", "ici : KONAN Aya");
    assert!(changed.contains("payé à Awa Koné en "), "{changed}");
    assert!(changed.contains("À vérifier"), "{changed}");
    let fresh = s.text("#batch-rows [data-line='3']");
    assert!(
        fresh.contains("numéro jamais payé depuis ce compte"),
        "{fresh}"
    );
    s.screenshot("70-payroll-names-flagged");

    s.click("#batch-send");
    s.click("#batch-confirm-confirm");
    s.wait_text("#batch-result", "Lot n°");
    s.wait_for("the batch to finish", || {
        s.try_text("#batch-result-counts li[data-status=rejected]")
    });

    // From the batches list: the one that failed, paid again after its own review.
    s.click("#batches-table button[data-retry-batch]");
    let row = s.wait_text("#retry-rows", "remplace le paiement n°");
    assert!(
        row.contains("Fatou Diallo") && row.contains("Rejeté"),
        "{row}"
    );
    assert!(
        !row.contains("KONAN") && !row.contains("Nouvelle Recrue"),
        "{row}"
    );
    s.wait_text("#retry-summary", "1 paiement pour 2\u{202f}000\u{a0}FCFA");
    // The number was mistyped in the sheet: corrected in the table, with the amount.
    s.type_into("#retry-rows input[data-retry-phone]", "07 07 99 99 98");
    s.click("#retry-check");
    s.wait_text(
        "#retry-rows [data-retry-was]",
        "au lieu du +225 07 07 99 99 99",
    );
    s.type_into("#retry-rows input[data-retry-amount]", "2 500");
    s.click("#retry-check");
    s.wait_text("#retry-summary", "1 paiement pour 2\u{202f}500\u{a0}FCFA");
    s.screenshot("71-payroll-retry-review");
    s.click("#retry-send");
    s.wait_text("#retry-dialog-message", "2\u{202f}500\u{a0}FCFA");
    s.wait_text(
        "#retry-dialog-message",
        "Rien ne part sans cette confirmation",
    );
    s.click("#retry-dialog-confirm");
    s.wait_text("#retry-notice", "Lot n°");
    s.screenshot("72-payroll-retry-sent");
    s.wait_for("Fatou Diallo to be paid at the corrected number", || {
        s.paid("Fatou Diallo")
    });

    // The same in English.
    s.click("#nav-settings");
    s.click("#language option[value=en]");
    s.wait_text("main[data-screen=settings] h1", "Settings");
    s.click("#nav-payouts");
    // The failure was paid again: its batch lists it as rejected, with nothing left to re-pay.
    s.wait_text("#batches-table", "Balance before");
    s.wait_text("#batches-table", "Rejected");
    assert!(s
        .try_text("#batches-table button[data-retry-batch]")
        .is_none());
    let again = dir.path().join("bonus.csv");
    std::fs::write(
        &again,
        "Name;Phone;Amount\nFatou Diallo;07 07 99 99 99;1 500\n",
    )
    .unwrap();
    s.click("#batch-account option[value='Démo CinetPay']");
    s.type_into("#batch-path", &again.display().to_string());
    s.click("#batch-read");
    s.wait_text(
        "#batch-new-beneficiaries",
        "1 number never paid from this account",
    );
    s.wait_text(
        "#batch-rows [data-line='2']",
        "number never paid from this account",
    );
    s.screenshot("73-payroll-new-number-en");
}
