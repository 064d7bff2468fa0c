//! Roles are checked in core, whatever the shell: a locked app (nobody signed in) prepares
//! nothing, a preparer approves nothing, and a PIN hash never leaves the store.

use guichet_core::people::{Action, Role};
use guichet_core::Guichet;

fn shop() -> (tempfile::TempDir, Guichet) {
    let dir = tempfile::tempdir().unwrap();
    let g = Guichet::open(dir.path()).unwrap();
    // The first person owns the folder whatever role was asked, without anyone signed in.
    let first = g.add_user("Moussa", Role::Preparer, "4821").unwrap();
    assert_eq!(first.role, Role::Owner);
    g.add_user("Awa", Role::Preparer, "13579086").unwrap();
    (dir, g)
}

#[test]
fn a_locked_app_prepares_nothing_and_a_preparer_approves_nothing() {
    let (_dir, g) = shop();
    g.sign_out();
    // Signed out, nobody acts at all: not even as a reader.
    assert!(g.actor().is_none());
    let locked = g.require(Action::Prepare).unwrap_err();
    assert_eq!(locked.code(), "nobody_signed_in");
    assert_eq!(
        g.require(Action::Read).unwrap_err().code(),
        "nobody_signed_in"
    );
    assert!(g.people_state().unwrap().actor.is_none());
    assert!(g.add_user("Intrus", Role::Owner, "0000").is_err());
    // The long-standing use cases check too, before anything else.
    assert_eq!(
        g.remove_account("Abidjan").unwrap_err().code(),
        "nobody_signed_in"
    );

    let awa = g.sign_in(Some("awa"), Some("13579086")).unwrap();
    assert_eq!(
        (awa.name.as_deref(), awa.role),
        (Some("Awa"), Role::Preparer)
    );
    assert!(g.require(Action::Prepare).is_ok());
    let e = g.require(Action::Approve).unwrap_err();
    assert!(e.to_string().contains("Awa is a preparer"), "{e}");
    assert!(g.remove_user("Moussa").is_err());

    // Several people: who acts must be said, with their PIN.
    assert_eq!(g.sign_in(None, None).unwrap_err().code(), "who_is_working");
    assert_eq!(
        g.sign_in(Some("Moussa"), None).unwrap_err().code(),
        "pin_needed"
    );
}

#[test]
fn wrong_pins_wait_longer_across_processes_and_are_logged() {
    let (dir, g) = shop();
    assert_eq!(
        g.sign_in(Some("Awa"), Some("0000")).unwrap_err().code(),
        "wrong_pin"
    );
    assert_eq!(
        g.sign_in(Some("Awa"), Some("1111")).unwrap_err().code(),
        "wrong_pin"
    );
    // Another process on the same folder: the count is in the database.
    let other = Guichet::open(dir.path()).unwrap();
    let e = other.sign_in(Some("Awa"), Some("13579086")).unwrap_err();
    assert_eq!(e.code(), "pin_wait", "{e}");
    other.sign_in(Some("Moussa"), Some("4821")).unwrap();
    let log = other
        .audit_entries(
            &guichet_core::people::AuditFilter {
                action: Some("signin".into()),
                ..Default::default()
            },
            50,
        )
        .unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.row.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "signin",
            "signin.too_soon",
            "signin.failed",
            "signin.failed"
        ]
    );
    // No entry, no list carries a PIN or its hash (an 8-digit PIN: a 4-digit one turns up in the
    // hex of the chain's hashes now and then).
    let text = serde_json::to_string(&(log, other.users().unwrap())).unwrap();
    assert!(
        !text.contains("argon2") && !text.contains("13579086"),
        "{text}"
    );
}
