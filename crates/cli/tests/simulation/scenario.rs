//! What one seed does: the payouts, the faults at every step, where the process dies. Everything
//! here is a pure function of the seed, so a failing seed replays the same scenario.

use guichet_sandbox::{Fault, FaultRule};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Account {
    Cinetpay,
    Mycoolpay,
}

impl Account {
    pub fn label(self) -> &'static str {
        match self {
            Account::Cinetpay => "Abidjan",
            Account::Mycoolpay => "Douala",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Payout {
    pub account: Account,
    pub phone: String,
    pub amount: i64,
}

/// Where a step is cut short, as a SIGKILL would.
#[derive(Debug, Clone)]
pub enum Kill {
    /// While the n-th request to `route` is at the provider: before it is executed, or after it
    /// was executed and before its answer arrives.
    AtRequest {
        route: &'static str,
        nth: u64,
        after_apply: bool,
    },
    /// After this many milliseconds, wherever the process is.
    AfterMs(u64),
}

#[derive(Debug, Clone)]
pub enum Step {
    /// Queue these payouts (as one batch) and send them.
    Send(Vec<Payout>, Option<Kill>),
    /// One pass of the poller.
    Sync(Option<Kill>),
    /// The provider's clock moves on (transfers progress; past 5 minutes CinetPay tokens expire).
    Advance(i64),
    /// The merchant confirms (or rejects) held CinetPay transfers.
    Confirm { reject: bool },
    /// Notifications are sent `copies` times, reordered.
    Notifications { copies: u32, reorder: bool },
}

#[derive(Debug, Clone)]
pub struct Scenario {
    pub seed: u64,
    pub cinetpay_balance: i64,
    pub mycoolpay_balance: i64,
    pub require_confirmation: bool,
    /// Numbers whose transfers the operator rejects.
    pub failing_phones: Vec<String>,
    /// The fault plan in force during the whole run (kills are added per step).
    pub faults: Vec<FaultRule>,
    pub steps: Vec<Step>,
}

/// Routes a kill can aim at: every call Guichet makes for a payout.
const CINETPAY_ROUTES: [&str; 4] = [
    "/v1/auth/login",
    "/v1/transfer/contact",
    "/v1/transfer/money/send/contact",
    "/v1/transfer/check/money",
];
const MYCOOLPAY_ROUTES: [&str; 2] = ["/payout", "/checkStatus"];

fn phone(rng: &mut StdRng, account: Account) -> String {
    match account {
        Account::Cinetpay => {
            let op = ["07", "05", "01"][rng.random_range(0..3)];
            format!("{op}{:08}", rng.random_range(0..100_000_000u32))
        }
        Account::Mycoolpay => {
            let op = ["69", "67", "65"][rng.random_range(0..3)];
            format!("{op}{:07}", rng.random_range(0..10_000_000u32))
        }
    }
}

fn payouts(rng: &mut StdRng, n: usize, pool: &[String]) -> Vec<Payout> {
    (0..n)
        .map(|_| {
            let account = if rng.random_bool(0.5) {
                Account::Cinetpay
            } else {
                Account::Mycoolpay
            };
            // Sometimes the same person twice (a real batch does that), sometimes a new one.
            let known: Vec<&String> = pool
                .iter()
                .filter(|p| matches_account(p, account))
                .collect();
            let phone = if !known.is_empty() && rng.random_bool(0.2) {
                known[rng.random_range(0..known.len())].clone()
            } else {
                phone(rng, account)
            };
            Payout {
                account,
                phone,
                amount: 5 * rng.random_range(40..20_000i64),
            }
        })
        .collect()
}

fn matches_account(phone: &str, account: Account) -> bool {
    (phone.len() == 10) == (account == Account::Cinetpay)
}

fn kill(rng: &mut StdRng, probability: f64, max_ms: u64) -> Option<Kill> {
    if !rng.random_bool(probability) {
        return None;
    }
    Some(if rng.random_bool(0.7) {
        let routes: Vec<&str> = CINETPAY_ROUTES
            .iter()
            .chain(MYCOOLPAY_ROUTES.iter())
            .copied()
            .collect();
        Kill::AtRequest {
            route: routes[rng.random_range(0..routes.len())],
            nth: rng.random_range(1..4),
            after_apply: rng.random_bool(0.6),
        }
    } else {
        Kill::AfterMs(rng.random_range(0..max_ms))
    })
}

/// A fault plan: each rule fires with a small probability on the routes it names.
fn faults(rng: &mut StdRng, long_timeouts: bool) -> Vec<FaultRule> {
    let mut rules = Vec::new();
    let all: Vec<&str> = CINETPAY_ROUTES
        .iter()
        .chain(MYCOOLPAY_ROUTES.iter())
        .copied()
        .collect();
    let intensity = [0.0, 0.05, 0.15, 0.3][rng.random_range(0..4)];
    if intensity == 0.0 {
        return rules;
    }
    for _ in 0..rng.random_range(2..7) {
        let route = all[rng.random_range(0..all.len())];
        let fault = match rng.random_range(0..9) {
            0 => Fault::Status {
                code: [500, 502, 503][rng.random_range(0..3)],
            },
            1 => Fault::Reset,
            2 => Fault::DropResponse,
            3 => Fault::Malformed,
            4 => Fault::RateLimit {
                retry_after_s: [0, 120][rng.random_range(0..2)],
            },
            5 => Fault::ExpireTokens,
            // Slower than the client waits: it times out, and the request may still be executed.
            6 if long_timeouts => Fault::Latency { ms: 400 },
            6 | 7 => Fault::Latency {
                ms: rng.random_range(1..40),
            },
            _ if long_timeouts => Fault::HangAfterApply,
            _ => Fault::DropResponse,
        };
        rules.push(FaultRule {
            route: route.into(),
            method: None,
            nth: None,
            probability: Some(intensity),
            fault,
        });
    }
    rules
}

impl Scenario {
    /// `long_timeouts`: the client's timeout is short enough (in-process runs) for hung and
    /// slow providers; child processes keep the real 45 s timeout, so those are kills only.
    pub fn new(seed: u64, long_timeouts: bool) -> Scenario {
        let mut rng = StdRng::seed_from_u64(seed);
        let low = rng.random_bool(0.15);
        let mut scenario = Scenario {
            seed,
            cinetpay_balance: if low { 60_000 } else { 5_000_000 },
            mycoolpay_balance: if low { 60_000 } else { 2_000_000 },
            require_confirmation: rng.random_bool(0.3),
            failing_phones: Vec::new(),
            faults: faults(&mut rng, long_timeouts),
            steps: Vec::new(),
        };
        let mut pool: Vec<String> = Vec::new();
        let kill_p = if long_timeouts {
            [0.0, 0.3, 0.6][rng.random_range(0..3)]
        } else {
            // Fewer, costlier seeds through processes: kill in most of them.
            [0.4, 0.7, 0.9][rng.random_range(0..3)]
        };
        let max_kill_ms = if long_timeouts { 150 } else { 400 };
        for _ in 0..rng.random_range(4..12) {
            let step = match rng.random_range(0..10) {
                0..=2 => {
                    let n = rng.random_range(1..6);
                    let batch = payouts(&mut rng, n, &pool);
                    pool.extend(batch.iter().map(|p| p.phone.clone()));
                    Step::Send(batch, kill(&mut rng, kill_p, max_kill_ms))
                }
                3..=5 => Step::Sync(kill(&mut rng, kill_p, max_kill_ms)),
                6 => Step::Advance(if rng.random_bool(0.2) {
                    6 * 60_000
                } else {
                    rng.random_range(500..4_000)
                }),
                7 => Step::Confirm {
                    reject: rng.random_bool(0.2),
                },
                _ => Step::Notifications {
                    copies: rng.random_range(1..4),
                    reorder: rng.random_bool(0.5),
                },
            };
            scenario.steps.push(step);
        }
        if !scenario.steps.iter().any(|s| matches!(s, Step::Send(..))) {
            let batch = payouts(&mut rng, 3, &pool);
            pool.extend(batch.iter().map(|p| p.phone.clone()));
            scenario
                .steps
                .insert(0, Step::Send(batch, kill(&mut rng, kill_p, max_kill_ms)));
        }
        if !pool.is_empty() && rng.random_bool(0.3) {
            scenario
                .failing_phones
                .push(pool[rng.random_range(0..pool.len())].clone());
        }
        scenario
    }
}
