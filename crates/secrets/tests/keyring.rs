//! Runs against the real OS keyring: `bash scripts/with-keyring.sh cargo test -p guichet-secrets`
//! provides a private D-Bus session with gnome-keyring. Outside such a session the tests say so
//! and fail, rather than passing without a keyring.

use guichet_secrets::{env_var_name, Secret, SecretStore};
use std::process::Command;

fn store() -> (tempfile::TempDir, SecretStore) {
    let dir = tempfile::tempdir().unwrap();
    let s = SecretStore::for_data_dir(dir.path());
    (dir, s)
}

#[test]
fn a_secret_is_stored_in_the_secret_service_and_read_back() {
    let (_dir, s) = store();
    s.set(7, "Boutique", "api_key", &Secret::new("canary-ks-81f3"))
        .expect("keyring reachable");
    assert_eq!(
        s.get(7, "Boutique", "api_key").unwrap().expose(),
        "canary-ks-81f3"
    );

    // Seen by another Secret Service client, so it is really in the keyring, not in memory.
    let out = Command::new("secret-tool")
        .args(["lookup", "service", s.service(), "username", "7/api_key"])
        .output()
        .expect("secret-tool (libsecret-tools) installed");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "canary-ks-81f3"
    );

    s.delete(7, "Boutique", "api_key").unwrap();
    assert!(!s.has(7, "Boutique", "api_key").unwrap());
    s.delete(7, "Boutique", "api_key")
        .expect("deleting twice is fine");
}

#[test]
fn two_data_directories_never_share_secrets() {
    let (_a, sa) = store();
    let (_b, sb) = store();
    assert_ne!(sa.service(), sb.service());
    sa.set(1, "Shop", "private_key", &Secret::new("only-in-a"))
        .unwrap();
    assert!(!sb.has(1, "Shop", "private_key").unwrap());
    sa.delete(1, "Shop", "private_key").unwrap();
}

#[test]
fn the_environment_can_supply_a_secret_without_storing_it() {
    let (_dir, s) = store();
    let var = env_var_name("Caisse Abidjan-2", "access_token");
    assert_eq!(var, "GUICHET_SECRET_CAISSE_ABIDJAN_2_ACCESS_TOKEN");
    // SAFETY: this test is the only one using this variable.
    unsafe { std::env::set_var(&var, "from-env") };
    assert_eq!(
        s.get(3, "Caisse Abidjan-2", "access_token")
            .unwrap()
            .expose(),
        "from-env"
    );
    unsafe { std::env::remove_var(&var) };
    let err = s.get(3, "Caisse Abidjan-2", "access_token").unwrap_err();
    assert!(err.to_string().contains(&var), "{err}");
}
