//! People and approvals in the real window: the merchant alone signs up as owner and adds a
//! preparer (People screen), sets a batch threshold in the account form and signs out; the
//! preparer signs in with the PIN and prepares a batch above it, which waits and sends nothing,
//! and cannot approve it; the owner signs in, approves it in « À approuver », it is paid, and the
//! Journal's audit tells it in sentences. Then in English. And the idle lock signs out by
//! itself. Run via tests/e2e/run.sh.

use guichet_core::people::Role;
use guichet_core::Guichet;
use guichet_e2e::Session;

const AWA_PIN: &str = "48213579";
const MOUSSA_PIN: &str = "73059146";

fn sign_in(s: &Session, name: &str, pin: &str) {
    s.wait_text("#sign-in-title", "Qui travaille ?");
    s.click(&format!("#sign-in-name option[value={name}]"));
    s.type_into("#sign-in-pin", pin);
    s.click("#sign-in-submit");
    s.wait_text("#acting-person", name);
}

fn add_person(s: &Session, name: &str, pin: &str) {
    s.type_into("#user-name", name);
    s.type_into("#user-pin", pin);
    s.type_into("#user-pin-again", pin);
    s.click("#user-add");
}

fn prepare_batch(s: &Session, file: &std::path::Path) {
    s.click("#nav-payouts");
    s.click("#batch-account option[value='Démo CinetPay']");
    s.type_into("#batch-path", &file.display().to_string());
    s.click("#batch-read");
    s.find("#batch-summary");
    s.click("#batch-send");
    s.click("#batch-confirm-confirm");
}

#[test]
fn an_owner_adds_a_preparer_whose_batch_waits_for_her_approval_then_is_paid() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("prime.csv");
    std::fs::write(
        &file,
        "Nom;Téléphone;Montant\nKonan Aya;05 05 77 88 99;5 000\nYao Kouassi;07 58 12 34 56;4 000\n",
    )
    .unwrap();
    let s = Session::app(dir.path());
    s.wait_text("#no-account", "bac à sable");
    s.click("#try-sandbox");
    s.wait_text("#account-count", "3 comptes configurés");
    // A merchant alone has no People nor « À approuver » in the menu.
    assert!(s.try_text("#nav-users").is_none() && s.try_text("#nav-approvals").is_none());

    // From Settings: she signs up as the owner, then adds a preparer.
    s.click("#nav-settings");
    s.click("#open-people");
    s.wait_text("main[data-screen=users] h1", "Personnes");
    s.wait_text("#user-add", "M'inscrire comme propriétaire");
    s.screenshot("90-people-alone");
    add_person(&s, "Awa", AWA_PIN);
    s.wait_text("#users-notice", "Awa est ajouté·e (propriétaire)");
    s.wait_text("#user-add", "Ajouter une personne");
    s.click("#user-role-preparer");
    // Two different PINs are caught before anything is sent.
    s.type_into("#user-name", "Moussa");
    s.type_into("#user-pin", MOUSSA_PIN);
    s.type_into("#user-pin-again", "73059147");
    s.click("#user-add");
    s.wait_text("#user-pin-mismatch", "ne sont pas les mêmes");
    add_person(&s, "Moussa", MOUSSA_PIN);
    s.wait_text("#users-notice", "Moussa est ajouté·e (préparateur)");
    let table = s.wait_text("#users-table", "Moussa");
    assert!(
        table.contains("préparateur") && table.contains("propriétaire"),
        "{table}"
    );
    // The PINs typed are gone from the form.
    assert_eq!(
        s.script("return document.querySelector('#user-pin').value"),
        ""
    );
    assert!(!s.text("main").contains(MOUSSA_PIN));
    s.find("#nav-approvals");
    s.screenshot("91-people-preparer-added");

    // The account form: batches above 5 000 FCFA wait for one approval. A wrong amount is
    // said under its field.
    s.click("#nav-accounts");
    s.click("#accounts-table button[data-edit='Démo CinetPay']");
    s.type_into("#policy-batch", "5 000,5");
    s.click("#account-save");
    s.find("#policy-batch-error");
    s.screenshot("92-policy-wrong-amount");
    s.type_into("#policy-batch", "5 000");
    s.click("#account-save");
    s.wait_for("the account form to close", || {
        s.try_text("#account-form").is_none().then_some(())
    });
    s.click("#accounts-table button[data-edit='Démo CinetPay']");
    s.wait_for("the threshold to be kept", || {
        (s.script("return document.querySelector('#policy-batch').value") == "5000").then_some(())
    });
    s.screenshot("93-policy-set");

    // Awa signs out; Moussa signs in and prepares a batch of 9 000 FCFA.
    s.click("#switch-person");
    sign_in(&s, "Moussa", MOUSSA_PIN);
    s.screenshot("94-preparer-signed-in");
    prepare_batch(&s, &file);
    s.wait_text("#batch-waiting", "en attente d'approbation");
    assert!(s.try_text("#batch-result").is_none(), "nothing was sent");
    s.screenshot("95-batch-awaiting-approval");

    // He cannot approve it.
    s.click("#nav-approvals");
    let row = s.wait_text("#approvals-table", "Moussa");
    assert!(
        row.contains("9\u{202f}000\u{a0}FCFA") && row.contains("Démo CinetPay"),
        "{row}"
    );
    s.click("#approvals-table button.approve");
    s.wait_text("#approvals-error", "rôle ne permet pas");
    s.screenshot("96-preparer-cannot-approve");
    // Nothing was paid: neither payee is in the payouts.
    s.click("#nav-payouts");
    s.find("#payouts-table");
    assert!(!s.text("#payouts-table").contains("Konan Aya"));

    // Awa signs in: the menu says one thing waits for her; she approves it and it is paid.
    s.click("#switch-person");
    sign_in(&s, "Awa", AWA_PIN);
    s.wait_text("#approvals-badge", "1");
    s.screenshot("97-owner-badge");
    s.click("#nav-approvals");
    s.wait_text("#approvals-table", "Lot n° 1");
    s.screenshot("98-to-approve");
    s.click("#approvals-table button.approve");
    s.wait_text("#approvals-notice", "approuvé : il est parti");
    s.wait_text("#approvals-empty", "Rien n'attend");
    s.screenshot("99-approved-sent");
    s.click("#nav-payouts");
    s.wait_for("Konan Aya to be paid", || s.paid("Konan Aya"));
    s.wait_for("Yao Kouassi to be paid", || s.paid("Yao Kouassi"));
    s.screenshot("100-batch-paid");

    // The Journal tells who did what, and the chain holds.
    s.click("#nav-log");
    s.click("#journal-tab-audit");
    let log = s.wait_text(
        "#audit-table",
        "Moussa a préparé le lot n° 1 : 2 paiements, 9\u{202f}000\u{a0}FCFA",
    );
    for said in [
        "Awa a approuvé le lot n° 1",
        "est parti : 2 paiements",
        "Awa a ajouté Moussa (préparateur)",
        "Awa a fixé la règle d'approbation du compte Démo CinetPay : lots au-dessus de 5\u{202f}000\u{a0}FCFA",
        "Moussa s'est identifié·e",
    ] {
        assert!(log.contains(said), "{said} in {log}");
    }
    s.click("#audit-person option[value=Moussa]");
    s.wait_for("only Moussa's entries", || {
        s.try_text("#audit-table")
            .filter(|t| !t.contains("Awa a approuvé"))
    });
    s.click("#audit-verify");
    s.wait_text("#audit-verdict", "Le journal est intact");
    let out = dir.path().join("audit.csv");
    s.click("#audit-typed summary");
    s.type_into("#audit-path", &out.display().to_string());
    s.click("#audit-export-run");
    s.wait_text("#audit-notice", "exportées");
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.contains("Moussa") && !csv.contains(MOUSSA_PIN) && !csv.contains(AWA_PIN));
    s.screenshot("101-audit");

    // In English: Awa prepares one herself; it waits, and her own approval is refused.
    s.click("#nav-settings");
    s.click("#language option[value=en]");
    s.wait_text("main[data-screen=settings] h1", "Settings");
    let bonus = dir.path().join("bonus.csv");
    std::fs::write(
        &bonus,
        "Name;Phone;Amount\nAdjoua Bamba;05 44 12 34 56;3 000\nIssa Coulibaly;07 68 12 34 56;3 500\n",
    )
    .unwrap();
    prepare_batch(&s, &bonus);
    s.wait_text("#batch-waiting", "awaiting approval");
    s.click("#nav-approvals");
    s.wait_text("#approvals-table", "Batch #2");
    s.click("#approvals-table button.approve");
    s.wait_text("#approvals-error", "Whoever prepared it cannot approve");
    s.screenshot("102-to-approve-en");
    s.click("#nav-log");
    s.click("#journal-tab-audit");
    s.wait_text(
        "#audit-table",
        "Awa prepared batch #2: 2 payments, 6\u{202f}500\u{a0}FCFA",
    );
    s.wait_text("#audit-table", "Awa approved batch #1");
    s.screenshot("103-audit-en");
}

#[test]
fn with_several_people_the_idle_lock_signs_out_by_itself() {
    let dir = tempfile::tempdir().unwrap();
    {
        let g = Guichet::open(dir.path()).unwrap();
        g.add_user("Awa", Role::Owner, AWA_PIN).unwrap();
        g.add_user("Moussa", Role::Preparer, MOUSSA_PIN).unwrap();
        // The setting is kept in seconds; Settings offers minutes. A few seconds here.
        g.set_setting("idle_lock_seconds", &6u32).unwrap();
    }
    let s = Session::app(dir.path());
    sign_in(&s, "Moussa", MOUSSA_PIN);
    s.wait_text("h1", "Tableau de bord");
    s.screenshot("104-before-idle");
    s.wait_text("#sign-in-title", "Qui travaille ?");
    assert!(s.try_text("#acting-person").is_none());
    s.screenshot("105-idle-locked");
    // The owner sets it in minutes in Settings.
    sign_in(&s, "Awa", AWA_PIN);
    s.click("#nav-settings");
    s.click("#idle-lock option[value='10']");
    s.wait_text("#settings-notice", "Réglage enregistré");
    let g = Guichet::open(dir.path()).unwrap();
    assert_eq!(g.setting("idle_lock_seconds", 0u32).unwrap(), 600);
}
