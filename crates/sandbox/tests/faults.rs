//! Fault injection is deterministic: the same seed, plan and requests give the same answers.

use guichet_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig};
use serde_json::json;

async fn run(seed: u64) -> Vec<String> {
    let sb = Sandbox::start(SandboxConfig {
        seed,
        ..Default::default()
    })
    .await
    .unwrap();
    sb.set_faults(vec![
        FaultRule {
            route: "/check/balance".into(),
            method: None,
            nth: None,
            probability: Some(0.3),
            fault: Fault::Status { code: 503 },
        },
        FaultRule {
            route: "/auth/login".into(),
            method: None,
            nth: Some(2),
            probability: None,
            fault: Fault::RateLimit { retry_after_s: 7 },
        },
        FaultRule {
            route: "/check/balance".into(),
            method: None,
            nth: None,
            probability: Some(0.2),
            fault: Fault::Malformed,
        },
    ]);
    let http = reqwest::Client::new();
    let mut seen = Vec::new();
    for _ in 0..3 {
        let r = http
            .post(format!("{}/v1/auth/login", sb.base_url()))
            .form(&[
                ("apikey", "demo-cinetpay-apikey"),
                ("password", "demo-transfer-password"),
            ])
            .send()
            .await
            .unwrap();
        seen.push(format!(
            "login {} {:?}",
            r.status(),
            r.headers().get("retry-after")
        ));
    }
    let token: serde_json::Value = http
        .post(format!("{}/v1/auth/login", sb.base_url()))
        .form(&[
            ("apikey", "demo-cinetpay-apikey"),
            ("password", "demo-transfer-password"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["data"]["token"].as_str().unwrap().to_string();
    for _ in 0..40 {
        let r = http
            .get(format!(
                "{}/v1/transfer/check/balance?token={token}",
                sb.base_url()
            ))
            .send()
            .await
            .unwrap();
        let status = r.status();
        let text = r.text().await.unwrap();
        seen.push(format!(
            "{status} {}",
            serde_json::from_str::<serde_json::Value>(&text)
                .map(|v| v["code"].to_string())
                .unwrap_or_else(|_| "unparseable".into())
        ));
    }
    seen
}

#[tokio::test]
async fn the_same_seed_and_plan_replay_the_same_responses() {
    let a = run(42).await;
    assert_eq!(a, run(42).await);
    assert_ne!(a, run(43).await, "another seed draws other faults");
    assert!(a[1].contains("429") && a[1].contains("\"7\""), "{a:?}");
    assert!(
        a.iter().any(|l| l.starts_with("503"))
            && a.iter().any(|l| l.contains("unparseable"))
            && a.iter().any(|l| l == "200 OK 0"),
        "{a:?}"
    );
}

#[tokio::test]
async fn a_dropped_response_still_executes_the_operation() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    sb.set_faults(vec![FaultRule {
        route: "/payout".into(),
        method: None,
        nth: Some(1),
        probability: None,
        fault: Fault::DropResponse,
    }]);
    let http = reqwest::Client::new();
    let body = json!({"private_key": "demo-mcp-private", "transaction_amount": 700, "transaction_reason": "r", "transaction_operator": "CM_OM", "app_transaction_ref": "LOST-1", "customer_phone_number": "690000000"});
    let first = http
        .post(format!("{}/api/demo-mcp-public/payout", sb.base_url()))
        .json(&body)
        .send()
        .await;
    let lost = match first {
        Err(_) => true,
        Ok(r) => r.bytes().await.is_err(),
    };
    assert!(lost, "the client never gets the answer");
    let ledger = sb.ledger();
    assert_eq!(
        (ledger.len(), ledger[0].reference.as_str()),
        (1, "LOST-1"),
        "but the payout was executed"
    );
}
