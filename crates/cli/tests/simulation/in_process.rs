//! A seed run inside the test process: Guichet's core over a real SQLite file, against the
//! sandbox, with short client timeouts. A kill drops the running operation at an await point —
//! where a SIGKILL leaves the database, since every write is synchronous — and the next step
//! starts from a freshly opened database, as a restarted process would.

use crate::harness::{self, SeedOutcome};
use crate::scenario::{Account, Kill, Scenario, Step};
use guichet_core::payouts::PayoutInput;
use guichet_core::Guichet;
use guichet_providers::executor::ExecutorConfig;
use std::path::Path;
use std::time::Duration;

fn open(dir: &Path) -> Result<Guichet, String> {
    Guichet::open(dir)
        .map(|g| {
            g.with_http_config(ExecutorConfig {
                connect_timeout: Duration::from_secs(2),
                total_timeout: Duration::from_millis(250),
                max_attempts: 3,
                base_backoff: Duration::from_millis(1),
                max_retry_after: Duration::from_secs(0),
                min_interval: Duration::from_millis(0),
                ipv4_only: false,
            })
        })
        .map_err(|e| format!("the database does not open after a kill: {e}"))
}

/// Runs `op` until it ends or the kill fires. `true` when killed.
async fn killable<F: std::future::Future>(
    sb: &guichet_sandbox::SandboxHandle,
    s: &Scenario,
    kill: &Option<Kill>,
    op: F,
) -> (bool, Option<F::Output>) {
    let watch = harness::arm(sb, s, kill);
    let after = match kill {
        Some(Kill::AfterMs(ms)) => Duration::from_millis(*ms),
        _ => Duration::from_secs(3600),
    };
    let result = tokio::select! {
        r = op => (false, Some(r)),
        _ = harness::stalled(sb, watch) => (true, None),
        _ = tokio::time::sleep(after) => (true, None),
    };
    sb.set_faults(s.faults.clone());
    result
}

pub fn run(seed: u64) -> SeedOutcome {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run_async(seed))
}

async fn run_async(seed: u64) -> SeedOutcome {
    let s = Scenario::new(seed, true);
    let verbose = std::env::var_os("GUICHET_SIM_SEED").is_some();
    if verbose {
        eprintln!("seed {seed}: {s:#?}");
    }
    let mut out = SeedOutcome {
        seed,
        ..Default::default()
    };
    let sb = harness::sandbox(&s).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("guichet.db");
    harness::create_accounts(dir.path(), &sb);
    let mut g = match open(dir.path()) {
        Ok(g) => g,
        Err(e) => {
            out.violations.push(e);
            return out;
        }
    };
    for (i, step) in s.steps.iter().enumerate() {
        out.steps += 1;
        let killed = match step {
            Step::Send(batch, kill) => {
                let op = async {
                    let mut ids = Vec::new();
                    for p in batch {
                        let input = PayoutInput {
                            phone: p.phone.clone(),
                            amount: p.amount,
                            name: "Awa Koné".into(),
                            reason: "Salaire".into(),
                            operator: None,
                        };
                        if let Ok(row) = g.queue_payout(p.account.label(), &input, None) {
                            ids.push(row.id);
                        }
                    }
                    g.submit(&ids).await
                };
                killable(&sb, &s, kill, op).await.0
            }
            Step::Sync(kill) => {
                harness::make_checks_due(&db);
                let (killed, r) = killable(&sb, &s, kill, g.sync_once()).await;
                if verbose {
                    eprintln!("sync: {r:?}");
                }
                killed
            }
            Step::Advance(ms) => {
                sb.advance(*ms);
                false
            }
            Step::Confirm { reject } => {
                sb.confirm_transfers(None, *reject);
                false
            }
            Step::Notifications { copies, reorder } => {
                sb.set_notification_faults(*copies, *reorder);
                false
            }
        };
        if killed {
            out.kills += 1;
            drop(g);
            g = match open(dir.path()) {
                Ok(g) => g,
                Err(e) => {
                    out.violations.push(format!("step {i}: {e}"));
                    return out;
                }
            };
        }
        out.check(&sb, &db, &format!("step {i} {}", describe(step)));
    }
    // Settle: the faults go on, the merchant confirms what CinetPay holds, Guichet syncs until
    // every payout is final or flagged.
    for round in 0..40 {
        sb.advance(4_000);
        if s.require_confirmation {
            sb.confirm_transfers(None, false);
        }
        harness::make_checks_due(&db);
        if round >= 20 {
            // Past this point a plan that fails most calls would never let anything through.
            sb.set_faults(Vec::new());
        }
        let r = g.sync_once().await;
        if verbose {
            eprintln!("settling sync: {r:?}");
        }
        if let Some(local) = out.check(&sb, &db, &format!("settling {round}")) {
            if local
                .iter()
                .all(|p| crate::invariants::is_final(&p.status) || p.status == "outcome_unknown")
            {
                break;
            }
        } else {
            break;
        }
    }
    out.finish(&sb, &db);
    sb.shutdown().await;
    out
}

pub fn describe(step: &Step) -> String {
    match step {
        Step::Send(batch, kill) => format!(
            "send {} ({} CinetPay){}",
            batch.len(),
            batch
                .iter()
                .filter(|p| p.account == Account::Cinetpay)
                .count(),
            kill_text(kill)
        ),
        Step::Sync(kill) => format!("sync{}", kill_text(kill)),
        Step::Advance(ms) => format!("advance {ms} ms"),
        Step::Confirm { reject } => format!("confirm (reject: {reject})"),
        Step::Notifications { copies, reorder } => {
            format!("notifications x{copies} reorder {reorder}")
        }
    }
}

fn kill_text(kill: &Option<Kill>) -> String {
    match kill {
        None => String::new(),
        Some(Kill::AfterMs(ms)) => format!(", kill after {ms} ms"),
        Some(Kill::AtRequest {
            route,
            nth,
            after_apply,
        }) => format!(
            ", kill at request {nth} to {route} ({} it ran)",
            if *after_apply { "after" } else { "before" }
        ),
    }
}
