//! The real app in a real window. Needs what `tests/e2e/run.sh` sets up: Xvfb, a D-Bus session
//! with gnome-keyring, tauri-driver on GUICHET_E2E_DRIVER, the app binary in GUICHET_E2E_APP.

use guichet_e2e::Session;

#[test]
fn a_merchant_adds_an_account_and_switches_language() {
    let dir = tempfile::tempdir().unwrap();
    let s = Session::app(dir.path());

    // French by default, on the dashboard, with no account yet.
    s.wait_text("h1", "Tableau de bord");
    s.wait_text("#no-account", "Aucun compte");
    s.screenshot("01-dashboard-fr");

    // Add a CinetPay account; the secret goes to the keyring and is never shown again.
    s.click("#nav-accounts");
    s.wait_text("h1", "Comptes");
    s.click("#account-add");
    s.type_into("#account-label", "Boutique Treichville");
    s.type_into("#account-id", "445160");
    s.type_into("#secret-api_key", "canary-e2e-apikey-19af");
    s.type_into("#secret-transfer_password", "canary-e2e-pw-77c2");
    s.screenshot("02-account-form");
    s.click("#account-save");
    let row = s.wait_text("#accounts-table", "Boutique Treichville");
    assert!(
        row.contains("CinetPay") && row.contains("enregistré"),
        "{row}"
    );
    assert!(!s
        .script("return document.body.innerHTML")
        .to_string()
        .contains("canary-e2e"));
    s.screenshot("03-accounts");

    // A bad account: the error names the field and nothing is added.
    s.click("#account-add");
    s.type_into("#account-label", "Sans site");
    s.click("#account-save");
    s.wait_text("#account-error", "Site ID");
    s.screenshot("04-account-error");

    // English, and back to French; the choice survives navigation.
    s.click("#nav-settings");
    s.click("#language option[value=en]");
    s.wait_text("h1", "Settings");
    s.click("#nav-accounts");
    s.wait_text("h1", "Accounts");
    s.wait_text("#accounts-table", "stored");
    s.screenshot("05-accounts-en");
    s.click("#nav-settings");
    s.click("#language option[value=fr]");
    s.wait_text("h1", "Réglages");
    s.quit();

    // The account is in the real database, its secret is not.
    let db = std::fs::read(dir.path().join("guichet.db")).unwrap();
    let wal = std::fs::read(dir.path().join("guichet.db-wal")).unwrap_or_default();
    for bytes in [&db, &wal] {
        assert!(!bytes.windows(10).any(|w| w == b"canary-e2e"));
    }
}

#[test]
fn first_run_in_sandbox_mode_pays_someone_and_tracks_it_to_paid() {
    let dir = tempfile::tempdir().unwrap();
    let s = Session::app(dir.path());

    s.wait_text("#no-account", "bac à sable");
    s.click("#try-sandbox");
    s.wait_text("#account-count", "3 comptes configurés");
    s.wait_text(".accounts", "démo");
    s.wait_text("#sandbox-banner", "Bac à sable");
    s.screenshot("10-dashboard-sandbox");

    s.click("#nav-payouts");
    s.wait_text("h1", "Paiements sortants");
    // A bad amount is refused as it is typed, in French, before any confirmation; a short
    // number too (they were accepted by the confirmation).
    s.type_into("#payout-phone", "07 08 12 34");
    s.wait_text("#payout-phone-help", "a 8 chiffres");
    s.type_into("#payout-phone", "07 07 12 34 56");
    s.wait_text("#payout-phone-help", "+225 07 07 12 34 56");
    s.type_into("#payout-amount", "150");
    s.wait_text("#payout-amount-help", "vont de 200 FCFA");
    s.click("#payout-send");
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(
        s.try_text("#payout-review").is_none(),
        "a refused amount reached the confirmation"
    );
    s.screenshot("11-payout-refused");

    s.type_into("#payout-amount", "5000");
    s.type_into("#payout-name", "Awa Koné");
    s.wait_text("#payout-amount-help", "5\u{202f}000");
    s.click("#payout-send");
    // The confirmation names who, on which operator, and the balance after; it has the focus.
    let review = s.wait_text("#payout-review-text", "5\u{202f}000");
    assert!(
        review.contains("Awa Koné") && review.contains("Orange Money"),
        "{review}"
    );
    s.wait_text("#payout-review-balance", "FCFA");
    assert_eq!(
        s.script("return document.activeElement && document.activeElement.id"),
        serde_json::json!("payout-review")
    );
    s.screenshot("12-payout-review");
    // Escape closes the confirmation without sending; the form is there again.
    s.press('\u{E00C}');
    s.wait_for("the confirmation to close on Escape", || {
        s.try_text("#payout-review").is_none().then_some(())
    });
    s.click("#payout-send");
    s.wait_text("#payout-review-text", "Awa Koné");
    s.click("#payout-confirm");
    let notice = s.wait_text("#payout-notice", "Awa Koné");
    assert!(!notice.contains("GCH"), "{notice}");
    let row = s.wait_text("#payouts-table", "Awa Koné");
    assert!(row.contains("000") && row.contains("FCFA"), "{row}");
    // The poller tracks it to the end and the row updates live.
    s.wait_for("the payout to be paid", || {
        s.try_text("#payouts-table [role=row][data-status=succeeded]")
    });
    s.screenshot("13-payout-paid");

    // The desktop notification was shown (dunst lists it in its history once closed).
    s.wait_for("a desktop notification", || {
        let displayed = std::process::Command::new("dunstctl")
            .args(["count", "displayed"])
            .output()
            .ok()?;
        (String::from_utf8_lossy(&displayed.stdout).trim() != "0").then_some(())
    });
    let _ = std::process::Command::new("dunstctl")
        .arg("close-all")
        .status();
    let history = std::process::Command::new("dunstctl")
        .arg("history")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
        .unwrap_or_default();
    assert!(
        history.contains("paiement"),
        "no desktop notification: {history}"
    );
    s.quit();
}

#[test]
fn a_french_excel_contact_list_is_previewed_then_pushed_to_the_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let s = Session::app(dir.path());
    s.wait_text("#no-account", "bac à sable");
    s.click("#try-sandbox");
    s.wait_text("#account-count", "3 comptes configurés");

    // As Excel saves "CSV (séparateur : point-virgule)" on a French Windows: Windows-1252.
    let file = dir.path().join("bénéficiaires.csv");
    std::fs::write(
        &file,
        b"Nom;Pr\xe9nom;T\xe9l\xe9phone\r\nKon\xe9;A\xefcha;07 01 23 45 67\r\nYao;Bi;05.05.12.34.56\r\nTraor\xe9;Zi\xe9;0707\r\n",
    )
    .unwrap();
    s.click("#nav-contacts");
    s.wait_text("h1", "Contacts");
    s.type_into("#contacts-path", &file.display().to_string());
    s.click("#contacts-read");
    let totals = s.wait_text("#contacts-totals", "2 nouveaux");
    assert!(totals.contains("1 invalide"), "{totals}");
    let table = s.wait_text("#contacts-preview-table", "Aïcha");
    // The reason in French, naming the column.
    assert!(
        table.contains("Téléphone (C) : « 0707 » a 4 chiffres"),
        "{table}"
    );
    s.screenshot("20-contacts-preview");

    s.script("document.querySelector('#contacts-push').scrollIntoView({block: 'center'})");
    s.click("#contacts-push");
    s.wait_text("#contacts-review-text", "2 nouveaux contacts");
    s.script("document.querySelector('#contacts-confirm').scrollIntoView({block: 'center'})");
    s.click("#contacts-confirm");
    s.wait_text("#contacts-result", "2 ajoutés");
    let list = s.wait_text("#contacts-table", "Koné");
    assert!(list.contains("+225 05 05 12 34 56"), "{list}");
    s.screenshot("21-contacts-pushed");

    s.type_into("#contacts-search", "yao");
    s.wait_for("the search to narrow the list", || {
        let t = s.try_text("#contacts-table")?;
        (!t.contains("Koné") && t.contains("Yao")).then_some(())
    });

    // The same file again adds nothing.
    s.click("#contacts-read");
    s.wait_text("#contacts-totals", "2 déjà contacts");
    s.quit();
}

#[test]
fn a_second_start_on_the_same_data_folder_shows_the_first_window_and_leaves() {
    let dir = tempfile::tempdir().unwrap();
    let s = Session::app(dir.path());
    s.wait_text("h1", "Tableau de bord");
    // The merchant starts Guichet again (a second click on its icon) on the same folder: the
    // first window is shown, and the second app leaves at once, successfully.
    let app = std::env::var("GUICHET_E2E_APP").unwrap();
    let mut second = std::process::Command::new(&app)
        .arg("--data-dir")
        .arg(dir.path())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        if let Some(status) = second.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = second.kill();
            panic!("a second app kept running on the same data folder");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(status.success(), "{status}");
    s.wait_text("h1", "Tableau de bord");
}
