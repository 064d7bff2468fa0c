//! 1,000 payouts per provider, sent and tracked to a final status against the sandbox with
//! 100 ms of latency injected on every call, beside (a) the floor — the round trips the API
//! requires, one after the other, × the latency — and (b) the way the providers' SDKs are used:
//! one payout at a time, send then poll, in sequence. Then the poller's CPU time while nothing
//! is pending.
//!
//! `bash scripts/with-keyring.sh cargo bench -p guichet-core --bench payouts`
//! Options: `--payouts N` (1000), `--latency-ms L` (100), `--runs R` (3 batches per provider;
//! the median is the figure, every run is printed), `--sample S` (50 sequential payouts, scaled
//! to N — a sequential run is linear by construction), `--full-sequential` (all N), `--only
//! cinetpay|mycoolpay` (one provider, e.g. under a profiler), `--target X` (the most ×floor
//! allowed for both providers; by default 1.5 for CinetPay and 1.6 for My-CoolPay). Each batch
//! is read from a French CSV first and previewed (timed apart: the target is under 1 s). The machine's load average is
//! printed first: on a shared machine the figures move with it.

use guichet_core::accounts::AccountInput;
use guichet_core::poller::Poller;
use guichet_core::Guichet;
use guichet_providers::cinetpay_transfer::{self, ContactItem, SendItem};
use guichet_providers::executor::{Executor, ExecutorConfig};
use guichet_providers::mycoolpay;
use guichet_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig, SandboxHandle, Timings};
use guichet_secrets::Secret;
use guichet_types::{Provider, UnifiedStatus};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod common;
use common::{load_average, process_cpu};

// The allocator the app and the CLI ship with, so that the figures are theirs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Contacts, orders and lot checks per CinetPay request (as Guichet sends them).
const CINETPAY_CHUNK: u64 = 50;
/// Round trips the API requires one after the other: CinetPay — add the contact (a number must
/// be a contact before money is sent to it, 724), send, check; My-CoolPay — payout, check (the
/// check needs the reference the payout answers with). Neither provider documents a limit on
/// requests in flight, so the floor is these round trips × the latency, whatever the count.
const CINETPAY_ROUND_TRIPS: u32 = 3;
const MYCOOLPAY_ROUND_TRIPS: u32 = 2;
/// My-CoolPay requests Guichet keeps in flight (`adapters::IN_FLIGHT`).
const MYCOOLPAY_IN_FLIGHT: usize = 1000;
const AMOUNT: i64 = 500;

struct Args {
    payouts: u32,
    latency_ms: u64,
    runs: u32,
    sample: u32,
    only: Option<String>,
    /// The most ×floor allowed, for both providers (default: each provider's own).
    target: Option<f64>,
}

fn args() -> Args {
    let argv: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        argv.iter()
            .position(|a| a == name)
            .and_then(|i| argv.get(i + 1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    let payouts = value("--payouts").unwrap_or(1000) as u32;
    Args {
        payouts,
        latency_ms: value("--latency-ms").unwrap_or(100),
        runs: (value("--runs").unwrap_or(3) as u32).max(1),
        sample: if argv.iter().any(|a| a == "--full-sequential") {
            payouts
        } else {
            (value("--sample").unwrap_or(50) as u32).min(payouts)
        },
        only: argv
            .iter()
            .position(|a| a == "--only")
            .and_then(|i| argv.get(i + 1))
            .cloned(),
        target: argv
            .iter()
            .position(|a| a == "--target")
            .and_then(|i| argv.get(i + 1))
            .and_then(|v| v.parse().ok()),
    }
}

fn main() {
    // `RUST_LOG=guichet_providers=debug` shows each request and answer with its time.
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .init();
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run(args()));
}

async fn run(a: Args) {
    let sb = Sandbox::start(SandboxConfig {
        // Settled by the time anyone looks: the figures measure Guichet and the round trips,
        // not a simulated operator's delay.
        timings: Timings::settled(),
        ..Default::default()
    })
    .await
    .unwrap();
    let demo = sb.demo_credentials();
    // Enough money for the batch and the sequential run, on both providers.
    sb.seed_cinetpay(
        &demo.cinetpay_api_key,
        &demo.cinetpay_transfer_password,
        &demo.cinetpay_site_id,
        10_000_000_000,
        false,
    );
    sb.seed_mycoolpay(
        &demo.mycoolpay_public_key,
        &demo.mycoolpay_private_key,
        10_000_000_000,
        None,
    );
    sb.set_faults(vec![FaultRule {
        route: "*".into(),
        method: None,
        nth: None,
        probability: None,
        fault: Fault::Latency { ms: a.latency_ms },
    }]);
    let dir = tempfile::tempdir().unwrap();
    let g = Guichet::open(dir.path()).unwrap();
    add_accounts(&g, &sb);
    let latency = Duration::from_millis(a.latency_ms);
    let n = u64::from(a.payouts);

    println!("load average (1, 5, 15 min): {}", load_average());
    println!(
        "payouts: {} per provider, sent and tracked to a final status; {} ms latency injected on every sandbox call; median of {} batches",
        a.payouts, a.latency_ms, a.runs
    );
    println!(
        "{:<12} {:>10} {:>10} {:>8} {:>8} {:>9} {:>14} {:>9}",
        "provider", "measured", "floor", "×floor", "target", "requests", "sequential", "×faster"
    );

    let wanted = |name: &str| a.only.as_deref().is_none_or(|o| o == name);
    if wanted("cinetpay") {
        // Contacts, orders and lot checks 50 to a request, plus the balance read after sending
        // (beside the checks, off the critical path).
        let chunks = n.div_ceil(CINETPAY_CHUNK);
        let cinetpay = Figure {
            name: "CinetPay",
            measured: median(a.runs, |run| {
                guichet_batch(
                    &g,
                    &sb,
                    "Abidjan",
                    |i| format!("0707{i:06}"),
                    a.payouts,
                    run,
                )
            })
            .await,
            floor: latency * CINETPAY_ROUND_TRIPS,
            target: a.target.unwrap_or(1.5),
            requests: 3 * chunks + 1,
            sequential: sequential_cinetpay(&sb, a.sample).await * a.payouts / a.sample,
            sample: a.sample,
            payouts: a.payouts,
        };
        cinetpay.print();
    }
    if wanted("mycoolpay") {
        // One payout and one status check per request, plus the balance read after sending
        // (beside the checks).
        let mycoolpay = Figure {
            name: "My-CoolPay",
            measured: median(a.runs, |run| {
                guichet_batch(&g, &sb, "Douala", |i| format!("6770{i:05}"), a.payouts, run)
            })
            .await,
            floor: latency * MYCOOLPAY_ROUND_TRIPS,
            target: a.target.unwrap_or(1.6),
            requests: 2 * n + 1,
            sequential: sequential_mycoolpay(&sb, a.sample).await * a.payouts / a.sample,
            sample: a.sample,
            payouts: a.payouts,
        };
        mycoolpay.print();
        // The same exchanges without Guichet: what they cost on this machine, where the
        // simulated provider shares the cores. Guichet's own share is the difference.
        // One client for every run, its connections kept from one run to the next, as
        // Guichet's are.
        let client = Arc::new(mycoolpay_client(&sb));
        let bare = median(a.runs, |run| bare_mycoolpay(client.clone(), a.payouts, run)).await;
        println!(
            "{:<12} {:>9.2}s {:>9.2}s {:>8.2}   the same {} payouts and checks from My-CoolPay's client alone ({MYCOOLPAY_IN_FLIGHT} in flight, as Guichet): no Guichet, no database",
            "  bare",
            bare.as_secs_f64(),
            mycoolpay.floor.as_secs_f64(),
            bare.as_secs_f64() / mycoolpay.floor.as_secs_f64(),
            a.payouts,
        );
    }
    println!(
        "floor = round trips the API requires one after the other × latency (CinetPay {CINETPAY_ROUND_TRIPS}: contact, send, check; My-CoolPay {MYCOOLPAY_ROUND_TRIPS}: payout, check)"
    );
    println!(
        "targets: ≥ 20× faster than sequential; the \"target\" column is the most ×floor allowed"
    );

    // Nothing pending: the poller must sleep. The same idle interval is measured first without
    // it, so the runtime's and the measurement's own wake-ups are not counted against it.
    sb.shutdown().await;
    // The batches' connections close and their tasks end first.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle = Duration::from_secs(3);
    let without = idle_cpu(idle).await;
    tokio::spawn(Poller::default().run(g.clone()));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let pending = g.sync_once().await.unwrap().pending;
    let with = idle_cpu(idle).await;
    println!(
        "poller idle ({pending} pending): process CPU time over {} s: {:.3} ms with the poller, {:.3} ms without   target: no more than without",
        idle.as_secs(),
        with.as_secs_f64() * 1000.0,
        without.as_secs_f64() * 1000.0,
    );
}

async fn idle_cpu(interval: Duration) -> Duration {
    let before = process_cpu();
    tokio::time::sleep(interval).await;
    process_cpu() - before
}

struct Figure {
    name: &'static str,
    measured: Duration,
    floor: Duration,
    /// The most `measured / floor` may be.
    target: f64,
    requests: u64,
    sequential: Duration,
    sample: u32,
    payouts: u32,
}

impl Figure {
    fn print(&self) {
        let scaled = if self.sample < self.payouts {
            format!(" (measured on {}, scaled)", self.sample)
        } else {
            String::new()
        };
        let ratio = self.measured.as_secs_f64() / self.floor.as_secs_f64();
        println!(
            "{:<12} {:>9.2}s {:>9.2}s {:>8.2} {:>7.2}{} {:>9} {:>13.1}s {:>8.0}×{scaled}",
            self.name,
            self.measured.as_secs_f64(),
            self.floor.as_secs_f64(),
            ratio,
            self.target,
            if ratio <= self.target { " " } else { "!" },
            self.requests,
            self.sequential.as_secs_f64(),
            self.sequential.as_secs_f64() / self.measured.as_secs_f64(),
        );
    }
}

fn add_accounts(g: &Guichet, sb: &SandboxHandle) {
    let demo = demo::demo_accounts(&sb.demo_credentials());
    g.add_account(AccountInput {
        notify_url: Some(format!("{}/notify", demo.base_url)),
        ..demo.account("Abidjan", Provider::Cinetpay)
    })
    .unwrap();
    g.add_account(demo.account("Douala", Provider::Mycoolpay))
        .unwrap();
}

#[path = "../tests/common/demo.rs"]
mod demo;

/// The median of `runs` measurements.
async fn median<F: std::future::Future<Output = Duration>>(
    runs: u32,
    measure: impl Fn(u32) -> F,
) -> Duration {
    let mut all = Vec::new();
    for run in 0..runs {
        all.push(measure(run).await);
    }
    all.sort();
    all[all.len() / 2]
}

/// Guichet's way: the batch confirmed (queued, untimed), then sent and tracked to the end.
async fn guichet_batch(
    g: &Guichet,
    sb: &SandboxHandle,
    account: &str,
    phone: impl Fn(u32) -> String,
    n: u32,
    run: u32,
) -> Duration {
    // The merchant's file, as Excel writes it in French: semicolons, Windows-1252, a title row,
    // a `N°` column, numbers in pairs, amounts with a space between thousands, a TOTAL row.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("paie {account} {run}.csv"));
    // A title of its own for each run: the same file twice would be refused as already paid.
    let mut text = format!("Paie du mois, lot {run};;;;\r\nN°;Nom;Téléphone;Montant;Motif\r\n");
    for i in 0..n {
        let digits = phone(i);
        let pairs = digits
            .as_bytes()
            .chunks(2)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(" ");
        text.push_str(&format!(
            "{};Employé n° {i};{pairs};{};Salaire\r\n",
            i + 1,
            group(AMOUNT)
        ));
    }
    text.push_str(&format!(";TOTAL;;{};\r\n", group(AMOUNT * i64::from(n))));
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    std::fs::write(&path, &bytes).unwrap();
    // Timed: the file read and every row checked (numbers, amounts, bounds, duplicates against
    // the payouts already in the folder, new and renamed beneficiaries, the balance asked of
    // the provider) — what the merchant waits for before the review shows.
    let start = Instant::now();
    let req = g
        .read_batch(&path, account, &Default::default(), false)
        .unwrap();
    let preview = g.preview_batch(&req).await.unwrap();
    let previewed = start.elapsed();
    assert_eq!(
        (preview.count, preview.skipped, preview.blockers.len()),
        (n, 0, 0),
        "every row read, none refused"
    );
    println!(
        "  {account} run {}: {n} rows read from a French CSV and previewed in {:.3}s (target < 1 s)",
        run + 1,
        previewed.as_secs_f64()
    );
    let batch = g.confirm_batch(&req, &req.file_sha256).await.unwrap();
    let ledger_before = sb.ledger().len();
    let cpu_before = process_cpu();
    let start = Instant::now();
    g.send_batch(batch.id).await.unwrap();
    let sent = start.elapsed();
    let report = g.sync_until_final(Duration::from_secs(900)).await.unwrap();
    let elapsed = start.elapsed();
    println!(
        "  {account} run {}: sent, first looks and balance after: {:.2}s; then tracked to final: {:.2}s more; process CPU time (Guichet and the in-process sandbox): {:.2}s",
        run + 1,
        sent.as_secs_f64(),
        (elapsed - sent).as_secs_f64(),
        (process_cpu() - cpu_before).as_secs_f64()
    );
    let detail = g.batch(batch.id).unwrap();
    assert_eq!(report.pending, 0);
    assert_eq!(
        detail
            .counts
            .iter()
            .map(|c| (c.status, c.count))
            .collect::<Vec<_>>(),
        [(UnifiedStatus::Succeeded, i64::from(n))],
        "every payout paid"
    );
    assert_eq!(
        sb.ledger().len() - ledger_before,
        n as usize,
        "each paid once"
    );
    elapsed
}

/// `25000` as a French spreadsheet shows it: `25 000`.
fn group(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

fn executor() -> Arc<Executor> {
    Arc::new(Executor::new(ExecutorConfig::default()))
}

/// The SDK way on CinetPay: for each payout, add the contact, send, then check until final.
async fn sequential_cinetpay(sb: &SandboxHandle, n: u32) -> Duration {
    let demo = sb_credentials(sb);
    let c = cinetpay_transfer::Client::new(
        executor(),
        Some(&demo.base_url),
        cinetpay_transfer::Credentials {
            api_key: Secret::new(demo.cinetpay_api_key.clone()),
            transfer_password: Secret::new(demo.cinetpay_transfer_password.clone()),
        },
    );
    let start = Instant::now();
    for i in 0..n {
        let phone = format!("0505{i:06}");
        let reference = format!("SEQ{i:07}");
        c.add_contacts(&[ContactItem {
            prefix: "225".into(),
            phone: phone.clone(),
            name: format!("Personne {i}"),
            surname: format!("Personne {i}"),
            email: String::new(),
        }])
        .await
        .unwrap();
        c.send(&[SendItem {
            prefix: "225".into(),
            phone,
            amount: AMOUNT,
            notify_url: format!("{}/notify", demo.base_url),
            client_transaction_id: reference.clone(),
        }])
        .await
        .unwrap();
        while !c
            .check(&reference)
            .await
            .unwrap()
            .unwrap()
            .status()
            .is_final()
        {}
    }
    start.elapsed()
}

/// The SDK way on My-CoolPay: for each payout, send, then check until final.
fn mycoolpay_client(sb: &SandboxHandle) -> mycoolpay::Client {
    let demo = sb_credentials(sb);
    mycoolpay::Client::new(
        executor(),
        Some(&demo.base_url),
        &demo.mycoolpay_public_key,
        Secret::new(demo.mycoolpay_private_key.clone()),
    )
}

/// A My-CoolPay payout of `AMOUNT` to an MTN number, under `reference`.
fn salary(reference: String, phone: String) -> mycoolpay::PayoutRequest {
    mycoolpay::PayoutRequest {
        amount: AMOUNT,
        reason: "Salaire".into(),
        operator: mycoolpay::Operator::CmMomo,
        app_transaction_ref: reference,
        customer_name: None,
        customer_phone_number: Some(phone),
    }
}

async fn sequential_mycoolpay(sb: &SandboxHandle, n: u32) -> Duration {
    let c = mycoolpay_client(sb);
    let start = Instant::now();
    for i in 0..n {
        let reference = c
            .payout(&salary(format!("SEQ{i:07}"), format!("6780{i:05}")))
            .await
            .unwrap();
        while !c
            .check_status(&reference)
            .await
            .unwrap()
            .unified()
            .is_final()
        {}
    }
    start.elapsed()
}

/// `n` My-CoolPay payouts, each checked once its answer is in, `MYCOOLPAY_IN_FLIGHT` payouts at
/// a time and each check started at once, as Guichet does — by the provider's client alone.
async fn bare_mycoolpay(c: Arc<mycoolpay::Client>, n: u32, run: u32) -> Duration {
    let slots = Arc::new(tokio::sync::Semaphore::new(MYCOOLPAY_IN_FLIGHT));
    let start = Instant::now();
    let calls: Vec<_> = (0..n)
        .map(|i| {
            let (c, slots) = (c.clone(), slots.clone());
            tokio::spawn(async move {
                let slot = slots.acquire_owned().await.unwrap();
                let reference = c
                    .payout(&salary(format!("BARE{run}-{i:07}"), format!("6790{i:05}")))
                    .await
                    .unwrap();
                drop(slot);
                assert!(c
                    .check_status(&reference)
                    .await
                    .unwrap()
                    .unified()
                    .is_final());
            })
        })
        .collect();
    for call in calls {
        call.await.unwrap();
    }
    start.elapsed()
}

fn sb_credentials(sb: &SandboxHandle) -> guichet_sandbox::DemoCredentials {
    sb.demo_credentials()
}
