//! Keyset pagination, the settings table and the dashboard's figures, on a real SQLite file.

mod common;
use common::account;
use guichet_store::page::PageRequest;
use guichet_store::{balances, events, payouts, settings, summary, Store};
use guichet_types::{Amount, UnifiedStatus};
use rusqlite::Connection;

fn payout(conn: &Connection, account_id: i64, n: i64) -> payouts::PayoutRow {
    payouts::insert_queued(
        conn,
        &payouts::NewPayout {
            phone: format!("07{n:08}"),
            name: format!("N{n}"),
            amount: Amount(100 * (n + 1)),
            ..common::payout(account_id, &format!("GCH-{n}"))
        },
    )
    .unwrap()
}

fn to(conn: &Connection, id: i64, status: UnifiedStatus) {
    payouts::transition(
        conn,
        id,
        status,
        &payouts::Change {
            event: "test",
            ..Default::default()
        },
    )
    .unwrap()
    .unwrap();
}

#[test]
fn pages_follow_the_cursor_to_the_end_each_row_once_newest_first() {
    let (_dir, store) = common::fresh();
    let conn = store.conn();
    let a = account(&conn, "A");
    let b = account(&conn, "B");
    for n in 0..250 {
        let p = payout(&conn, if n % 5 == 0 { b } else { a }, n);
        if n % 2 == 0 {
            to(&conn, p.id, UnifiedStatus::Failed);
        }
    }

    let mut seen = Vec::new();
    let mut cursor = None;
    let mut pages = 0;
    loop {
        let f = payouts::ListFilter {
            before_id: cursor,
            limit: 100,
            ..Default::default()
        };
        let page = payouts::page(&conn, &f).unwrap();
        pages += 1;
        seen.extend(page.rows.iter().map(|r| r.id));
        match page.next {
            Some(next) => {
                assert_eq!(Some(next), page.rows.last().map(|r| r.id));
                cursor = Some(next);
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let mut want: Vec<i64> = (1..=250).collect();
    want.reverse();
    assert_eq!(seen, want);

    // Exactly a page's worth left: no empty extra page is announced.
    let f = payouts::ListFilter {
        before_id: Some(101),
        limit: 100,
        ..Default::default()
    };
    let last = payouts::page(&conn, &f).unwrap();
    assert_eq!((last.rows.len(), last.next), (100, None));

    // Filters combine with the cursor.
    let f = payouts::ListFilter {
        account_id: Some(b),
        status: Some(UnifiedStatus::Failed),
        before_id: Some(200),
        limit: 1000,
        ..Default::default()
    };
    let rows = payouts::page(&conn, &f).unwrap().rows;
    assert!(!rows.is_empty());
    assert!(rows
        .iter()
        .all(|r| r.account_id == b && r.status == UnifiedStatus::Failed && r.id < 200));
    assert_eq!(rows.len(), (0..199).filter(|n| n % 10 == 0).count());

    // A limit of 0 means the default; the event log pages the same way.
    let f = payouts::ListFilter::default();
    assert_eq!(payouts::page(&conn, &f).unwrap().rows.len(), 100);
    for i in 0..3 {
        events::append(
            &conn,
            "test",
            None,
            Some(&i.to_string()),
            &serde_json::json!({}),
        )
        .unwrap();
    }
    let p = events::page(&conn, PageRequest::first(2)).unwrap();
    assert_eq!(p.rows.iter().map(|e| e.id).collect::<Vec<_>>(), [3, 2]);
    let p = events::page(
        &conn,
        PageRequest {
            before_id: p.next,
            limit: 2,
        },
    )
    .unwrap();
    assert_eq!((p.rows.len(), p.next), (1, None));
}

/// At a million rows a page must read an index range, never sort or scan the table: checked on
/// the query plan, which does not depend on the machine's speed.
#[test]
fn every_page_query_reads_an_index_in_order() {
    let (_dir, store) = common::fresh();
    let conn = store.conn();
    let plan = |sql: &str| -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        stmt.query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(|r| r.unwrap())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    for (sql, index) in [
        ("SELECT * FROM payouts WHERE id < 5 ORDER BY id DESC LIMIT 101", "INTEGER PRIMARY KEY"),
        ("SELECT * FROM payouts WHERE status = 'failed' AND id < 5 ORDER BY id DESC LIMIT 101", "payouts_status_id"),
        ("SELECT * FROM payouts WHERE account_id = 1 AND id < 5 ORDER BY id DESC LIMIT 101", "payouts_account"),
        ("SELECT * FROM payouts WHERE batch_id = 1 ORDER BY id DESC LIMIT 101", "payouts_batch_id"),
        ("SELECT * FROM event_log WHERE id < 9 ORDER BY id DESC LIMIT 101", "INTEGER PRIMARY KEY"),
        ("SELECT currency, COUNT(*) FROM payouts WHERE final_at >= '2026' AND status = 'succeeded' GROUP BY currency", "payouts_status_final (status=? AND final_at>?)"),
        ("SELECT account_id, COUNT(*) FROM payouts WHERE status IN ('queued', 'pending') GROUP BY account_id", "USING INDEX payouts_status"),
    ] {
        let p = plan(sql);
        assert!(p.contains(index), "{sql}: {p}");
        assert!(!p.contains("TEMP B-TREE FOR ORDER BY"), "{sql}: {p}");
    }
}

#[test]
fn settings_are_kept_and_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.db");
    {
        let store = Store::open(&path).unwrap();
        let conn = store.conn();
        assert_eq!(settings::get(&conn, "language").unwrap(), None);
        settings::set(&conn, "language", "\"en\"").unwrap();
        settings::set(&conn, "language", "\"fr\"").unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(
        settings::get(&store.conn(), "language").unwrap().as_deref(),
        Some("\"fr\"")
    );
}

#[test]
fn the_dashboard_figures_count_open_rows_and_what_succeeded_since_a_moment() {
    let (_dir, store) = common::fresh();
    let conn = store.conn();
    let a = account(&conn, "A");
    let b = account(&conn, "B");
    let before = guichet_store::now_utc();
    let p0 = payout(&conn, a, 0); // 100, stays queued
    let p1 = payout(&conn, a, 1); // 200, pending
    let p2 = payout(&conn, b, 2); // 300, succeeded
    let p3 = payout(&conn, b, 3); // 400, failed
    let p4 = payout(&conn, b, 4); // 500, outcome unknown: still open
                                  // Sent first: a queued payout only ever moves to being sent (or failed, or cancelled).
    for p in [&p1, &p2, &p4] {
        to(&conn, p.id, UnifiedStatus::Submitting);
    }
    to(&conn, p1.id, UnifiedStatus::Pending);
    to(&conn, p2.id, UnifiedStatus::Succeeded);
    to(&conn, p3.id, UnifiedStatus::Failed);
    to(&conn, p4.id, UnifiedStatus::OutcomeUnknown);
    let _ = p0;

    let open = summary::open_payouts(&conn).unwrap();
    assert_eq!(
        open,
        [
            summary::Open {
                account_id: a,
                count: 2,
                total: Amount(300)
            },
            summary::Open {
                account_id: b,
                count: 1,
                total: Amount(500)
            },
        ]
    );
    let done = summary::paid_out_since(&conn, &before).unwrap();
    assert_eq!(
        done,
        [summary::Done {
            currency: "XOF".into(),
            count: 1,
            total: Amount(300)
        }]
    );
    assert!(summary::paid_out_since(&conn, "2999-01-01T00:00:00.000Z")
        .unwrap()
        .is_empty());
    assert!(summary::open_collections(&conn).unwrap().is_empty());

    for amount in ["1000", "1500.5", "1200"] {
        balances::insert(
            &conn,
            &balances::NewSnapshot {
                account_id: a,
                kind: "transfer",
                amount,
                available: None,
                in_use: None,
                currency: "XOF",
            },
        )
        .unwrap();
    }
    let series = summary::balance_series(&conn, a, 2).unwrap();
    let amounts: Vec<_> = series.iter().map(|r| r.amount.as_str()).collect();
    assert_eq!(amounts, ["1500.5", "1200"], "the latest two, oldest first");
}
