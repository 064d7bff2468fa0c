//! A page of any table at a million rows, and the dashboard's figures, on a real SQLite file.
//!
//! `cargo bench -p guichet-core --bench pages -- [--data-dir DIR] [--rows N]` seeds DIR (a
//! temporary directory by default) with N payouts, collections, contacts and event-log entries
//! unless it already holds them, then times the pages the app asks for and prints each figure
//! beside its target. `scripts/measure-desktop.sh` runs it and then opens the app on the same
//! directory.
//!
//! Seeded payouts and collections are final (or outcome unknown, which nothing retries), so an
//! app opened on the directory never sends anything.

use guichet_core::contacts::{ContactCursor, ContactPageRequest};
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

/// How many rows `table` holds.
fn count(conn: &rusqlite::Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// Bulk insert in one transaction per table from a recursive CTE: a million rows in seconds,
/// with every index maintained as the app would have it. A table that already holds `rows` is
/// left as it is, so the app can be measured on the same directory afterwards.
fn seed(g: &Guichet, rows: i64) {
    let conn = g.store.conn();
    conn.execute_batch("PRAGMA synchronous = OFF; PRAGMA cache_size = -200000;")
        .unwrap();
    let numbers =
        format!("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})");
    // Every fourth row belongs to the Douala account (My-CoolPay, XAF), the rest to Abidjan.
    let account = "(SELECT id FROM accounts WHERE label = CASE WHEN i % 4 = 0 THEN 'Mesure Douala' ELSE 'Mesure Abidjan' END)";
    let at = "strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || (i * 30) || ' seconds')";
    let tables = [
        ("accounts", 1, "INSERT INTO accounts (label, provider, currency, country, site_id, notify_url, created_at, updated_at)
             VALUES ('Mesure Abidjan', 'cinetpay', 'XOF', 'CI', '1', 'http://127.0.0.1:9/notify',
                     '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
                    ('Mesure Douala', 'mycoolpay', 'XAF', 'CM', NULL, NULL,
                     '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');".to_string()),
        ("payouts", rows, format!("{numbers}
         INSERT INTO payouts (account_id, reference, prefix, phone, name, reason, amount, currency,
                              status, created_at, updated_at, submitted_at, final_at)
         SELECT {account}, 'GCHSEED' || i, CASE WHEN i % 4 = 0 THEN '237' ELSE '225' END,
                printf('07%08d', i % 100000000), 'Bénéficiaire ' || i, 'Salaire',
                200 + (i % 7000) * 5, CASE WHEN i % 4 = 0 THEN 'XAF' ELSE 'XOF' END,
                CASE WHEN i % 100 = 0 THEN 'outcome_unknown' WHEN i % 10 = 0 THEN 'failed'
                     WHEN i % 25 = 0 THEN 'rejected' ELSE 'succeeded' END,
                t, t, t, CASE WHEN i % 100 = 0 THEN NULL ELSE t END
         FROM (SELECT i, {at} AS t FROM n);")),
        ("event_log", rows, format!("{numbers}
         INSERT INTO event_log (at, kind, account_id, subject, detail)
         SELECT {at}, 'payout_final', 1, 'GCHSEED' || i, '{{\"status\":\"succeeded\"}}' FROM n;")),
        // Final collections only (paid, failed, cancelled): nothing for the app to poll.
        ("collections", rows, format!("{numbers}
         INSERT INTO collections (account_id, kind, reference, amount, currency, phone, name,
                                  reason, status, created_at, updated_at, final_at)
         SELECT {account}, CASE WHEN i % 4 = 0 THEN 'paylink' ELSE 'cinetpay' END,
                'GCHCOL' || i, 100 + (i % 5000) * 25, CASE WHEN i % 4 = 0 THEN 'XAF' ELSE 'XOF' END,
                printf('05%08d', i % 100000000), 'Client ' || i, 'Facture ' || i,
                CASE WHEN i % 10 = 0 THEN 'failed' WHEN i % 33 = 0 THEN 'cancelled' ELSE 'succeeded' END,
                t, t, t
         FROM (SELECT i, {at} AS t FROM n);")),
        // Names in no particular order, as an imported file brings them.
        ("contacts", rows, format!("{numbers}
         INSERT INTO contacts (account_id, prefix, phone, name, surname, provider_state,
                               created_at, updated_at)
         SELECT {account}, CASE WHEN i % 4 = 0 THEN '237' ELSE '225' END,
                printf('01%08d', i), 'Nom ' || ((i * 7919) % 1000003), 'Prénom ' || (i % 977),
                CASE WHEN i % 3 = 0 THEN 'added' ELSE 'local' END, t, t
         FROM (SELECT i, {at} AS t FROM n);")),
    ];
    for (table, want, sql) in tables {
        let have = count(&conn, table);
        if have >= want {
            println!("using the {have} rows already in {table}");
            continue;
        }
        let start = Instant::now();
        conn.execute_batch(&format!("BEGIN; {sql} COMMIT;"))
            .unwrap();
        println!(
            "seeded {want} rows in {table} in {:.1} s",
            start.elapsed().as_secs_f64()
        );
    }
    conn.execute_batch("PRAGMA synchronous = FULL;").unwrap();
}

/// A page request after the contact at 98 % of the list (of `account`, holding `rows`).
fn near_the_end(g: &Guichet, account: Option<&str>, rows: i64) -> ContactPageRequest {
    let conn = g.store.conn();
    let after = conn
        .query_row(
            "SELECT name, surname, id FROM contacts
             WHERE ?1 IS NULL OR account_id = (SELECT id FROM accounts WHERE label = ?1)
             ORDER BY name COLLATE NOCASE, surname COLLATE NOCASE, id LIMIT 1 OFFSET ?2",
            rusqlite::params![account, rows - rows / 50],
            |r| {
                Ok(ContactCursor {
                    name: r.get(0)?,
                    surname: r.get(1)?,
                    id: r.get(2)?,
                })
            },
        )
        .unwrap();
    ContactPageRequest {
        after: Some(after),
        limit: 200,
    }
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
    let first_contacts = ContactPageRequest::first(200);
    // The cursors of pages near the end of the list, read once (not timed).
    let deep_contacts = near_the_end(&g, None, rows);
    let deep_douala = near_the_end(&g, Some("Mesure Douala"), rows / 4);
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
            "collections, first page",
            time(21, || g.list_collections(None, None, None, 100).unwrap()),
        ),
        (
            "collections, page near the end",
            time(21, || {
                g.list_collections(None, None, deep.before_id, 100).unwrap()
            }),
        ),
        (
            "collections by account and status",
            time(21, || {
                let failed = Some(UnifiedStatus::Failed);
                g.list_collections(Some("Mesure Douala"), failed, None, 100)
                    .unwrap()
            }),
        ),
        (
            "contacts by name, first page",
            time(21, || g.contact_page(None, None, &first_contacts).unwrap()),
        ),
        (
            "contacts by name, page near the end",
            time(21, || g.contact_page(None, None, &deep_contacts).unwrap()),
        ),
        (
            "contacts, one account, first page",
            time(21, || {
                g.contact_page(Some("Mesure Douala"), None, &first_contacts)
                    .unwrap()
            }),
        ),
        (
            "contacts, one account, page near the end",
            time(21, || {
                g.contact_page(Some("Mesure Douala"), None, &deep_douala)
                    .unwrap()
            }),
        ),
        (
            "contacts, search",
            time(21, || {
                g.contact_page(None, Some("Nom 4242"), &first_contacts)
                    .unwrap()
            }),
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
    for (name, (best, median)) in &figures {
        let ok = if *median < PAGE_TARGET { "ok" } else { "SLOW" };
        println!(
            "{:<44} {:>8.2} ms {:>8.2} ms {:>5} ms {ok}",
            name,
            median.as_secs_f64() * 1000.0,
            best.as_secs_f64() * 1000.0,
            PAGE_TARGET.as_millis()
        );
    }
    // One line for scripts/measure-desktop.sh's summary.
    let (name, (_, median)) = figures.iter().max_by_key(|(_, (_, m))| *m).unwrap();
    println!(
        "slowest page: {:.2} ms median ({name})",
        median.as_secs_f64() * 1000.0
    );
}
