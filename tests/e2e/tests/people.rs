//! Several people in one data folder: the app opens on "Qui travaille ?" and shows nothing until
//! one of them signs in with their PIN; a wrong PIN is refused in French. The people are added
//! through core, as `guichet users add` does.

use guichet_core::people::Role;
use guichet_core::Guichet;
use guichet_e2e::Session;

#[test]
fn with_several_people_the_app_opens_on_who_is_working_and_a_pin_lets_one_in() {
    let dir = tempfile::tempdir().unwrap();
    {
        let g = Guichet::open(dir.path()).unwrap();
        // The first person of a folder with nobody becomes its owner.
        g.add_user("Awa", Role::Owner, "4821").unwrap();
        g.sign_in(Some("Awa"), Some("4821")).unwrap();
        g.add_user("Moussa", Role::Preparer, "7305").unwrap();
    }
    let s = Session::app(dir.path());
    s.wait_text("#sign-in-title", "Qui travaille ?");
    assert!(
        s.try_text("#nav-accounts").is_some(),
        "the menu stays, the screens wait"
    );
    assert!(s
        .try_text("h1")
        .is_none_or(|h| !h.contains("Tableau de bord")));
    s.screenshot("80-sign-in");

    s.click("#sign-in-name option[value=Moussa]");
    s.type_into("#sign-in-pin", "0000");
    s.click("#sign-in-submit");
    s.wait_text("#sign-in-error", "PIN incorrect");
    s.screenshot("81-sign-in-wrong-pin");

    s.type_into("#sign-in-pin", "7305");
    s.click("#sign-in-submit");
    s.wait_text("h1", "Tableau de bord");
    s.wait_text("#acting-person", "Moussa");
    s.screenshot("82-signed-in");

    // Changing person locks again.
    s.click("#switch-person");
    s.wait_text("#sign-in-title", "Qui travaille ?");
    s.quit();
}
