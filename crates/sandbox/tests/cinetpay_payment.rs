//! CinetPay payment v1 as the sandbox serves it: signature, hosted form, status, history, balances.

use guichet_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};

fn signature_form(trans_id: &str, amount: &str) -> Vec<(&'static str, String)> {
    vec![
        ("apikey", "demo-cinetpay-apikey".into()),
        ("cpm_site_id", "445160".into()),
        ("cpm_amount", amount.into()),
        ("cpm_currency", "CFA".into()),
        ("cpm_trans_id", trans_id.into()),
        ("cpm_trans_date", "2026-11-22 10:00:00".into()),
        ("cpm_payment_config", "SINGLE".into()),
        ("cpm_page_action", "PAYMENT".into()),
        ("cpm_version", "V1".into()),
        ("cpm_language", "fr".into()),
        ("cpm_designation", "Commande 7".into()),
    ]
}

#[tokio::test]
async fn a_hosted_payment_from_signature_to_accepted() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let http = reqwest::Client::new();
    let api = |m: &str| format!("{}/v1/?method={m}", sb.base_url());
    let sig: Value = http
        .post(api("getSignatureByPost"))
        .form(&signature_form("T1", "1500"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let signature = sig.as_str().expect("a bare JSON string").to_string();
    assert_eq!(signature.len(), 40);

    let mut form = signature_form("T1", "1500");
    form.push(("signature", signature.clone()));
    form.push(("notify_url", "http://127.0.0.1:9/n".into()));
    let page = http
        .post(format!("{}/", sb.base_url()))
        .form(&form)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Payer 1500 F CFA"), "{page}");
    let mut forged = signature_form("T1", "15");
    forged.push(("signature", signature.clone()));
    assert!(http
        .post(format!("{}/", sb.base_url()))
        .form(&forged)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .contains("619"));

    let check = || {
        http.post(api("checkPayStatus"))
            .form(&[
                ("apikey", "demo-cinetpay-apikey"),
                ("cpm_site_id", "445160"),
                ("cpm_trans_id", "T1"),
            ])
            .send()
    };
    let waiting: Value = check().await.unwrap().json().await.unwrap();
    assert_eq!(waiting["transaction"]["cpm_result"], "623");
    assert!(sb.finish_cinetpay_payment("T1", "00"));
    let paid: Value = check().await.unwrap().json().await.unwrap();
    let t = &paid["transaction"];
    assert_eq!(
        (
            t["cpm_result"].as_str(),
            t["cpm_amount"].as_str(),
            t["signature"].as_str()
        ),
        (Some("00"), Some("1500"), Some(signature.as_str()))
    );

    let history: Value = http
        .post(api("getTransHistory"))
        .form(&[
            ("apikey", "demo-cinetpay-apikey"),
            ("cpm_site_id", "445160"),
            ("date_debut", "22-11-2026"),
            ("date_fin", "22-11-2026"),
            ("nbligne", "10"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        history["Transactions"]["transaction"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let accounts: Value = http
        .post(api("getCompteStatus"))
        .form(&[
            ("apikey", "demo-cinetpay-apikey"),
            ("cpm_site_id", "445160"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        accounts["user"]["service"],
        json!({"solde": "1447.5", "credit": "1500", "debit": "52.5"})
    );
}

#[tokio::test]
async fn documented_errors() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/v1/?method=getSignatureByPost", sb.base_url());
    let code = |v: Value| v["status"]["code"].as_str().unwrap_or_default().to_string();
    let mut wrong_key = signature_form("E1", "100");
    wrong_key[0].1 = "nope".into();
    assert_eq!(
        code(
            http.post(&url)
                .form(&wrong_key)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap()
        ),
        "609"
    );
    for (field, value, want) in [
        ("cpm_amount", "abc", "611"),
        ("cpm_amount", "3", "641"),
        ("cpm_currency", "USD", "612"),
        ("cpm_trans_date", "22/11/2026", "614"),
        ("cpm_version", "V2", "618"),
    ] {
        let mut f = signature_form("E2", "100");
        f.iter_mut().find(|(k, _)| *k == field).unwrap().1 = value.into();
        assert_eq!(
            code(
                http.post(&url)
                    .form(&f)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap()
            ),
            want,
            "{field}={value}"
        );
    }
    let mut missing = signature_form("E3", "100");
    missing.retain(|(k, _)| *k != "cpm_designation");
    assert_eq!(
        code(
            http.post(&url)
                .form(&missing)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap()
        ),
        "608"
    );
    http.post(&url)
        .form(&signature_form("E4", "100"))
        .send()
        .await
        .unwrap();
    // The same basket again gets its signature again; another basket under that id is a
    // double payment.
    assert_eq!(
        code(
            http.post(&url)
                .form(&signature_form("E4", "200"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap()
        ),
        "620"
    );
    // JSON where a form is documented.
    let as_json: Value = http
        .post(&url)
        .json(&json!({"apikey": "demo-cinetpay-apikey", "cpm_site_id": "445160"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(code(as_json), "608");
}

async fn sign(http: &reqwest::Client, url: &str, form: &[(&str, String)]) -> Value {
    http.post(url)
        .form(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_same_basket_gets_the_same_signature_again_even_once_paid() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/v1/?method=getSignatureByPost", sb.base_url());
    let first = sign(&http, &url, &signature_form("S1", "700")).await;
    assert!(first.is_string(), "{first}");
    assert_eq!(sign(&http, &url, &signature_form("S1", "700")).await, first);
    assert!(sb.finish_cinetpay_payment("S1", "00"));
    assert_eq!(sign(&http, &url, &signature_form("S1", "700")).await, first);
    // Only a different basket under that id is a double payment.
    assert_eq!(
        sign(&http, &url, &signature_form("S1", "701")).await["status"]["code"],
        "620"
    );
    // Another transaction's basket is signed differently.
    let other = sign(&http, &url, &signature_form("S2", "700")).await;
    assert_ne!(other, first);
}

#[tokio::test]
async fn a_compact_transaction_date_is_taken_and_echoed() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/v1/?method=getSignatureByPost", sb.base_url());
    let mut form = signature_form("D1", "100");
    form.iter_mut()
        .find(|(k, _)| *k == "cpm_trans_date")
        .unwrap()
        .1 = "20261122100000".into();
    assert!(sign(&http, &url, &form).await.is_string());
    let status: Value = http
        .post(format!("{}/v1/?method=checkPayStatus", sb.base_url()))
        .form(&[
            ("apikey", "demo-cinetpay-apikey"),
            ("cpm_site_id", "445160"),
            ("cpm_trans_id", "D1"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["transaction"]["cpm_trans_date"], "20261122100000");
}

#[tokio::test]
async fn status_history_and_notifications_carry_real_dates_and_the_documented_fields() {
    use std::sync::{Arc, Mutex};
    let got: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = got.clone();
    let app = axum::Router::new().route(
        "/n",
        axum::routing::post(move |body: String| {
            let sink = sink.clone();
            async move {
                sink.lock().unwrap().push(body);
                "OK"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let notify = format!("http://{}/n", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let http = reqwest::Client::new();
    let api = |m: &str| format!("{}/v1/?method={m}", sb.base_url());
    let mut form = signature_form("R1", "900");
    form.push(("cel_phone_num", "0512345678".into()));
    form.push(("cpm_phone_prefixe", "225".into()));
    let signature = sign(&http, &api("getSignatureByPost"), &form).await;
    form.push(("signature", signature.as_str().unwrap().into()));
    form.push(("notify_url", notify));
    http.post(format!("{}/", sb.base_url()))
        .form(&form)
        .send()
        .await
        .unwrap();
    let today = || {
        let now = time::OffsetDateTime::now_utc();
        format!(
            "{:04}-{:02}-{:02}",
            now.year(),
            u8::from(now.month()),
            now.day()
        )
    };
    let before = today();
    assert!(sb.finish_cinetpay_payment("R1", "00"));
    let after = today();
    let status: Value = http
        .post(api("checkPayStatus"))
        .form(&[
            ("apikey", "demo-cinetpay-apikey"),
            ("cpm_site_id", "445160"),
            ("cpm_trans_id", "R1"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let t = &status["transaction"];
    let day = t["cpm_payment_date"].as_str().unwrap();
    assert!(day == before || day == after, "{t}");
    assert!(t["created_at"].as_str().unwrap().len() == 19);
    assert!(t["updated_at"].as_str().unwrap().starts_with(day));
    assert_eq!(t["payment_method"], "MOMO", "a 05 number in Côte d'Ivoire");
    assert_eq!(t["buyer_name"], "");

    let history: Value = http
        .post(api("getTransHistory"))
        .form(&[
            ("apikey", "demo-cinetpay-apikey"),
            ("cpm_site_id", "445160"),
            ("cpm_trans_id", "R1"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(history["Transactions"]["transaction"][0], *t);

    for _ in 0..50 {
        if !got.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let body = got.lock().unwrap()[0].clone();
    let n: std::collections::HashMap<String, String> = serde_urlencoded::from_str(&body).unwrap();
    assert_eq!(n["cpm_payment_date"], day);
    assert_eq!(n["payment_method"], "MOMO");
}
