//! What the core's integration tests share: the sandbox's demo accounts, added to a fresh
//! Guichet under the labels the tests use.

#![allow(dead_code)] // each test file uses its own part

use guichet_core::accounts::AccountInput;
use guichet_core::Guichet;
use guichet_sandbox::{DemoCredentials, Sandbox, SandboxConfig, SandboxHandle, Timings};
use guichet_types::Provider;

mod demo;
pub use demo::demo_accounts;

/// A sandbox whose payouts and collections are settled by the time anyone looks.
pub async fn settled_sandbox() -> SandboxHandle {
    Sandbox::start(SandboxConfig {
        timings: Timings::settled(),
        ..Default::default()
    })
    .await
    .unwrap()
}

/// A fresh Guichet in a temporary folder, with "Abidjan" (CinetPay, notified at the sandbox)
/// and "Douala" (My-CoolPay) pointed at `sb`.
pub fn guichet_with_accounts(sb: &SandboxHandle) -> (tempfile::TempDir, Guichet) {
    let dir = tempfile::tempdir().unwrap();
    let g = Guichet::open(dir.path()).unwrap();
    let demo = sb.demo_credentials();
    g.add_account(AccountInput {
        notify_url: Some(format!("{}/notify", demo.base_url)),
        ..cinetpay("Abidjan", &demo)
    })
    .unwrap();
    g.add_account(mycoolpay("Douala", &demo)).unwrap();
    (dir, g)
}

pub fn cinetpay(label: &str, demo: &DemoCredentials) -> AccountInput {
    demo_accounts(demo).account(label, Provider::Cinetpay)
}

pub fn mycoolpay(label: &str, demo: &DemoCredentials) -> AccountInput {
    demo_accounts(demo).account(label, Provider::Mycoolpay)
}

pub fn softsystem(label: &str, demo: &DemoCredentials) -> AccountInput {
    demo_accounts(demo).account(label, Provider::Softsystem)
}

/// Lease and look-up figures of minutes, in tenths of seconds: a lost CinetPay answer is looked
/// up, and sent again after three "not found", within a test's time.
pub fn quick_patience() -> guichet_core::payouts::Patience {
    let ms = std::time::Duration::from_millis;
    guichet_core::payouts::Patience {
        lease: ms(1500),
        renew_every: ms(300),
        settle: ms(800),
        look_ups: vec![ms(200), ms(200), ms(400)],
        not_found_before_resend: 3,
        max_resends: 2,
    }
}
