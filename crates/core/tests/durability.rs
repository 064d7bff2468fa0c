//! A backup taken while Guichet writes (SQLite's online backup API, `Store::backup_to`) restores
//! to a working state: it opens, passes `PRAGMA integrity_check`, its books are consistent (every
//! payout has its history, whose last entry is the payout's status), and Guichet works on it.

use guichet_core::payouts::PayoutInput;
use guichet_core::Guichet;
use guichet_store::accounts::AccountFields;
use guichet_store::payouts::Change;
use guichet_store::Store;
use guichet_types::{Country, Currency, Provider, UnifiedStatus};
use rusqlite::Connection;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

fn input(i: usize) -> PayoutInput {
    PayoutInput {
        phone: format!("07{:08}", i),
        amount: 1000 + 5 * i as i64,
        name: "Awa".into(),
        reason: "Salaire".into(),
        operator: None,
    }
}

/// Consistency of a copy, read with plain SQL: (payouts, history entries).
fn audit(db: &Path) -> (i64, i64) {
    let conn = Connection::open(db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok", "{}", db.display());
    let orphans: i64 = conn
        .query_row(
            "SELECT count(*) FROM payouts p WHERE NOT EXISTS
               (SELECT 1 FROM payout_history h WHERE h.payout_id = p.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0, "payouts without history in {}", db.display());
    let disagree: i64 = conn
        .query_row(
            "SELECT count(*) FROM payouts p WHERE p.status <> (SELECT h.status FROM payout_history h
               WHERE h.payout_id = p.id ORDER BY h.id DESC LIMIT 1)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        disagree,
        0,
        "status and history disagree in {}",
        db.display()
    );
    let payouts = conn
        .query_row("SELECT count(*) FROM payouts", [], |r| r.get(0))
        .unwrap();
    let history = conn
        .query_row("SELECT count(*) FROM payout_history", [], |r| r.get(0))
        .unwrap();
    (payouts, history)
}

#[test]
fn a_backup_taken_while_guichet_writes_restores_to_a_working_state() {
    let dir = tempfile::tempdir().unwrap();
    let g = Guichet::open(dir.path()).unwrap();
    g.store
        .accounts_mut()
        .insert(&AccountFields {
            label: "Abidjan".into(),
            provider: Provider::Cinetpay,
            currency: Currency::XOF,
            country: Country::CI,
            site_id: Some("445160".into()),
            public_key: None,
            client_reference: None,
            notify_url: Some("https://shop.example/notify".into()),
            base_url: None,
            low_balance_threshold: None,
            sandbox: false,
        })
        .unwrap();

    // The app: queues payouts and moves them along, as fast as it can.
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicUsize::new(0));
    let writer = {
        let (g, stop, written) = (g.clone(), stop.clone(), written.clone());
        std::thread::spawn(move || {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) || i < 200 {
                let p = g.queue_payout("Abidjan", &input(i), None).unwrap();
                for to in [UnifiedStatus::Submitting, UnifiedStatus::Pending] {
                    g.store
                        .payouts_mut()
                        .transition(
                            p.id,
                            to,
                            &Change {
                                event: "test",
                                ..Default::default()
                            },
                        )
                        .unwrap();
                }
                i += 1;
                written.store(i, Ordering::Relaxed);
            }
        })
    };

    // Backups during the writes: through the app's own store, and through a second connection
    // (a separate backup tool on the live file).
    let other = Store::open(dir.path().join("guichet.db")).unwrap();
    let backups = tempfile::tempdir().unwrap();
    let mut copies = Vec::new();
    for n in 0..8 {
        while written.load(Ordering::Relaxed) < 20 * (n + 1) {
            std::thread::yield_now();
        }
        let before = written.load(Ordering::Relaxed) as i64;
        let dest = backups.path().join(format!("copy-{n}.db"));
        if n % 2 == 0 {
            g.store.backup_to(&dest).unwrap();
        } else {
            other.backup_to(&dest).unwrap();
        }
        copies.push((dest, before));
    }
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();
    let total = written.load(Ordering::Relaxed) as i64;

    for (copy, before) in &copies {
        let (payouts, history) = audit(copy);
        // Everything committed before the backup began is in it; nothing invented after.
        assert!(
            (*before..=total).contains(&payouts),
            "{}: {payouts} payouts, {before} written before, {total} in all",
            copy.display()
        );
        assert!(
            history >= 3 * payouts - 2,
            "{history} entries for {payouts} payouts"
        );

        // Restored as a data directory, Guichet opens it and goes on working.
        let restored = tempfile::tempdir().unwrap();
        std::fs::copy(copy, restored.path().join("guichet.db")).unwrap();
        let g2 = Guichet::open(restored.path()).unwrap();
        assert_eq!(g2.store.integrity_check().unwrap(), "ok");
        let listed = g2.list_payouts(None, None, None, 10_000).unwrap();
        assert_eq!(listed.len() as i64, payouts);
        let next = g2.queue_payout("Abidjan", &input(99_999), None).unwrap();
        assert_eq!(next.status, UnifiedStatus::Queued);
    }
    assert_eq!(audit(&dir.path().join("guichet.db")).0, total);
}
