//! Callbacks received by the local receiver from the sandbox, and forged ones: My-CoolPay's are
//! checked (source, application, signature) and answered OK or KO; every delivery is recorded;
//! ten copies of one callback change state once. My-CoolPay's come as a form or as JSON (the
//! sandbox draws one or the other from its seed): both are handled.

mod common;

use guichet_core::accounts::AccountInput;
use guichet_core::callbacks::ServeOptions;
use guichet_core::collections::CollectionInput;
use guichet_core::Guichet;
use guichet_sandbox::{CallbackShape, Sandbox, SandboxConfig, SandboxHandle, Variants};
use guichet_secrets::Secret;
use guichet_types::{Provider, UnifiedStatus};
use std::net::IpAddr;
use std::time::Duration;

const PUBLIC: &str = "cb-public-key";
const PRIVATE: &str = "cb-private-key";

async fn setup() -> (
    tempfile::TempDir,
    Guichet,
    SandboxHandle,
    guichet_core::callbacks::CallbackServer,
) {
    setup_with(CallbackShape::Either).await
}

async fn setup_with(
    shape: CallbackShape,
) -> (
    tempfile::TempDir,
    Guichet,
    SandboxHandle,
    guichet_core::callbacks::CallbackServer,
) {
    let sb = Sandbox::start(SandboxConfig {
        variants: Variants {
            mycoolpay_callbacks: shape,
            ..Variants::default()
        },
        ..Default::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let g = Guichet::open(dir.path()).unwrap();
    let server = g
        .serve_callbacks(ServeOptions::new("127.0.0.1".parse().unwrap(), 0))
        .await
        .unwrap();
    sb.seed_mycoolpay(
        PUBLIC,
        PRIVATE,
        100_000,
        Some(format!("{}/mycoolpay", server.url())),
    );
    let demo = sb.demo_credentials();
    g.add_account(AccountInput {
        label: Some("Douala".into()),
        provider: Some(Provider::Mycoolpay),
        public_key: Some(PUBLIC.into()),
        base_url: Some(demo.base_url.clone()),
        sandbox: true,
        secrets: vec![("private_key".into(), Secret::new(PRIVATE))],
        ..Default::default()
    })
    .unwrap();
    g.add_account(AccountInput {
        notify_url: Some(format!("{}/cinetpay", server.url())),
        ..common::cinetpay("Abidjan", &demo)
    })
    .unwrap();
    (dir, g, sb, server)
}

fn input(amount: i64) -> CollectionInput {
    CollectionInput {
        amount,
        reason: "Facture 7".into(),
        ..Default::default()
    }
}

async fn wait_for_deliveries(g: &Guichet, n: usize) {
    for _ in 0..200 {
        if g.recent_callbacks(1000).unwrap().len() >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "expected {n} deliveries, got {:?}",
        g.recent_callbacks(1000).unwrap()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_callback_delivered_ten_times_changes_state_once_and_each_delivery_is_recorded() {
    let (_dir, g, sb, _server) = setup().await;
    sb.set_notification_faults(10, false);
    let c = g.collect_paylink("Douala", input(4000)).await.unwrap();
    let pay = reqwest::Client::new()
        .post(format!("{}/pay", c.link.as_deref().unwrap()))
        .send()
        .await
        .unwrap();
    assert!(pay.status().is_success());
    wait_for_deliveries(&g, 10).await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    let d = g.collection(c.id).unwrap();
    assert_eq!(d.collection.status, UnifiedStatus::Succeeded);
    let changes = d.history.iter().filter(|h| h.event == "callback").count();
    assert_eq!(changes, 1, "{:?}", d.history);
    let deliveries = g.recent_callbacks(1000).unwrap();
    assert_eq!(deliveries.len(), 10);
    let verdicts: Vec<_> = deliveries.iter().map(|d| d.verdict.as_str()).collect();
    assert_eq!(
        verdicts.iter().filter(|v| **v == "changed").count(),
        1,
        "{verdicts:?}"
    );
    assert_eq!(verdicts.iter().filter(|v| **v == "unchanged").count(), 9);
    assert!(deliveries.iter().all(|d| d.source == "127.0.0.1"
        && d.provider == "mycoolpay"
        && d.reference == c.provider_ref));
}

/// The body with one field changed, in the body's own shape (JSON or form).
fn replace(body: &str, key: &str, value: &str) -> String {
    if body.trim_start().starts_with('{') {
        let mut v: serde_json::Value = serde_json::from_str(body).unwrap();
        v[key] = serde_json::Value::String(value.to_string());
        return v.to_string();
    }
    let mut fields: Vec<(String, String)> = serde_urlencoded::from_str(body).unwrap();
    for (k, v) in fields.iter_mut() {
        if k == key {
            *v = value.to_string();
        }
    }
    serde_urlencoded::to_string(fields).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn my_coolpay_callbacks_as_json_and_as_a_form_are_both_checked_and_applied() {
    for (shape, starts) in [
        (CallbackShape::Json, "{"),
        (CallbackShape::Form, "application="),
    ] {
        let (_dir, g, _sb, _server) = setup_with(shape).await;
        let c = g.collect_paylink("Douala", input(4000)).await.unwrap();
        reqwest::Client::new()
            .post(format!("{}/pay", c.link.as_deref().unwrap()))
            .send()
            .await
            .unwrap();
        wait_for_deliveries(&g, 1).await;
        let delivery = g.recent_callbacks(1).unwrap().remove(0);
        assert!(
            delivery.body.starts_with(starts),
            "{shape:?}: {}",
            delivery.body
        );
        assert_eq!(delivery.verdict, "changed", "{shape:?}: {delivery:?}");
        assert_eq!(
            g.collection(c.id).unwrap().collection.status,
            UnifiedStatus::Succeeded,
            "{shape:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn forged_callbacks_are_answered_ko_recorded_and_change_nothing() {
    let (_dir, g, _sb, _server) = setup().await;
    // A genuine callback body, as My-CoolPay sent it for a paid link.
    let paid = g.collect_paylink("Douala", input(4000)).await.unwrap();
    reqwest::Client::new()
        .post(format!("{}/pay", paid.link.as_deref().unwrap()))
        .send()
        .await
        .unwrap();
    wait_for_deliveries(&g, 1).await;
    let genuine = g.recent_callbacks(1).unwrap().remove(0).body;
    assert_eq!(
        g.verify_callback("Douala", &genuine, None)
            .await
            .unwrap()
            .answer,
        "OK"
    );

    let pending = g.collect_paylink("Douala", input(9000)).await.unwrap();
    let other_ref = pending.provider_ref.clone().unwrap();
    let stranger: IpAddr = "10.1.2.3".parse().unwrap();
    let mycoolpay: IpAddr = "15.236.140.89".parse().unwrap();
    let local: IpAddr = "127.0.0.1".parse().unwrap();
    let cases = [
        (genuine.clone(), stranger, "wrong source address"),
        (
            replace(&genuine, "application", "someone-else"),
            local,
            "not the public key",
        ),
        (
            replace(&genuine, "signature", "0123456789abcdef0123456789abcdef"),
            mycoolpay,
            "wrong signature",
        ),
        // A genuine signature does not cover another transaction.
        (
            replace(&genuine, "transaction_ref", &other_ref),
            mycoolpay,
            "wrong signature",
        ),
        (
            "this is not a callback".to_string(),
            mycoolpay,
            "not a callback",
        ),
    ];
    for (body, source, why) in &cases {
        let o = g.receive_callback(body, *source).await.unwrap();
        assert_eq!(o.answer, "KO", "{why}: {o:?}");
        assert!(o.reason.contains(why), "{why}: {o:?}");
        assert!(!o.changed);
    }
    assert_eq!(
        g.verify_callback("Douala", &genuine, Some(stranger))
            .await
            .unwrap()
            .answer,
        "KO"
    );
    let recorded = g.recent_callbacks(100).unwrap();
    assert_eq!(recorded.len(), 1 + cases.len());
    assert!(recorded[..cases.len()]
        .iter()
        .all(|r| r.verdict.starts_with("ko: ")));
    assert_eq!(recorded[0].source, "15.236.140.89");
    let d = g.collection(pending.id).unwrap();
    assert_eq!(d.collection.status, UnifiedStatus::AwaitingCustomer);
    assert!(d.history.iter().all(|h| h.event != "callback"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cinetpay_notification_is_only_a_hint_the_status_is_asked_of_cinetpay() {
    let (_dir, g, sb, server) = setup().await;
    let c = g
        .collect_cinetpay(
            "Abidjan",
            CollectionInput {
                amount: 2500,
                reason: "Pagne".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    // A forged "paid" notification for an unpaid payment changes nothing.
    let forged = serde_urlencoded::to_string([
        ("cpm_trans_id", c.reference.as_str()),
        ("cpm_site_id", "445160"),
        ("cpm_amount", "2500"),
        ("cpm_result", "00"),
        ("signature", c.signature.as_deref().unwrap()),
    ])
    .unwrap();
    let answer = reqwest::Client::new()
        .post(format!("{}/cinetpay", server.url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(forged.clone())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(answer, "OK");
    assert_eq!(
        g.collection(c.id).unwrap().collection.status,
        UnifiedStatus::AwaitingCustomer
    );
    assert_eq!(
        g.verify_callback("Abidjan", &forged, None)
            .await
            .unwrap()
            .answer,
        "KO"
    );

    // Once CinetPay itself says paid, the same hint moves it — once, however often it comes.
    assert!(sb.finish_cinetpay_payment(&c.reference, "00"));
    for _ in 0..10 {
        g.receive_callback(&forged, "127.0.0.1".parse().unwrap())
            .await
            .unwrap();
    }
    let d = g.collection(c.id).unwrap();
    assert_eq!(d.collection.status, UnifiedStatus::Succeeded);
    let paid = d
        .history
        .iter()
        .filter(|h| h.status == UnifiedStatus::Succeeded);
    assert_eq!(paid.count(), 1, "{:?}", d.history);
    let verdicts: Vec<String> = g
        .recent_callbacks(10)
        .unwrap()
        .into_iter()
        .map(|r| r.verdict)
        .collect();
    assert_eq!(
        verdicts.iter().filter(|v| *v == "changed").count(),
        1,
        "{verdicts:?}"
    );
}
