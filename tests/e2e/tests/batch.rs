//! The payout batch wizard in the real window: a French Excel file with one bad row, reviewed
//! row by row, confirmed, sent with progress, tracked to final statuses, listed with the balance
//! before and after, and refused when the same file comes again unless the merchant says so.
//! Run via tests/e2e/run.sh.

use guichet_e2e::Session;

#[test]
fn a_batch_with_one_bad_row_is_reviewed_confirmed_and_paid_with_its_balances() {
    let dir = tempfile::tempdir().unwrap();
    // As French Excel saves it: `;`, Windows-1252, spaced numbers; line 3 is not a multiple of 5.
    let file = dir.path().join("paie novembre.csv");
    let mut csv: Vec<u8> = Vec::new();
    csv.extend_from_slice(b"T\xe9l\xe9phone;Montant;Nom;R\xe9f\xe9rence\r\n");
    csv.extend_from_slice(b"07 07 11 22 33;5 000;Mariam Ouattara;F-1\r\n");
    csv.extend_from_slice(b"05 05 11 22 33;1 001;Kouadio Bernard;F-2\r\n");
    csv.extend_from_slice(b"01 01 11 22 33;2 500;S\xe9raphin Zadi;F-3\r\n");
    std::fs::write(&file, &csv).unwrap();
    let s = Session::app(dir.path());

    s.wait_text("#no-account", "bac à sable");
    s.click("#try-sandbox");
    s.wait_text("#account-count", "3 comptes configurés");
    s.click("#nav-payouts");
    s.wait_text("#batch-title", "tableur");
    s.click("#batch-account option[value='Démo CinetPay']");
    s.type_into("#batch-path", &file.display().to_string());
    s.click("#batch-read");

    // The review: two payouts, the bad row with its column and reason, the balance.
    s.wait_text("#batch-summary", "2 paiements");
    s.wait_text("#batch-summary", "7\u{202f}500\u{a0}FCFA");
    let bad = s.wait_text("#batch-rows [data-line='3']", "multiple");
    assert!(
        bad.contains("Écartée")
            && bad.contains("Colonne « montant » : 1\u{202f}001\u{a0}FCFA : les transferts CinetPay sont des multiples de 5 FCFA"),
        "{bad}"
    );
    let good = s.text("#batch-rows [data-line='2']");
    assert!(
        good.contains("Prête") && good.contains("Mariam Ouattara"),
        "{good}"
    );
    s.wait_text("#batch-skipped", "1 ligne écartée");
    s.wait_text("#batch-balance", "Solde disponible");
    s.wait_text(
        "#batch-contacts",
        "2 numéros ne sont pas encore contacts CinetPay",
    );
    s.wait_text("#batch-operators", "Orange Money");
    s.screenshot("60-batch-review");
    s.script("document.querySelector('#batch-rows').scrollIntoView({block: 'center'})");
    s.screenshot("61-batch-rows");
    // Nothing was sent by the review.
    assert!(!s.text("#payouts-table").contains("Zadi"));
    assert!(s.try_text("#batches-table").is_none());

    // Nothing leaves without the explicit confirmation.
    s.click("#batch-send");
    s.wait_text(
        "#batch-confirm-message",
        "Rien ne part sans cette confirmation",
    );
    s.screenshot("62-batch-confirm");
    s.click("#batch-confirm-confirm");
    s.wait_text("#batch-result", "Lot n°");
    s.wait_text("#batch-result-balance", "Solde avant");
    s.wait_for("the batch to be paid", || {
        s.try_text("#batch-result-counts li[data-status=succeeded]")
            .filter(|t| t.contains(": 2"))
    });
    let balance = s.text("#batch-result-balance");
    assert_eq!(
        balance.matches("FCFA").count(),
        2,
        "before and after: {balance}"
    );

    // The batch in the list, with its balances; from there, its payouts and nothing else.
    let listed = s.wait_text("#batches-table tr[data-batch]", "Payé");
    assert!(listed.contains("paie novembre.csv"), "{listed}");
    let before = s.text("#batches-table tr[data-batch] [data-balance=before]");
    let after = s.text("#batches-table tr[data-batch] [data-balance=after]");
    assert!(
        before.contains("FCFA") && after.contains("FCFA") && before != after,
        "{before} / {after}"
    );
    s.click("#batches-table button[data-show-batch]");
    s.wait_text("#payouts-batch-filter", "Paiements du lot");
    s.wait_for("only the batch's payouts, final", || {
        let text = s.try_text("#payouts-table")?;
        let paid = s.try_text("#payouts-table [role=row][data-status=succeeded]")?;
        (text.contains("Séraphin Zadi")
            && text.contains("Mariam Ouattara")
            && !text.contains("Kouadio")
            && !text.contains("Fatou Diallo")
            && !paid.is_empty())
        .then_some(())
    });
    s.screenshot("63-batch-paid");

    // The same file again is refused unless meant.
    s.click("#batch-read");
    s.wait_text(".blocker[data-code=batch_already_sent]", "déjà payé");
    s.wait_text("#batch-earlier", "déjà été payé : lot n°");
    // Paid once, the numbers are CinetPay contacts: none to add this time.
    assert!(s.try_text("#batch-contacts").is_none());
    assert!(s
        .script("return document.querySelector('#batch-send').disabled")
        .as_bool()
        .unwrap());
    s.screenshot("64-batch-again-refused");
    s.click("#batch-again");
    s.wait_for("the batch to be sendable again", || {
        let blocked = s
            .try_text(".blocker[data-code=batch_already_sent]")
            .is_some();
        let disabled = s.script("return document.querySelector('#batch-send')?.disabled");
        (!blocked && disabled == false).then_some(())
    });

    // A file without a header row: the wizard asks which column is which before any check.
    let bare = dir.path().join("sans en-tetes.csv");
    std::fs::write(&bare, "Awa;0707998877;3000\nBi;0505998877;4000\n").unwrap();
    s.type_into("#batch-path", &bare.display().to_string());
    s.click("#batch-read");
    s.wait_text("#batch-columns-needed", "choisissez les colonnes");
    assert!(s.try_text("#batch-preview").is_none());
    s.screenshot("65-batch-columns");
    s.click("#batch-column-phone option[value=B]");
    s.click("#batch-column-amount option[value=C]");
    s.click("#batch-column-name option[value=A]");
    s.wait_text("#batch-summary", "2 paiements pour 7\u{202f}000\u{a0}FCFA");
    let first = s.wait_text("#batch-rows [data-line='1']", "Awa");
    assert!(first.contains("Prête") && first.contains("+225"), "{first}");
}
