//! What both runners share: the sandbox set up for a scenario, the accounts, the kill watcher and
//! the per-seed outcome.

use crate::invariants::{self, LocalPayout};
use crate::scenario::{Kill, Scenario};
use guichet_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig, SandboxHandle, Timings};
use guichet_store::accounts::AccountFields;
use guichet_types::{Country, Currency, Provider};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

/// Secrets come from the environment, as for cron jobs: the same demo credentials every sandbox
/// has. Set once, before any thread reads the environment.
pub fn export_secrets() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        for (k, v) in secret_env() {
            std::env::set_var(k, v);
        }
    });
}

pub fn secret_env() -> Vec<(&'static str, &'static str)> {
    vec![
        ("GUICHET_SECRET_ABIDJAN_API_KEY", "demo-cinetpay-apikey"),
        (
            "GUICHET_SECRET_ABIDJAN_TRANSFER_PASSWORD",
            "demo-transfer-password",
        ),
        ("GUICHET_SECRET_DOUALA_PRIVATE_KEY", "demo-mcp-private"),
    ]
}

pub async fn sandbox(s: &Scenario) -> SandboxHandle {
    let sb = Sandbox::start(SandboxConfig {
        seed: s.seed,
        timings: Timings {
            accept_to_progress_ms: 1_000,
            progress_to_final_ms: 2_000,
            ..Default::default()
        },
        ..Default::default()
    })
    .await
    .expect("sandbox starts");
    let demo = sb.demo_credentials();
    sb.seed_cinetpay(
        &demo.cinetpay_api_key,
        &demo.cinetpay_transfer_password,
        &demo.cinetpay_site_id,
        s.cinetpay_balance,
        s.require_confirmation,
    );
    sb.seed_mycoolpay(
        &demo.mycoolpay_public_key,
        &demo.mycoolpay_private_key,
        s.mycoolpay_balance,
        None,
    );
    for p in &s.failing_phones {
        sb.fail_phone(p);
    }
    sb.set_faults(s.faults.clone());
    // A reused reference is executed again, as My-CoolPay's document does not promise it is
    // refused: a re-send shows as a payment made twice.
    sb.set_mycoolpay_executes_reused_refs(true);
    sb
}

/// The two accounts, written straight into a fresh database (no keyring needed).
pub fn create_accounts(dir: &Path, sb: &SandboxHandle) {
    let store = guichet_store::Store::open(dir.join("guichet.db")).expect("store opens");
    let demo = sb.demo_credentials();
    let conn = store.conn();
    guichet_store::accounts::insert(
        &conn,
        &AccountFields {
            label: "Abidjan".into(),
            provider: Provider::Cinetpay,
            currency: Currency::XOF,
            country: Country::CI,
            site_id: Some(demo.cinetpay_site_id.clone()),
            public_key: None,
            client_reference: None,
            notify_url: Some(format!("{}/notify", demo.base_url)),
            base_url: Some(demo.base_url.clone()),
            low_balance_threshold: None,
            sandbox: true,
        },
    )
    .expect("account");
    guichet_store::accounts::insert(
        &conn,
        &AccountFields {
            label: "Douala".into(),
            provider: Provider::Mycoolpay,
            currency: Currency::XAF,
            country: Country::CM,
            site_id: None,
            public_key: Some(demo.mycoolpay_public_key.clone()),
            client_reference: None,
            notify_url: None,
            base_url: Some(demo.base_url.clone()),
            low_balance_threshold: None,
            sandbox: true,
        },
    )
    .expect("account");
}

/// Arms a kill for the next step: the fault plan with a stall at the targeted request first.
/// Returns the fault name whose count tells that the stall was reached.
pub fn arm(sb: &SandboxHandle, s: &Scenario, kill: &Option<Kill>) -> Option<&'static str> {
    let mut rules = Vec::new();
    let mut watch = None;
    if let Some(Kill::AtRequest {
        route,
        nth,
        after_apply,
    }) = kill
    {
        rules.push(FaultRule {
            route: (*route).into(),
            method: None,
            nth: Some(*nth),
            probability: None,
            fault: if *after_apply {
                Fault::HangAfterApply
            } else {
                Fault::Hang
            },
        });
        watch = Some(if *after_apply {
            "hang_after_apply"
        } else {
            "hang"
        });
    }
    rules.extend(s.faults.clone());
    sb.set_faults(rules);
    watch
}

/// Resolves when the armed stall has been reached (and, after the apply, the operation had time
/// to be executed); never when nothing is armed.
pub async fn stalled(sb: &SandboxHandle, watch: Option<&'static str>) {
    let Some(name) = watch else {
        return std::future::pending().await;
    };
    let before = sb.faults_injected().get(name).copied().unwrap_or(0);
    loop {
        tokio::time::sleep(Duration::from_millis(3)).await;
        if sb.faults_injected().get(name).copied().unwrap_or(0) > before {
            tokio::time::sleep(Duration::from_millis(25)).await;
            return;
        }
    }
}

/// Time passes for Guichet too: every scheduled status check becomes due now, and the leases of
/// processes that ended (killed or not) run out. Only called when no `guichet` process runs.
pub fn make_checks_due(db: &Path) {
    let conn = rusqlite::Connection::open(db).expect("db");
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    conn.execute(
        "UPDATE payouts SET next_check_at = NULL WHERE next_check_at IS NOT NULL",
        [],
    )
    .expect("make checks due");
    conn.execute(
        "UPDATE payouts SET lease_until = NULL WHERE lease_until IS NOT NULL",
        [],
    )
    .expect("leases run out");
}

#[derive(Debug, Default)]
pub struct SeedOutcome {
    pub seed: u64,
    pub payouts: usize,
    pub kills: u64,
    pub steps: u64,
    pub faults: BTreeMap<String, u64>,
    pub succeeded: usize,
    pub failed: usize,
    pub outcome_unknown: usize,
    /// Flagged "outcome unknown" though the provider did pay: the merchant must look.
    pub unknown_but_paid: usize,
    pub paid_total: i64,
    /// Notification deliveries the receiver recorded, and forgeries posted to it.
    pub callbacks: u64,
    pub forged: u64,
    /// Genuine notifications accepted, in seeds where the providers finished payouts.
    pub genuine: u64,
    pub notified_seeds: u64,
    pub violations: Vec<String>,
}

impl SeedOutcome {
    pub fn check(&mut self, sb: &SandboxHandle, db: &Path, when: &str) -> Option<Vec<LocalPayout>> {
        let ledger = sb.ledger();
        match invariants::read_db(db) {
            Ok(local) => {
                for v in invariants::safety(&ledger, &local) {
                    self.violations.push(format!("{when}: {v}"));
                }
                Some(local)
            }
            Err(e) => {
                self.violations.push(format!("{when}: {e}"));
                None
            }
        }
    }

    pub fn finish(&mut self, sb: &SandboxHandle, db: &Path) {
        let ledger = sb.ledger();
        let Some(local) = self.check(sb, db, "end") else {
            return;
        };
        for v in invariants::settled(&ledger, &local) {
            self.violations.push(format!("end: {v}"));
        }
        self.payouts = local.len();
        self.succeeded = local.iter().filter(|p| p.status == "succeeded").count();
        self.failed = local
            .iter()
            .filter(|p| matches!(p.status.as_str(), "failed" | "rejected"))
            .count();
        self.outcome_unknown = local
            .iter()
            .filter(|p| p.status == "outcome_unknown")
            .count();
        self.unknown_but_paid = local
            .iter()
            .filter(|p| p.status == "outcome_unknown")
            .filter(|p| {
                ledger
                    .iter()
                    .any(|e| e.reference == p.reference && e.outcome != "failed")
            })
            .count();
        self.paid_total = local
            .iter()
            .filter(|p| p.status == "succeeded")
            .map(|p| p.amount)
            .sum();
        for (k, n) in sb.faults_injected() {
            *self.faults.entry(k).or_default() += n;
        }
    }
}
