//! The sandbox as the providers' own client code sees it. Each test sends exactly what one of
//! their SDKs sends (same paths, headers, encodings and field sets, written from their sources,
//! named in each test; none of their code is copied here) and checks what that SDK reads back.
//!
//! - My-CoolPay: `mycoolpay/php-sdk` `src/MyCoolPayClient.php` (payout, status, balance, callback
//!   integrity, README's payout and callback examples) over `mycoolpay/php-rest-client`
//!   `src/RestClient.php` (JSON bodies, `Accept: application/json`, HTTP ≥ 400 is an error).
//! - CinetPay: `cinetpay/cinetpay-php-legacy` `src/CinetPay/CinetPay.php` (`getSignature`,
//!   `getPayButton`, `getPayStatus`, `setTransDate`; its `callCinetpayWsMethod` joins fields
//!   with `&` without encoding them) and `cinetpay/cinetpay-php-sdk` `src/cinetpay.php`
//!   (`isAuthentified`, which signs the paid basket again and compares).

use guichet_sandbox::{CallbackShape, ReturnUrls, Sandbox, SandboxConfig, SandboxHandle, Variants};
use md5::{Digest, Md5};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const PUBLIC: &str = "demo-mcp-public";
const PRIVATE: &str = "demo-mcp-private";
const APIKEY: &str = "demo-cinetpay-apikey";
const SITE: &str = "445160";

async fn sandbox(variants: Variants) -> SandboxHandle {
    Sandbox::start(SandboxConfig {
        variants,
        ..Default::default()
    })
    .await
    .unwrap()
}

// ---------------------------------------------------------------------------------------------
// My-CoolPay: mycoolpay/php-sdk over mycoolpay/php-rest-client
// ---------------------------------------------------------------------------------------------

/// `RestClient::request` for a POST: the data JSON-encoded, `Content-Type` and `Accept`
/// `application/json`, the SDK's user agent, plus the call's own headers.
async fn sdk_post(url: &str, data: Value, headers: &[(&str, &str)]) -> (u16, Value) {
    let mut r = reqwest::Client::new()
        .post(url)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .header("User-Agent", "MyCoolPay/PHP/RestClient")
        .body(data.to_string());
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    let r = r.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// `RestClient::get`: no body, no content type.
async fn sdk_get(url: &str, headers: &[(&str, &str)]) -> (u16, Value) {
    let mut r = reqwest::Client::new()
        .get(url)
        .header("Accept", "application/json")
        .header("User-Agent", "MyCoolPay/PHP/RestClient");
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    let r = r.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// `MyCoolPayClient::payout($data)`: the README's data, the private key only in `X-PRIVATE-KEY`.
async fn sdk_payout(sb: &SandboxHandle, app_ref: &str, amount: i64) -> (u16, Value) {
    sdk_post(
        &format!("{}/api/{PUBLIC}/payout", sb.base_url()),
        json!({
            "transaction_amount": amount,
            "transaction_currency": "XAF",
            "transaction_reason": "Customer refund",
            "transaction_operator": "CM_OM",
            "app_transaction_ref": app_ref,
            "customer_phone_number": "699009900",
            "customer_name": "Bob MARLEY",
            "customer_email": "bob@mail.com",
            "customer_lang": "en",
        }),
        &[("X-PRIVATE-KEY", PRIVATE)],
    )
    .await
}

/// `MyCoolPayClient::checkStatus($transaction_ref)`.
async fn sdk_check_status(sb: &SandboxHandle, reference: &str) -> Value {
    let (code, v) = sdk_get(
        &format!("{}/api/{PUBLIC}/checkStatus/{reference}", sb.base_url()),
        &[],
    )
    .await;
    assert_eq!(code, 200, "{v}");
    v
}

#[tokio::test]
async fn mycoolpay_sdk_payout_is_pending_202_while_created_and_200_only_when_done() {
    let sb = sandbox(Variants::default()).await;
    // The README: 200 is a successful withdrawal, 202 one pending in background.
    let (code, answer) = sdk_payout(&sb, "refund_123", 500).await;
    assert_eq!(
        (code, answer["status"].as_str()),
        (202, Some("success")),
        "{answer}"
    );
    let reference = answer["transaction_ref"].as_str().unwrap().to_string();
    assert_eq!(
        sdk_check_status(&sb, &reference).await["transaction_status"],
        "CREATED"
    );
    sb.advance(3_000);
    assert_eq!(
        sdk_check_status(&sb, &reference).await["transaction_status"],
        "SUCCESS"
    );

    // An operator that settles before My-CoolPay answers: 200, and the status says so.
    sb.set_variants(Variants {
        mycoolpay_instant_payouts: 1.0,
        ..Variants::default()
    });
    let (code, answer) = sdk_payout(&sb, "refund_124", 500).await;
    assert_eq!(code, 200, "{answer}");
    let reference = answer["transaction_ref"].as_str().unwrap();
    assert_eq!(
        sdk_check_status(&sb, reference).await["transaction_status"],
        "SUCCESS"
    );
}

#[tokio::test]
async fn mycoolpay_sdk_payout_key_must_be_right_wherever_it_is_sent() {
    let sb = sandbox(Variants::default()).await;
    let url = format!("{}/api/{PUBLIC}/payout", sb.base_url());
    let data = |r: &str| {
        json!({"transaction_amount": 100, "transaction_reason": "x", "transaction_operator": "CM_OM",
               "app_transaction_ref": r, "customer_phone_number": "699009900"})
    };
    let (code, _) = sdk_post(&url, data("K1"), &[("X-PRIVATE-KEY", "wrong")]).await;
    assert_eq!(code, 401);
    let (code, _) = sdk_post(&url, data("K2"), &[]).await;
    assert_eq!(code, 401, "no key at all");
    let mut both = data("K3");
    both["private_key"] = json!(PRIVATE);
    let (code, _) = sdk_post(&url, both.clone(), &[("X-PRIVATE-KEY", "wrong")]).await;
    assert_eq!(code, 401, "one right key does not excuse a wrong one");
    let (code, _) = sdk_post(&url, both, &[]).await;
    assert_eq!(code, 202, "the document's way: the key in the body");
}

#[tokio::test]
async fn mycoolpay_sdk_balance_and_fees() {
    let sb = sandbox(Variants {
        mycoolpay_fee_basis_points: 150,
        ..Variants::default()
    })
    .await;
    let (_, answer) = sdk_payout(&sb, "fee_1", 10_000).await;
    let reference = answer["transaction_ref"].as_str().unwrap().to_string();
    let status = sdk_check_status(&sb, &reference).await;
    // 1.5 % of 10,000 francs, as a number like the amount.
    assert_eq!(status["transaction_fees"], json!(150));
    let (code, balance) = sdk_get(
        &format!("{}/api/{PUBLIC}/balance", sb.base_url()),
        &[("X-PRIVATE-KEY", PRIVATE)],
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(balance["balance"], json!(2_000_000 - 10_000 - 150));
}

/// A merchant's callback endpoint as the SDK's README writes it: the JSON body decoded
/// (`json_decode(file_get_contents('php://input'), true)`), then `checkCallbackIntegrity`.
/// Form bodies are kept too, so a test can see which way each callback came.
#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<(String, String)>>>,
}

impl Receiver {
    async fn start(&self) -> String {
        let got = self.got.clone();
        let app = axum::Router::new().route(
            "/cb",
            axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
                let got = got.clone();
                async move {
                    let kind = headers
                        .get("content-type")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string();
                    got.lock().unwrap().push((kind, body));
                    "OK"
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/cb", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url
    }

    async fn wait(&self, n: usize) -> Vec<(String, String)> {
        for _ in 0..100 {
            if self.got.lock().unwrap().len() >= n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.got.lock().unwrap().clone()
    }
}

/// PHP's string form of a decoded JSON value, as `md5($ref . $type . $amount …)` concatenates it.
fn php_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// `MyCoolPayClient::checkCallbackIntegrity($callback_data)`.
fn callback_integrity(data: &serde_json::Map<String, Value>, public: &str, private: &str) -> bool {
    let f = |k: &str| data.get(k).map(php_text).unwrap_or_default();
    if f("application") != public {
        return false;
    }
    let text = format!(
        "{}{}{}{}{}{}",
        f("transaction_ref"),
        f("transaction_type"),
        f("transaction_amount"),
        f("transaction_currency"),
        f("transaction_operator"),
        private
    );
    f("signature") == hex::encode(Md5::digest(text.as_bytes()))
}

#[tokio::test]
async fn mycoolpay_callbacks_come_as_json_the_sdk_checks_or_as_a_form() {
    let receiver = Receiver::default();
    let url = receiver.start().await;
    let sb = sandbox(Variants {
        mycoolpay_callbacks: CallbackShape::Json,
        ..Variants::default()
    })
    .await;
    sb.seed_mycoolpay("pk-json", "sk-json", 50_000, Some(url));
    let (code, answer) = sdk_post(
        &format!("{}/api/pk-json/payout", sb.base_url()),
        json!({"transaction_amount": 1000, "transaction_reason": "x", "transaction_operator": "CM_MOMO",
               "app_transaction_ref": "J1", "customer_phone_number": "677000001"}),
        &[("X-PRIVATE-KEY", "sk-json")],
    )
    .await;
    assert_eq!(code, 202);
    sb.advance(5_000);
    let got = receiver.wait(1).await;
    let (kind, body) = &got[0];
    assert!(kind.starts_with("application/json"), "{kind}");
    let data: serde_json::Map<String, Value> = serde_json::from_str(body).unwrap();
    assert!(callback_integrity(&data, "pk-json", "sk-json"), "{body}");
    assert_eq!(data["transaction_ref"], answer["transaction_ref"]);
    assert_eq!(
        data["transaction_amount"],
        json!(1000),
        "a number, as the SDK reads it"
    );
    assert_eq!(data["transaction_fees"], json!(20));
    assert_eq!(data["transaction_status"], "SUCCESS");

    // The same callback as a form: every value a string, the same signature.
    sb.set_variants(Variants {
        mycoolpay_callbacks: CallbackShape::Form,
        ..Variants::default()
    });
    sdk_post(
        &format!("{}/api/pk-json/payout", sb.base_url()),
        json!({"transaction_amount": 1000, "transaction_reason": "x", "transaction_operator": "CM_MOMO",
               "app_transaction_ref": "J2", "customer_phone_number": "677000001"}),
        &[("X-PRIVATE-KEY", "sk-json")],
    )
    .await;
    sb.advance(5_000);
    let got = receiver.wait(2).await;
    let (kind, body) = &got[1];
    assert!(
        kind.starts_with("application/x-www-form-urlencoded"),
        "{kind}"
    );
    let form: HashMap<String, String> = serde_urlencoded::from_str(body).unwrap();
    let data = form
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    assert!(callback_integrity(&data, "pk-json", "sk-json"), "{body}");
}

#[tokio::test]
async fn mycoolpay_callback_shape_is_drawn_from_the_seed() {
    async fn shapes(seed: u64) -> Vec<String> {
        let receiver = Receiver::default();
        let url = receiver.start().await;
        let sb = Sandbox::start(SandboxConfig {
            seed,
            ..Default::default()
        })
        .await
        .unwrap();
        sb.seed_mycoolpay("pk-seed", "sk-seed", 50_000, Some(url));
        for i in 0..8 {
            sdk_post(
                &format!("{}/api/pk-seed/payout", sb.base_url()),
                json!({"transaction_amount": 100, "transaction_reason": "x", "transaction_operator": "CM_OM",
                       "app_transaction_ref": format!("S{i}"), "customer_phone_number": "699000001"}),
                &[("X-PRIVATE-KEY", "sk-seed")],
            )
            .await;
        }
        sb.advance(5_000);
        // One batch, delivered in the order the payouts settled: the same on every run.
        let got = receiver.wait(8).await;
        got.into_iter().map(|(kind, _)| kind).collect()
    }
    let a = shapes(7).await;
    assert_eq!(a, shapes(7).await, "the same seed, the same shapes");
    assert!(a.iter().any(|k| k.starts_with("application/json")), "{a:?}");
    assert!(
        a.iter().any(|k| k.starts_with("application/x-www-form")),
        "{a:?}"
    );
}

#[tokio::test]
async fn mycoolpay_paylink_returns_the_customer_with_the_merchants_parameters() {
    let sb = sandbox(Variants::default()).await;
    sb.set_mycoolpay_return_urls(
        PUBLIC,
        ReturnUrls {
            success: Some("https://shop.example/merci".into()),
            cancel: Some("https://shop.example/panier?etape=2".into()),
            failure: None,
        },
    );
    let link = |r: &str| {
        json!({"transaction_amount": 100, "transaction_currency": "XAF", "transaction_reason": "Bic pen",
               "app_transaction_ref": r, "customer_name": "Bob MARLEY", "customer_lang": "en"})
    };
    let base = format!("{}/api/{PUBLIC}/paylink", sb.base_url());
    let (code, paid) = sdk_post(
        &format!("{base}?commande=7&client=bob"),
        link("order_1"),
        &[],
    )
    .await;
    assert_eq!(code, 200, "{paid}");
    let (_, refused) = sdk_post(&format!("{base}?commande=8"), link("order_2"), &[]).await;
    let (code, _) = sdk_post(
        &format!("{base}?p={}", "x".repeat(260)),
        link("order_3"),
        &[],
    )
    .await;
    assert_eq!(code, 400, "parameters past 255 characters");

    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = browser
        .get(paid["payment_url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("operator=CM_MOMO"), "{page}");
    let back = browser
        .post(format!(
            "{}/pay?operator=CM_MOMO",
            paid["payment_url"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert!(back.status().is_redirection());
    assert_eq!(
        back.headers()["location"],
        "https://shop.example/merci?commande=7&client=bob"
    );
    let status = sdk_check_status(&sb, paid["transaction_ref"].as_str().unwrap()).await;
    assert_eq!(
        (
            status["transaction_status"].as_str(),
            status["transaction_operator"].as_str()
        ),
        (Some("SUCCESS"), Some("CM_MOMO")),
        "the operator the customer paid with"
    );

    let back = browser
        .post(format!(
            "{}/refuse",
            refused["payment_url"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        back.headers()["location"],
        "https://shop.example/panier?etape=2&commande=8"
    );
}

// ---------------------------------------------------------------------------------------------
// CinetPay payment v1: cinetpay/cinetpay-php-legacy and cinetpay/cinetpay-php-sdk
// ---------------------------------------------------------------------------------------------

/// `CinetPay::callCinetpayWsMethod` (legacy, cURL branch): `key=value` pairs joined with `&`,
/// nothing encoded, as a form.
async fn legacy_post(url: &str, params: &[(&str, String)]) -> Value {
    let body = params
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    reqwest::Client::new()
        .post(url)
        .header("cache-control", "no-cache")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The legacy SDK's basket (`getPaySignatureArray`) as its README builds it: `setTransDate`
/// turns `date("Y-m-d H:i:s")` into `YmdHis`; the currency is the SDK's default.
fn legacy_basket(trans_id: &str, currency: &str) -> Vec<(&'static str, String)> {
    vec![
        ("apikey", APIKEY.into()),
        ("cpm_site_id", SITE.into()),
        ("cpm_currency", currency.into()),
        ("cpm_payment_config", "SINGLE".into()),
        ("cpm_page_action", "PAYMENT".into()),
        ("cpm_version", "V1".into()),
        ("cpm_language", "fr".into()),
        ("cpm_trans_date", "20261122100000".into()),
        ("cpm_trans_id", trans_id.into()),
        ("cpm_designation", format!("Mon produit de ref {trans_id}")),
        ("cpm_amount", "100".into()),
        ("cpm_custom", "payeur@domaine.ci".into()),
    ]
}

fn api(sb: &SandboxHandle, method: &str) -> String {
    format!("{}/v1/?method={method}", sb.base_url())
}

/// `getSignature()`: a bare JSON string, or an array meaning an error.
async fn legacy_signature(sb: &SandboxHandle, basket: &[(&str, String)]) -> String {
    let v = legacy_post(&api(sb, "getSignatureByPost"), basket).await;
    v.as_str()
        .unwrap_or_else(|| panic!("the SDK throws: {v}"))
        .to_string()
}

/// `getPayStatus()`: reads these fields of `transaction`, every one, without checking that
/// they are there (a missing one is a PHP warning and a null).
const PAY_STATUS_FIELDS: [&str; 21] = [
    "cpm_site_id",
    "signature",
    "cpm_amount",
    "cpm_trans_date",
    "cpm_trans_id",
    "cpm_custom",
    "cpm_currency",
    "cpm_payid",
    "cpm_payment_date",
    "cpm_payment_time",
    "cpm_error_message",
    "payment_method",
    "cpm_phone_prefixe",
    "cel_phone_num",
    "cpm_ipn_ack",
    "created_at",
    "updated_at",
    "cpm_result",
    "cpm_trans_status",
    "cpm_designation",
    "buyer_name",
];

async fn pay_status(sb: &SandboxHandle, trans_id: &str) -> Value {
    let v = legacy_post(
        &api(sb, "checkPayStatus"),
        &[
            ("apikey", APIKEY.into()),
            ("cpm_site_id", SITE.into()),
            ("cpm_trans_id", trans_id.into()),
        ],
    )
    .await;
    v["transaction"].clone()
}

fn today_utc() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}",
        now.year(),
        u8::from(now.month()),
        now.day()
    )
}

#[tokio::test]
async fn cinetpay_legacy_sdk_gets_a_signature_in_xof_with_a_compact_date_and_again_on_re_render() {
    let sb = sandbox(Variants::default()).await;
    for currency in ["XOF", "CFA"] {
        let trans_id = format!("L-{currency}");
        let basket = legacy_basket(&trans_id, currency);
        let first = legacy_signature(&sb, &basket).await;
        assert_eq!(first.len(), 40);
        // `getPayButton()` and `submitCinetPayForm()` ask again each time they render.
        assert_eq!(legacy_signature(&sb, &basket).await, first);
    }
    // Another basket under a transaction id already used stays a double payment.
    let mut other = legacy_basket("L-XOF", "XOF");
    other
        .iter_mut()
        .find(|(k, _)| *k == "cpm_amount")
        .unwrap()
        .1 = "200".into();
    let v = legacy_post(&api(&sb, "getSignatureByPost"), &other).await;
    assert_eq!(v["status"]["code"], "620");
    // The document's own answer example prints the date day first (`04092017140045`).
    let mut day_first = legacy_basket("L-DMY", "CFA");
    day_first
        .iter_mut()
        .find(|(k, _)| *k == "cpm_trans_date")
        .unwrap()
        .1 = "04092017140045".into();
    legacy_signature(&sb, &day_first).await;
    for bad in ["20261322100000", "2026112210000", "2026-11-22T10:00:00"] {
        let mut b = legacy_basket("L-BAD", "CFA");
        b.iter_mut()
            .find(|(k, _)| *k == "cpm_trans_date")
            .unwrap()
            .1 = bad.into();
        let v = legacy_post(&api(&sb, "getSignatureByPost"), &b).await;
        assert_eq!(v["status"]["code"], "614", "{bad}");
    }
    let v = legacy_post(
        &api(&sb, "getSignatureByPost"),
        &legacy_basket("L-USD", "USD"),
    )
    .await;
    assert_eq!(v["status"]["code"], "612");
}

#[tokio::test]
async fn cinetpay_pay_status_has_every_field_the_sdks_read_and_todays_dates() {
    let notified = Receiver::default();
    let notify_url = notified.start().await;
    let sb = sandbox(Variants::default()).await;
    let basket = legacy_basket("P-1", "XOF");
    let signature = legacy_signature(&sb, &basket).await;
    // The pay button's form, posted by the customer's browser to the cash desk.
    let mut form: Vec<(&str, String)> = basket.clone();
    form.push(("signature", signature.clone()));
    form.push(("notify_url", notify_url));
    let page = reqwest::Client::new()
        .post(format!("{}/", sb.base_url()))
        .form(&form)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Payer 100"), "{page}");

    let waiting = pay_status(&sb, "P-1").await;
    for field in PAY_STATUS_FIELDS {
        assert!(waiting.get(field).is_some(), "{field} missing: {waiting}");
    }
    assert!(waiting["created_at"]
        .as_str()
        .unwrap()
        .starts_with(&today_utc()));

    let day = today_utc();
    assert!(sb.finish_cinetpay_payment("P-1", "00"));
    let paid = pay_status(&sb, "P-1").await;
    for field in PAY_STATUS_FIELDS {
        assert!(paid.get(field).is_some(), "{field} missing: {paid}");
    }
    let paid_day = paid["cpm_payment_date"].as_str().unwrap();
    assert!(paid_day == day || paid_day == today_utc(), "{paid}");
    assert_eq!(paid["cpm_payment_time"].as_str().unwrap().len(), 8);
    assert!(paid["updated_at"].as_str().unwrap().starts_with(paid_day));
    assert!(
        matches!(paid["payment_method"].as_str(), Some("OM" | "MOMO")),
        "{paid}"
    );
    assert_eq!(paid["buyer_name"], "");
    assert_eq!(paid["cpm_currency"], "XOF");
    assert_eq!(paid["cpm_trans_date"], "20261122100000", "echoed as sent");

    // History (by the transaction date sent, `dd-mm-yyyy` filters) carries the same dates.
    let history = legacy_post(
        &api(&sb, "getTransHistory"),
        &[
            ("apikey", APIKEY.into()),
            ("cpm_site_id", SITE.into()),
            ("date_debut", "22-11-2026".into()),
            ("date_fin", "22-11-2026".into()),
        ],
    )
    .await;
    let rows = history["Transactions"]["transaction"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{history}");
    assert_eq!(rows[0]["cpm_payment_date"], paid["cpm_payment_date"]);

    // The notification, sent twice, carries them too.
    let got = notified.wait(2).await;
    let fields: HashMap<String, String> = serde_urlencoded::from_str(&got[0].1).unwrap();
    assert_eq!(fields["cpm_payment_date"], paid_day);
    assert_eq!(
        fields["payment_method"],
        paid["payment_method"].as_str().unwrap()
    );
    assert_eq!(fields["signature"], signature);
}

#[tokio::test]
async fn cinetpay_php_sdk_is_authentified_signs_the_paid_basket_again_and_matches() {
    let sb = sandbox(Variants::default()).await;
    let basket = legacy_basket("A-1", "CFA");
    let signature = legacy_signature(&sb, &basket).await;
    let mut form = basket.clone();
    form.push(("signature", signature.clone()));
    reqwest::Client::new()
        .post(format!("{}/", sb.base_url()))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert!(sb.finish_cinetpay_payment("A-1", "00"));

    // `isAuthentified()`: `getPayStatus()`, then the signature of the basket rebuilt from the
    // status answer (the SDK's own currency, config, action, version and language), sent with
    // `http_build_query`, compared with the signature the status answer carries.
    let t = pay_status(&sb, "A-1").await;
    let s = |k: &str| t[k].as_str().unwrap_or_default().to_string();
    let mut again = vec![
        ("apikey", APIKEY.to_string()),
        ("cpm_site_id", SITE.to_string()),
        ("cpm_currency", "CFA".to_string()),
        ("cpm_payment_config", "SINGLE".to_string()),
        ("cpm_page_action", "PAYMENT".to_string()),
        ("cpm_version", "V1".to_string()),
        ("cpm_language", "fr".to_string()),
        ("cpm_trans_date", s("cpm_trans_date")),
        ("cpm_trans_id", s("cpm_trans_id")),
        ("cpm_designation", s("cpm_designation")),
        ("cpm_amount", s("cpm_amount")),
    ];
    if !s("cpm_custom").is_empty() {
        again.push(("cpm_custom", s("cpm_custom")));
    }
    let v: Value = reqwest::Client::new()
        .post(api(&sb, "getSignatureByPost"))
        .form(&again)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v.as_str(), Some(s("signature").as_str()), "{v}");
    assert_eq!(s("signature"), signature);
}

#[tokio::test]
async fn cinetpay_cash_desk_sends_the_customer_back_to_the_shop() {
    let sb = sandbox(Variants::default()).await;
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for (trans_id, mode, choice, want) in [
        ("R-1", "", "pay", "https://shop.example/retour"),
        (
            "R-2",
            "GET",
            "refuse",
            "https://shop.example/annule?cpm_site_id=445160&cpm_trans_id=R-2",
        ),
    ] {
        let basket = legacy_basket(trans_id, "CFA");
        let signature = legacy_signature(&sb, &basket).await;
        let mut form = basket;
        form.push(("signature", signature));
        form.push(("return_url", "https://shop.example/retour".into()));
        form.push(("cancel_url", "https://shop.example/annule".into()));
        if !mode.is_empty() {
            form.push(("cpm_return_mode", mode.into()));
        }
        browser
            .post(format!("{}/", sb.base_url()))
            .form(&form)
            .send()
            .await
            .unwrap();
        let back = browser
            .post(format!(
                "{}/_sandbox/checkout/cinetpay/{trans_id}/{choice}",
                sb.base_url()
            ))
            .send()
            .await
            .unwrap();
        assert!(back.status().is_redirection(), "{trans_id}");
        assert_eq!(back.headers()["location"], want);
    }
}
