//! The filtered Journal: the database chooses the entries by kind, account and days, and the
//! pages, read one after the other, hold exactly the entries the filter keeps, newest first.

use guichet_core::log::{EventFilter, EventRow};
use guichet_core::page::PageRequest;
use guichet_core::Guichet;

const KINDS: [&str; 5] = [
    "payout.accepted",
    "batch.confirmed",
    "collection.paid",
    "contacts.pushed",
    "account",
];

/// Every entry `filter` keeps, by reading the whole log (the Journal's meaning, written out).
fn kept(all: &[EventRow], filter: &EventFilter, account_id: Option<i64>) -> Vec<i64> {
    all.iter()
        .filter(|e| {
            let day = e.at.get(..10).unwrap_or("");
            let head = e.kind.split('.').next().unwrap_or("");
            (filter.kinds.is_empty() || filter.kinds.iter().any(|k| k == head))
                && account_id.is_none_or(|id| e.account_id == Some(id))
                && filter.from.as_deref().is_none_or(|f| day >= f)
                && filter.to.as_deref().is_none_or(|t| day <= t)
        })
        .map(|e| e.id)
        .collect()
}

fn pages(g: &Guichet, filter: &EventFilter, limit: u32) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut before = None;
    loop {
        let page = g
            .journal_page(
                filter,
                PageRequest {
                    before_id: before,
                    limit,
                },
            )
            .unwrap();
        assert!(page.rows.len() <= limit as usize);
        ids.extend(page.rows.iter().map(|e| e.id));
        match page.next {
            Some(n) => before = Some(n),
            None => return ids,
        }
    }
}

#[test]
fn each_filter_keeps_the_same_entries_as_reading_the_whole_log() {
    let dir = tempfile::tempdir().unwrap();
    let g = Guichet::open(dir.path()).unwrap();
    {
        let conn = g.store.conn();
        conn.execute_batch(
            "INSERT INTO accounts (id, label, provider, currency, country, created_at, updated_at)
             VALUES (1, 'Abidjan', 'cinetpay', 'XOF', 'CI', 'x', 'x'),
                    (2, 'Douala', 'mycoolpay', 'XAF', 'CM', 'x', 'x');",
        )
        .unwrap();
        for i in 0..1300i64 {
            let kind = KINDS[(i % 5) as usize];
            let account = match i % 3 {
                0 => None,
                n => Some(n),
            };
            let at = format!("2026-12-{:02}T{:02}:00:00Z", 1 + i % 9, i % 24);
            conn.execute(
                "INSERT INTO event_log (at, kind, account_id, subject, detail)
                 VALUES (?1, ?2, ?3, NULL, '{}')",
                rusqlite::params![at, kind, account],
            )
            .unwrap();
        }
    }
    let all = pages(&g, &EventFilter::default(), 500);
    assert_eq!(all.len(), 1300);
    let all: Vec<EventRow> = {
        let conn = g.store.conn();
        let mut stmt = conn
            .prepare(
                "SELECT id, at, kind, account_id, subject, detail FROM event_log ORDER BY id DESC",
            )
            .unwrap();
        stmt.query_map([], |r| {
            Ok(EventRow {
                id: r.get(0)?,
                at: r.get(1)?,
                kind: r.get(2)?,
                account_id: r.get(3)?,
                subject: r.get(4)?,
                detail: r.get(5)?,
            })
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    };
    let filters = [
        (
            EventFilter {
                kinds: vec!["payout".into()],
                ..Default::default()
            },
            None,
        ),
        (
            EventFilter {
                kinds: vec!["account".into(), "batch".into()],
                account: Some("Douala".into()),
                ..Default::default()
            },
            Some(2),
        ),
        (
            EventFilter {
                from: Some("2026-12-03".into()),
                to: Some("2026-12-05".into()),
                ..Default::default()
            },
            None,
        ),
        (
            EventFilter {
                kinds: vec!["collection".into()],
                account: Some("Abidjan".into()),
                from: Some("2026-12-09".into()),
                ..Default::default()
            },
            Some(1),
        ),
        (
            EventFilter {
                kinds: vec!["nothing".into()],
                ..Default::default()
            },
            None,
        ),
    ];
    for (filter, account_id) in filters {
        let expected = kept(&all, &filter, account_id);
        for limit in [7, 50, 500] {
            assert_eq!(pages(&g, &filter, limit), expected, "{filter:?} by {limit}");
        }
    }
}
