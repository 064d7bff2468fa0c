//! A seed run through several `guichet` processes at once on one data folder, as merchants run
//! them: a batch from a script, the app's poller or a cron `guichet sync` every few hundred
//! milliseconds beside it, sometimes the same file given to a second terminal or a second batch
//! at the same time; one of them sometimes SIGKILLed. Answers are slowed down so that requests
//! are out while the others work. CinetPay batches go up to 150 payouts (chunks of 50) with odd
//! answers inside a chunk, and some sends arrive only after Guichet first asks about them.
//!
//! A `guichet callback serve` runs beside them all and receives the providers' notifications,
//! copied and reordered, and forgeries (`callbacks.rs`).
//!
//! Besides the per-reference invariants, each payout the scenario meant is counted against what
//! the providers executed, whatever the reference; and with no process killed, no payout may be
//! called interrupted (taken over from a live process).

use crate::callbacks::{Forger, Receiver};
use crate::harness::{self, SeedOutcome};
use crate::invariants;
use crate::processes;
use crate::scenario::{Account, Scenario, Step};
use guichet_sandbox::{Fault, FaultRule, SandboxHandle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::Duration;

/// One batch file of the scenario, for one account.
struct File {
    account: Account,
    path: PathBuf,
}

fn write_file(dir: &Path, n: usize, rows: &[(String, i64)]) -> PathBuf {
    let mut text = String::from("Nom;Téléphone;Montant\n");
    for (i, (phone, amount)) in rows.iter().enumerate() {
        text.push_str(&format!("Agent {i};{phone};{amount}\n"));
    }
    let path = dir.join(format!("lot-{n}.csv"));
    std::fs::write(&path, text).expect("batch file");
    path
}

fn batch_args(f: &File) -> Vec<String> {
    vec![
        "payout".into(),
        "batch".into(),
        f.path.to_string_lossy().into_owned(),
        "--account".into(),
        f.account.label().into(),
        "--yes".into(),
    ]
}

/// Runs processes side by side: `batches` to their end, a `guichet sync` every `sync_every`
/// while any batch runs (`syncers` of them), and SIGKILLs process `kill.0` after `kill.1` ms;
/// a stranger forges callbacks all along. Returns how many were killed.
async fn side_by_side(
    sb: &SandboxHandle,
    forger: &mut Forger,
    dir: &Path,
    batches: Vec<Vec<String>>,
    syncers: usize,
    sync_every: Duration,
    kill: Option<(usize, u64)>,
) -> u64 {
    let started = tokio::time::Instant::now();
    let mut running: Vec<Child> = batches
        .iter()
        .map(|args| processes::spawn(dir, args))
        .collect();
    let mut syncs: Vec<Option<Child>> = (0..syncers).map(|_| None).collect();
    let mut kills = 0;
    let deadline = started + Duration::from_secs(120);
    loop {
        forger.tick(sb);
        let batches_done = running
            .iter_mut()
            .all(|c| matches!(c.try_wait(), Ok(Some(_))));
        if let Some((victim, ms)) = kill {
            if started.elapsed() >= Duration::from_millis(ms) && kills == 0 {
                let target = if victim < running.len() {
                    Some(&mut running[victim])
                } else {
                    syncs
                        .get_mut(victim - running.len())
                        .and_then(|s| s.as_mut())
                };
                if let Some(child) = target {
                    if matches!(child.try_wait(), Ok(None)) {
                        let _ = child.kill();
                        kills += 1;
                    }
                }
            }
        }
        for slot in syncs.iter_mut() {
            let finished = slot
                .as_mut()
                .is_none_or(|c| matches!(c.try_wait(), Ok(Some(_))));
            if finished && !batches_done {
                *slot = Some(processes::spawn(dir, &["sync".to_string()]));
            }
        }
        let syncs_done = syncs.iter_mut().all(|s| {
            s.as_mut()
                .is_none_or(|c| matches!(c.try_wait(), Ok(Some(_))))
        });
        if batches_done && syncs_done {
            break;
        }
        if tokio::time::Instant::now() >= deadline {
            // Stuck: a violation shows as payouts never settled.
            for c in running.iter_mut().chain(syncs.iter_mut().flatten()) {
                let _ = c.kill();
            }
            break;
        }
        tokio::time::sleep(sync_every.min(Duration::from_millis(20))).await;
    }
    for c in running.iter_mut().chain(syncs.iter_mut().flatten()) {
        let _ = c.wait();
    }
    kills
}

/// Faults inside a CinetPay chunk: orders answered 715, with an empty status, left out of the
/// answer (all three executed), and one answered with an unknown code and not executed.
fn odd_answers(sb: &SandboxHandle, rows: &[(String, i64)], rng: &mut StdRng) {
    for (i, (phone, _)) in rows.iter().enumerate().filter(|_| rng.random_bool(0.04)) {
        match i % 4 {
            0 => sb.odd_item(phone, Some("715"), true),
            1 => sb.odd_item(phone, Some(""), true),
            2 => sb.odd_item(phone, None, true),
            _ => sb.odd_item(phone, Some("999"), false),
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
    let mut rng = StdRng::seed_from_u64(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut out = SeedOutcome {
        seed,
        ..Default::default()
    };
    let sb = harness::sandbox(&s).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("guichet.db");
    harness::create_accounts(dir.path(), &sb);
    // Notifications go to a receiver running beside the others, copied and reordered.
    let receiver = Receiver::start(dir.path(), &sb, s.mycoolpay_balance);
    sb.set_notification_faults(rng.random_range(1..=3), rng.random_bool(0.5));
    let mut forger = receiver.forger(&sb, seed);

    // The scenario's payouts as batch files, one per step and account.
    let mut files = Vec::new();
    let mut intents: Vec<(String, i64)> = Vec::new();
    for step in &s.steps {
        let Step::Send(batch, _) = step else { continue };
        for account in [Account::Cinetpay, Account::Mycoolpay] {
            let rows: Vec<(String, i64)> = batch
                .iter()
                .filter(|p| p.account == account)
                .map(|p| (p.phone.clone(), p.amount))
                .collect();
            if rows.is_empty() {
                continue;
            }
            let path = write_file(dir.path(), files.len(), &rows);
            files.push((File { account, path }, rows));
        }
    }
    if rng.random_bool(0.4) {
        // A payroll large enough for several CinetPay chunks.
        let n = rng.random_range(51..=150);
        let rows: Vec<(String, i64)> = (0..n)
            .map(|i| {
                (
                    format!("07{:02}{:06}", seed % 100, i),
                    5 * rng.random_range(40..400i64),
                )
            })
            .collect();
        odd_answers(&sb, &rows, &mut rng);
        let path = write_file(dir.path(), files.len(), &rows);
        files.push((
            File {
                account: Account::Cinetpay,
                path,
            },
            rows,
        ));
    }

    // Slow answers keep requests out while the others work; sometimes a send arrives at
    // CinetPay only after Guichet first asked about it.
    let mut faults = vec![FaultRule {
        route: "/v1/transfer/money/send/contact".into(),
        method: None,
        nth: None,
        probability: Some(0.5),
        fault: Fault::Latency {
            ms: rng.random_range(100..800),
        },
    }];
    faults.push(FaultRule {
        route: "/payout".into(),
        method: None,
        nth: None,
        probability: Some(0.5),
        fault: Fault::Latency {
            ms: rng.random_range(100..800),
        },
    });
    if rng.random_bool(0.3) {
        faults.insert(
            0,
            FaultRule {
                route: "/v1/transfer/money/send/contact".into(),
                method: None,
                nth: Some(1),
                probability: None,
                fault: Fault::ApplyLater { ms: 300 },
            },
        );
    }
    faults.extend(s.faults.clone());
    sb.set_faults(faults);

    let mut i = 0;
    while i < files.len() {
        out.steps += 1;
        let (file, rows) = &files[i];
        let mut batches = vec![batch_args(file)];
        let mut meant = rows.clone();
        match rng.random_range(0..3) {
            // The same file from a second terminal at the same moment: meant once.
            0 => batches.push(batch_args(file)),
            // The next file from another script at the same time.
            1 if i + 1 < files.len() => {
                i += 1;
                batches.push(batch_args(&files[i].0));
                meant.extend(files[i].1.iter().cloned());
            }
            _ => {}
        }
        intents.extend(meant.iter().cloned());
        let syncers = rng.random_range(1..=2);
        let processes = batches.len() + syncers;
        let kill = rng
            .random_bool(0.4)
            .then(|| (rng.random_range(0..processes), rng.random_range(50..1500)));
        let kills = side_by_side(
            &sb,
            &mut forger,
            dir.path(),
            batches,
            syncers,
            Duration::from_millis(rng.random_range(100..400)),
            kill,
        )
        .await;
        out.kills += kills;
        if kills > 0 {
            if let Err(e) = guichet_store::Store::open(&db) {
                out.violations.push(format!(
                    "file {i}: the database does not open after SIGKILL: {e}"
                ));
            }
        }
        out.check(
            &sb,
            &db,
            &format!("file {i} ({} rows, {processes} processes)", meant.len()),
        );
        i += 1;
    }
    let killed_any = out.kills > 0;
    forger.done().await;
    receiver.finish(&sb, &db, &mut out).await;
    processes::settle(&sb, &s, dir.path(), &db, &mut out).await;
    for v in invariants::per_intent(&intents, &sb.ledger()) {
        out.violations.push(format!("end: {v}"));
    }
    if !killed_any {
        for v in interrupted(&db) {
            out.violations.push(format!(
                "end: {v} was taken for interrupted while no process had stopped"
            ));
        }
    }
    out.finish(&sb, &db);
    sb.shutdown().await;
    out
}

/// Payouts whose history says another process took them for interrupted.
fn interrupted(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).expect("db");
    let mut stmt = conn
        .prepare(
            "SELECT DISTINCT p.reference FROM payout_history h JOIN payouts p ON p.id = h.payout_id
             WHERE h.event = 'interrupted'",
        )
        .expect("query");
    stmt.query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
}
