//! The payment and collection calls against the provider sandbox.

use guichet_providers::executor::{Executor, ExecutorConfig};
use guichet_providers::ErrorKind;
use guichet_sandbox::{Sandbox, SandboxConfig};
use guichet_secrets::Secret;
use guichet_types::UnifiedStatus;
use std::sync::Arc;

#[tokio::test]
async fn a_softsystem_payment_request_is_paid_on_the_sandbox_page() {
    use guichet_providers::softsystem;
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let demo = sb.demo_credentials();
    let c = softsystem::Client::new(
        Arc::new(Executor::new(ExecutorConfig::default())),
        Some(&sb.base_url()),
        &demo.softsystem_client_reference,
        Secret::new(demo.softsystem_access_token.clone()),
    );
    let order_id = softsystem::new_order_id();
    let request = softsystem::PaymentRequest {
        amount: 2500,
        order_id: order_id.clone(),
        number: "2250707123456".into(),
        channel: "Wave".into(),
        object: "Commande 42".into(),
        success_url: "https://shop.ci/ok".into(),
        error_url: "https://shop.ci/ko".into(),
        callback_url: "http://127.0.0.1:9/cb".into(),
    };
    let page = c.request_payment(&request).await.unwrap();
    assert!(page.url.contains(&order_id));
    assert_eq!(
        c.status(&order_id).await.unwrap().unified(),
        UnifiedStatus::AwaitingCustomer
    );
    assert_eq!(
        c.request_payment(&request).await.unwrap_err().kind,
        ErrorKind::DuplicateReference,
        "402: orderId already used"
    );
    assert!(sb.finish_softsystem(&order_id, "Accepte"));
    assert_eq!(
        c.status(&order_id).await.unwrap().unified(),
        UnifiedStatus::Succeeded
    );
    let bad = softsystem::Client::new(
        Arc::new(Executor::new(ExecutorConfig::default())),
        Some(&sb.base_url()),
        "X",
        Secret::new("wrong"),
    );
    assert_eq!(
        bad.status(&order_id).await.unwrap_err().kind,
        ErrorKind::Credentials
    );
}

#[tokio::test]
async fn a_cinetpay_hosted_payment_is_checked_as_the_document_requires() {
    use guichet_providers::cinetpay_payment::{self, HistoryQuery, Payment};
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let demo = sb.demo_credentials();
    let c = cinetpay_payment::Client::new(
        Arc::new(Executor::new(ExecutorConfig::default())),
        Some(&sb.base_url()),
        &demo.cinetpay_site_id,
        Secret::new(demo.cinetpay_api_key.clone()),
    );
    let p = Payment {
        amount: 2000,
        trans_id: "GCHPAY1".into(),
        trans_date: "2026-11-22 09:30:00".into(),
        designation: "Facture 12 & co".into(),
        custom: String::new(),
        language: "fr".into(),
        phone: None,
    };
    let signature = c.signature(&p).await.unwrap();
    let (action, fields) = c.checkout_form(
        &p,
        &signature,
        "http://127.0.0.1:9/n",
        "https://shop.ci/ok",
        "https://shop.ci/ko",
    );
    assert!(
        !fields
            .iter()
            .any(|(k, v)| *k == "apikey" || v == &demo.cinetpay_api_key),
        "no secret in the browser form"
    );
    let page = reqwest::Client::new()
        .post(&action)
        .form(&fields)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Payer 2000 F CFA"), "{page}");
    assert_eq!(
        c.check("GCHPAY1").await.unwrap().verdict(2000, &signature),
        UnifiedStatus::AwaitingCustomer
    );
    sb.finish_cinetpay_payment("GCHPAY1", "00");
    let status = c.check("GCHPAY1").await.unwrap();
    assert_eq!(status.verdict(2000, &signature), UnifiedStatus::Succeeded);
    assert_eq!(
        status.verdict(2500, &signature),
        UnifiedStatus::Failed,
        "a different amount is not our payment"
    );
    assert_eq!(
        status.verdict(2000, "0000"),
        UnifiedStatus::Failed,
        "nor is a different signature"
    );
    let history = c
        .history(&HistoryQuery {
            date_from: Some("01-11-2026".into()),
            date_to: Some("30-11-2026".into()),
            page: Some(1),
            per_page: Some(10),
        })
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    let balances = c.account_status().await.unwrap();
    assert_eq!(
        (
            balances.service_balance.0.as_str(),
            balances.account_balance.0.as_str()
        ),
        ("1930.0", "1930.0")
    );
    let wrong = cinetpay_payment::Client::new(
        Arc::new(Executor::new(ExecutorConfig::default())),
        Some(&sb.base_url()),
        "999",
        Secret::new(demo.cinetpay_api_key.clone()),
    );
    assert_eq!(
        wrong.account_status().await.unwrap_err().kind,
        ErrorKind::Credentials
    );
}

#[tokio::test]
async fn a_my_coolpay_payout_is_pending_on_a_202_and_done_on_a_200() {
    use guichet_providers::mycoolpay;
    use guichet_sandbox::Variants;
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let demo = sb.demo_credentials();
    let c = mycoolpay::Client::new(
        Arc::new(Executor::new(ExecutorConfig::default())),
        Some(&sb.base_url()),
        &demo.mycoolpay_public_key,
        Secret::new(demo.mycoolpay_private_key.clone()),
    );
    let req = |app_ref: &str| mycoolpay::PayoutRequest {
        amount: 5000,
        reason: "Salaire".into(),
        operator: mycoolpay::Operator::CmMomo,
        app_transaction_ref: app_ref.into(),
        customer_name: None,
        customer_phone_number: Some("677000000".into()),
    };
    // 202: accepted, still CREATED.
    let pending = c.payout(&req("GCH-P1")).await.unwrap();
    assert_eq!(
        c.check_status(&pending).await.unwrap().unified(),
        UnifiedStatus::Pending
    );
    sb.advance(5_000);
    assert_eq!(
        c.check_status(&pending).await.unwrap().unified(),
        UnifiedStatus::Succeeded
    );
    // 200: settled before the answer.
    sb.set_variants(Variants {
        mycoolpay_instant_payouts: 1.0,
        ..Variants::default()
    });
    let done = c.payout(&req("GCH-P2")).await.unwrap();
    assert_eq!(
        c.check_status(&done).await.unwrap().unified(),
        UnifiedStatus::Succeeded
    );
}
