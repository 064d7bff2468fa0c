//! The real app in a real window. Needs what `tests/e2e/run.sh` sets up: Xvfb, a D-Bus session
//! with gnome-keyring, tauri-driver on GUICHET_E2E_DRIVER, the app binary in GUICHET_E2E_APP.

use guichet_e2e::Session;
use std::path::PathBuf;

fn session(data_dir: &std::path::Path) -> Session {
    let app = std::env::var("GUICHET_E2E_APP")
        .expect("run through tests/e2e/run.sh (GUICHET_E2E_APP unset)");
    let driver =
        std::env::var("GUICHET_E2E_DRIVER").unwrap_or_else(|_| "http://127.0.0.1:4444".into());
    let artifacts = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../artifacts");
    Session::start(
        &driver,
        std::path::Path::new(&app),
        &["--data-dir".into(), data_dir.display().to_string()],
        &artifacts,
    )
}

#[test]
fn a_merchant_adds_an_account_and_switches_language() {
    let dir = tempfile::tempdir().unwrap();
    let s = session(dir.path());

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
    s.wait_text("#account-error", "site_id");
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
