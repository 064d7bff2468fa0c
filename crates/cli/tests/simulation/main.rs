//! Proof by simulation that no payout is paid twice or lost: seeded scenarios of payout batches
//! (CinetPay and My-CoolPay) against the provider sandbox, with faults injected at every step
//! (timeouts, 5xx, answers lost after the operation was applied, malformed bodies, 429, CinetPay
//! token expiry, duplicated and reordered notifications) and the process killed at seeded
//! points, then restarted until every payout is final or flagged "outcome unknown". After every
//! step the database is checked against the sandbox's ledger (see `invariants.rs`).
//!
//! `cargo test -p guichet-cli --test simulation` runs 300 in-process seeds, 16 seeds through
//! real `guichet` processes killed with SIGKILL, and 30 seeds of two and three processes at once
//! on one data folder. More, and the report:
//! `GUICHET_SIM_SEEDS=10000 GUICHET_SIM_PROCESS_SEEDS=200 GUICHET_SIM_CONCURRENT_SEEDS=1000 cargo test --release -p guichet-cli --test simulation -- --nocapture`.
//! One seed: `GUICHET_SIM_SEED=1234 cargo test -p guichet-cli --test simulation -- --nocapture`.

mod callbacks;
mod concurrent;
mod harness;
mod in_process;
mod invariants;
mod processes;
mod scenario;

use harness::SeedOutcome;
use std::collections::BTreeMap;

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// The seeds to run: `GUICHET_SIM_SEED` alone, or `count` from `GUICHET_SIM_FIRST_SEED` (1).
fn seeds(count_var: &str, default: u64) -> Vec<u64> {
    if let Some(seed) = env_u64("GUICHET_SIM_SEED") {
        return vec![seed];
    }
    let first = env_u64("GUICHET_SIM_FIRST_SEED").unwrap_or(1);
    let count = env_u64(count_var).unwrap_or(default);
    (first..first + count).collect()
}

/// Runs seeds on `threads` threads (a seed mostly waits on timeouts, so more threads than
/// cores pay off; `GUICHET_SIM_THREADS` sets how many for long runs); a panic inside a seed is a
/// violation of that seed.
fn run_all(seeds: Vec<u64>, threads: usize, run: fn(u64) -> SeedOutcome) -> Vec<SeedOutcome> {
    let threads = env_u64("GUICHET_SIM_THREADS").map_or(threads, |n| n as usize);
    let queue = std::sync::Mutex::new(seeds.into_iter());
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| loop {
                let Some(seed) = queue.lock().unwrap().next() else {
                    return;
                };
                let outcome = std::panic::catch_unwind(|| run(seed)).unwrap_or_else(|p| {
                    let why = p
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    SeedOutcome {
                        seed,
                        violations: vec![format!("panicked: {why}")],
                        ..Default::default()
                    }
                });
                results.lock().unwrap().push(outcome);
            });
        }
    });
    let mut all = results.into_inner().unwrap();
    all.sort_by_key(|o| o.seed);
    all
}

/// Notifications must reach the receiver: over a run in which providers finished payouts, some
/// genuine ones are accepted (else they go nowhere, and the runs prove nothing of them).
fn notifications_arrived(outcomes: &[SeedOutcome]) -> bool {
    let notified: u64 = outcomes.iter().map(|o| o.notified_seeds).sum();
    notified == 0 || outcomes.iter().map(|o| o.genuine).sum::<u64>() > 0
}

/// The receiver's line, for the runners that run one.
fn receiver(outcomes: &[SeedOutcome]) -> String {
    let recorded: u64 = outcomes.iter().map(|o| o.callbacks).sum();
    let forged: u64 = outcomes.iter().map(|o| o.forged).sum();
    if recorded + forged == 0 {
        return String::new();
    }
    let genuine: u64 = outcomes.iter().map(|o| o.genuine).sum();
    format!(
        "  notifications recorded by the receiver: {recorded} ({genuine} genuine ones accepted), forgeries posted to it: {forged}\n"
    )
}

fn report(title: &str, outcomes: &[SeedOutcome]) -> String {
    let mut faults: BTreeMap<&str, u64> = BTreeMap::new();
    for o in outcomes {
        for (k, n) in &o.faults {
            *faults.entry(k).or_default() += n;
        }
    }
    let sum = |f: fn(&SeedOutcome) -> u64| outcomes.iter().map(f).sum::<u64>();
    let violations: Vec<&SeedOutcome> = outcomes
        .iter()
        .filter(|o| !o.violations.is_empty())
        .collect();
    let mut text = format!(
        "{title}\n  seeds: {} ({}..={})\n  steps: {}\n  payouts: {} (paid {}, failed or rejected {}, outcome unknown {} of which the provider executed {})\n  paid total: {} francs\n  kills: {}\n  faults injected: {} {:?}\n{}  invariant violations: {}\n",
        outcomes.len(),
        outcomes.first().map_or(0, |o| o.seed),
        outcomes.last().map_or(0, |o| o.seed),
        sum(|o| o.steps),
        sum(|o| o.payouts as u64),
        sum(|o| o.succeeded as u64),
        sum(|o| o.failed as u64),
        sum(|o| o.outcome_unknown as u64),
        sum(|o| o.unknown_but_paid as u64),
        outcomes.iter().map(|o| o.paid_total).sum::<i64>(),
        sum(|o| o.kills),
        faults.values().sum::<u64>(),
        faults,
        receiver(outcomes),
        violations.iter().map(|o| o.violations.len()).sum::<usize>(),
    );
    for o in &violations {
        text.push_str(&format!(
            "  SEED={} to reproduce: GUICHET_SIM_SEED={} cargo test -p guichet-cli --test simulation -- --nocapture\n",
            o.seed, o.seed
        ));
        for v in o.violations.iter().take(10) {
            text.push_str(&format!("    {v}\n"));
        }
    }
    text
}

fn publish(name: &str, text: &str) {
    eprintln!("{text}");
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::write(path, text);
}

#[test]
fn faults_and_crashes_in_process_never_pay_twice_or_lose_a_payout() {
    harness::export_secrets();
    let outcomes = run_all(seeds("GUICHET_SIM_SEEDS", 300), 4, in_process::run);
    let text = report(
        "Simulation, in process (kills drop the running operation)",
        &outcomes,
    );
    publish("simulation-in-process.txt", &text);
    assert!(outcomes.iter().all(|o| o.violations.is_empty()), "{text}");
}

#[test]
fn sigkilled_guichet_processes_never_pay_twice_or_lose_a_payout() {
    harness::export_secrets();
    let outcomes = run_all(seeds("GUICHET_SIM_PROCESS_SEEDS", 16), 1, processes::run);
    let text = report(
        "Simulation, real guichet processes (kills are SIGKILL)",
        &outcomes,
    );
    publish("simulation-processes.txt", &text);
    assert!(outcomes.iter().all(|o| o.violations.is_empty()), "{text}");
    assert!(
        notifications_arrived(&outcomes),
        "no notification reached the receiver\n{text}"
    );
}

#[test]
fn several_guichet_processes_at_once_never_pay_twice_or_take_each_others_payouts() {
    harness::export_secrets();
    let outcomes = run_all(
        seeds("GUICHET_SIM_CONCURRENT_SEEDS", 30),
        2,
        concurrent::run,
    );
    let text = report(
        "Simulation, two and three guichet processes at once on one data folder",
        &outcomes,
    );
    publish("simulation-concurrent.txt", &text);
    assert!(outcomes.iter().all(|o| o.violations.is_empty()), "{text}");
    assert!(
        notifications_arrived(&outcomes),
        "no notification reached the receiver\n{text}"
    );
}
