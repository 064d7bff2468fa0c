//! The merchant's walk through the app, in the real window: first run on the sandbox, a contact
//! list imported, a payout batch with one bad row reviewed, confirmed and tracked to final
//! statuses, the payouts exported to CSV, then English — with a screenshot of every screen at
//! 1280×800 and at 1920×1080 in tests/artifacts/ (`walk-<width>-<screen>.png`).
//! Run via tests/e2e/run.sh.

use guichet_e2e::Session;
use std::time::Duration;

/// Every screen of the app, as its navigation button names it, with its title in French and
/// an element that is there once the screen has read what it shows.
const SCREENS: [(&str, &str, &str); 9] = [
    ("dashboard", "Tableau de bord", "#dashboard-accounts"),
    ("accounts", "Comptes", "#accounts-table"),
    ("contacts", "Contacts", "#contacts-table"),
    ("payouts", "Paiements sortants", "#batch-title"),
    ("collections", "Encaissements", "#collections-table"),
    ("balances", "Soldes", "#balances-check"),
    ("exports", "Exports et rapprochement", "#export-run"),
    (
        "log",
        "Journal des événements",
        "#log-table [role=row][aria-selected]",
    ),
    ("settings", "Réglages", "#data-dir"),
];

/// Opens a screen from the navigation and waits for its title and its content.
fn open(s: &Session, screen: &str) {
    let (_, title, ready) = SCREENS.iter().find(|(n, _, _)| *n == screen).unwrap();
    s.click(&format!("#nav-{screen}"));
    s.wait_text(&format!("main[data-screen={screen}] h1"), title);
    s.find(ready);
    if screen == "balances" {
        // Each account's balances, read from the sandbox now.
        s.click("#balances-check");
        s.wait_text("#balances-table", "Démo My-CoolPay");
    }
}

/// A screenshot once the screen has settled (fonts, live lists), from the top.
fn shot(s: &Session, name: &str) {
    s.script("document.querySelector('main').scrollTo(0, 0); window.scrollTo(0, 0)");
    std::thread::sleep(Duration::from_millis(300));
    s.screenshot(name);
}

/// A French screen's screenshot, then the merchant's eye on it: no English text of the app's
/// catalogue, no phone, amount or date cut.
fn shot_fr(s: &Session, name: &str) {
    shot(s, name);
    s.assert_french(name);
}

#[test]
fn first_run_on_the_sandbox_contacts_a_batch_an_export_then_english_at_both_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let s = Session::app(dir.path());
    s.resize(1280, 800);

    // First run: nothing yet, the sandbox offered.
    s.wait_text("#no-account", "bac à sable");
    shot_fr(&s, "walk-1280-01-first-run");
    s.click("#try-sandbox");
    s.wait_text("#sandbox-banner", "Bac à sable");
    s.wait_text("#account-count", "3 comptes configurés");
    s.wait_text("#dashboard-accounts", "Démo My-CoolPay");
    shot_fr(&s, "walk-1280-02-dashboard");

    open(&s, "accounts");
    s.wait_text("#accounts-table", "Démo CinetPay");
    shot_fr(&s, "walk-1280-03-accounts");

    // A contact list as French Excel saves it, with one number too short.
    let contacts = dir.path().join("équipe.csv");
    std::fs::write(
        &contacts,
        b"Nom;Pr\xe9nom;T\xe9l\xe9phone\r\nOuattara;Mariam;07 07 11 22 33\r\nTraor\xe9;Zi\xe9;0707\r\n",
    )
    .unwrap();
    open(&s, "contacts");
    s.type_into("#contacts-path", &contacts.display().to_string());
    s.click("#contacts-read");
    let totals = s.wait_text("#contacts-totals", "1 nouveau");
    assert!(totals.contains("1 invalide"), "{totals}");
    s.wait_text("#contacts-preview-table", "Mariam");
    shot_fr(&s, "walk-1280-04-contacts-preview");
    s.click("#contacts-push");
    s.click("#contacts-confirm");
    s.wait_text("#contacts-result", "1 ajouté");
    s.wait_text("#contacts-table", "Ouattara");
    shot_fr(&s, "walk-1280-05-contacts");

    // A payout batch: Mariam is a contact now, Séraphin will be added first; line 3 is not a
    // multiple of 5 and is left out.
    let batch = dir.path().join("paie.csv");
    std::fs::write(
        &batch,
        b"T\xe9l\xe9phone;Montant;Nom\r\n07 07 11 22 33;5 000;Mariam Ouattara\r\n05 05 11 22 33;1 001;Kouadio Bernard\r\n01 01 11 22 33;2 500;S\xe9raphin Zadi\r\n",
    )
    .unwrap();
    open(&s, "payouts");
    s.click("#batch-account option[value='Démo CinetPay']");
    s.type_into("#batch-path", &batch.display().to_string());
    s.click("#batch-read");
    s.wait_text("#batch-summary", "2 paiements");
    s.wait_text("#batch-contacts", "1 numéro");
    let bad = s.wait_text("#batch-rows [data-line='3']", "multiples de 5");
    assert!(bad.contains("Écartée"), "{bad}");
    let known = s.text("#batch-rows [data-line='2']");
    let new = s.text("#batch-rows [data-line='4']");
    assert!(
        known.contains("Prête") && !known.contains("nouveau contact"),
        "{known}"
    );
    assert!(new.contains("Prête (nouveau contact)"), "{new}");
    s.script("document.querySelector('#batch-preview').scrollIntoView({block: 'start'})");
    std::thread::sleep(Duration::from_millis(300));
    s.screenshot("walk-1280-06-batch-review");
    s.assert_french("walk-1280-06-batch-review");
    // The review came into view with the focus.
    assert_eq!(
        s.script("return document.activeElement && document.activeElement.id"),
        serde_json::json!("batch-preview")
    );
    s.click("#batch-send");
    s.wait_text(
        "#batch-confirm-message",
        "Rien ne part sans cette confirmation",
    );
    s.click("#batch-confirm-confirm");
    s.wait_text("#batch-result", "Lot n°");
    s.wait_for("the batch to be paid", || {
        s.try_text("#batch-result-counts li[data-status=succeeded]")
            .filter(|t| t.contains(": 2"))
    });
    // Every payout final, the demo's refused one included, live in the list.
    s.wait_for("every payout to be final", || {
        let text = s.try_text("#payouts-table")?;
        let rejected = s.try_text("#payouts-table [role=row][data-status=rejected]")?;
        let open = ["queued", "submitting", "pending"].iter().any(|st| {
            s.try_text(&format!("#payouts-table [data-status={st}]"))
                .is_some()
        });
        (text.contains("Séraphin Zadi") && rejected.contains("Fatou Diallo") && !open).then_some(())
    });
    let listed = s.wait_text("#batches-table tr[data-batch]", "Payé : 2");
    assert_eq!(
        listed.matches("FCFA").count(),
        3,
        "total, balance before and after: {listed}"
    );
    assert!(listed.contains("paie.csv"), "{listed}");
    s.script("document.querySelector('#batches').scrollIntoView({block: 'start'})");
    std::thread::sleep(Duration::from_millis(300));
    s.screenshot("walk-1280-07-payouts-batch-paid");
    s.assert_french("walk-1280-07-payouts-batch-paid");
    shot_fr(&s, "walk-1280-08-payouts");

    open(&s, "collections");
    shot_fr(&s, "walk-1280-09-collections");
    open(&s, "balances");
    shot_fr(&s, "walk-1280-10-balances");

    // The payouts exported to CSV, at a typed path (WebDriver cannot drive GTK dialogs).
    let out = dir.path().join("paiements.csv");
    open(&s, "exports");
    s.click("#export-dataset option[value=payouts]");
    s.click("#export-typed summary");
    s.type_into("#export-path", &out.display().to_string());
    s.click("#export-run");
    let done = s.wait_text("#export-result", "lignes écrites");
    shot_fr(&s, "walk-1280-11-exports");
    let bytes = std::fs::read(&out).expect("the export file exists");
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text.lines().collect();
    // The demo's six payouts and the batch's two; the left-out row was never a payout.
    assert_eq!(lines.len(), 1 + 8, "{text}");
    assert!(done.contains('8'), "{done}");
    for name in ["Mariam Ouattara", "Séraphin Zadi", "Fatou Diallo"] {
        assert!(
            text.contains(name),
            "{name} missing from the export: {text}"
        );
    }
    assert!(!text.contains("Kouadio"), "{text}");

    open(&s, "log");
    s.wait_text("#log-table", "Lot n°");
    shot_fr(&s, "walk-1280-12-log");
    open(&s, "settings");
    s.wait_text("#data-dir", &dir.path().display().to_string());
    shot_fr(&s, "walk-1280-13-settings");

    // Every screen again at 1920×1080.
    s.resize(1920, 1080);
    for (n, (screen, _, _)) in SCREENS.iter().enumerate() {
        open(&s, screen);
        if *screen == "dashboard" {
            // Balances were read: the small charts say their scale, in FCFA, with the days.
            let spark = s.wait_text("#dashboard-accounts .spark", "FCFA");
            assert!(spark.contains("/20"), "{spark}");
            // …inside their account's card, not cut by its edge.
            let inside = s.script(
                "return Array.from(document.querySelectorAll('#dashboard-accounts .spark svg, #dashboard-accounts .spark span'))\
                 .every(e => { const c = e.closest('li').getBoundingClientRect(), r = e.getBoundingClientRect();\
                 return r.left >= c.left && r.right <= c.right; })",
            );
            assert_eq!(
                inside,
                serde_json::json!(true),
                "a sparkline's scale leaves its card"
            );
        }
        shot_fr(&s, &format!("walk-1920-{:02}-{screen}", n + 1));
    }

    // English, at once and everywhere.
    s.click("#language option[value=en]");
    s.wait_text("main[data-screen=settings] h1", "Settings");
    s.wait_text("#sandbox-banner", "Sandbox");
    s.click("#nav-payouts");
    s.wait_text("main[data-screen=payouts] h1", "Payouts");
    s.wait_text("#batch-title", "Pay a list (spreadsheet)");
    s.wait_text("#batches-table", "Paid: 2");
    s.wait_text("#payouts-table", "Rejected");
    shot(&s, "walk-1920-10-payouts-en");
    s.resize(1280, 800);
    shot(&s, "walk-1280-14-payouts-en");
}

/// A real account added beside the demo ones: the banner stops promising that no real money
/// moves, every list and picker says which money each account holds, a demo account stays the
/// one chosen, and sending from the real account asks first, in words.
#[test]
fn a_real_account_beside_the_demo_ones_is_never_mixed_up_at_both_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let s = Session::app(dir.path());
    s.resize(1280, 800);
    s.wait_text("#no-account", "bac à sable");
    s.click("#try-sandbox");
    s.wait_text("#account-count", "3 comptes configurés");
    let banner = s.wait_text("#sandbox-banner", "aucun argent réel ne circule");
    assert!(banner.contains("Bac à sable"), "{banner}");
    assert_eq!(s.text("#money-badge"), "Bac à sable");

    // A real CinetPay account; its host is this machine, where nothing answers, so no money
    // and no request leaves during the test.
    open(&s, "accounts");
    s.click("#account-add");
    s.click("#account-provider option[value=cinetpay]");
    s.type_into("#account-label", "Boutique Plateau");
    s.type_into("#account-id", "445160");
    s.type_into("#account-notify", "https://boutique.example/notify");
    s.type_into("#account-base-url", "http://127.0.0.1:9");
    s.type_into("#secret-api_key", "e2e-real-key");
    s.type_into("#secret-transfer_password", "e2e-real-pw");
    s.click("#account-save");
    let row = s.wait_text(
        "#accounts-table tr[data-label='Boutique Plateau']",
        "argent réel",
    );
    assert!(!row.contains("démo"), "{row}");
    let demo = s.text("#accounts-table tr[data-label='Démo CinetPay']");
    assert!(demo.contains("démo"), "{demo}");
    // The banner no longer says that no real money moves.
    let banner = s.wait_text("#sandbox-banner", "comptes réels");
    assert!(!banner.contains("aucun argent réel"), "{banner}");
    // The menu's badge follows: no more "Bac à sable" while a real account is there.
    s.wait_text("#money-badge", "Démo et réel");
    shot_fr(&s, "mixed-1280-01-accounts");

    open(&s, "dashboard");
    shot_fr(&s, "mixed-1280-02-dashboard");

    // The payout form: a demo account stays the one chosen; each choice says its money.
    open(&s, "payouts");
    let chosen = s.script("return document.querySelector('#payout-account').value");
    assert_eq!(chosen, serde_json::json!("Démo CinetPay"));
    let options = s.script(
        "return Array.from(document.querySelectorAll('#payout-account option')).map(o => o.textContent).join('\\n')",
    );
    let options = options.as_str().unwrap_or_default();
    assert!(
        options.contains("Boutique Plateau (XOF) — argent réel"),
        "{options}"
    );
    assert!(options.contains("Démo CinetPay (XOF) — démo"), "{options}");
    let batch = s.script("return document.querySelector('#batch-account').value");
    assert_eq!(batch, serde_json::json!("Démo CinetPay"));

    // Sending from the real account asks first, in words, which money is moving.
    s.click("#payout-account option[value='Boutique Plateau']");
    s.type_into("#payout-phone", "07 07 12 34 56");
    s.type_into("#payout-amount", "5000");
    s.type_into("#payout-name", "Awa Koné");
    s.wait_text("#payout-phone-help", "+225 07 07 12 34 56");
    s.click("#payout-send");
    s.wait_text("#payout-real-warning", "Argent réel");
    let confirm = s.script("return document.querySelector('#payout-confirm').disabled");
    assert_eq!(
        confirm,
        serde_json::json!(true),
        "sending is possible before the question is answered"
    );
    shot_fr(&s, "mixed-1280-03-payout-real-money");
    s.resize(1920, 1080);
    shot_fr(&s, "mixed-1920-03-payout-real-money");
    s.click("#payout-review button.secondary");
    open(&s, "accounts");
    shot_fr(&s, "mixed-1920-01-accounts");
}
