//! The receiver at its edge, over real sockets: who it believes a delivery comes from (through
//! a local tunnel-like hop, with and without `X-Forwarded-For`), which path it answers on, and
//! what a flood of forged deliveries costs (disk) and leaves (genuine deliveries answered
//! within a second). The 100,000-delivery flood is `--ignored`; a 5,000 one runs every time.
//! Figures: docs/callbacks.md.

mod common;

use guichet_core::accounts::AccountInput;
use guichet_core::callbacks::{CallbackServer, Limits, ServeOptions};
use guichet_core::collections::CollectionInput;
use guichet_core::Guichet;
use guichet_sandbox::SandboxHandle;
use guichet_secrets::Secret;
use guichet_types::{Provider, UnifiedStatus};
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PUBLIC: &str = "edge-public";
const PRIVATE: &str = "edge-private";
const MYCOOLPAY_IP: &str = "15.236.140.89";

/// Stands where a merchant's server would, and keeps every body the sandbox sends.
async fn capture() -> (String, Arc<Mutex<Vec<String>>>) {
    use axum::routing::post;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let keep = seen.clone();
    let app = axum::Router::new().route(
        "/{*rest}",
        post(move |body: String| {
            let keep = keep.clone();
            async move {
                keep.lock().unwrap().push(body);
                "OK"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

/// A hop like `ssh -R` or socat: passes bytes both ways and adds nothing. It connects to the
/// receiver from `from`.
async fn hop(to: SocketAddr, from: IpAddr) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            tokio::spawn(async move {
                let socket = tokio::net::TcpSocket::new_v4().unwrap();
                socket.bind(SocketAddr::new(from, 0)).unwrap();
                let mut outbound = socket.connect(to).await.unwrap();
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            });
        }
    });
    addr
}

struct World {
    _dir: tempfile::TempDir,
    g: Guichet,
    sb: SandboxHandle,
    captured: Arc<Mutex<Vec<String>>>,
}

/// A Guichet with a real (not sandbox) My-CoolPay account pointed at the simulator: its
/// callbacks are believed only from My-CoolPay's address.
async fn world() -> World {
    let sb = common::settled_sandbox().await;
    let (hook, captured) = capture().await;
    sb.seed_mycoolpay(PUBLIC, PRIVATE, 1_000_000, Some(format!("{hook}/cb")));
    // In memory where the machine offers it: the figures are the receiver's, not those of a
    // disk shared with other work (each genuine delivery waits for one or two fsyncs).
    let scratch = if Path::new("/dev/shm").is_dir() {
        "/dev/shm"
    } else {
        "/tmp"
    };
    let dir = tempfile::tempdir_in(scratch).unwrap();
    let g = Guichet::open(dir.path()).unwrap();
    g.add_account(AccountInput {
        label: Some("Douala".into()),
        provider: Some(Provider::Mycoolpay),
        public_key: Some(PUBLIC.into()),
        base_url: Some(sb.demo_credentials().base_url.clone()),
        secrets: vec![("private_key".into(), Secret::new(PRIVATE))],
        ..Default::default()
    })
    .unwrap();
    World {
        _dir: dir,
        g,
        sb,
        captured,
    }
}

impl World {
    /// `n` paid links, and the callback My-CoolPay sent for each (not yet delivered to Guichet).
    async fn paid_links(&self, n: usize) -> Vec<(i64, String)> {
        let http = reqwest::Client::new();
        let mut links = Vec::new();
        for i in 0..n {
            let c = self
                .g
                .collect_paylink(
                    "Douala",
                    CollectionInput {
                        amount: 1000 + i as i64,
                        reason: format!("Facture {i}"),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            let before = self.captured.lock().unwrap().len();
            let r = http
                .post(format!("{}/pay", c.link.as_deref().unwrap()))
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success());
            let body = loop {
                if let Some(b) = self.captured.lock().unwrap().get(before) {
                    break b.clone();
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            };
            links.push((c.id, body));
        }
        links
    }

    async fn serve(&self, trust_proxy: Option<&str>) -> CallbackServer {
        self.g
            .serve_callbacks(ServeOptions {
                trust_proxy: trust_proxy.map(|a| a.parse().unwrap()),
                ..ServeOptions::new("127.0.0.1".parse().unwrap(), 0)
            })
            .await
            .unwrap()
    }
}

/// Posts `body` to `path` on `at`, with `X-Forwarded-For` when given: (HTTP status, answer).
async fn post(
    http: &reqwest::Client,
    at: SocketAddr,
    path: &str,
    body: &str,
    forwarded_for: Option<&str>,
) -> (u16, String) {
    try_post(http, at, path, body, forwarded_for).await.unwrap()
}

/// As [`post`], for a sender that may be cut off: a refused flooder's unread body may end its
/// connection before the answer.
async fn try_post(
    http: &reqwest::Client,
    at: SocketAddr,
    path: &str,
    body: &str,
    forwarded_for: Option<&str>,
) -> reqwest::Result<(u16, String)> {
    let mut req = http
        .post(format!("http://{at}/{path}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_string());
    if let Some(f) = forwarded_for {
        req = req.header("x-forwarded-for", f);
    }
    let r = req.send().await?;
    Ok((r.status().as_u16(), r.text().await?))
}

fn replace(body: &str, key: &str, value: &str) -> String {
    let mut fields: Vec<(String, String)> = serde_urlencoded::from_str(body).unwrap();
    for (k, v) in fields.iter_mut() {
        if k == key {
            *v = value.to_string();
        }
    }
    serde_urlencoded::to_string(fields).unwrap()
}

/// Trusted proxy, body, `X-Forwarded-For`, answer, and what the verdict must say.
type Case<'a> = (Option<&'a str>, &'a str, Option<&'a str>, &'a str, &'a str);

#[tokio::test(flavor = "multi_thread")]
async fn forged_callbacks_through_a_local_hop_are_believed_by_address_only_from_the_configured_proxy(
) {
    let w = world().await;
    let (_, genuine) = w.paid_links(1).await.remove(0);
    let forged = replace(&genuine, "signature", "0123456789abcdef0123456789abcdef");
    let http = reqwest::Client::new();
    let local: IpAddr = "127.0.0.1".parse().unwrap();
    let wrong_source = "wrong source address 127.0.0.1";
    let cases: [Case; 10] = [
        // No proxy configured (the default): whatever the header says, the sender is the hop.
        (None, &genuine, Some(MYCOOLPAY_IP), "KO", wrong_source),
        (None, &genuine, None, "KO", wrong_source),
        (None, &forged, Some(MYCOOLPAY_IP), "KO", wrong_source),
        (None, &forged, None, "KO", wrong_source),
        // A proxy configured at another address than the hop's: still the hop.
        (
            Some("127.0.0.2"),
            &genuine,
            Some(MYCOOLPAY_IP),
            "KO",
            wrong_source,
        ),
        (Some("127.0.0.2"), &forged, None, "KO", wrong_source),
        // The hop is the configured proxy: the address it forwards is believed, and then the
        // signature decides.
        (
            Some("127.0.0.1"),
            &genuine,
            Some(MYCOOLPAY_IP),
            "OK",
            "changed",
        ),
        (
            Some("127.0.0.1"),
            &forged,
            Some("10.0.0.9, 15.236.140.89"),
            "KO",
            "wrong signature",
        ),
        (
            Some("127.0.0.1"),
            &genuine,
            Some("15.236.140.89, 10.0.0.9"),
            "KO",
            "wrong source address 10.0.0.9",
        ),
        (Some("127.0.0.1"), &forged, None, "KO", wrong_source),
    ];
    for (trust, body, xff, answer, verdict) in cases {
        let server = w.serve(trust).await;
        let via = hop(server.addr(), local).await;
        let got = post(&http, via, server.path(), body, xff).await;
        assert_eq!(got, (200, answer.to_string()), "{trust:?} {xff:?}");
        let last = w.g.recent_callbacks(1).unwrap().remove(0);
        assert!(
            last.verdict.contains(verdict),
            "{trust:?} {xff:?}: {}",
            last.verdict
        );
        server.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_receiver_answers_only_on_the_data_folders_own_path() {
    let w = world().await;
    let (_, genuine) = w.paid_links(1).await.remove(0);
    let server = w.serve(None).await;
    let path = server.path().to_string();
    assert_eq!(path.len(), 32);
    assert!(path.chars().all(|c| c.is_ascii_alphanumeric()));
    assert_eq!(server.url(), format!("http://{}/{path}", server.addr()));
    let http = reqwest::Client::new();
    for elsewhere in [
        "",
        "mycoolpay",
        "callback",
        &path[..31],
        &format!("x{path}"),
    ] {
        let got = post(&http, server.addr(), elsewhere, &genuine, None).await;
        assert_eq!(got.0, 404, "/{elsewhere}");
    }
    assert!(w.g.recent_callbacks(10).unwrap().is_empty());
    // The path and anything under it (a provider's name, say) are the receiver's.
    for under in [path.clone(), format!("{path}/mycoolpay")] {
        assert_eq!(
            post(&http, server.addr(), &under, &genuine, None).await.0,
            200
        );
    }
    assert_eq!(w.g.recent_callbacks(10).unwrap().len(), 2);
    // The same path for every process on this data folder, another for another folder.
    let again = Guichet::open(w.g.data_dir()).unwrap();
    assert_eq!(again.callback_path().unwrap(), path);
    let other = tempfile::tempdir().unwrap();
    assert_ne!(
        Guichet::open(other.path())
            .unwrap()
            .callback_path()
            .unwrap(),
        path
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn one_flooding_sender_is_held_back_and_its_rejected_bodies_are_kept_short_and_few() {
    let w = world().await;
    let links = w.paid_links(1).await;
    let server =
        w.g.serve_callbacks(ServeOptions {
            trust_proxy: Some("127.0.0.1".parse().unwrap()),
            limits: Limits {
                burst: 20.0,
                per_second: 1.0,
                rejected_stored_burst: 10.0,
                rejected_stored_per_minute: 10.0,
            },
            ..ServeOptions::new("127.0.0.1".parse().unwrap(), 0)
        })
        .await
        .unwrap();
    let flooder = reqwest::Client::builder()
        .local_address(Some("127.0.0.3".parse().unwrap()))
        .build()
        .unwrap();
    let big = format!(
        "application={PUBLIC}&transaction_ref=X&pad={}",
        "A".repeat(60_000)
    );
    let mut answers = std::collections::BTreeMap::new();
    for _ in 0..200 {
        // A refused body is not read: the flooder may find its connection closed before the
        // 429 (counted as 0, refused too).
        let status = try_post(&flooder, server.addr(), server.path(), &big, None)
            .await
            .map_or(0, |(status, _)| status);
        *answers.entry(status).or_insert(0) += 1;
    }
    let count = |s: u16| answers.get(&s).copied().unwrap_or(0);
    assert!(count(429) + count(0) >= 170, "{answers:?}");
    assert!(count(200) <= 30, "{answers:?}");
    let stored = w.g.recent_callbacks(1000).unwrap();
    assert!(
        stored.len() <= 12,
        "{} rejected bodies stored",
        stored.len()
    );
    let note = format!("[{} bytes in all]", big.len());
    assert!(stored
        .iter()
        .all(|r| r.body.len() < 1100 && r.body.ends_with(&note)));
    // My-CoolPay, through the proxy, is not held back by the flood: its delivery is handled.
    let http = reqwest::Client::new();
    let (id, body) = &links[0];
    let got = post(
        &http,
        server.addr(),
        server.path(),
        body,
        Some(MYCOOLPAY_IP),
    )
    .await;
    assert_eq!(got, (200, "OK".to_string()));
    assert_eq!(
        w.g.collection(*id).unwrap().collection.status,
        UnifiedStatus::Succeeded
    );
    // A genuine body is kept whole.
    assert_eq!(&w.g.recent_callbacks(1).unwrap()[0].body, body);
}

/// Floods the receiver with `total` forged deliveries from 100 local addresses, `in_flight`
/// at a time, while the ten paid links' genuine callbacks arrive through the proxy; returns
/// (database growth in bytes, slowest genuine answer during the flood).
async fn flood(total: usize, in_flight: usize) -> (u64, Duration) {
    let w = world().await;
    let links = w.paid_links(10).await;
    let server = w.serve(Some("127.0.0.1")).await;
    let addr = server.addr();
    let path = server.path().to_string();
    let db = w.g.data_dir().join("guichet.db");
    let size = |g: &Guichet| {
        g.store
            .conn()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
        std::fs::metadata(&db).unwrap().len()
    };
    let before = size(&w.g);
    let genuine = links[0].1.clone();
    let forgeries: Vec<String> = vec![
        // A genuine body from an address that is not My-CoolPay's (the header is not believed).
        genuine.clone(),
        replace(&genuine, "signature", "0123456789abcdef0123456789abcdef"),
        replace(&genuine, "application", "someone-else"),
        format!(
            "cpm_trans_id=GCH-NOT-OURS&cpm_amount=100&pad={}",
            "Z".repeat(30_000)
        ),
        "orderId=NOPE000000000000000000&Status=Accepte".into(),
        "\u{0}\u{1}garbage".into(),
        format!("{{\"application\":\"{}\"}}", "B".repeat(60_000)),
    ];
    let forgeries = Arc::new(forgeries);
    let sources = 100;
    let started = Instant::now();
    let sent = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let cut_off = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // Genuine deliveries made while the flood went on: the flood lasts until there are a few,
    // however slow a loaded machine makes either side.
    let genuine_during = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    const GENUINE_DURING: usize = 5;
    // The flood comes from elsewhere: its own threads, not the receiver's runtime.
    let flood = {
        let sent = sent.clone();
        let genuine_during = genuine_during.clone();
        let cut_off = cut_off.clone();
        let path = path.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let clients: Arc<Vec<reqwest::Client>> = Arc::new(
                    (0..sources)
                        .map(|s| {
                            reqwest::Client::builder()
                                .local_address(Some(IpAddr::from([127, 0, 1, s as u8 + 1])))
                                .build()
                                .unwrap()
                        })
                        .collect(),
                );
                let mut tasks = Vec::new();
                for t in 0..in_flight {
                    let cut_off = cut_off.clone();
                    let clients = clients.clone();
                    let forgeries = forgeries.clone();
                    let sent = sent.clone();
                    let genuine_during = genuine_during.clone();
                    let path = path.clone();
                    tasks.push(tokio::spawn(async move {
                        let mut n = t;
                        let more = || {
                            sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < total
                                || genuine_during.load(std::sync::atomic::Ordering::Relaxed)
                                    < GENUINE_DURING
                        };
                        while more() {
                            let body = &forgeries[n % forgeries.len()];
                            let client = &clients[n % clients.len()];
                            n += in_flight;
                            match try_post(client, addr, &path, body, Some(MYCOOLPAY_IP)).await {
                                Ok((status, answer)) => assert!(
                                    status == 429 || (status == 200 && answer == "KO"),
                                    "{status} {answer}"
                                ),
                                Err(_) => {
                                    cut_off.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                                }
                            }
                        }
                    }));
                }
                for t in tasks {
                    t.await.unwrap();
                }
            })
        })
    };
    // Genuine deliveries, through the proxy, every 300 ms while the flood goes on: each paid
    // link's callback first (it moves the collection), then copies of them (answered OK too).
    let http = reqwest::Client::new();
    let mut times = Vec::new();
    let mut genuine_sent = 0;
    while genuine_sent < links.len() || !flood.is_finished() {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let flooding = !flood.is_finished();
        let (id, body) = &links[genuine_sent % links.len()];
        let start = Instant::now();
        let got = post(&http, addr, &path, body, Some(MYCOOLPAY_IP)).await;
        let took = start.elapsed();
        assert_eq!(got, (200, "OK".to_string()));
        assert_eq!(
            w.g.collection(*id).unwrap().collection.status,
            UnifiedStatus::Succeeded
        );
        if flooding {
            times.push(took);
            genuine_during.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        genuine_sent += 1;
    }
    tokio::task::spawn_blocking(move || flood.join().unwrap())
        .await
        .unwrap();
    let flood_time = started.elapsed();
    times.sort();
    let during = times.len();
    let slowest = times.last().copied().unwrap_or_default();
    let median = times.get(during / 2).copied().unwrap_or_default();
    let p95 = times.get(during * 95 / 100).copied().unwrap_or_default();
    let growth = size(&w.g) - before;
    // Each flooding task counted one last look that it did not send.
    let forged = sent.load(std::sync::atomic::Ordering::Relaxed) - in_flight;
    eprintln!(
        "callback receiver flood: {forged} forged deliveries from {sources} addresses, {in_flight} at a time, in {flood_time:.1?} ({} cut off unanswered); database grew {growth} bytes; {during} genuine deliveries during the flood answered in {median:.0?} (median), {p95:.0?} (95th percentile), {slowest:.0?} (slowest)",
        cut_off.load(std::sync::atomic::Ordering::Relaxed)
    );
    assert!(
        during >= GENUINE_DURING,
        "only {during} genuine deliveries during the flood"
    );
    (growth, slowest)
}

/// Floors: docs/callbacks.md.
const MAX_GROWTH: u64 = 1024 * 1024;
const MAX_ANSWER: Duration = Duration::from_secs(1);

#[tokio::test(flavor = "multi_thread")]
async fn a_flood_of_five_thousand_forged_deliveries_costs_little_disk_and_no_genuine_delivery() {
    let (growth, slowest) = flood(5_000, 20).await;
    assert!(growth < MAX_GROWTH, "database grew {growth} bytes");
    assert!(slowest < MAX_ANSWER, "slowest genuine answer {slowest:?}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "100,000 deliveries: minutes in a debug build; run with --ignored --nocapture"]
async fn a_flood_of_a_hundred_thousand_forged_deliveries_costs_little_disk_and_no_genuine_delivery()
{
    let (growth, slowest) = flood(100_000, 100).await;
    eprintln!("floors: growth {growth} < {MAX_GROWTH} bytes, slowest {slowest:?} < {MAX_ANSWER:?}");
    assert!(growth < MAX_GROWTH, "database grew {growth} bytes");
    assert!(slowest < MAX_ANSWER, "slowest genuine answer {slowest:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_provider_re_query_for_one_transaction_does_not_hold_up_another() {
    let w = world().await;
    let links = w.paid_links(2).await;
    let slow_ref =
        w.g.collection(links[0].0)
            .unwrap()
            .collection
            .provider_ref
            .unwrap();
    w.sb.set_faults(vec![guichet_sandbox::FaultRule {
        route: format!("checkStatus/{slow_ref}"),
        method: None,
        nth: None,
        probability: None,
        fault: guichet_sandbox::Fault::Latency { ms: 4_000 },
    }]);
    let mycoolpay: IpAddr = MYCOOLPAY_IP.parse().unwrap();
    let g = w.g.clone();
    let slow_body = links[0].1.clone();
    let slow = tokio::spawn(async move {
        let start = Instant::now();
        let o = g.receive_callback(&slow_body, mycoolpay).await.unwrap();
        (o, start.elapsed())
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let start = Instant::now();
    let quick = w.g.receive_callback(&links[1].1, mycoolpay).await.unwrap();
    let waited = start.elapsed();
    assert!(quick.ok() && quick.changed, "{quick:?}");
    assert!(
        waited < Duration::from_secs(2),
        "the second transaction waited {waited:?} behind the first one's re-query"
    );
    let (o, took) = slow.await.unwrap();
    assert!(o.ok() && o.changed, "{o:?}");
    assert!(took >= Duration::from_secs(4), "{took:?}");
}
