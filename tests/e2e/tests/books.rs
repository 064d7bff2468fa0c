//! The Exports screen in the real window: an export written to a typed path (WebDriver cannot
//! drive the native save dialog) and a CinetPay statement reconciled. Run via tests/e2e/run.sh.

use guichet_e2e::Session;

#[test]
fn the_accountant_gets_a_csv_and_a_reconciliation_report() {
    let dir = tempfile::tempdir().unwrap();
    let s = Session::app(dir.path());
    s.click("#try-sandbox");
    s.wait_text("#account-count", "3 comptes configurés");

    s.click("#nav-exports");
    s.wait_text("h1", "Exports et rapprochement");
    s.click("#export-dataset option[value=events]");
    s.click("#export-typed summary");
    let out = dir.path().join("journal.csv");
    s.type_into("#export-path", &out.display().to_string());
    s.click("#export-run");
    let done = s.wait_text("#export-result", "lignes écrites");
    assert!(done.contains("journal.csv"), "{done}");
    s.screenshot("30-export-done");

    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "N°;Date;Événement;Compte;Fournisseur;Objet;Détail"
    );
    let first = lines
        .next()
        .expect("the demo accounts are in the event log");
    // Local time in French form: dd/mm/yyyy hh:mm.
    let date = first.split(';').nth(1).unwrap();
    assert!(
        date.len() == 16 && &date[2..3] == "/" && &date[5..6] == "/",
        "{date}"
    );

    // A statement listing a transfer Guichet never made.
    let statement = dir.path().join("cinetpay.csv");
    std::fs::write(
        &statement,
        "\"Date Création (GMT)\";\"ID CinetPay\";\"ID Marchand\";\"Montant Envoyé\";\"Statut\"\n\
         \"2026-11-23 08:00:00\";\"EA-E2E\";\"INCONNU1\";\"1500\";\"VAL\"\n",
    )
    .unwrap();
    s.click("#recon-typed summary");
    s.type_into("#recon-path", &statement.display().to_string());
    s.click("#recon-run");
    s.wait_text("#recon-summary", "1 absent de Guichet");
    let table = s.wait_text("#recon-table", "INCONNU1");
    assert!(table.contains("Absent de Guichet"), "{table}");
    s.screenshot("31-reconciliation");
    s.quit();
}
