//! The daily balance check and the automation settings (real SQLite, real keyring, sandbox).

mod common;

use guichet_core::accounts::AccountInput;
use guichet_core::automation::Automation;
use guichet_core::{CoreEvent, EventSink, Guichet};
use guichet_sandbox::{Sandbox, SandboxConfig};
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Events(Mutex<Vec<CoreEvent>>);

impl EventSink for Events {
    fn emit(&self, event: CoreEvent) {
        self.0.lock().unwrap().push(event);
    }
}

#[test]
fn automation_settings_are_validated_and_kept_in_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let g = Guichet::open(dir.path()).unwrap();
    let defaults = g.automation().unwrap();
    assert_eq!(defaults.balance_check_hour, None);
    assert!(!defaults.callback_receiver);
    let chosen = Automation {
        balance_check_hour: Some(7),
        utc_offset_minutes: 60,
        callback_receiver: true,
        callback_port: 9090,
        trust_proxy: Some("127.0.0.1".into()),
    };
    g.set_automation(&chosen).unwrap();
    for (bad, field) in [
        (
            Automation {
                balance_check_hour: Some(24),
                ..chosen.clone()
            },
            "balance_check_hour",
        ),
        (
            Automation {
                callback_port: 80,
                ..chosen.clone()
            },
            "callback_port",
        ),
        (
            Automation {
                utc_offset_minutes: 15 * 60,
                ..chosen.clone()
            },
            "utc_offset_minutes",
        ),
        (
            Automation {
                trust_proxy: Some("the proxy".into()),
                ..chosen.clone()
            },
            "trust_proxy",
        ),
    ] {
        assert_eq!(g.set_automation(&bad).unwrap_err().field(), Some(field));
    }
    drop(g);
    let g = Guichet::open(dir.path()).unwrap();
    assert_eq!(g.automation().unwrap(), chosen);
    // 05:30 UTC is 06:30 in Douala: the check is due at 07:00 there, 06:00 UTC.
    let now = time::macros::datetime!(2026-03-10 05:30 UTC);
    assert_eq!(
        g.next_balance_check(now).unwrap(),
        Some(time::macros::datetime!(2026-03-10 06:00 UTC))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_scheduled_check_snapshots_every_account_and_warns_of_low_balances() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let demo = sb.demo_credentials();
    let dir = tempfile::tempdir().unwrap();
    let events = Arc::new(Events::default());
    let g = Guichet::open(dir.path())
        .unwrap()
        .with_events(events.clone());
    g.add_account(AccountInput {
        low_balance_threshold: Some(Some(5_000_000)),
        ..common::mycoolpay("Douala", &demo)
    })
    .unwrap();
    g.add_account(AccountInput {
        low_balance_threshold: Some(Some(1000)),
        ..common::cinetpay("Abidjan", &demo)
    })
    .unwrap();
    assert_eq!(g.last_balance_check().unwrap(), None);
    for _ in 0..2 {
        let all = g.scheduled_balance_check().await.unwrap();
        assert_eq!(all.len(), 2);
    }
    assert!(g.last_balance_check().unwrap().is_some());
    // Two checks: two snapshots per balance, per account.
    assert_eq!(g.balance_history("Douala", 100).unwrap().len(), 2);
    assert_eq!(g.balance_history("Abidjan", 100).unwrap().len(), 6);
    let low: Vec<_> = events
        .0
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            CoreEvent::LowBalance {
                account,
                amount,
                threshold,
                ..
            } => Some((account.clone(), amount.clone(), *threshold)),
            _ => None,
        })
        .collect();
    assert_eq!(
        low,
        [
            (
                "Douala".to_string(),
                demo.mycoolpay_balance.to_string(),
                5_000_000
            ),
            (
                "Douala".to_string(),
                demo.mycoolpay_balance.to_string(),
                5_000_000
            )
        ]
    );
}
