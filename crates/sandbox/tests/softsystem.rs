//! SOFTSYSTEM as the sandbox serves it: the documented request, HTTP codes and status.

use guichet_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};

fn request(order_id: &str) -> Value {
    json!({"Montant": "100", "Currency": "XOF", "error_url": "https://shop.ci/ko", "callback_url": "http://127.0.0.1:9/cb",
        "client_reference": "DEMO-SOFTSYSTEM", "Canal": "Orange", "success_url": "https://shop.ci/ok",
        "orderId": order_id, "numero": "2250707123456", "objet": "Aucun"})
}

#[tokio::test]
async fn a_payment_request_gives_a_page_and_its_status_follows_the_customer() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/api/paymentgateway", sb.base_url());
    let order = "GCH2026112200000000001";
    let r = http
        .post(&url)
        .bearer_auth("demo-softsystem-token")
        .json(&request(order))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        (body["orderId"].as_str(), body["http_reponse"].as_str()),
        (Some(order), Some("200"))
    );
    let page = http
        .get(body["url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Payer 100 XOF"));

    let status = |http: reqwest::Client, token: &'static str| {
        let u = format!("{}/api/getstatusgateway/{order}", sb.base_url());
        async move { http.get(u).bearer_auth(token).send().await.unwrap() }
    };
    let s: Value = status(http.clone(), "demo-softsystem-token")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(s["status"], "En attente");
    http.post(format!("{}/pay", body["url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    let s: Value = status(http.clone(), "demo-softsystem-token")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            s["status"].as_str(),
            s["reseau"].as_str(),
            s["montant"].as_str()
        ),
        (Some("Accepte"), Some("orange"), Some("100"))
    );
    assert_eq!(status(http.clone(), "wrong").await.status(), 401);
    assert_eq!(sb.ledger().len(), 1);
}

#[tokio::test]
async fn the_documented_http_codes() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/api/paymentgateway", sb.base_url());
    let order = "ABCDEFGHIJ0123456789XY";
    assert_eq!(
        http.post(&url)
            .bearer_auth("nope")
            .json(&request(order))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        http.post(&url)
            .bearer_auth("demo-softsystem-token")
            .json(&request(order))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        http.post(&url)
            .bearer_auth("demo-softsystem-token")
            .json(&request(order))
            .send()
            .await
            .unwrap()
            .status(),
        402
    );
    let mut missing = request("ABCDEFGHIJ0123456789XZ");
    missing.as_object_mut().unwrap().remove("callback_url");
    assert_eq!(
        http.post(&url)
            .bearer_auth("demo-softsystem-token")
            .json(&missing)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    for bad in ["SHORT123", "has-dashes-0123456789-0123", &"A".repeat(41)] {
        assert_eq!(
            http.post(&url)
                .bearer_auth("demo-softsystem-token")
                .json(&request(bad))
                .send()
                .await
                .unwrap()
                .status(),
            404,
            "{bad}"
        );
    }
    assert_eq!(
        http.get(&url)
            .bearer_auth("demo-softsystem-token")
            .send()
            .await
            .unwrap()
            .status(),
        400
    );
    let unknown = http
        .get(format!(
            "{}/api/getstatusgateway/UNKNOWN0000000000000000",
            sb.base_url()
        ))
        .bearer_auth("demo-softsystem-token")
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    // The token is checked first (document 003 §4): an order never made, asked with a bad
    // token, is 401 — how `guichet account test` checks a SOFTSYSTEM token without paying.
    let bad_token = http
        .get(format!(
            "{}/api/getstatusgateway/UNKNOWN0000000000000000",
            sb.base_url()
        ))
        .bearer_auth("not-the-token")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_token.status(), 401);
}
