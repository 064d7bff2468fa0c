//! The exact requests on the wire (method, path, query, headers, body), pinned against a mock
//! HTTP server, and the token rules.

use guichet_providers::cinetpay_transfer::{
    self, ContactOutcome, Credentials, SendItem, SendOutcome,
};
use guichet_providers::executor::{Executor, ExecutorConfig};
use guichet_providers::{mycoolpay, ErrorKind};
use guichet_secrets::Secret;
use guichet_types::UnifiedStatus;
use serde_json::json;
use std::sync::Arc;
use wiremock::matchers::{body_json, body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn exec() -> Arc<Executor> {
    Arc::new(Executor::new(ExecutorConfig {
        base_backoff: std::time::Duration::from_millis(5),
        ..Default::default()
    }))
}

fn cinetpay(server: &MockServer) -> cinetpay_transfer::Client {
    cinetpay_transfer::Client::new(
        exec(),
        Some(&server.uri()),
        Credentials {
            api_key: Secret::new("KEY-1"),
            transfer_password: Secret::new("p@ss&word"),
        },
    )
}

async fn mount_login(server: &MockServer, token: &str, times: u64) {
    Mock::given(method("POST"))
        .and(path("/v1/auth/login"))
        .and(query_param("lang", "fr"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("apikey=KEY-1&password=p%40ss%26word"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"code": 0, "message": "OPERATION_SUCCES", "data": {"token": token}}),
        ))
        .expect(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn send_money_posts_a_url_encoded_json_array_with_the_token_in_the_query() {
    let server = MockServer::start().await;
    mount_login(&server, "TOK1", 1).await;
    let orders = vec![
        SendItem {
            prefix: "225".into(),
            phone: "0707123456".into(),
            amount: 5000,
            notify_url: "https://shop.ci/n?a=1&b=2".into(),
            client_transaction_id: "GCH-A".into(),
        },
        SendItem {
            prefix: "225".into(),
            phone: "0505123456".into(),
            amount: 200,
            notify_url: "https://shop.ci/n?a=1&b=2".into(),
            client_transaction_id: "GCH-B".into(),
        },
    ];
    let data = serde_json::to_string(&orders).unwrap();
    let form = serde_urlencoded::to_string([("data", data.as_str())]).unwrap();
    Mock::given(method("POST"))
        .and(path("/v1/transfer/money/send/contact"))
        .and(query_param("token", "TOK1"))
        .and(query_param("lang", "fr"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(form))
        // Answered out of order, one item failed while the request "succeeded".
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 0, "message": "OPERATION_SUCCES", "data": [[
            {"client_transaction_id": "GCH-B", "code": "724", "status": "error"},
            {"client_transaction_id": "GCH-A", "code": 0, "status": "success", "transaction_id": "EA1", "lot": "L1"}
        ]]})))
        .expect(1)
        .mount(&server)
        .await;
    let results = cinetpay(&server).send(&orders).await.unwrap();
    assert_eq!(
        results[0].1,
        SendOutcome::Accepted {
            transaction_id: "EA1".into(),
            lot: "L1".into()
        }
    );
    assert!(
        matches!(&results[1].1, SendOutcome::Refused { code, kind: ErrorKind::InvalidField(f), .. } if code == "724" && f == "phone")
    );
}

#[tokio::test]
async fn contacts_balance_and_check_speak_the_documented_format() {
    let server = MockServer::start().await;
    mount_login(&server, "TOK2", 1).await;
    Mock::given(method("GET"))
        .and(path("/v1/transfer/check/balance"))
        .and(query_param("token", "TOK2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 0, "message": "OPERATION_SUCCES", "data": {"amount": "865.4", "inUsing": 0, "available": 663}})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/transfer/contact"))
        .and(query_param("token", "TOK2"))
        .and(body_string(serde_urlencoded::to_string([("data", r#"[{"prefix":"225","phone":"0707123456","name":"Test & A","surname":"B","email":""}]"#)]).unwrap()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 0, "data": [{"prefix": "225", "phone": "0707123456", "code": 726, "status": "error"}]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/transfer/check/money"))
        .and(query_param("client_transaction_id", "GCH-A"))
        .and(query_param("token", "TOK2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 0, "data": [{"transaction_id": "EA1", "client_transaction_id": "GCH-A", "lot": "L", "amount": "500", "treatment_status": "NOS", "sending_status": "PENDING"}]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/transfer/check/money"))
        .and(query_param("client_transaction_id", "NONE"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"code": "723", "message": "NOT_FOUND", "data": []})),
        )
        .mount(&server)
        .await;
    let c = cinetpay(&server);
    let b = c.balance().await.unwrap();
    assert_eq!(
        (b.amount.0.as_str(), b.available.whole_francs()),
        ("865.4", Some(663))
    );
    let added = c
        .add_contacts(&[cinetpay_transfer::ContactItem {
            prefix: "225".into(),
            phone: "0707123456".into(),
            name: "Test & A".into(),
            surname: "B".into(),
            email: String::new(),
        }])
        .await
        .unwrap();
    assert_eq!(added[0].1, ContactOutcome::AlreadyPresent);
    let t = c.check("GCH-A").await.unwrap().unwrap();
    assert_eq!(t.status(), UnifiedStatus::AwaitingConfirmation);
    assert_eq!(c.check("NONE").await.unwrap(), None);
    assert_eq!(c.login_count(), 1);
}

#[tokio::test]
async fn a_hundred_concurrent_calls_share_one_login() {
    let server = MockServer::start().await;
    mount_login(&server, "TOK3", 1).await;
    Mock::given(method("GET"))
        .and(path("/v1/transfer/check/balance"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(
                    json!({"code": 0, "data": {"amount": 1, "inUsing": 0, "available": 1}}),
                )
                .set_delay(std::time::Duration::from_millis(20)),
        )
        .expect(100)
        .mount(&server)
        .await;
    let c = Arc::new(cinetpay(&server));
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.balance().await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(c.login_count(), 1);
}

#[tokio::test]
async fn an_expired_token_means_one_new_login_and_one_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/auth/login"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"code": 0, "data": {"token": "OLD"}})),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/auth/login"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"code": 0, "data": {"token": "NEW"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("token", "OLD"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"code": "705", "message": "EXPIRED_TOKEN", "data": []})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("token", "NEW"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"code": 0, "data": {"amount": 9, "inUsing": 0, "available": 9}}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = cinetpay(&server);
    assert_eq!(c.balance().await.unwrap().available.whole_francs(), Some(9));
    assert_eq!(c.login_count(), 2);
}

#[tokio::test]
async fn wrong_credentials_and_a_short_balance_are_named() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/auth/login"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"code": "701", "message": "INVALID_CREDENTIALS", "description": "Identifiant de connexion incorrect", "data": []})))
        .mount(&server)
        .await;
    let err = cinetpay(&server).balance().await.unwrap_err();
    assert_eq!(
        (err.kind, err.code.as_deref()),
        (ErrorKind::Credentials, Some("701"))
    );
    assert!(!err.message.contains("p@ss"));
}

#[tokio::test]
async fn a_money_call_is_never_repeated_and_a_lost_answer_is_an_unknown_outcome() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/pk/payout"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/pk/checkStatus/R1"))
        .respond_with(ResponseTemplate::new(503))
        .expect(4)
        .mount(&server)
        .await;
    let c = mycoolpay::Client::new(exec(), Some(&server.uri()), "pk", Secret::new("sk"));
    let req = mycoolpay::PayoutRequest {
        amount: 1000,
        reason: "Salaire".into(),
        operator: mycoolpay::Operator::CmOm,
        app_transaction_ref: "GCH-Z".into(),
        customer_name: None,
        customer_phone_number: Some("690000000".into()),
    };
    assert_eq!(
        c.payout(&req).await.unwrap_err().kind,
        ErrorKind::Unavailable
    );
    assert_eq!(
        c.check_status("R1").await.unwrap_err().kind,
        ErrorKind::Unavailable,
        "status calls are retried (4 attempts)"
    );

    // An answer that never comes: the connection is dropped after the request was read.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        use std::io::Read;
        for stream in listener.incoming().take(1) {
            let mut s = stream.unwrap();
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
        }
    });
    let c = mycoolpay::Client::new(
        exec(),
        Some(&format!("http://{addr}")),
        "pk",
        Secret::new("sk"),
    );
    assert_eq!(
        c.payout(&req).await.unwrap_err().kind,
        ErrorKind::OutcomeUnknown
    );
}

#[tokio::test]
async fn my_coolpay_payout_body_and_headers_are_as_documented() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/pk-live/payout"))
        .and(header("x-private-key", "sk-live"))
        .and(body_json(json!({"private_key": "sk-live", "transaction_amount": 2500, "transaction_currency": "XAF", "transaction_reason": "Avance",
            "transaction_operator": "CM_MOMO", "app_transaction_ref": "GCH-9", "customer_name": "Awa", "customer_phone_number": "677000000"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "success", "transaction_ref": "MCP-1", "message": "ok"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/pk-live/checkStatus/MCP-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "success", "transaction_ref": "MCP-1", "app_transaction_ref": "GCH-9", "transaction_status": "CANCELED", "transaction_amount": 2500})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/pk-live/balance"))
        .and(header("x-private-key", "sk-live"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "success", "balance": 12000})),
        )
        .mount(&server)
        .await;
    let c = mycoolpay::Client::new(
        exec(),
        Some(&server.uri()),
        "pk-live",
        Secret::new("sk-live"),
    );
    let reference = c
        .payout(&mycoolpay::PayoutRequest {
            amount: 2500,
            reason: "Avance".into(),
            operator: mycoolpay::Operator::CmMomo,
            app_transaction_ref: "GCH-9".into(),
            customer_name: Some("Awa".into()),
            customer_phone_number: Some("677000000".into()),
        })
        .await
        .unwrap();
    assert_eq!(reference, "MCP-1");
    assert_eq!(
        c.check_status("MCP-1").await.unwrap().unified(),
        UnifiedStatus::Rejected
    );
    assert_eq!(c.balance().await.unwrap().whole_francs(), Some(12000));
}

#[tokio::test]
async fn a_my_coolpay_payout_answered_202_is_accepted_and_a_2xx_other_than_success_is_unknown() {
    let server = MockServer::start().await;
    let answers = [
        (
            "GCH-A",
            202,
            json!({"status": "success", "transaction_ref": "MCP-A", "message": "Retrait en cours de traitement"}),
        ),
        (
            "GCH-B",
            200,
            json!({"status": "pending", "transaction_ref": "MCP-B"}),
        ),
        ("GCH-C", 202, json!({})),
        (
            "GCH-D",
            200,
            json!({"status": "error", "message": "Solde insuffisant"}),
        ),
    ];
    for (app_ref, code, body) in &answers {
        Mock::given(method("POST"))
            .and(path("/api/pk/payout"))
            .and(wiremock::matchers::body_partial_json(
                json!({"app_transaction_ref": app_ref}),
            ))
            .respond_with(ResponseTemplate::new(*code).set_body_json(body.clone()))
            .expect(1)
            .mount(&server)
            .await;
    }
    let c = mycoolpay::Client::new(exec(), Some(&server.uri()), "pk", Secret::new("sk"));
    let req = |app_ref: &str| mycoolpay::PayoutRequest {
        amount: 1000,
        reason: "Salaire".into(),
        operator: mycoolpay::Operator::CmOm,
        app_transaction_ref: app_ref.into(),
        customer_name: None,
        customer_phone_number: Some("690000000".into()),
    };
    assert_eq!(c.payout(&req("GCH-A")).await.unwrap(), "MCP-A");
    for app_ref in ["GCH-B", "GCH-C", "GCH-D"] {
        assert_eq!(
            c.payout(&req(app_ref)).await.unwrap_err().kind,
            ErrorKind::OutcomeUnknown,
            "{app_ref}: a 2xx is never a refusal"
        );
    }
}

#[test]
fn callbacks_are_verified_with_the_documented_md5() {
    let c = mycoolpay::Client::new(exec(), None, "pk", Secret::new("sk"));
    let mut f: std::collections::HashMap<String, String> = [
        ("application", "pk"),
        ("transaction_ref", "R1"),
        ("transaction_type", "PAYIN"),
        ("transaction_amount", "100"),
        ("transaction_currency", "XAF"),
        ("transaction_operator", "CM_OM"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    f.insert(
        "signature".into(),
        "a8c6b0c4f7bd1d0b0a49b8b5d1b93ea4".into(),
    );
    assert!(!c.verify_callback(&f), "a forged signature is refused");
    use md5::Digest;
    f.insert(
        "signature".into(),
        hex::encode(md5::Md5::digest(b"R1PAYIN100XAFCM_OMsk")),
    );
    assert!(c.verify_callback(&f));
    f.insert("application".into(), "other".into());
    assert!(!c.verify_callback(&f));
}

#[tokio::test]
async fn softsystem_requests_carry_the_bearer_token_and_the_documented_keys() {
    use guichet_providers::softsystem;
    let server = MockServer::start().await;
    let order_id = softsystem::new_order_id();
    assert!(
        (20..=40).contains(&order_id.len()) && order_id.chars().all(|c| c.is_ascii_alphanumeric()),
        "{order_id}"
    );
    Mock::given(method("POST"))
        .and(path("/api/paymentgateway"))
        .and(header("authorization", "Bearer tok-ss"))
        .and(body_json(json!({"Montant": "100", "Currency": "XOF", "error_url": "https://s/ko", "success_url": "https://s/ok", "callback_url": "https://s/cb",
            "client_reference": "REF", "Canal": "Orange", "orderId": order_id, "numero": "2250707123456", "objet": "Aucun"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"token": "t", "orderId": order_id, "http_reponse": "200", "url": "https://pay/x"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/getstatusgateway/{order_id}")))
        .and(header("authorization", "Bearer tok-ss"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"montant": "100", "numero": null, "objet": "Aucun", "reseau": "orange", "orderId": order_id, "status": "Accepte"})))
        .mount(&server)
        .await;
    let c = softsystem::Client::new(exec(), Some(&server.uri()), "REF", Secret::new("tok-ss"));
    let page = c
        .request_payment(&softsystem::PaymentRequest {
            amount: 100,
            order_id: order_id.clone(),
            number: "2250707123456".into(),
            channel: "Orange".into(),
            object: String::new(),
            success_url: "https://s/ok".into(),
            error_url: "https://s/ko".into(),
            callback_url: "https://s/cb".into(),
        })
        .await
        .unwrap();
    assert_eq!(page.url, "https://pay/x");
    assert_eq!(
        c.status(&order_id).await.unwrap().unified(),
        UnifiedStatus::Succeeded
    );
}

#[tokio::test]
async fn cinetpay_payment_calls_are_form_posts_to_the_method_url() {
    use guichet_providers::cinetpay_payment::{self, Payment};
    let server = MockServer::start().await;
    let form = "cpm_amount=100&cpm_currency=CFA&cpm_site_id=445160&cpm_trans_id=T9&cpm_trans_date=2026-11-22+10%3A00%3A00&cpm_payment_config=SINGLE\
                &cpm_page_action=PAYMENT&cpm_version=V1&cpm_language=fr&cpm_designation=Caf%C3%A9+%26+pain&cpm_custom=&apikey=KEY-P";
    Mock::given(method("POST"))
        .and(path("/v1/"))
        .and(query_param("method", "getSignatureByPost"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(form))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string("\"95db7a68358e8cb8831db947d8abcfef002af755\""),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/"))
        .and(query_param("method", "getCompteStatus"))
        .and(body_string("apikey=KEY-P&cpm_site_id=445160"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            "{&quot;user&quot;:{&quot;compte&quot;:{&quot;solde&quot;:&quot;865.4&quot;},&quot;service&quot;:{&quot;solde&quot;:&quot;33.6&quot;}}}",
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/"))
        .and(query_param("method", "checkPayStatus"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": {"code": "609", "message": "AUTH_NOT_FOUND"}})),
        )
        .mount(&server)
        .await;
    let c =
        cinetpay_payment::Client::new(exec(), Some(&server.uri()), "445160", Secret::new("KEY-P"));
    let p = Payment {
        amount: 100,
        trans_id: "T9".into(),
        trans_date: "2026-11-22 10:00:00".into(),
        designation: "Café & pain".into(),
        custom: String::new(),
        language: "fr".into(),
        phone: None,
    };
    assert_eq!(
        c.signature(&p).await.unwrap(),
        "95db7a68358e8cb8831db947d8abcfef002af755"
    );
    let b = c.account_status().await.unwrap();
    assert_eq!(
        (b.account_balance.0.as_str(), b.service_balance.0.as_str()),
        ("865.4", "33.6"),
        "HTML entities decoded, decimals kept exact"
    );
    let err = c.check("T9").await.unwrap_err();
    assert_eq!(
        (err.kind, err.code.as_deref()),
        (ErrorKind::Credentials, Some("609"))
    );
}

#[tokio::test]
async fn my_coolpay_payins_paylinks_and_otp_are_as_documented() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/pk/payin"))
        .and(body_json(json!({"transaction_amount": 2500, "transaction_currency": "XAF", "transaction_reason": "Commande 7",
            "app_transaction_ref": "GCHIN1", "customer_phone_number": "699887766", "customer_lang": "fr"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "success", "transaction_ref": "R-IN", "action": "REQUIRE_OTP"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/pk/payin/authorize"))
        .and(body_json(
            json!({"transaction_ref": "R-IN", "code": "123456"}),
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"status": "success", "action": "PENDING", "ussd": "#150*50#"}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/pk/paylink"))
        .and(body_json(json!({"transaction_amount": 1000, "transaction_currency": "XAF", "transaction_reason": "Facture", "app_transaction_ref": "GCHLINK1"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "success", "transaction_ref": "R-L", "payment_url": "https://my-coolpay.com/payment/checkout/R-L"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/pk/checkStatus"))
        .and(body_json(json!({"transaction_ref": "R-L"})))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"status": "error", "msg": "Transaction introuvable"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = mycoolpay::Client::new(exec(), Some(&server.uri()), "pk", Secret::new("sk"));
    let req = mycoolpay::PayinRequest {
        amount: 2500,
        reason: "Commande 7".into(),
        app_transaction_ref: "GCHIN1".into(),
        customer_phone_number: Some("699887766".into()),
        customer_name: None,
        customer_email: None,
        customer_lang: Some("fr".into()),
    };
    assert_eq!(
        c.payin(&req).await.unwrap(),
        mycoolpay::PayinAnswer::RequireOtp {
            transaction_ref: "R-IN".into()
        }
    );
    assert_eq!(
        c.authorize("R-IN", "123456").await.unwrap(),
        mycoolpay::PayinAnswer::Pending {
            transaction_ref: "R-IN".into(),
            ussd: "#150*50#".into()
        }
    );
    let link = mycoolpay::PayinRequest {
        amount: 1000,
        reason: "Facture".into(),
        app_transaction_ref: "GCHLINK1".into(),
        customer_phone_number: None,
        customer_name: None,
        customer_email: None,
        customer_lang: None,
    };
    assert_eq!(
        c.paylink(&link).await.unwrap().1,
        "https://my-coolpay.com/payment/checkout/R-L"
    );
    let err = c.check_status_post("R-L").await.unwrap_err();
    assert!(
        err.message.contains("introuvable"),
        "the `msg` spelling is read too: {}",
        err.message
    );
}

/// A payout answered by a redirect is not sent again elsewhere (reqwest would follow it as a
/// GET, with the credentials' headers): the answer is taken as it is, and on a call that moves
/// money it is no refusal.
#[tokio::test]
async fn a_redirect_is_not_followed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/pk/payout"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/elsewhere", server.uri())),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/elsewhere"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "success", "transaction_ref": "MCP-1"})),
        )
        .expect(0)
        .mount(&server)
        .await;
    let c = mycoolpay::Client::new(exec(), Some(&server.uri()), "pk", Secret::new("sk"));
    let err = c
        .payout(&mycoolpay::PayoutRequest {
            amount: 1000,
            reason: "Salaire".into(),
            operator: mycoolpay::Operator::CmOm,
            app_transaction_ref: "GCH-R".into(),
            customer_name: None,
            customer_phone_number: Some("690000000".into()),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind, ErrorKind::Unknown | ErrorKind::OutcomeUnknown),
        "{err:?}"
    );
}
