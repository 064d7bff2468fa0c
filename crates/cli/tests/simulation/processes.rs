//! A seed run through real `guichet` processes, SIGKILLed at the seeded points: while a request
//! is at the provider (before or after it was executed), or after a number of milliseconds —
//! in the middle of anything, a database write included. After every kill the database must
//! open and pass `PRAGMA integrity_check`, and `guichet sync` takes over. A `guichet callback
//! serve` receives the providers' notifications all along.

use crate::callbacks::Receiver;
use crate::harness::{self, SeedOutcome};
use crate::scenario::{Kill, Scenario, Step};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// `guichet --data-dir DIR --json ARGS…` with the secrets in its environment, as cron runs it;
/// nothing read from or written to the terminal.
pub fn command(dir: &Path, args: &[String]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_guichet"));
    cmd.arg("--data-dir")
        .arg(dir)
        .arg("--json")
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in harness::secret_env() {
        cmd.env(k, v);
    }
    cmd
}

pub fn spawn(dir: &Path, args: &[String]) -> Child {
    command(dir, args).spawn().expect("guichet starts")
}

/// Runs a `guichet` command until it exits or the kill fires (SIGKILL). `true` when killed.
async fn killable(
    sb: &guichet_sandbox::SandboxHandle,
    s: &Scenario,
    dir: &Path,
    args: Vec<String>,
    kill: &Option<Kill>,
) -> bool {
    let watch = harness::arm(sb, s, kill);
    let after = match kill {
        Some(Kill::AfterMs(ms)) => Duration::from_millis(*ms),
        // A process that outlives this is stuck: kill it too (it never should be).
        _ => Duration::from_secs(120),
    };
    let mut child = spawn(dir, &args);
    let deadline = tokio::time::Instant::now() + after;
    let stall = harness::stalled(sb, watch);
    tokio::pin!(stall);
    let killed = loop {
        if let Ok(Some(_)) = child.try_wait() {
            break false;
        }
        tokio::select! {
            _ = &mut stall => break true,
            _ = tokio::time::sleep_until(deadline) => break true,
            _ = tokio::time::sleep(Duration::from_millis(5)) => {}
        }
    };
    if killed {
        // Child::kill sends SIGKILL on Unix: no destructor, no flush, no goodbye.
        let _ = child.kill();
    }
    let _ = child.wait();
    sb.set_faults(s.faults.clone());
    killed
}

/// After the run: time passes, held transfers are confirmed, faults stop, and `guichet sync` runs
/// (one process at a time, every earlier one ended) until every payout is final or flagged.
pub async fn settle(
    sb: &guichet_sandbox::SandboxHandle,
    s: &Scenario,
    dir: &Path,
    db: &Path,
    out: &mut SeedOutcome,
) {
    // Enough rounds, once the faults stop, for a CinetPay payout unknown to CinetPay to go
    // through its patient look-ups (3 per send, 3 sends) to "outcome unknown".
    for round in 0..40 {
        sb.advance(4_000);
        if s.require_confirmation {
            sb.confirm_transfers(None, false);
        }
        harness::make_checks_due(db);
        if round < 12 {
            killable(sb, s, dir, vec!["sync".into()], &None).await;
        } else {
            // Past this point a plan that fails most calls would never let anything through:
            // the faults stop for good (`killable` would arm them again).
            sb.set_faults(Vec::new());
            let _ = spawn(dir, &["sync".to_string()]).wait();
        }
        match out.check(sb, db, &format!("settling {round}")) {
            Some(local)
                if local.iter().all(|p| {
                    crate::invariants::is_final(&p.status) || p.status == "outcome_unknown"
                }) =>
            {
                break
            }
            Some(_) => {}
            None => break,
        }
    }
}

pub fn run(seed: u64) -> SeedOutcome {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run_async(seed))
}

async fn run_async(seed: u64) -> SeedOutcome {
    let s = Scenario::new(seed, false);
    let mut out = SeedOutcome {
        seed,
        ..Default::default()
    };
    let sb = harness::sandbox(&s).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("guichet.db");
    harness::create_accounts(dir.path(), &sb);
    // The providers' notifications reach a receiver running beside the killed processes.
    let receiver = Receiver::start(dir.path(), &sb, s.mycoolpay_balance);
    for (i, step) in s.steps.iter().enumerate() {
        out.steps += 1;
        let mut kills = 0;
        match step {
            Step::Send(batch, kill) => {
                // One `payout send` per payout, as a script would; the kill aims at the first.
                for (n, p) in batch.iter().enumerate() {
                    let args = vec![
                        "payout".into(),
                        "send".into(),
                        "--account".into(),
                        p.account.label().into(),
                        "--phone".into(),
                        p.phone.clone(),
                        "--amount".into(),
                        p.amount.to_string(),
                        "--name".into(),
                        "Awa Koné".into(),
                        "--yes".into(),
                    ];
                    let k = if n == 0 { kill.clone() } else { None };
                    if killable(&sb, &s, dir.path(), args, &k).await {
                        kills += 1;
                    }
                }
            }
            Step::Sync(kill) => {
                harness::make_checks_due(&db);
                if killable(&sb, &s, dir.path(), vec!["sync".into()], kill).await {
                    kills += 1;
                }
            }
            Step::Advance(ms) => sb.advance(*ms),
            Step::Confirm { reject } => {
                sb.confirm_transfers(None, *reject);
            }
            Step::Notifications { copies, reorder } => {
                sb.set_notification_faults(*copies, *reorder)
            }
        }
        out.kills += kills;
        if kills > 0 {
            // The restart: the database must open (and migrate) cleanly after SIGKILL.
            if let Err(e) = guichet_store::Store::open(&db) {
                out.violations.push(format!(
                    "step {i}: the database does not open after SIGKILL: {e}"
                ));
            }
        }
        out.check(
            &sb,
            &db,
            &format!("step {i} {}", crate::in_process::describe(step)),
        );
    }
    receiver.finish(&sb, &db, &mut out).await;
    settle(&sb, &s, dir.path(), &db, &mut out).await;
    out.finish(&sb, &db);
    sb.shutdown().await;
    out
}
