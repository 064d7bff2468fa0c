//! Balances and account tests against the sandbox (real keyring, real SQLite).

mod common;

use guichet_core::Guichet;
use guichet_sandbox::{Sandbox, SandboxConfig};
use guichet_secrets::Secret;

#[tokio::test(flavor = "multi_thread")]
async fn balances_are_fetched_recorded_and_checked_against_the_threshold() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let demo = sb.demo_credentials();
    let dir = tempfile::tempdir().unwrap();
    let g = Guichet::open(dir.path()).unwrap();
    let cinetpay = |label: &str, password: &str| {
        let mut a = common::cinetpay(label, &demo);
        a.low_balance_threshold = Some(Some(10_000_000));
        a.secrets.retain(|(name, _)| name != "transfer_password");
        a.secrets
            .push(("transfer_password".into(), Secret::new(password)));
        a
    };
    g.add_account(cinetpay("Abidjan", &demo.cinetpay_transfer_password))
        .unwrap();
    g.add_account(cinetpay("Mauvais", "wrong-password"))
        .unwrap();
    g.add_account(common::mycoolpay("Douala", &demo)).unwrap();

    let all = g.check_balances(None).await.unwrap();
    let abidjan = all.iter().find(|a| a.account == "Abidjan").unwrap();
    assert_eq!(abidjan.snapshots[0].amount, "5000000");
    assert_eq!(abidjan.snapshots[0].available.as_deref(), Some("5000000"));
    assert!(abidjan.low, "5,000,000 is below the 10,000,000 threshold");
    let kinds: Vec<_> = abidjan
        .snapshots
        .iter()
        .map(|s| (s.kind.as_str(), s.amount.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("transfer", "5000000"),
            ("account", "0.0"),
            ("service", "0.0")
        ]
    );
    let douala = all.iter().find(|a| a.account == "Douala").unwrap();
    assert_eq!(
        (
            douala.snapshots[0].kind.as_str(),
            douala.snapshots[0].amount.as_str()
        ),
        ("wallet", "2000000")
    );
    assert!(all
        .iter()
        .find(|a| a.account == "Mauvais")
        .unwrap()
        .error
        .as_deref()
        .unwrap()
        .contains("credentials"));
    assert_eq!(g.balance_history("Abidjan", 10).unwrap().len(), 3);

    assert!(g.test_account("Abidjan").await.unwrap().ok);
    let bad = g.test_account("Mauvais").await.unwrap();
    assert_eq!((bad.ok, bad.code.as_str()), (false, "credentials"));
}
