//! The control API under `/_sandbox/`: what tests, the demo mode and a curious merchant use to
//! drive the simulated world — seed it, move its clock, play the customer or the merchant's
//! e-mail confirmation, inject faults, and read the ledger of what was really executed.

use crate::faults::FaultRule;
use crate::server::{seed_cinetpay, seed_mycoolpay, Shared};
use crate::world::{CinetpayContact, ReturnUrls, Timings, Variants, World};
use crate::{cinetpay_transfer, mycoolpay};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/_sandbox/ledger", get(ledger))
        .route("/_sandbox/clock/advance", post(advance_clock))
        .route("/_sandbox/timings", post(set_timings))
        .route("/_sandbox/variants", post(set_variants))
        .route("/_sandbox/faults", get(faults_injected).post(set_faults))
        .route("/_sandbox/notifications", post(notification_faults))
        .route("/_sandbox/cinetpay/merchants", post(cinetpay_merchant))
        .route("/_sandbox/cinetpay/contacts", post(cinetpay_contact))
        .route("/_sandbox/cinetpay/confirm", post(cinetpay_confirm))
        .route("/_sandbox/mycoolpay/merchants", post(mycoolpay_merchant))
        .route("/_sandbox/mycoolpay/complete", post(mycoolpay_complete))
        .route(
            "/_sandbox/mycoolpay/otp/{transaction_ref}",
            get(mycoolpay_otp),
        )
        .route(
            "/_sandbox/checkout/mycoolpay/{transaction_ref}",
            get(checkout_page),
        )
        .route(
            "/_sandbox/checkout/mycoolpay/{transaction_ref}/{choice}",
            post(checkout_choice),
        )
}

async fn ledger(State(s): State<Shared>) -> Json<Value> {
    let mut w = s.world();
    cinetpay_transfer::advance(&mut w);
    mycoolpay::advance(&mut w);
    Json(json!(w.ledger))
}

#[derive(Deserialize)]
struct Advance {
    ms: i64,
}

async fn advance_clock(State(s): State<Shared>, Json(a): Json<Advance>) -> Json<Value> {
    let mut w = s.world();
    w.offset_ms += a.ms;
    cinetpay_transfer::advance(&mut w);
    mycoolpay::advance(&mut w);
    Json(json!({"offset_ms": w.offset_ms}))
}

async fn set_timings(State(s): State<Shared>, Json(t): Json<Timings>) -> Json<Value> {
    s.world().timings = t;
    Json(json!({"ok": true}))
}

#[derive(Deserialize)]
struct Faults {
    rules: Vec<FaultRule>,
}

async fn set_faults(State(s): State<Shared>, Json(f): Json<Faults>) -> Json<Value> {
    s.world().faults.set(f.rules);
    Json(json!({"ok": true}))
}

async fn faults_injected(State(s): State<Shared>) -> Json<Value> {
    Json(json!(s.world().faults.injected))
}

#[derive(Deserialize)]
struct NotificationFaults {
    copies: u32,
    #[serde(default)]
    reorder: bool,
}

async fn notification_faults(
    State(s): State<Shared>,
    Json(n): Json<NotificationFaults>,
) -> Json<Value> {
    let mut w = s.world();
    w.notification_copies = n.copies.max(1);
    w.reorder_notifications = n.reorder;
    Json(json!({"ok": true}))
}

#[derive(Deserialize)]
struct CinetpayMerchantSeed {
    apikey: String,
    password: String,
    site_id: String,
    balance: i64,
    #[serde(default)]
    require_confirmation: bool,
}

async fn cinetpay_merchant(
    State(s): State<Shared>,
    Json(m): Json<CinetpayMerchantSeed>,
) -> Json<Value> {
    seed_cinetpay(
        &s,
        &m.apikey,
        &m.password,
        &m.site_id,
        m.balance,
        m.require_confirmation,
    );
    Json(json!({"ok": true}))
}

#[derive(Deserialize)]
struct ContactSeed {
    apikey: String,
    prefix: String,
    phone: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    surname: String,
}

async fn cinetpay_contact(State(s): State<Shared>, Json(c): Json<ContactSeed>) -> Response {
    let mut w = s.world();
    let Some(m) = w.cinetpay.get_mut(&c.apikey) else {
        return (StatusCode::NOT_FOUND, "unknown merchant").into_response();
    };
    m.contacts.insert(
        (c.prefix.clone(), c.phone.clone()),
        CinetpayContact {
            prefix: c.prefix,
            phone: c.phone,
            name: c.name,
            surname: c.surname,
            email: String::new(),
            lot: String::new(),
        },
    );
    Json(json!({"ok": true})).into_response()
}

#[derive(Deserialize)]
struct Confirm {
    /// transaction_id or client_transaction_id; every held transfer when absent.
    reference: Option<String>,
    #[serde(default)]
    reject: bool,
}

async fn cinetpay_confirm(State(s): State<Shared>, Json(c): Json<Confirm>) -> Json<Value> {
    let n = cinetpay_transfer::confirm(&mut s.world(), c.reference.as_deref(), c.reject);
    Json(json!({"confirmed": n}))
}

#[derive(Deserialize)]
struct McpSeed {
    public_key: String,
    private_key: String,
    balance: i64,
    callback_url: Option<String>,
    #[serde(default)]
    return_urls: ReturnUrls,
}

async fn mycoolpay_merchant(State(s): State<Shared>, Json(m): Json<McpSeed>) -> Json<Value> {
    seed_mycoolpay(&s, &m.public_key, &m.private_key, m.balance, m.callback_url);
    if let Some(merchant) = s.world().mycoolpay.get_mut(&m.public_key) {
        merchant.return_urls = m.return_urls;
    }
    Json(json!({"ok": true}))
}

async fn set_variants(State(s): State<Shared>, Json(v): Json<Variants>) -> Json<Value> {
    s.world().variants = v;
    Json(json!({"ok": true}))
}

#[derive(Deserialize)]
struct Complete {
    transaction_ref: String,
    /// SUCCESS, CANCELED or FAILED.
    status: String,
}

async fn mycoolpay_complete(State(s): State<Shared>, Json(c): Json<Complete>) -> Response {
    if !matches!(c.status.as_str(), "SUCCESS" | "CANCELED" | "FAILED") {
        return (
            StatusCode::BAD_REQUEST,
            "status: SUCCESS, CANCELED or FAILED",
        )
            .into_response();
    }
    let done = finish_mycoolpay(&mut s.world(), &c.transaction_ref, &c.status);
    Json(json!({"changed": done})).into_response()
}

/// Ends a My-CoolPay transaction, whichever merchant it belongs to; false when there is none
/// by that reference, or it had ended already.
fn finish_mycoolpay(w: &mut World, reference: &str, status: &str) -> bool {
    let merchant = w
        .mycoolpay
        .iter()
        .find(|(_, m)| m.find(reference).is_some())
        .map(|(k, _)| k.clone());
    merchant.is_some_and(|k| mycoolpay::finish(w, &k, reference, status))
}

async fn mycoolpay_otp(State(s): State<Shared>, Path(reference): Path<String>) -> Response {
    let w = s.world();
    let otp = w
        .mycoolpay
        .values()
        .find_map(|m| m.find(&reference))
        .and_then(|t| t.otp.clone());
    match otp {
        Some(code) => Json(json!({"code": code})).into_response(),
        None => (StatusCode::NOT_FOUND, "no pending OTP").into_response(),
    }
}

async fn checkout_page(State(s): State<Shared>, Path(reference): Path<String>) -> Response {
    let w = s.world();
    let Some(t) = w.mycoolpay.values().find_map(|m| m.find(&reference)) else {
        return (
            StatusCode::NOT_FOUND,
            Html("<h1>Lien de paiement introuvable</h1>"),
        )
            .into_response();
    };
    crate::pages::checkout(
        "My-CoolPay",
        &format!("{} XAF", t.amount),
        &t.reason,
        Some(&t.status),
        &format!("/_sandbox/checkout/mycoolpay/{reference}"),
        &[
            ("CM_OM", "Orange Money"),
            ("CM_MOMO", "MTN Mobile Money"),
            ("MCP", "My-CoolPay"),
            ("CARD", "une carte bancaire"),
        ],
    )
    .into_response()
}

#[derive(Deserialize)]
struct Means {
    operator: Option<String>,
}

/// The customer pays (with the means chosen) or cancels; then the application's success, cancel
/// or failure URL takes them back to the merchant, with the parameters the merchant gave.
async fn checkout_choice(
    State(s): State<Shared>,
    Path((reference, choice)): Path<(String, String)>,
    Query(means): Query<Means>,
) -> Response {
    let pay = match choice.as_str() {
        "pay" => true,
        "refuse" => false,
        _ => return (StatusCode::NOT_FOUND, "pay or refuse").into_response(),
    };
    let (done, back) =
        mycoolpay::checkout(&mut s.world(), &reference, pay, means.operator.as_deref());
    match back {
        Some(url) => Redirect::to(&url).into_response(),
        None => crate::pages::chosen(done).into_response(),
    }
}
