//! Every request and answer the providers' documents show, pinned: a request built from the
//! typed wire structs with the document's example values is the document's example byte for
//! byte (the examples' insignificant whitespace aside), and each documented answer reads into
//! the typed structs with every field the document gives. Documents: 000 My-CoolPay, 002
//! CinetPay payments, 003 SOFTSYSTEM, 004 CinetPay transfers.

use guichet_providers::cinetpay_payment::{PayResult, PayStatus};
use guichet_providers::cinetpay_transfer::wire::{self as ct, BalanceData, ItemAnswer};
use guichet_providers::cinetpay_transfer::{
    ContactItem, SendItem, SendingStatus, TransferInfo, TreatmentStatus,
};
use guichet_providers::mycoolpay::wire as mcp;
use guichet_providers::softsystem::wire as soft;
use guichet_providers::wire::{Code, Items};
use guichet_providers::ExactAmount;
use guichet_types::UnifiedStatus;

/// The document's example without the whitespace between its tokens (strings kept as written).
fn compact(doc: &str) -> String {
    let mut out = String::new();
    let (mut in_string, mut escaped) = (false, false);
    for c in doc.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

// --- CinetPay transfers (document 004) ---

#[test]
fn cinetpay_contacts_request_is_the_documented_one() {
    let doc = r#"[{ "prefix": "225", "phone": "01020304", "name": "Test A", "surname": "Test B", "email": "testa@exemple.com" },{ "prefix": "225", "phone": "01020304", "name": "Test C", "surname": "Test D", "email": "testb@exemple.com" }]"#;
    let contact = |name: &str, surname: &str, email: &str| ContactItem {
        prefix: "225".into(),
        phone: "01020304".into(),
        name: name.into(),
        surname: surname.into(),
        email: email.into(),
    };
    let ours = vec![
        contact("Test A", "Test B", "testa@exemple.com"),
        contact("Test C", "Test D", "testb@exemple.com"),
    ];
    assert_eq!(serde_json::to_string(&ours).unwrap(), compact(doc));
}

#[test]
fn cinetpay_send_request_is_the_documented_one() {
    let doc = r#"[{ "prefix": "225", "phone": "07895086", "amount": 500, "client_transaction_id": "MYMERCHANTID1", "notify_url": "http://yourdomain.com/transfer/notify" }, { "prefix": "225", "phone": "03798593", "amount": 2000, "client_transaction_id": "MYMERCHANTID2", "notify_url": "http://yourdomain.com/transfer/notify" }]"#;
    let order = |phone: &str, amount: i64, id: &str| SendItem {
        prefix: "225".into(),
        phone: phone.into(),
        amount,
        client_transaction_id: id.into(),
        notify_url: "http://yourdomain.com/transfer/notify".into(),
    };
    let ours = vec![
        order("07895086", 500, "MYMERCHANTID1"),
        order("03798593", 2000, "MYMERCHANTID2"),
    ];
    assert_eq!(serde_json::to_string(&ours).unwrap(), compact(doc));
}

#[test]
fn cinetpay_login_and_balance_answers_read_as_documented() {
    let login = ct::envelope(
        r#"{ "code": 0, "message": "OPERATION_SUCCES", "data": { "token": "YOUR_TOKEN_HERE" } }"#,
    )
    .unwrap();
    assert_eq!(login.code, "0");
    assert_eq!(login.message, "OPERATION_SUCCES");
    assert_eq!(
        login.data::<ct::LoginData>().unwrap().token.as_deref(),
        Some("YOUR_TOKEN_HERE")
    );
    let refused = ct::envelope(r#"{ "code": "701", "message": "INVALID_CREDENTIALS", "description": "Identifiant de connexion incorrect", "data": [] }"#).unwrap();
    assert_eq!(refused.code, "701");
    assert_eq!(refused.description, "Identifiant de connexion incorrect");

    let balance = ct::envelope(
        r#"{ "code": 0, "message": "OPERATION_SUCCES", "data": { "amount": 663, "inUsing": 0, "available": 663 } }"#,
    )
    .unwrap()
    .data::<BalanceData>()
    .unwrap();
    let exact = |s: &str| Some(ExactAmount(s.into()));
    assert_eq!(balance.amount, exact("663"));
    assert_eq!(balance.in_using, exact("0"));
    assert_eq!(balance.available, exact("663"));
    let expired = ct::envelope(r#"{ "code": "706", "message": "INVALID_TOKEN", "description": "Votre token est invalide", "data": [] }"#).unwrap();
    assert_eq!(expired.code, "706");
}

#[test]
fn cinetpay_contact_and_send_answers_read_as_documented() {
    let contacts = ct::envelope(r#"{ "code": 0, "message": "OPERATION_SUCCES", "data": [[{ "prefix": "225", "phone": "53798590", "name": "Test A", "surname": "Test B", "email": "testa@exemple.com", "code": 0, "status": "success", "lot": "0044557641201530021279" }, { "prefix": "225", "phone": "77895086", "name": "Test C", "surname": "Test D", "email": "testb@exemple.com", "code": 0, "status": "success", "lot": "0044557641201530021279" }]] }"#).unwrap();
    let items: Vec<ItemAnswer> = contacts.items();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].phone, Some(Code("53798590".into())));
    assert_eq!(items[1].prefix, Some(Code("225".into())));
    assert!(items.iter().all(|i| i.code() == "0"));
    assert!(items.iter().all(|i| i.lot == "0044557641201530021279"));

    let sent = ct::envelope(r#"{ "code": 0, "message": "OPERATION_SUCCES", "data": [[{ "prefix": "225", "phone": "07895086", "amount": 500, "client_transaction_id": "MYMERCHANTID1", "notify_url": "http://93fd59a2.ngrok.io", "code": 0, "status": "success", "transaction_id": "EA180627.122753.M279245", "lot": "0044557641201530102473" }, { "prefix": "225", "phone": "07895086", "amount": 350, "client_transaction_id": "MYMERCHANTID2", "notify_url": "http://93fd59a2.ngrok.io", "code": 0, "status": "success", "transaction_id": "EA180627.122754.Y707825", "lot": "0044557641201530102473" }]] }"#).unwrap();
    let items: Vec<ItemAnswer> = sent.items();
    let read: Vec<_> = items
        .iter()
        .map(|i| {
            (
                i.client_transaction_id.as_str(),
                i.code(),
                i.transaction_id.as_str(),
                i.lot.as_str(),
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            (
                "MYMERCHANTID1",
                "0".to_string(),
                "EA180627.122753.M279245",
                "0044557641201530102473"
            ),
            (
                "MYMERCHANTID2",
                "0".to_string(),
                "EA180627.122754.Y707825",
                "0044557641201530102473"
            ),
        ]
    );
    let short = ct::envelope(r#"{ "code": 602, "message": "INSUFFICIENT_BALANCE", "description": "Fonds Insuffisant :disponible 4 233,00, Total de l'operation à effectuer : 32 000,00", "data": [] }"#).unwrap();
    assert_eq!(short.code, "602");
    assert!(short.items::<ItemAnswer>().is_empty());
}

#[test]
fn cinetpay_transfer_lookup_reads_as_documented_and_keeps_its_words() {
    let doc = r#"{ "code": 0, "message": "OPERATION_SUCCES", "data": [{ "transaction_id": "EA180627.122753.M279245", "client_transaction_id": "MYMERCHANTID1", "lot": "0044557641201530102473", "amount": "500", "receiver": "07895086", "receiver_e164": "+22507895086", "operator": "OM", "sending_status": "CONFIRM", "transfer_valid": "Y", "treatment_status": "VAL", "comment": "Transfert effectué avec succès", "validated_at": "2018-06-27 12:53:26" }] }"#;
    let info: Vec<TransferInfo> = ct::envelope(doc).unwrap().items();
    assert_eq!(
        info,
        [TransferInfo {
            transaction_id: "EA180627.122753.M279245".into(),
            client_transaction_id: "MYMERCHANTID1".into(),
            lot: "0044557641201530102473".into(),
            amount: Some(ExactAmount("500".into())),
            receiver: "07895086".into(),
            operator: "OM".into(),
            sending_status: SendingStatus::Confirm,
            treatment_status: TreatmentStatus::Val,
            comment: "Transfert effectué avec succès".into(),
            validated_at: Some("2018-06-27 12:53:26".into()),
        }]
    );
    assert_eq!(info[0].status(), UnifiedStatus::Succeeded);
    // What is kept for audit carries CinetPay's own words.
    let kept = serde_json::to_value(&info[0]).unwrap();
    assert_eq!(kept["treatment_status"], "VAL");
    assert_eq!(kept["sending_status"], "CONFIRM");
    let missing = ct::envelope(
        r#"{ "code": 723, "message": "NOT_FOUND", "description": "Aucun element trouvé", "data": [] }"#,
    )
    .unwrap();
    assert_eq!(missing.code, "723");
}

#[test]
fn every_documented_treatment_status_has_its_meaning_and_the_rest_stay_pending() {
    let status = |t: &str, s: &str| {
        let info: TransferInfo =
            serde_json::from_value(serde_json::json!({"treatment_status": t, "sending_status": s}))
                .unwrap();
        (info.treatment_status.clone(), info.status())
    };
    assert_eq!(
        status("NEW", "CONFIRM"),
        (TreatmentStatus::New, UnifiedStatus::Pending)
    );
    assert_eq!(
        status("REC", "CONFIRM"),
        (TreatmentStatus::Rec, UnifiedStatus::Pending)
    );
    assert_eq!(
        status("VAL", "CONFIRM"),
        (TreatmentStatus::Val, UnifiedStatus::Succeeded)
    );
    assert_eq!(
        status("REJ", "CONFIRM"),
        (TreatmentStatus::Rej, UnifiedStatus::Rejected)
    );
    assert_eq!(
        status("NOS", "PENDING"),
        (TreatmentStatus::Nos, UnifiedStatus::AwaitingConfirmation)
    );
    assert_eq!(
        status("NEW", "PENDING").1,
        UnifiedStatus::AwaitingConfirmation
    );
    assert_eq!(
        status("PAID_MAYBE", "CONFIRM"),
        (
            TreatmentStatus::Unknown("PAID_MAYBE".into()),
            UnifiedStatus::Pending
        )
    );
}

#[test]
fn lists_are_read_nested_flat_or_single_and_skip_what_is_no_item() {
    let read = |v: serde_json::Value| {
        serde_json::from_value::<Items<ItemAnswer>>(v)
            .unwrap()
            .0
            .into_iter()
            .map(|i| i.client_transaction_id)
            .collect::<Vec<_>>()
    };
    let a = serde_json::json!({"client_transaction_id": "A"});
    let b = serde_json::json!({"client_transaction_id": 7});
    assert_eq!(read(serde_json::json!([[a, b]])), ["A", "7"]);
    assert_eq!(read(serde_json::json!([a, b])), ["A", "7"]);
    assert_eq!(read(a.clone()), ["A"]);
    // An array is never read field by field as an item.
    assert!(read(serde_json::json!([[["A", "B"]], "x", null])).is_empty());
}

// --- CinetPay payments (document 002) ---

#[test]
fn cinetpay_pay_status_reads_as_documented() {
    let doc = r#"{
  "cpm_site_id": "296911",
  "signature": "4dfbf5b8f40818abffe754b8a8aa04e4d29af25f",
  "cpm_amount": "11",
  "cpm_trans_date": "04092017140045",
  "cpm_trans_id": "50445985950",
  "cpm_custom": "08373459U",
  "cpm_currency": "CFA",
  "cpm_payid": "MP170904.1401.A91088",
  "cpm_payment_date": "2017-09-04",
  "cpm_payment_time": "14:01:35",
  "cpm_error_message": "SUCCES",
  "payment_method": "OM",
  "cpm_phone_prefixe": "225",
  "cel_phone_num": "79557788",
  "cpm_ipn_ack": "Y",
  "created_at": "2017-09-04 14:00:54",
  "updated_at": "2017-09-04 14:01:06",
  "cpm_result": "00",
  "cpm_trans_status": "ACCEPTED",
  "cpm_designation": "Test",
  "buyer_name": ""
}"#;
    let s: PayStatus = serde_json::from_str(doc).unwrap();
    assert_eq!(
        s,
        PayStatus {
            trans_id: "50445985950".into(),
            result: PayResult::Paid,
            amount: "11".into(),
            signature: "4dfbf5b8f40818abffe754b8a8aa04e4d29af25f".into(),
            payid: "MP170904.1401.A91088".into(),
            message: "SUCCES".into(),
            designation: "Test".into(),
            phone: "79557788".into(),
            created_at: "2017-09-04 14:00:54".into(),
        }
    );
    let sig = "4dfbf5b8f40818abffe754b8a8aa04e4d29af25f";
    assert_eq!(s.verdict(11, sig), UnifiedStatus::Succeeded);
    assert_eq!(s.verdict(12, sig), UnifiedStatus::Failed);
    assert_eq!(serde_json::to_value(&s).unwrap()["result"], "00");
}

#[test]
fn cinetpay_history_rows_read_as_documented() {
    // The document's example, its closing brace restored.
    let row = |id: &str, amount: &str| {
        format!(
            r#"{{"cpm_site_id": "997744", "signature": "d2a3ce8f4e4b58d12ff42810a2391b7c014782f9", "cpm_amount": "{amount}", "cpm_trans_id": "{id}", "cpm_custom": "63#42#mpl", "cpm_currency": "CFA", "cpm_payid": "", "cpm_payment_date": "2015-07-05", "cpm_payment_time": "10:39:57", "cpm_error_message": "OTP_CODE_ERROR", "payment_method": "MOMO", "cpm_phone_prefixe": "225", "cel_phone_num": "06477877", "cpm_ipn_ack": "N", "created_at": "2015-07-05 10:39:57", "updated_at": "2015-07-05 10:39:57", "cpm_result": "604", "cpm_trans_status": "REFUSED", "cpm_designation": "", "buyer_name": ""}}"#
        )
    };
    let list: Vec<PayStatus> = serde_json::from_str(&format!(
        "[{}, {}]",
        row("52422", "250"),
        row("52552255555", "25000")
    ))
    .unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[1].trans_id, "52552255555");
    assert_eq!(list[1].amount, "25000");
    assert_eq!(list[0].result, PayResult::Refused("604".into()));
    assert_eq!(list[0].verdict(250, ""), UnifiedStatus::Failed);
    let waiting = PayStatus {
        result: PayResult::parse("623"),
        ..list[0].clone()
    };
    assert_eq!(waiting.verdict(250, ""), UnifiedStatus::AwaitingCustomer);
    let unknown = PayStatus {
        result: PayResult::parse("999"),
        ..list[0].clone()
    };
    assert_eq!(unknown.verdict(250, ""), UnifiedStatus::Pending);
}

// --- My-CoolPay (document 000) ---

#[test]
fn my_coolpay_requests_carry_the_documented_keys_in_order() {
    let payout = mcp::PayoutBody {
        private_key: "PRIVATE",
        transaction_amount: 1000,
        transaction_currency: "XAF",
        transaction_reason: "Salaire",
        transaction_operator: mcp::Operator::CmOm,
        app_transaction_ref: "GCH1",
        customer_name: Some("Awa"),
        customer_phone_number: Some("699123456"),
    };
    assert_eq!(
        serde_json::to_string(&payout).unwrap(),
        compact(
            r#"{"private_key": "PRIVATE", "transaction_amount": 1000, "transaction_currency": "XAF",
                "transaction_reason": "Salaire", "transaction_operator": "CM_OM",
                "app_transaction_ref": "GCH1", "customer_name": "Awa",
                "customer_phone_number": "699123456"}"#
        )
    );
    let payin = mcp::PayinBody {
        transaction_amount: 2500,
        transaction_currency: "XAF",
        transaction_reason: "Ticket",
        app_transaction_ref: "GCH2",
        customer_phone_number: Some("677123456"),
        customer_name: None,
        customer_email: None,
        customer_lang: Some("fr"),
    };
    assert_eq!(
        serde_json::to_string(&payin).unwrap(),
        compact(
            r#"{"transaction_amount": 2500, "transaction_currency": "XAF", "transaction_reason": "Ticket",
                "app_transaction_ref": "GCH2", "customer_phone_number": "677123456", "customer_lang": "fr"}"#
        )
    );
    let authorize = mcp::AuthorizeBody {
        transaction_ref: "MCP1",
        code: "123456",
    };
    assert_eq!(
        serde_json::to_string(&authorize).unwrap(),
        r#"{"transaction_ref":"MCP1","code":"123456"}"#
    );
    assert_eq!(
        serde_json::to_string(&mcp::CheckStatusBody {
            transaction_ref: "MCP1"
        })
        .unwrap(),
        r#"{"transaction_ref":"MCP1"}"#
    );
}

#[test]
fn my_coolpay_answers_read_as_documented() {
    let payin: mcp::PayinWire =
        serde_json::from_str(r##"{"status": "success", "transaction_ref": "xxx", "action": "PENDING", "ussd": "#150*50#"}"##)
            .unwrap();
    assert_eq!(
        (
            payin.transaction_ref.as_str(),
            payin.action.as_deref(),
            payin.ussd.as_str()
        ),
        ("xxx", Some("PENDING"), "#150*50#")
    );
    let otp: mcp::PayinWire = serde_json::from_str(
        r#"{"status": "success", "transaction_ref": "xxx", "action": "REQUIRE_OTP"}"#,
    )
    .unwrap();
    assert_eq!(otp.action.as_deref(), Some("REQUIRE_OTP"));
    let link: mcp::PaylinkAnswer = serde_json::from_str(r#"{"status": "success", "transaction_ref": "xxx", "payment_url": "https://my-coolpay.com/payment/checkout/xxx"}"#).unwrap();
    assert_eq!(
        link.payment_url.as_deref(),
        Some("https://my-coolpay.com/payment/checkout/xxx")
    );
    let payout: mcp::PayoutAnswer = serde_json::from_str(
        r#"{"status": "success", "transaction_ref": "xxx", "message": "Retrait effectué"}"#,
    )
    .unwrap();
    assert_eq!(payout.transaction_ref.as_deref(), Some("xxx"));
    let error: mcp::Answer =
        serde_json::from_str(r#"{"status": "error", "message": "Solde insuffisant"}"#).unwrap();
    assert_eq!(
        (error.status.as_deref(), error.message.as_deref()),
        (Some("error"), Some("Solde insuffisant"))
    );

    let status: mcp::TransactionStatus = serde_json::from_str(
        r#"{"status": "success", "app_transaction_ref": "GCH1", "operator_transaction_ref": "OP1",
            "transaction_ref": "MCP1", "transaction_type": "PAYOUT", "transaction_amount": 1000,
            "transaction_fees": 20, "transaction_currency": "XAF", "transaction_operator": "CM_OM",
            "transaction_status": "SUCCESS", "transaction_reason": "Salaire",
            "transaction_message": "Retrait effectué", "customer_phone_number": "699123456"}"#,
    )
    .unwrap();
    assert_eq!(
        status,
        mcp::TransactionStatus {
            transaction_ref: "MCP1".into(),
            app_transaction_ref: "GCH1".into(),
            transaction_type: "PAYOUT".into(),
            status: mcp::Status::Success,
            amount: Some(ExactAmount("1000".into())),
            fees: Some(ExactAmount("20".into())),
            message: "Retrait effectué".into(),
        }
    );
    assert_eq!(status.unified(), UnifiedStatus::Succeeded);
    assert_eq!(serde_json::to_value(&status).unwrap()["status"], "SUCCESS");
}

#[test]
fn every_documented_my_coolpay_status_has_its_meaning() {
    let read = |s: &str| mcp::Status::parse(s);
    assert_eq!(
        UnifiedStatus::from(&read("CREATED")),
        UnifiedStatus::Pending
    );
    assert_eq!(
        UnifiedStatus::from(&read("PENDING")),
        UnifiedStatus::Pending
    );
    assert_eq!(
        UnifiedStatus::from(&read("SUCCESS")),
        UnifiedStatus::Succeeded
    );
    assert_eq!(
        UnifiedStatus::from(&read("CANCELED")),
        UnifiedStatus::Rejected
    );
    assert_eq!(UnifiedStatus::from(&read("FAILED")), UnifiedStatus::Failed);
    assert_eq!(read("REFUNDED"), mcp::Status::Unknown("REFUNDED".into()));
    assert_eq!(
        UnifiedStatus::from(&read("REFUNDED")),
        UnifiedStatus::Pending
    );
}

// --- SOFTSYSTEM (document 003) ---

#[test]
fn softsystem_payment_request_is_the_documented_one() {
    let doc = r#"{
"Montant": "100",
"Currency": "XOF",
"error_url": "url_client",
"callback_url": " url_client ",
"client_reference": "votre reference ",
"Canal": "type de operateur",
"success_url": "Url success client",
"orderId": "Unique OderId",
"numero": "Numero de transaction",
"objet": "aucun"}"#;
    let ours = soft::PaymentBody {
        montant: "100".into(),
        currency: "XOF",
        error_url: "url_client",
        callback_url: " url_client ",
        client_reference: "votre reference ",
        canal: "type de operateur",
        success_url: "Url success client",
        order_id: "Unique OderId",
        numero: "Numero de transaction",
        objet: "aucun",
    };
    assert_eq!(serde_json::to_string(&ours).unwrap(), compact(doc));
}

#[test]
fn softsystem_answers_read_as_documented() {
    let page: soft::PageAnswer = serde_json::from_str(
        r#"{
  "token": " le token valide pour l' url ",
  "orderId": "le orderId client ",
  "http_reponse": "200",
  "url": "url pour la page de paiement "
}"#,
    )
    .unwrap();
    assert_eq!(page.url.as_deref(), Some("url pour la page de paiement "));
    let status: soft::PaymentStatus = serde_json::from_str(
        r#"{
  "montant": "10",
  "numero": null,
  "objet": "Aucun",
  "error_url": "URL CLIENT ",
  "success_url": " URL CLIENT ",
  "reseau": "orange",
  "orderId": "jjjj",
  "status": "Accepte"
}"#,
    )
    .unwrap();
    assert_eq!(
        status,
        soft::PaymentStatus {
            order_id: "jjjj".into(),
            status: soft::Status::Accepte,
            amount: "10".into(),
            network: "orange".into(),
        }
    );
    assert_eq!(status.unified(), UnifiedStatus::Succeeded);
    assert_eq!(serde_json::to_value(&status).unwrap()["status"], "Accepte");
    assert_eq!(
        UnifiedStatus::from(&soft::Status::parse("Refusé")),
        UnifiedStatus::Failed
    );
    assert_eq!(
        UnifiedStatus::from(&soft::Status::parse("En attente")),
        UnifiedStatus::AwaitingCustomer
    );
}
