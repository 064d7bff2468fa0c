//! Collections end to end against the provider sandbox (real SQLite, real keyring): each kind
//! tracked to a final status, the OTP step, local cancellation, CinetPay's three checks, and
//! the history merged without duplicates.

mod common;

use guichet_core::accounts::AccountInput;
use guichet_core::collections::CollectionInput;
use guichet_core::Guichet;
use guichet_providers::cinetpay_payment;
use guichet_providers::executor::{Executor, ExecutorConfig};
use guichet_sandbox::{Sandbox, SandboxConfig, SandboxHandle};
use guichet_secrets::Secret;
use guichet_store::collections::CollectionKind;
use guichet_types::{Country, Currency, UnifiedStatus};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

async fn setup() -> (tempfile::TempDir, Guichet, SandboxHandle) {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let g = Guichet::open(dir.path()).unwrap();
    let demo = sb.demo_credentials();
    g.add_account(common::cinetpay("Abidjan", &demo)).unwrap();
    g.add_account(AccountInput {
        sandbox: true,
        ..common::mycoolpay("Douala", &demo)
    })
    .unwrap();
    g.add_account(common::softsystem("Plateau", &demo)).unwrap();
    (dir, g, sb)
}

fn input(amount: i64, phone: Option<&str>) -> CollectionInput {
    CollectionInput {
        amount,
        reason: "Commande 42".into(),
        phone: phone.map(String::from),
        name: Some("Awa Koné".into()),
        ..Default::default()
    }
}

async fn control(sb: &SandboxHandle, path: &str, body: serde_json::Value) -> serde_json::Value {
    reqwest::Client::new()
        .post(format!("{}{path}", sb.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap_or(json!(null))
}

/// The customer presses "Pay" (or "Refuse") on a provider's checkout page.
async fn customer(url: &str, choice: &str) {
    let r = reqwest::Client::new()
        .post(format!("{url}/{choice}"))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{url}: {}", r.status());
}

async fn otp(sb: &SandboxHandle, transaction_ref: &str) -> String {
    let v: serde_json::Value = reqwest::get(format!(
        "{}/_sandbox/mycoolpay/otp/{transaction_ref}",
        sb.base_url()
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    v["code"].as_str().unwrap().to_string()
}

fn status(g: &Guichet, id: i64) -> UnifiedStatus {
    g.collection(id).unwrap().collection.status
}

#[tokio::test(flavor = "multi_thread")]
async fn a_payin_asks_for_the_sms_code_then_shows_the_ussd_code_and_ends_paid() {
    let (_dir, g, sb) = setup().await;
    let c = g
        .collect_payin("Douala", input(2500, Some("6 77 12 34 56")))
        .await
        .unwrap();
    assert_eq!(c.kind, CollectionKind::Payin);
    assert_eq!(c.status, UnifiedStatus::AwaitingCustomer);
    assert_eq!(c.provider_status.as_deref(), Some("REQUIRE_OTP"));
    assert_eq!(c.phone.as_deref(), Some("677123456"));
    let reference = c.provider_ref.clone().unwrap();

    // A wrong code is refused and the payin keeps waiting for the right one.
    let wrong = g.authorize_payin(c.id, "000000x").await.unwrap_err();
    assert_eq!(wrong.code(), "sms_code_refused");
    assert_eq!(
        g.collection(c.id)
            .unwrap()
            .collection
            .provider_status
            .as_deref(),
        Some("REQUIRE_OTP")
    );
    let code = otp(&sb, &reference).await;
    let c = g.authorize_payin(c.id, &code).await.unwrap();
    assert_eq!(c.status, UnifiedStatus::AwaitingCustomer);
    assert_eq!(c.provider_status.as_deref(), Some("PENDING"));
    assert!(c.ussd.as_deref().is_some_and(|u| !u.is_empty()));
    assert!(g
        .collection(c.id)
        .unwrap()
        .share_text
        .unwrap()
        .contains(c.ussd.as_deref().unwrap()));

    // Still waiting for the customer: the sync keeps asking.
    let report = g.sync_once().await.unwrap();
    assert_eq!(report.collections_pending, 1);
    control(
        &sb,
        "/_sandbox/mycoolpay/complete",
        json!({"transaction_ref": reference, "status": "SUCCESS"}),
    )
    .await;
    let report = g.sync_until_final(Duration::from_secs(30)).await.unwrap();
    assert_eq!(report.collections_pending, 0);
    let d = g.collection(c.id).unwrap();
    assert_eq!(d.collection.status, UnifiedStatus::Succeeded);
    let events: Vec<_> = d.history.iter().map(|h| h.event.as_str()).collect();
    assert_eq!(events, ["queued", "sent", "answer", "authorized", "poll"]);

    // The number is now known to My-CoolPay: the next payin goes straight to the USSD code.
    let again = g
        .collect_payin("Douala", input(1000, Some("677123456")))
        .await
        .unwrap();
    assert_eq!(again.provider_status.as_deref(), Some("PENDING"));
    assert!(again.ussd.is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_paylink_is_recorded_before_it_leaves_and_tracked_to_paid() {
    let (_dir, g, _sb) = setup().await;
    let c = g
        .collect_paylink("Douala", input(15_000, None))
        .await
        .unwrap();
    assert_eq!(c.status, UnifiedStatus::AwaitingCustomer);
    let link = c.link.clone().unwrap();
    let share = g.collection(c.id).unwrap().share_text.unwrap();
    assert!(
        share.contains(&link) && share.contains("15\u{202f}000\u{a0}XAF"),
        "{share}"
    );
    customer(&link, "pay").await;
    g.sync_until_final(Duration::from_secs(30)).await.unwrap();
    assert_eq!(status(&g, c.id), UnifiedStatus::Succeeded);

    // Bad input changes nothing.
    let before = g.list_collections(None, None, None, 100).unwrap().len();
    let e = g
        .collect_paylink("Douala", input(0, None))
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("amount"));
    let e = g
        .collect_paylink("Abidjan", input(100, None))
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("account"));
    let e = g
        .collect_payin("Douala", input(100, Some("0707123456")))
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("phone"));
    assert_eq!(
        g.list_collections(None, None, None, 100).unwrap().len(),
        before
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn softsystem_requests_get_a_new_order_id_each_time_and_end_paid_or_failed() {
    let (_dir, g, _sb) = setup().await;
    let a = g
        .collect_softsystem("Plateau", input(5000, Some("07 07 12 34 56")))
        .await
        .unwrap();
    let b = g
        .collect_softsystem("Plateau", input(5000, Some("05 05 12 34 56")))
        .await
        .unwrap();
    for c in [&a, &b] {
        assert!((20..=40).contains(&c.reference.len()), "{}", c.reference);
        assert!(c.reference.chars().all(|ch| ch.is_ascii_alphanumeric()));
        assert_eq!(c.status, UnifiedStatus::AwaitingCustomer);
    }
    assert_ne!(a.reference, b.reference);
    assert_eq!(a.provider_status.as_deref(), Some("Orange"));
    assert_eq!(b.provider_status.as_deref(), Some("MTN"));
    customer(a.link.as_deref().unwrap(), "pay").await;
    customer(b.link.as_deref().unwrap(), "refuse").await;
    g.sync_until_final(Duration::from_secs(30)).await.unwrap();
    assert_eq!(status(&g, a.id), UnifiedStatus::Succeeded);
    assert_eq!(status(&g, b.id), UnifiedStatus::Failed);
    // Wave cannot be told from a number: it must be chosen.
    let e = g
        .collect_softsystem(
            "Plateau",
            CollectionInput {
                channel: Some("Western Union".into()),
                ..input(100, Some("0707123456"))
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("channel"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_softsystem_request_whose_channel_cannot_be_told_records_nothing() {
    let (_dir, g, sb) = setup().await;
    let demo = sb.demo_credentials();
    g.add_account(AccountInput {
        currency: Some(Currency::XAF),
        country: Some(Country::CM),
        ..common::softsystem("Yaoundé", &demo)
    })
    .unwrap();
    let before = g.list_collections(None, None, None, 100).unwrap().len();
    // A Cameroonian number says nothing of SOFTSYSTEM's channels: the merchant must choose.
    let e = g
        .collect_softsystem("Yaoundé", input(1000, Some("699887766")))
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("channel"));
    assert_eq!(
        g.list_collections(None, None, None, 100).unwrap().len(),
        before,
        "nothing recorded for input to complete"
    );
    let c = g
        .collect_softsystem(
            "Yaoundé",
            CollectionInput {
                channel: Some("wave".into()),
                ..input(1000, Some("699887766"))
            },
        )
        .await
        .unwrap();
    assert_eq!(c.status, UnifiedStatus::AwaitingCustomer);
    assert_eq!(c.provider_status.as_deref(), Some("Wave"));
}

/// What the system browser does with Guichet's local page: POST the signed form to CinetPay.
async fn submit_checkout_page(link: &str) {
    let path = url_to_path(link);
    let html = std::fs::read_to_string(path).unwrap();
    assert!(!html.contains("apikey"), "no secret in the page");
    let action = between(&html, "action=\"", "\"");
    let mut fields = Vec::new();
    for part in html.split("<input type=\"hidden\" ").skip(1) {
        let name = between(part, "name=\"", "\"");
        let value = between(part, "value=\"", "\"")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        fields.push((name, value));
    }
    let page = reqwest::Client::new()
        .post(action)
        .form(&fields)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Payer"), "{page}");
}

fn between(s: &str, start: &str, end: &str) -> String {
    let from = s.find(start).unwrap() + start.len();
    s[from..from + s[from..].find(end).unwrap()].to_string()
}

fn url_to_path(link: &str) -> String {
    assert!(link.starts_with("file://"), "{link}");
    link.trim_start_matches("file://").to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cinetpay_payment_is_good_only_with_result_00_the_same_amount_and_signature() {
    let (_dir, g, sb) = setup().await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let c = g
            .collect_cinetpay("Abidjan", input(3000, Some("0707123456")))
            .await
            .unwrap();
        assert_eq!(c.status, UnifiedStatus::AwaitingCustomer);
        assert!(c.signature.as_deref().is_some_and(|s| !s.is_empty()));
        submit_checkout_page(c.link.as_deref().unwrap()).await;
        ids.push((c.id, c.reference));
    }
    // Tamper with what Guichet stored: a different amount, a different signature.
    {
        let conn = g.store.conn();
        conn.execute(
            "UPDATE collections SET amount = 3500 WHERE id = ?1",
            [ids[1].0],
        )
        .unwrap();
        conn.execute(
            "UPDATE collections SET signature = 'forged' WHERE id = ?1",
            [ids[2].0],
        )
        .unwrap();
    }
    for (_, reference) in &ids {
        assert!(sb.finish_cinetpay_payment(reference, "00"));
    }
    g.sync_until_final(Duration::from_secs(30)).await.unwrap();
    assert_eq!(status(&g, ids[0].0), UnifiedStatus::Succeeded);
    for (id, _) in &ids[1..] {
        let d = g.collection(*id).unwrap();
        assert_ne!(d.collection.status, UnifiedStatus::Succeeded);
        assert!(
            d.history
                .last()
                .unwrap()
                .detail
                .contains("not accepted as paid"),
            "{:?}",
            d.history
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pending_collection_can_be_cancelled_and_stays_cancelled() {
    let (_dir, g, _sb) = setup().await;
    let c = g
        .collect_paylink("Douala", input(7000, None))
        .await
        .unwrap();
    let cancelled = g.cancel_collection(c.id).unwrap();
    assert_eq!(cancelled.status, UnifiedStatus::Cancelled);
    // The customer pays anyway: the cancelled collection is no longer tracked or changed.
    customer(c.link.as_deref().unwrap(), "pay").await;
    let report = g.sync_once().await.unwrap();
    assert_eq!(report.collections_pending, 0);
    assert_eq!(status(&g, c.id), UnifiedStatus::Cancelled);
    assert_eq!(
        g.cancel_collection(c.id).unwrap_err().field(),
        Some("status")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn cinetpay_history_is_merged_page_by_page_without_duplicates() {
    let (_dir, g, sb) = setup().await;
    let demo = sb.demo_credentials();
    let ours = g
        .collect_cinetpay("Abidjan", input(2000, None))
        .await
        .unwrap();
    submit_checkout_page(ours.link.as_deref().unwrap()).await;
    sb.finish_cinetpay_payment(&ours.reference, "00");

    // 150 payments made outside Guichet (another shop front on the same site).
    let other = cinetpay_payment::Client::new(
        Arc::new(Executor::new(ExecutorConfig::default())),
        Some(&demo.base_url),
        &demo.cinetpay_site_id,
        Secret::new(demo.cinetpay_api_key.clone()),
    );
    let now = time::OffsetDateTime::now_utc();
    let date = format!(
        "{:04}-{:02}-{:02} 10:00:00",
        now.year(),
        u8::from(now.month()),
        now.day()
    );
    for i in 0..150 {
        let p = cinetpay_payment::Payment {
            amount: 100 + i,
            trans_id: format!("SHOP{i:04}"),
            trans_date: date.clone(),
            designation: format!("Article {i}"),
            custom: String::new(),
            language: "fr".into(),
            phone: None,
        };
        other.signature(&p).await.unwrap();
    }
    sb.finish_cinetpay_payment("SHOP0007", "00");
    sb.finish_cinetpay_payment("SHOP0008", "627");

    let today = now.date();
    let yesterday = today.previous_day().unwrap();
    let first = g
        .sync_cinetpay_history("Abidjan", yesterday, today)
        .await
        .unwrap();
    assert_eq!(first.fetched, 151);
    assert_eq!(first.imported, 150);
    assert_eq!(first.updated, 1, "ours moved to paid by the history");
    assert_eq!(first.pages, 2);
    let second = g
        .sync_cinetpay_history("Abidjan", yesterday, today)
        .await
        .unwrap();
    assert_eq!((second.imported, second.updated), (0, 0));

    let all = g
        .list_collections(Some("Abidjan"), None, None, 1000)
        .unwrap();
    assert_eq!(all.len(), 151);
    let mut refs: Vec<_> = all.iter().map(|c| c.reference.clone()).collect();
    refs.sort();
    refs.dedup();
    assert_eq!(refs.len(), 151);
    let find = |r: &str| all.iter().find(|c| c.reference == r).unwrap();
    assert!(!find(&ours.reference).imported);
    assert_eq!(find(&ours.reference).status, UnifiedStatus::Succeeded);
    assert!(find("SHOP0007").imported);
    assert_eq!(find("SHOP0007").status, UnifiedStatus::Succeeded);
    assert_eq!(find("SHOP0008").status, UnifiedStatus::Failed);
    assert_eq!(find("SHOP0009").status, UnifiedStatus::AwaitingCustomer);
    assert_eq!(find("SHOP0009").reason, "Article 9");

    // Dates outside the payments find nothing; reversed dates are refused.
    let old = today.replace_year(today.year() - 1).unwrap();
    let none = g.sync_cinetpay_history("Abidjan", old, old).await.unwrap();
    assert_eq!(none.fetched, 0);
    assert_eq!(
        g.sync_cinetpay_history("Abidjan", today, yesterday)
            .await
            .unwrap_err()
            .field(),
        Some("from")
    );
}
