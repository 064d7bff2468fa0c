//! The edges a merchant's data and keys cross: the data folder is theirs alone, keys go only
//! to an encrypted (or local) host and never to a new one without being given again, no two
//! accounts share an environment variable, only safe links reach the browser, and every
//! account can be tested. Run under `scripts/with-keyring.sh` (real keyring).

mod common;

use guichet_core::accounts::AccountInput;
use guichet_core::collections::CollectionInput;
use guichet_core::{CoreError, Guichet};
use guichet_secrets::Secret;
use guichet_types::Provider;
use std::path::Path;

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .permissions()
        .mode()
        & 0o777
}

#[cfg(unix)]
fn set_mode(p: &Path, m: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
}

fn field_of(e: &CoreError) -> String {
    match e {
        CoreError::Invalid { field, .. } => field.clone(),
        other => panic!("expected a refusal naming a field, got {other:?}"),
    }
}

#[cfg(unix)]
#[test]
fn the_data_folder_is_0700_and_its_files_0600_on_creation_and_on_open() {
    let parent = tempfile::tempdir().unwrap();
    // A permissive umask, as on many desktops: what Guichet creates must not depend on it.
    let old = unsafe { libc::umask(0o022) };
    let data = parent.path().join("guichet-data");
    let g = Guichet::open(&data).unwrap();
    g.store.backup_to(data.join("copie.db")).unwrap();
    unsafe { libc::umask(old) };
    let db = data.join("guichet.db");
    assert_eq!(mode(&data), 0o700);
    for f in ["guichet.db", "guichet.db-wal", "guichet.db-shm", "copie.db"] {
        assert_eq!(mode(&data.join(f)), 0o600, "{f}");
    }
    drop(g);

    // Found wider (copied by hand, restored from a backup): narrowed when opened.
    set_mode(&data, 0o755);
    set_mode(&db, 0o644);
    let wal = data.join("guichet.db-wal");
    if wal.exists() {
        set_mode(&wal, 0o666);
    }
    let g = Guichet::open(&data).unwrap();
    assert_eq!(mode(&data), 0o700);
    for f in ["guichet.db", "guichet.db-wal", "guichet.db-shm"] {
        assert_eq!(mode(&data.join(f)), 0o600, "{f}");
    }
    drop(g);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_checkout_page_is_written_0600_in_a_0700_folder() {
    let sb = common::settled_sandbox().await;
    let (dir, g) = common::guichet_with_accounts(&sb);
    let old = unsafe { libc::umask(0o022) };
    let c = g
        .collect_cinetpay(
            "Abidjan",
            CollectionInput {
                amount: 2500,
                reason: "Pagne".into(),
                ..Default::default()
            },
        )
        .await;
    unsafe { libc::umask(old) };
    let c = c.unwrap();
    let page = url::Url::parse(c.link.as_deref().unwrap())
        .unwrap()
        .to_file_path()
        .unwrap();
    assert_eq!(mode(&page), 0o600);
    assert_eq!(mode(&dir.path().join("checkout")), 0o700);
}

fn shop(label: &str, base_url: &str) -> AccountInput {
    AccountInput {
        label: Some(label.into()),
        provider: Some(Provider::Mycoolpay),
        public_key: Some("pk-edges".into()),
        base_url: Some(base_url.into()),
        secrets: vec![("private_key".into(), Secret::new("sk-edges"))],
        ..Default::default()
    }
}

#[test]
fn keys_go_only_to_https_hosts_or_to_this_machine() {
    let dir = tempfile::tempdir().unwrap();
    let g = Guichet::open(dir.path()).unwrap();
    for refused in [
        "http://api.my-coolpay.com",
        "http://10.0.0.5:8080",
        "http://127.0.0.1.example.com",
        "ftp://127.0.0.1",
    ] {
        let e = g.add_account(shop("Refusé", refused)).unwrap_err();
        assert_eq!(field_of(&e), "base_url", "{refused}: {e}");
    }
    assert!(g.list_accounts().unwrap().is_empty());
    for (i, accepted) in [
        "https://api.my-coolpay.com",
        "http://127.0.0.1:9000",
        "http://127.8.9.10",
        "http://localhost:9000",
        "http://[::1]:9000",
    ]
    .into_iter()
    .enumerate()
    {
        g.add_account(shop(&format!("Boutique {i}"), accepted))
            .unwrap_or_else(|e| panic!("{accepted}: {e}"));
    }
    // Editing is held to the same rule (secrets given, so only the scheme is in question).
    let e = g
        .edit_account(
            "Boutique 0",
            AccountInput {
                base_url: Some("http://api.my-coolpay.com".into()),
                secrets: vec![("private_key".into(), Secret::new("sk-edges"))],
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(field_of(&e), "base_url");
}

#[test]
fn a_new_host_needs_the_secrets_again() {
    let dir = tempfile::tempdir().unwrap();
    let g = Guichet::open(dir.path()).unwrap();
    g.add_account(shop("Douala", "https://api.my-coolpay.com"))
        .unwrap();
    for new_host in [Some("https://collect.example.com"), None] {
        let e = g
            .edit_account(
                "Douala",
                AccountInput {
                    base_url: Some(new_host.unwrap_or_default().into()),
                    ..Default::default()
                },
            )
            .unwrap_err();
        assert_eq!(field_of(&e), "base_url", "{e}");
        assert!(e.to_string().contains("private_key"), "{e}");
        assert_eq!(
            g.show_account("Douala")
                .unwrap()
                .account
                .base_url
                .as_deref(),
            Some("https://api.my-coolpay.com"),
            "the refused change left the host as it was"
        );
    }
    // Other changes keep the secrets as they are.
    g.edit_account(
        "Douala",
        AccountInput {
            notify_url: Some("https://shop.example.com/cb".into()),
            ..Default::default()
        },
    )
    .unwrap();
    // With the secrets for the new host, it moves.
    let moved = g
        .edit_account(
            "Douala",
            AccountInput {
                base_url: Some("https://collect.example.com".into()),
                secrets: vec![("private_key".into(), Secret::new("sk-for-the-new-host"))],
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        moved.account.base_url.as_deref(),
        Some("https://collect.example.com")
    );
    let row = g.account_row("Douala").unwrap();
    assert_eq!(
        g.account_secret(&row, "private_key").unwrap().expose(),
        "sk-for-the-new-host"
    );
}

#[test]
fn an_account_with_payouts_is_kept_for_the_books() {
    let dir = tempfile::tempdir().unwrap();
    let g = Guichet::open(dir.path()).unwrap();
    g.add_account(shop("Shop CM", "https://api.my-coolpay.com"))
        .unwrap();
    let input = guichet_core::payouts::PayoutInput {
        phone: "699000001".into(),
        amount: 5000,
        name: "Awa".into(),
        reason: String::new(),
        operator: None,
    };
    g.queue_payout("Shop CM", &input, None).unwrap();
    let e = g.remove_account("Shop CM").unwrap_err();
    assert_eq!(
        e.reason(),
        guichet_core::ErrorCode::AccountInUse {
            label: "Shop CM".into()
        },
        "{e}"
    );
    assert!(e.to_string().contains("kept for the books"), "{e}");
    // Nothing went: the account, and its secret in the keyring.
    let kept = g.show_account("Shop CM").unwrap();
    assert!(kept.secrets.iter().all(|s| s.set), "{kept:?}");
    // An account with nothing is removed.
    g.add_account(shop("Shop vide", "https://api.my-coolpay.com"))
        .unwrap();
    g.remove_account("Shop vide").unwrap();
    assert_eq!(g.list_accounts().unwrap().len(), 1);
}

#[test]
fn labels_that_name_the_same_environment_variable_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let g = Guichet::open(dir.path()).unwrap();
    g.add_account(shop("Shop-CI", "https://api.my-coolpay.com"))
        .unwrap();
    for clash in ["shop ci", "SHOP_CI", "Shop.CI", "shop-ci"] {
        let e = g
            .add_account(shop(clash, "https://api.my-coolpay.com"))
            .unwrap_err();
        assert_eq!(field_of(&e), "label", "{clash}: {e}");
        assert!(e.to_string().contains("GUICHET_SECRET_SHOP_CI_"), "{e}");
    }
    assert_eq!(g.list_accounts().unwrap().len(), 1);
    // Renaming another account into the clash is refused too; renaming itself is fine.
    g.add_account(shop("Shop CM", "https://api.my-coolpay.com"))
        .unwrap();
    let e = g
        .edit_account(
            "Shop CM",
            AccountInput {
                label: Some("shop_ci".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(field_of(&e), "label");
    g.edit_account(
        "Shop-CI",
        AccountInput {
            label: Some("SHOP CI".into()),
            ..Default::default()
        },
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_secret_from_the_environment_is_named_where_it_is_used() {
    let sb = common::settled_sandbox().await;
    let demo = sb.demo_credentials();
    let dir = tempfile::tempdir().unwrap();
    let g = Guichet::open(dir.path()).unwrap();
    // Only this test reads this variable: no other account here has this label.
    std::env::set_var(
        "GUICHET_SECRET_ENV_DOUALA_PRIVATE_KEY",
        &demo.mycoolpay_private_key,
    );
    g.add_account(AccountInput {
        secrets: Vec::new(),
        ..common::mycoolpay("Env Douala", &demo)
    })
    .unwrap();
    g.add_account(common::mycoolpay("Keyring Douala", &demo))
        .unwrap();
    let shown = g.show_account("Env Douala").unwrap();
    assert_eq!(
        shown.secrets[0].environment.as_deref(),
        Some("GUICHET_SECRET_ENV_DOUALA_PRIVATE_KEY")
    );
    assert!(g.show_account("Keyring Douala").unwrap().secrets[0]
        .environment
        .is_none());
    let t = g.test_account("Env Douala").await.unwrap();
    assert!(t.ok, "{t:?}");
    assert_eq!(t.environment, ["GUICHET_SECRET_ENV_DOUALA_PRIVATE_KEY"]);
    assert!(
        t.message
            .contains("environment, not the keyring: GUICHET_SECRET_ENV_DOUALA_PRIVATE_KEY"),
        "{t:?}"
    );
    let t = g.test_account("Keyring Douala").await.unwrap();
    assert!(t.ok && t.environment.is_empty(), "{t:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_account_can_be_tested_softsystem_by_the_status_of_an_unused_order() {
    let sb = common::settled_sandbox().await;
    let demo = sb.demo_credentials();
    let dir = tempfile::tempdir().unwrap();
    let g = Guichet::open(dir.path()).unwrap();
    g.add_account(common::softsystem("Plateau", &demo)).unwrap();
    g.add_account(AccountInput {
        secrets: vec![("access_token".into(), Secret::new("not-the-token"))],
        ..common::softsystem("Faux Plateau", &demo)
    })
    .unwrap();
    g.add_account(common::cinetpay("Abidjan", &demo)).unwrap();
    g.add_account(common::mycoolpay("Douala", &demo)).unwrap();

    let good = g.test_account("Plateau").await.unwrap();
    assert!(good.ok, "{good:?}");
    assert_eq!(good.code, "ok");
    assert!(good
        .checked
        .contains("status of an order that does not exist"));
    let bad = g.test_account("Faux Plateau").await.unwrap();
    assert_eq!(
        (bad.ok, bad.code.as_str()),
        (false, "credentials"),
        "{bad:?}"
    );
    for label in ["Abidjan", "Douala"] {
        let t = g.test_account(label).await.unwrap();
        assert!(t.ok && !t.checked.is_empty(), "{t:?}");
    }
}

/// A My-CoolPay host whose paylink answers carry whatever link it is told to.
async fn fake_mycoolpay(link: &'static str) -> String {
    use axum::routing::post;
    let app = axum::Router::new().route(
        "/api/{key}/paylink",
        post(move || async move {
            axum::Json(serde_json::json!({
                "status": "success",
                "transaction_ref": "MCP-EDGES-1",
                "payment_url": link,
            }))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_that_is_not_https_or_guichets_own_page_is_not_opened() {
    for link in [
        "file:///etc/passwd",
        "smb://attacker.example/share",
        "http://attacker.example/pay",
    ] {
        let host = fake_mycoolpay(link).await;
        let dir = tempfile::tempdir().unwrap();
        let g = Guichet::open(dir.path()).unwrap();
        g.add_account(shop("Douala", &host)).unwrap();
        let c = g
            .collect_paylink(
                "Douala",
                CollectionInput {
                    amount: 1500,
                    reason: "Facture".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(c.link.as_deref(), Some(link));
        let e = g.open_collection(c.id).unwrap_err();
        assert_eq!(field_of(&e), "link", "{link}: {e}");
    }
}

#[test]
fn the_demo_accounts_follow_their_simulator_with_its_own_keys() {
    use guichet_core::demo::{DemoAccounts, DEMO_MYCOOLPAY};
    let dir = tempfile::tempdir().unwrap();
    let g = Guichet::open(dir.path()).unwrap();
    let demo = |base: &str, key: &str| DemoAccounts {
        base_url: base.into(),
        cinetpay_site_id: "445160".into(),
        cinetpay_api_key: format!("{key}-api"),
        cinetpay_transfer_password: format!("{key}-pw"),
        mycoolpay_public_key: "pk-demo".into(),
        mycoolpay_private_key: format!("{key}-private"),
        softsystem_client_reference: "REF".into(),
        softsystem_access_token: format!("{key}-token"),
    };
    g.setup_demo(&demo("http://127.0.0.1:9001", "first"))
        .unwrap();
    // The simulator restarted elsewhere: a new host, so its keys are given again with it.
    let moved = g
        .setup_demo(&demo("http://127.0.0.1:9002", "second"))
        .unwrap();
    assert_eq!(moved.len(), 3);
    assert!(moved
        .iter()
        .all(|a| a.account.base_url.as_deref() == Some("http://127.0.0.1:9002")));
    let row = g.account_row(DEMO_MYCOOLPAY).unwrap();
    assert_eq!(
        g.account_secret(&row, "private_key").unwrap().expose(),
        "second-private"
    );
}
