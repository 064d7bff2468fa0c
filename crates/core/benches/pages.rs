//! A page of any table at a million rows, and the dashboard's figures, on a real SQLite file.
//!
//! `cargo bench -p guichet-core --bench pages -- [--data-dir DIR] [--rows N]` seeds DIR (a
//! temporary directory by default) with N payouts and N event-log entries unless it already
//! holds them, then times the pages the app asks for and prints each figure beside its target.
//! `scripts/measure-desktop.sh` runs it and then opens the app on the same directory.
//!
//! Seeded payouts are final (or outcome unknown, which nothing retries), so an app opened on
//! the directory never sends anything.

use guichet_core::payouts::PayoutFilter;
use guichet_core::Guichet;
use guichet_store::page::PageRequest;
use guichet_types::UnifiedStatus;
use std::time::{Duration, Instant};

const PAGE_TARGET: Duration = Duration::from_millis(50);

fn arg(name: &str) -> Option<String> {
    let mut args = std::env::args().skip_while(|a| a != name);
    args.next()?;
    args.next()
}

/// Bulk insert in one transaction from a recursive CTE: a million rows in seconds, with every
/// index maintained as the app would have it.
fn seed(g: &Guichet, rows: i64) {
    let conn = g.store.conn();
    let have: i64 = conn
        .query_row("SELECT COUNT(*) FROM payouts", [], |r| r.get(0))
        .unwrap();
    if have >= rows {
        println!(
            "using the {have} payouts already in {}",
            g.data_dir().display()
        );
        return;
    }
    let start = Instant::now();
    conn.execute_batch("PRAGMA synchronous = OFF; PRAGMA cache_size = -200000;")
        .unwrap();
    conn.execute_batch(&format!(
        "BEGIN;
         INSERT INTO accounts (label, provider, currency, country, site_id, notify_url, created_at, updated_at)
             VALUES ('Mesure Abidjan', 'cinetpay', 'XOF', 'CI', '1', 'http://127.0.0.1:9/notify',
                     '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
                    ('Mesure Douala', 'mycoolpay', 'XAF', 'CM', NULL, NULL,
                     '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})
         INSERT INTO payouts (account_id, reference, prefix, phone, name, reason, amount, currency,
                              status, created_at, updated_at, submitted_at, final_at)
         SELECT (SELECT id FROM accounts WHERE label = CASE WHEN i % 4 = 0 THEN 'Mesure Douala' ELSE 'Mesure Abidjan' END),
                'GCHSEED' || i, CASE WHEN i % 4 = 0 THEN '237' ELSE '225' END,
                printf('07%08d', i % 100000000), 'Bénéficiaire ' || i, 'Salaire',
                200 + (i % 7000) * 5, CASE WHEN i % 4 = 0 THEN 'XAF' ELSE 'XOF' END,
                CASE WHEN i % 100 = 0 THEN 'outcome_unknown' WHEN i % 10 = 0 THEN 'failed'
                     WHEN i % 25 = 0 THEN 'rejected' ELSE 'succeeded' END,
                t, t, t, CASE WHEN i % 100 = 0 THEN NULL ELSE t END
         FROM (SELECT i, strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || (i * 30) || ' seconds') AS t FROM n);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})
         INSERT INTO event_log (at, kind, account_id, subject, detail)
         SELECT strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || (i * 30) || ' seconds'),
                'payout_final', 1, 'GCHSEED' || i, '{{\"status\":\"succeeded\"}}' FROM n;
         COMMIT;
         PRAGMA synchronous = FULL;"
    ))
    .unwrap();
    println!(
        "seeded {rows} payouts and {rows} log entries in {:.1} s",
        start.elapsed().as_secs_f64()
    );
}

/// Best and median of `runs` timings of `f` (the page is serialised as the IPC would).
fn time<T: serde::Serialize>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    let mut all: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let v = f();
            std::hint::black_box(serde_json::to_string(&v).unwrap());
            start.elapsed()
        })
        .collect();
    all.sort();
    (all[0], all[runs / 2])
}

fn main() {
    let rows: i64 = arg("--rows")
        .and_then(|r| r.parse().ok())
        .unwrap_or(1_000_000);
    let tmp = tempfile::tempdir().unwrap();
    let dir = arg("--data-dir")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    let g = Guichet::open(&dir).unwrap();
    seed(&g, rows);

    let all = PayoutFilter::default();
    let deep = PageRequest {
        before_id: Some(rows / 50),
        limit: 100,
    };
    let first = PageRequest::first(100);
    let failed = PayoutFilter {
        status: Some(UnifiedStatus::Failed),
        ..Default::default()
    };
    let douala = PayoutFilter {
        account: Some("Mesure Douala".into()),
        status: Some(UnifiedStatus::Rejected),
        ..Default::default()
    };
    let today = guichet_store::now_utc();
    let figures = [
        (
            "payouts, first page",
            time(21, || g.payout_page(&all, first).unwrap()),
        ),
        (
            "payouts, page near the end",
            time(21, || g.payout_page(&all, deep).unwrap()),
        ),
        (
            "payouts by status, deep page",
            time(21, || g.payout_page(&failed, deep).unwrap()),
        ),
        (
            "payouts by account and status",
            time(21, || g.payout_page(&douala, first).unwrap()),
        ),
        (
            "event log, page near the end",
            time(21, || g.event_page(deep).unwrap()),
        ),
        (
            "dashboard figures",
            time(5, || g.dashboard(&today).unwrap()),
        ),
    ];
    println!(
        "\n{rows} rows — {:<32} {:>10} {:>10} {:>8}",
        "figure", "median", "best", "target"
    );
    for (name, (best, median)) in figures {
        let ok = if median < PAGE_TARGET { "ok" } else { "SLOW" };
        println!(
            "{:<44} {:>8.2} ms {:>8.2} ms {:>5} ms {ok}",
            name,
            median.as_secs_f64() * 1000.0,
            best.as_secs_f64() * 1000.0,
            PAGE_TARGET.as_millis()
        );
    }
}
