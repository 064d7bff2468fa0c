//! Without a reachable keyring, storing fails with guidance and nothing is stored elsewhere.
//! A separate test binary, so pointing D-Bus at nothing affects no other test.

use guichet_secrets::{Secret, SecretStore};

#[test]
fn no_keyring_means_a_clear_error_and_no_fallback() {
    // SAFETY: the only test in this process.
    unsafe {
        std::env::set_var(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/guichet-bus",
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let s = SecretStore::for_data_dir(dir.path());
    let err = s
        .set(1, "Boutique", "api_key", &Secret::new("canary-nk-2c"))
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("no OS keyring is reachable"), "{text}");
    assert!(text.contains("GUICHET_SECRET_BOUTIQUE_API_KEY"), "{text}");
    assert!(!text.contains("canary-nk-2c"));
    // Nothing was written next to the data directory either.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
