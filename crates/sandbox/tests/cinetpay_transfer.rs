//! CinetPay Transfer as the sandbox serves it: a valid request per endpoint and each documented
//! error, over real HTTP.

use guichet_sandbox::{Sandbox, SandboxConfig, SandboxHandle};
use serde_json::{json, Value};

const KEY: &str = "demo-cinetpay-apikey";
const PW: &str = "demo-transfer-password";

async fn start() -> (SandboxHandle, reqwest::Client) {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    (sb, reqwest::Client::new())
}

async fn login(sb: &SandboxHandle, http: &reqwest::Client) -> String {
    let r: Value = http
        .post(format!("{}/v1/auth/login?lang=fr", sb.base_url()))
        .form(&[("apikey", KEY), ("password", PW)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["code"], 0, "{r}");
    r["data"]["token"].as_str().unwrap().to_string()
}

async fn post_data(
    sb: &SandboxHandle,
    http: &reqwest::Client,
    path: &str,
    token: &str,
    data: Value,
) -> (u16, Value) {
    let r = http
        .post(format!("{}{path}?token={token}&lang=fr", sb.base_url()))
        .form(&[("data", data.to_string())])
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

async fn get(sb: &SandboxHandle, http: &reqwest::Client, path_and_query: &str) -> (u16, Value) {
    let r = http
        .get(format!("{}{path_and_query}", sb.base_url()))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn login_gives_a_token_and_refuses_bad_credentials() {
    let (sb, http) = start().await;
    login(&sb, &http).await;
    let r = http
        .post(format!("{}/v1/auth/login?lang=fr", sb.base_url()))
        .form(&[("apikey", KEY), ("password", "wrong")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body,
        json!({"code": "701", "message": "INVALID_CREDENTIALS", "description": "Identifiant de connexion incorrect", "data": []})
    );
    // JSON where a form is documented is refused.
    let r = http
        .post(format!("{}/v1/auth/login", sb.base_url()))
        .json(&json!({"apikey": KEY, "password": PW}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // Wrong method.
    let r = http
        .get(format!("{}/v1/auth/login", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
}

#[tokio::test]
async fn tokens_travel_in_the_query_and_expire_after_five_minutes() {
    let (sb, http) = start().await;
    let token = login(&sb, &http).await;
    let (status, body) = get(
        &sb,
        &http,
        &format!("/v1/transfer/check/balance?token={token}&lang=fr"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["data"],
        json!({"amount": 5_000_000, "inUsing": 0, "available": 5_000_000})
    );

    // A token in the body is refused as the real API does.
    let r = http
        .post(format!("{}/v1/transfer/contact?lang=fr", sb.base_url()))
        .form(&[("token", token.as_str()), ("data", "[]")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "706");

    sb.advance(5 * 60 * 1000 + 1);
    let (status, body) = get(
        &sb,
        &http,
        &format!("/v1/transfer/check/balance?token={token}&lang=fr"),
    )
    .await;
    assert_eq!((status, body["code"].clone()), (401, json!("705")));
    let (_, body) = get(&sb, &http, "/v1/transfer/check/balance?token=nope&lang=fr").await;
    assert_eq!(body["code"], "706");
}

#[tokio::test]
async fn contacts_are_added_once_and_726_says_already_there() {
    let (sb, http) = start().await;
    let token = login(&sb, &http).await;
    let contact = json!({"prefix": "225", "phone": "0707123456", "name": "Test & A", "surname": "Awa", "email": "a@b.ci"});
    let (status, body) =
        post_data(&sb, &http, "/v1/transfer/contact", &token, json!([contact])).await;
    assert_eq!(status, 200);
    let item = &body["data"][0][0];
    assert_eq!(
        (
            item["code"].clone(),
            item["status"].clone(),
            item["name"].clone()
        ),
        (json!(0), json!("success"), json!("Test & A"))
    );
    assert!(item["lot"].as_str().unwrap().len() >= 20);
    let (_, body) = post_data(
        &sb,
        &http,
        "/v1/transfer/contact",
        &token,
        json!([contact, {"prefix": "225", "phone": "07A", "name": "X", "surname": "Y"}]),
    )
    .await;
    assert_eq!(body["code"], 0, "the request succeeds while items fail");
    assert_eq!(body["data"][0][0]["code"], "726");
    assert_eq!(body["data"][0][1]["code"], "802");
    let (status, body) = post_data(
        &sb,
        &http,
        "/v1/transfer/contact",
        &token,
        json!("not an array"),
    )
    .await;
    assert_eq!((status, body["code"].clone()), (400, json!("718")));
}

#[tokio::test]
async fn money_goes_to_contacts_only_once_per_reference_and_progresses_to_val() {
    let (sb, http) = start().await;
    let token = login(&sb, &http).await;
    post_data(
        &sb,
        &http,
        "/v1/transfer/contact",
        &token,
        json!([{"prefix": "225", "phone": "0707123456", "name": "A", "surname": "B"}]),
    )
    .await;
    let item = |phone: &str, amount: Value, id: &str| json!({"prefix": "225", "phone": phone, "amount": amount, "client_transaction_id": id, "notify_url": "http://127.0.0.1:9/n"});
    let (status, body) = post_data(&sb, &http, "/v1/transfer/money/send/contact", &token, json!([
        item("0707123456", json!(5000), "GCH-1"),
        item("0505999999", json!(5000), "GCH-2"),
        item("0707123456", json!(150), "GCH-3"),
        item("0707123456", json!(1_500_005), "GCH-4"),
        item("0707123456", json!(1001), "GCH-5"),
        json!({"prefix": "225", "phone": "0707123456", "amount": 500, "client_transaction_id": "GCH-6"}),
    ])).await;
    assert_eq!(status, 200);
    let codes: Vec<Value> = body["data"][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].clone())
        .collect();
    assert_eq!(
        codes,
        [
            json!(0),
            json!("724"),
            json!("719"),
            json!("720"),
            json!("801"),
            json!("725")
        ]
    );
    let transaction_id = body["data"][0][0]["transaction_id"]
        .as_str()
        .unwrap()
        .to_string();

    let (_, body) = post_data(
        &sb,
        &http,
        "/v1/transfer/money/send/contact",
        &token,
        json!([item("0707123456", json!(5000), "GCH-1")]),
    )
    .await;
    assert_eq!(body["data"][0][0]["code"], "805");

    let (_, body) = get(
        &sb,
        &http,
        &format!("/v1/transfer/check/money?token={token}&lang=fr&client_transaction_id=GCH-1"),
    )
    .await;
    let t = &body["data"][0];
    assert_eq!(t["transaction_id"], transaction_id.as_str());
    assert_eq!(t["amount"], "5000");
    assert_eq!(t["receiver_e164"], "+2250707123456");
    assert_eq!(t["operator"], "OM");
    assert_eq!(t["treatment_status"], "NEW");
    let (_, body) = get(
        &sb,
        &http,
        &format!("/v1/transfer/check/balance?token={token}"),
    )
    .await;
    assert_eq!(
        body["data"],
        json!({"amount": 5_000_000, "inUsing": 5000, "available": 4_995_000})
    );

    sb.advance(1_000);
    let (_, body) = get(
        &sb,
        &http,
        &format!("/v1/transfer/check/money?token={token}&transaction_id={transaction_id}"),
    )
    .await;
    assert_eq!(body["data"][0]["treatment_status"], "REC");
    sb.advance(2_000);
    let (_, body) = get(
        &sb,
        &http,
        &format!("/v1/transfer/check/money?token={token}&transaction_id={transaction_id}"),
    )
    .await;
    assert_eq!(body["data"][0]["treatment_status"], "VAL");
    assert_eq!(body["data"][0]["transfer_valid"], "Y");
    let (_, body) = get(
        &sb,
        &http,
        &format!("/v1/transfer/check/balance?token={token}"),
    )
    .await;
    assert_eq!(
        body["data"],
        json!({"amount": 4_995_000, "inUsing": 0, "available": 4_995_000})
    );

    let (status, body) = get(
        &sb,
        &http,
        &format!("/v1/transfer/check/money?token={token}&client_transaction_id=NOPE"),
    )
    .await;
    assert_eq!((status, body["code"].clone()), (404, json!("723")));
    let ledger = sb.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(
        (
            ledger[0].reference.as_str(),
            ledger[0].amount,
            ledger[0].outcome.as_str()
        ),
        ("GCH-1", 5000, "succeeded")
    );
}

#[tokio::test]
async fn a_short_balance_refuses_the_whole_order_with_602() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let http = reqwest::Client::new();
    sb.seed_cinetpay("small", "pw", "1", 1000, false);
    let r: Value = http
        .post(format!("{}/v1/auth/login", sb.base_url()))
        .form(&[("apikey", "small"), ("password", "pw")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = r["data"]["token"].as_str().unwrap();
    let (status, body) = post_data(&sb, &http, "/v1/transfer/money/send/contact", token, json!([
        {"prefix": "225", "phone": "0707123456", "amount": 5000, "client_transaction_id": "X1", "notify_url": "http://h/n"}
    ])).await;
    assert_eq!(
        (status, body["code"].clone(), body["message"].clone()),
        (400, json!(602), json!("INSUFFICIENT_BALANCE"))
    );
    assert!(sb.ledger().is_empty());
}

#[tokio::test]
async fn held_transfers_wait_for_the_merchants_confirmation() {
    let sb = Sandbox::start(SandboxConfig {
        cinetpay_requires_confirmation: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let http = reqwest::Client::new();
    let token = login(&sb, &http).await;
    post_data(
        &sb,
        &http,
        "/v1/transfer/contact",
        &token,
        json!([{"prefix": "225", "phone": "0101020304", "name": "A", "surname": "B"}]),
    )
    .await;
    post_data(&sb, &http, "/v1/transfer/money/send/contact", &token, json!([
        {"prefix": "225", "phone": "0101020304", "amount": 1000, "client_transaction_id": "H1", "notify_url": "http://h/n"}
    ])).await;
    sb.advance(60_000);
    let (_, body) = get(
        &sb,
        &http,
        &format!("/v1/transfer/check/money?token={token}&client_transaction_id=H1"),
    )
    .await;
    assert_eq!(
        (
            body["data"][0]["treatment_status"].clone(),
            body["data"][0]["sending_status"].clone()
        ),
        (json!("NOS"), json!("PENDING"))
    );
    assert_eq!(sb.confirm_transfers(Some("H1"), false), 1);
    sb.advance(3_000);
    let (_, body) = get(
        &sb,
        &http,
        &format!("/v1/transfer/check/money?token={token}&client_transaction_id=H1"),
    )
    .await;
    assert_eq!(
        (
            body["data"][0]["treatment_status"].clone(),
            body["data"][0]["sending_status"].clone()
        ),
        (json!("VAL"), json!("CONFIRM"))
    );
    assert_eq!(body["data"][0]["operator"], "FLOOZ");
}
