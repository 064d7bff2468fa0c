//! My-CoolPay as the sandbox serves it: valid requests, documented errors, the signed callback.

use guichet_sandbox::{CallbackShape, Sandbox, SandboxConfig, SandboxHandle, Variants};
use md5::{Digest, Md5};
use serde_json::{json, Value};

async fn start() -> (SandboxHandle, reqwest::Client, String) {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let api = format!("{}/api/demo-mcp-public", sb.base_url());
    (sb, reqwest::Client::new(), api)
}

async fn post(http: &reqwest::Client, url: &str, body: Value) -> (u16, Value) {
    let r = http.post(url).json(&body).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

fn payout(app_ref: &str, amount: i64, operator: &str, phone: Option<&str>) -> Value {
    let mut v = json!({"private_key": "demo-mcp-private", "transaction_amount": amount, "transaction_currency": "XAF",
        "transaction_reason": "Salaire", "transaction_operator": operator, "app_transaction_ref": app_ref});
    if let Some(p) = phone {
        v["customer_phone_number"] = json!(p);
    }
    v
}

#[tokio::test]
async fn a_payout_is_accepted_then_succeeds_and_is_looked_up_by_their_reference() {
    let (sb, http, api) = start().await;
    let (status, body) = post(
        &http,
        &format!("{api}/payout"),
        payout("GCH-M1", 10_000, "CM_MOMO", Some("677123456")),
    )
    .await;
    // Still CREATED: 202, pending (the SDK reads 200 as done).
    assert_eq!(
        (status, body["status"].clone()),
        (202, json!("success")),
        "{body}"
    );
    let reference = body["transaction_ref"].as_str().unwrap().to_string();

    let status: Value = http
        .get(format!("{api}/checkStatus/{reference}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["transaction_status"], "CREATED");
    assert_eq!(status["app_transaction_ref"], "GCH-M1");
    assert_eq!(status["transaction_type"], "PAYOUT");
    sb.advance(3_000);
    let (_, status) = post(
        &http,
        &format!("{api}/checkStatus"),
        json!({"transaction_ref": reference}),
    )
    .await;
    assert_eq!(status["transaction_status"], "SUCCESS");
    assert_eq!(status["transaction_amount"], 10_000);
    assert_eq!(status["transaction_fees"], 200, "2 % by default");

    let balance: Value = http
        .get(format!("{api}/balance"))
        .header("X-PRIVATE-KEY", "demo-mcp-private")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(balance["balance"], 2_000_000 - 10_000 - 200);
    assert_eq!(sb.ledger().len(), 1);
}

#[tokio::test]
async fn payout_errors_as_documented() {
    let (sb, http, api) = start().await;
    let cases = [
        (
            json!({"private_key": "wrong", "transaction_amount": 100, "transaction_reason": "r", "transaction_operator": "CM_OM", "app_transaction_ref": "A", "customer_phone_number": "690000000"}),
            401,
        ),
        (payout("B", 100, "MCP", None), 400),
        (payout("C", 100, "ORANGE", Some("690000000")), 400),
        (payout("D", 100, "CM_OM", Some("123")), 400),
        (payout("E", 5_000_000, "CM_OM", Some("690000000")), 400),
        (
            json!({"private_key": "demo-mcp-private", "transaction_amount": 100, "transaction_operator": "CM_OM", "app_transaction_ref": "F", "customer_phone_number": "690000000"}),
            400,
        ),
    ];
    for (body, want) in cases {
        let (status, answer) = post(&http, &format!("{api}/payout"), body.clone()).await;
        assert_eq!(status, want, "{body} → {answer}");
        assert_eq!(answer["status"], "error");
        assert!(answer["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // MCP accounts can be reached by username; a reused app_transaction_ref is refused.
    let mut by_username = payout("G", 100, "MCP", None);
    by_username["customer_username"] = json!("awa");
    assert_eq!(
        post(&http, &format!("{api}/payout"), by_username.clone())
            .await
            .0,
        202
    );
    assert_eq!(
        post(&http, &format!("{api}/payout"), by_username).await.0,
        400
    );
    // A form body where JSON is documented is refused.
    let r = http
        .post(format!("{api}/payout"))
        .form(&[("private_key", "demo-mcp-private")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = http
        .get(format!("{api}/checkStatus/NOPE"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = http
        .post(format!("{}/api/unknown-app/payout", sb.base_url()))
        .json(&payout("H", 100, "CM_OM", Some("690000000")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(
        sb.ledger().len(),
        1,
        "only the accepted payout was executed"
    );
}

#[tokio::test]
async fn payins_ask_for_an_otp_once_then_give_a_ussd_code() {
    let (sb, http, api) = start().await;
    let payin = |r: &str| json!({"transaction_amount": 2500, "transaction_reason": "Commande 12", "app_transaction_ref": r, "customer_phone_number": "237699887766"});
    let (_, first) = post(&http, &format!("{api}/payin"), payin("P1")).await;
    assert_eq!(first["action"], "REQUIRE_OTP");
    let reference = first["transaction_ref"].as_str().unwrap();
    let otp: Value = http
        .get(format!(
            "{}/_sandbox/mycoolpay/otp/{reference}",
            sb.base_url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (status, bad) = post(
        &http,
        &format!("{api}/payin/authorize"),
        json!({"transaction_ref": reference, "code": "000000x"}),
    )
    .await;
    assert_eq!((status, bad["status"].clone()), (400, json!("error")));
    let (_, ok) = post(
        &http,
        &format!("{api}/payin/authorize"),
        json!({"transaction_ref": reference, "code": otp["code"]}),
    )
    .await;
    assert_eq!(
        (ok["action"].clone(), ok["ussd"].clone()),
        (json!("PENDING"), json!("#150*50#"))
    );
    let (_, second) = post(&http, &format!("{api}/payin"), payin("P2")).await;
    assert_eq!(
        second["action"], "PENDING",
        "an authenticated number needs no OTP"
    );
    let (_, link) = post(&http, &format!("{api}/paylink"), json!({"transaction_amount": 1000, "transaction_reason": "Facture", "app_transaction_ref": "L1"})).await;
    let url = link["payment_url"].as_str().unwrap();
    let page = http.get(url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("1000 XAF") && page.contains("Bac à sable"));
    http.post(format!("{url}/pay")).send().await.unwrap();
    let status: Value = http
        .get(format!(
            "{api}/checkStatus/{}",
            link["transaction_ref"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["transaction_status"], "SUCCESS");
}

#[tokio::test]
async fn the_callback_is_signed_as_documented_and_sent_once() {
    use std::sync::{Arc, Mutex};
    let received: Arc<Mutex<Vec<std::collections::HashMap<String, String>>>> = Arc::default();
    let sink = received.clone();
    let app = axum::Router::new().route(
        "/cb",
        axum::routing::post(
            move |axum::Form(f): axum::Form<std::collections::HashMap<String, String>>| {
                let sink = sink.clone();
                async move {
                    sink.lock().unwrap().push(f);
                    "OK"
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let cb = format!("http://{}/cb", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let (sb, http, _) = start().await;
    sb.set_variants(Variants {
        mycoolpay_callbacks: CallbackShape::Form,
        ..Variants::default()
    });
    sb.seed_mycoolpay("pk-cb", "sk-cb", 50_000, Some(cb));
    let api = format!("{}/api/pk-cb", sb.base_url());
    let mut body = payout("CB1", 100, "CM_OM", Some("690000001"));
    body["private_key"] = json!("sk-cb");
    let (_, answer) = post(&http, &format!("{api}/payout"), body).await;
    sb.advance(10_000);
    for _ in 0..50 {
        if !received.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    sb.advance(10_000);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "one callback, never repeated");
    let f = &got[0];
    assert_eq!(
        f["transaction_ref"],
        answer["transaction_ref"].as_str().unwrap()
    );
    assert_eq!(f["application"], "pk-cb");
    let want = hex::encode(Md5::digest(
        format!("{}PAYOUT100XAFCM_OMsk-cb", f["transaction_ref"]).as_bytes(),
    ));
    assert_eq!(f["signature"], want);
}

/// A payout's callback as it arrives: its content type and body.
async fn one_callback(shape: CallbackShape, fee_basis_points: i64) -> (String, String) {
    use std::sync::{Arc, Mutex};
    let received: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let sink = received.clone();
    let app = axum::Router::new().route(
        "/cb",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let sink = sink.clone();
            async move {
                let kind = headers["content-type"].to_str().unwrap().to_string();
                sink.lock().unwrap().push((kind, body));
                "OK"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let cb = format!("http://{}/cb", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let (sb, http, _) = start().await;
    sb.set_variants(Variants {
        mycoolpay_callbacks: shape,
        mycoolpay_fee_basis_points: fee_basis_points,
        ..Variants::default()
    });
    sb.seed_mycoolpay("pk-cb", "sk-cb", 50_000, Some(cb));
    let mut body = payout("CB1", 1000, "CM_OM", Some("690000001"));
    body["private_key"] = json!("sk-cb");
    post(&http, &format!("{}/api/pk-cb/payout", sb.base_url()), body).await;
    sb.advance(10_000);
    for _ in 0..50 {
        if let Some(got) = received.lock().unwrap().first() {
            return got.clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no callback");
}

#[tokio::test]
async fn a_callback_can_come_as_json_with_numbers_and_the_same_signature() {
    let (kind, body) = one_callback(CallbackShape::Json, 200).await;
    assert!(kind.starts_with("application/json"), "{kind}");
    let f: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (
            f["transaction_amount"].clone(),
            f["transaction_fees"].clone()
        ),
        (json!(1000), json!(20))
    );
    let want = hex::encode(Md5::digest(
        format!(
            "{}PAYOUT1000XAFCM_OMsk-cb",
            f["transaction_ref"].as_str().unwrap()
        )
        .as_bytes(),
    ));
    assert_eq!(f["signature"], want);
}

#[tokio::test]
async fn fees_are_charged_reported_and_refunded_with_a_failed_payout() {
    let (_, body) = one_callback(CallbackShape::Form, 250).await;
    let f: std::collections::HashMap<String, String> = serde_urlencoded::from_str(&body).unwrap();
    assert_eq!(f["transaction_fees"], "25", "2.5 % of 1000");

    let (sb, http, api) = start().await;
    sb.fail_phone("677999999");
    let (_, a) = post(
        &http,
        &format!("{api}/payout"),
        payout("F1", 10_000, "CM_MOMO", Some("677999999")),
    )
    .await;
    let status: Value = http
        .get(format!(
            "{api}/checkStatus/{}",
            a["transaction_ref"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["transaction_fees"], 200);
    assert_eq!(
        balance_of(&http, &api).await,
        2_000_000 - 10_200,
        "amount and fee held"
    );
    sb.advance(10_000);
    assert_eq!(balance_of(&http, &api).await, 2_000_000, "both given back");

    // A payin credits the amount less the fee.
    let (_, link) = post(&http, &format!("{api}/paylink"), json!({"transaction_amount": 5000, "transaction_reason": "Facture", "app_transaction_ref": "F2"})).await;
    http.post(format!("{}/pay", link["payment_url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(balance_of(&http, &api).await, 2_000_000 + 5000 - 100);
}

#[tokio::test]
async fn a_paylink_carries_the_operator_the_customer_paid_with() {
    let (_sb, http, api) = start().await;
    for (i, operator) in ["CM_OM", "CM_MOMO", "CARD"].into_iter().enumerate() {
        let (_, link) = post(&http, &format!("{api}/paylink"), json!({"transaction_amount": 1000, "transaction_reason": "Facture", "app_transaction_ref": format!("OP{i}")})).await;
        http.post(format!(
            "{}/pay?operator={operator}",
            link["payment_url"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
        let status: Value = http
            .get(format!(
                "{api}/checkStatus/{}",
                link["transaction_ref"].as_str().unwrap()
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(status["transaction_operator"], operator);
    }
}

async fn balance_of(http: &reqwest::Client, api: &str) -> i64 {
    let v: Value = http
        .get(format!("{api}/balance"))
        .header("X-PRIVATE-KEY", "demo-mcp-private")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["balance"].as_i64().unwrap()
}
