//! The dashboard's figures, payout pages and settings, against the provider sandbox with a real
//! SQLite file and the real keyring (run under scripts/with-keyring.sh).

mod common;

use guichet_core::accounts::AccountInput;
use guichet_core::payouts::{PayoutFilter, PayoutInput};
use guichet_core::Guichet;
use guichet_store::page::PageRequest;
use guichet_types::{Amount, UnifiedStatus};
use std::time::Duration;

fn input(phone: &str, amount: i64) -> PayoutInput {
    PayoutInput {
        phone: phone.into(),
        amount,
        name: "Awa Koné".into(),
        reason: "Salaire".into(),
        operator: None,
    }
}

#[tokio::test]
async fn the_dashboard_shows_what_was_paid_today_what_is_open_and_balance_history() {
    let sb = common::settled_sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let g = Guichet::open(dir.path()).unwrap();
    let demo = sb.demo_credentials();
    g.add_account(AccountInput {
        notify_url: Some(format!("{}/notify", demo.base_url)),
        ..common::cinetpay("Abidjan", &demo)
    })
    .unwrap();
    let since = guichet_store::now_utc();

    sb.fail_phone("0707999999");
    g.queue_payout("Abidjan", &input("07 07 12 34 56", 5000), None)
        .unwrap();
    g.queue_payout("Abidjan", &input("07 07 99 99 99", 2500), None)
        .unwrap();
    // Queued, not sent yet: both count as open.
    let board = g.dashboard(&since).unwrap();
    let a = &board.accounts[0];
    assert_eq!((a.open_payouts, a.open_payouts_total), (2, Amount(7500)));
    assert!(board.today.is_empty());

    g.sync_until_final(Duration::from_secs(20)).await.unwrap();
    g.check_balances(None).await.unwrap();
    g.check_balances(None).await.unwrap();

    let board = g.dashboard(&since).unwrap();
    let a = &board.accounts[0];
    assert_eq!((a.open_payouts, a.open_payouts_total), (0, Amount(0)));
    assert_eq!(board.today.len(), 1);
    let day = &board.today[0];
    assert_eq!(
        (day.currency.as_str(), day.paid_out, day.payouts),
        ("XOF", Amount(5000), 1),
        "only the payout that succeeded counts"
    );
    let transfer = a.balances.iter().find(|s| s.kind == "transfer").unwrap();
    assert_eq!(transfer.points.len(), 2, "two readings, oldest first");
    assert!(transfer.points[0].taken_at <= transfer.points[1].taken_at);
    let last = transfer.points.last().unwrap();
    assert_eq!(
        last.francs.0.to_string(),
        last.amount.split('.').next().unwrap()
    );

    // Nothing paid since a later moment; a malformed moment is refused in words.
    assert!(g
        .dashboard("2999-01-01T00:00:00Z")
        .unwrap()
        .today
        .is_empty());
    let err = g.dashboard("yesterday").unwrap_err();
    assert_eq!(err.code(), "invalid_input");

    // Pages of payouts, filtered by status, and of the event log.
    let failed = g
        .payout_page(
            &PayoutFilter {
                status: Some(UnifiedStatus::Rejected),
                ..Default::default()
            },
            PageRequest::first(10),
        )
        .unwrap();
    assert_eq!(failed.rows.len(), 1);
    assert_eq!(failed.rows[0].amount, Amount(2500));
    let first = g
        .payout_page(&PayoutFilter::default(), PageRequest::first(1))
        .unwrap();
    let second = g
        .payout_page(
            &PayoutFilter::default(),
            PageRequest {
                before_id: first.next,
                limit: 1,
            },
        )
        .unwrap();
    assert_eq!((first.rows.len(), second.rows.len()), (1, 1));
    assert!(second.rows[0].id < first.rows[0].id);
    assert_eq!(second.next, None);
    let log = g.event_page(PageRequest::first(100)).unwrap();
    assert!(!log.rows.is_empty());
    assert!(log.rows.windows(2).all(|w| w[0].id > w[1].id));
}

#[test]
fn settings_are_kept_in_the_database_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    {
        let g = Guichet::open(dir.path()).unwrap();
        let s = g.settings().unwrap();
        assert_eq!((s.language.as_str(), s.notifications), ("fr", true));
        assert_eq!(s.data_dir, dir.path().display().to_string());
        g.set_language("en").unwrap();
        g.set_notifications(false).unwrap();
        let err = g.set_language("de").unwrap_err();
        assert_eq!(err.code(), "invalid_input");
    }
    let g = Guichet::open(dir.path()).unwrap();
    let s = g.settings().unwrap();
    assert_eq!((s.language.as_str(), s.notifications), ("en", false));
}
