//! The merchant's walk through the app, in the real window: first run on the sandbox (demo
//! contacts, payouts and payment links created), the dashboard's figures, payouts reaching their
//! final statuses live, the event log, an export to CSV, then English — with a screenshot of each
//! screen at 1280×800 and at 1920×1080 in tests/artifacts/.

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
fn first_run_on_the_sandbox_then_every_screen_at_both_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let s = session(dir.path());

    // First run: the sandbox, with a demo history to look at.
    s.wait_text("#no-account", "bac à sable");
    s.screenshot("40-first-run");
    s.click("#try-sandbox");
    s.wait_text("#sandbox-banner", "Bac à sable");
    s.wait_text("#dashboard-accounts", "Démo My-CoolPay");
    s.wait_text("#dashboard-accounts", "encaissement(s) en attente");

    // The poller sends the demo payouts; statuses reach final live in the list (the refused
    // number ends rejected), without reloading.
    s.click("#nav-payouts");
    s.wait_text("#payouts-table", "Fatou Diallo");
    s.wait_for("the demo payouts to be final", || {
        let rejected = s.try_text("#payouts-table [role=row][data-status=rejected]")?;
        let paid = s.try_text("#payouts-table [role=row][data-status=succeeded]")?;
        (rejected.contains("Fatou Diallo") && !paid.is_empty()).then_some(())
    });
    s.screenshot("41-payouts-1280");
    // The list works from the keyboard: into the table, down a row, Enter opens it.
    s.script("document.querySelector('#payouts-table').focus()");
    s.script(
        "const t = document.querySelector('#payouts-table');
         t.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', bubbles: true}));
         t.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));",
    );
    s.wait_text("#payout-detail", "GCH");
    // Filtering by status pages from the store again.
    s.click("#payouts-filter-status option[value=rejected]");
    s.wait_for("only the rejected payout", || {
        let text = s.try_text("#payouts-table")?;
        (text.contains("Fatou Diallo") && !text.contains("Awa Koné")).then_some(())
    });
    s.click("#payouts-filter-status option[value='']");

    // Today's totals on the dashboard, computed from what was paid.
    s.click("#nav-dashboard");
    s.wait_text("#today", "FCFA");
    s.click("#check-balances");
    s.wait_text("#dashboard-accounts", "Portefeuille");
    s.screenshot("42-dashboard-1280");

    // The event log, a page at a time.
    s.click("#nav-log");
    s.wait_text("#log-table", "account");
    s.screenshot("43-log-1280");

    // An export of the payouts to CSV, at a typed path (WebDriver cannot drive GTK dialogs).
    let out = dir.path().join("paiements.csv");
    s.click("#nav-exports");
    s.click("#export-typed summary");
    s.type_into("#export-path", &out.display().to_string());
    s.click("#export-run");
    s.wait_text("#export-result", "ligne(s)");
    let csv = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(csv.contains("Fatou Diallo"), "export: {csv}");
    s.screenshot("44-export-1280");

    // Settings: the data folder is shown; notifications can be turned off and stay off.
    s.click("#nav-settings");
    s.wait_text("#data-dir", &dir.path().display().to_string());
    s.click("#notifications");
    s.wait_text("#settings-notice", "enregistré");
    s.screenshot("45-settings-1280");

    // The same screens at 1920×1080.
    s.resize(1920, 1080);
    for (nav, name) in [
        ("dashboard", "46-dashboard-1920"),
        ("payouts", "47-payouts-1920"),
        ("log", "48-log-1920"),
        ("exports", "49-export-1920"),
        ("settings", "50-settings-1920"),
    ] {
        s.click(&format!("#nav-{nav}"));
        s.find("h1");
        std::thread::sleep(std::time::Duration::from_millis(400));
        s.screenshot(name);
    }

    // English, everywhere, and kept for the next start.
    s.click("#language option[value=en]");
    s.wait_text("h1", "Settings");
    s.wait_text("#sandbox-banner", "Sandbox");
    s.click("#nav-payouts");
    s.wait_text("#payouts-table", "Rejected");
    s.screenshot("51-payouts-en-1920");
    s.quit();

    let s = session(dir.path());
    s.wait_text("h1", "Dashboard");
    let settings = s.script("return document.documentElement.lang");
    assert_eq!(settings, "en");
    s.click("#nav-settings");
    s.wait_for("notifications to stay off", || {
        let off = s.script("return document.querySelector('#notifications')?.checked === false");
        (off == true).then_some(())
    });
    s.quit();
}
