//! My-CoolPay merchant API (document 000): JSON in and out under `/api/{public_key}`, errors as
//! `{"status":"error","message":…}` with HTTP ≥ 400, statuses CREATED → PENDING → SUCCESS |
//! CANCELED | FAILED, and one signed callback per transaction, never retried.

use crate::ledger::LedgerEntry;
use crate::notify::Notification;
use crate::server::{Reply, Shared};
use crate::world::{CallbackShape, McpMerchant, McpTransaction, World};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use md5::{Digest, Md5};
use serde_json::{json, Value};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/{public_key}/payin", post(payin))
        .route("/api/{public_key}/payin/authorize", post(authorize))
        .route("/api/{public_key}/paylink", post(paylink))
        .route("/api/{public_key}/payout", post(payout))
        .route("/api/{public_key}/checkStatus", post(check_status_post))
        .route(
            "/api/{public_key}/checkStatus/{transaction_ref}",
            get(check_status_get),
        )
        .route("/api/{public_key}/balance", get(balance))
}

pub fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"status": "error", "message": message}))).into_response()
}

/// A JSON answer, HTTP 200.
fn success(body: Value) -> Reply {
    Ok(Json(body).into_response())
}

/// My-CoolPay's fee on `amount`: `basis_points` hundredths of a percent, rounded up to a franc.
pub fn fee(amount: i64, basis_points: i64) -> i64 {
    (amount * basis_points.max(0) + 9_999) / 10_000
}

fn json_body(headers: &HeaderMap, body: &Bytes) -> Result<Value, Response> {
    let is_json = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "Le corps de la requête doit être du JSON",
        ));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(v @ Value::Object(_)) => Ok(v),
        _ => Err(error(StatusCode::BAD_REQUEST, "JSON invalide")),
    }
}

fn merchant<'a>(w: &'a mut World, public_key: &str) -> Result<&'a mut McpMerchant, Response> {
    w.mycoolpay
        .get_mut(public_key)
        .ok_or_else(|| error(StatusCode::NOT_FOUND, "Application introuvable"))
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// Cameroonian mobile number, with or without 237: 9 digits starting with 6.
fn cm_phone(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = digits.strip_prefix('+').unwrap_or(&digits);
    let national = digits
        .strip_prefix("237")
        .filter(|d| d.len() == 9)
        .unwrap_or(digits);
    (national.len() == 9
        && national.starts_with('6')
        && national.chars().all(|c| c.is_ascii_digit()))
    .then(|| national.to_string())
}

/// The fields every transaction request shares, checked as the document lists them.
/// `executes_reused`: a reused `app_transaction_ref` is executed again instead of refused.
fn common(
    v: &Value,
    m: &McpMerchant,
    executes_reused: bool,
) -> Result<(i64, String, String), Response> {
    let amount = match v.get("transaction_amount") {
        Some(Value::Number(n)) => n.as_i64().filter(|a| *a > 0),
        _ => None,
    }
    .ok_or_else(|| {
        error(
            StatusCode::BAD_REQUEST,
            "transaction_amount: montant invalide",
        )
    })?;
    if let Some(c) = v.get("transaction_currency") {
        if c != "XAF" {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "transaction_currency: seule la devise XAF est acceptée",
            ));
        }
    }
    let reason = text(v, "transaction_reason").ok_or_else(|| {
        error(
            StatusCode::BAD_REQUEST,
            "transaction_reason est obligatoire",
        )
    })?;
    let app_ref = text(v, "app_transaction_ref").ok_or_else(|| {
        error(
            StatusCode::BAD_REQUEST,
            "app_transaction_ref est obligatoire",
        )
    })?;
    if m.app_ref_used(app_ref) && !executes_reused {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "app_transaction_ref déjà utilisée",
        ));
    }
    Ok((amount, reason.to_string(), app_ref.to_string()))
}

fn new_tx(
    w: &mut World,
    kind: &str,
    amount: i64,
    reason: String,
    app_ref: String,
    operator: &str,
    phone: String,
) -> McpTransaction {
    let now = w.now_ms();
    McpTransaction {
        transaction_ref: w.next_id("MCP"),
        app_transaction_ref: app_ref,
        operator_transaction_ref: String::new(),
        transaction_type: kind.into(),
        amount,
        fees: fee(amount, w.variants.mycoolpay_fee_basis_points),
        currency: "XAF".into(),
        operator: operator.into(),
        status: "CREATED".into(),
        reason,
        message: String::new(),
        phone,
        created_ms: now,
        started_ms: None,
        otp: None,
        will_fail: false,
        paylink: false,
        return_params: String::new(),
    }
}

async fn payin(
    State(s): State<Shared>,
    Path(public_key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let v = json_body(&headers, &body)?;
    let mut w = s.world();
    let m = merchant(&mut w, &public_key)?;
    let (amount, reason, app_ref) = common(&v, m, false)?;
    let Some(phone) = text(&v, "customer_phone_number").and_then(cm_phone) else {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "customer_phone_number: numéro invalide",
        ));
    };
    let authenticated = m.authenticated_phones.contains(&phone);
    let operator = if phone.starts_with("69") {
        "CM_OM"
    } else {
        "CM_MOMO"
    };
    let mut tx = new_tx(&mut w, "PAYIN", amount, reason, app_ref, operator, phone);
    let reference = tx.transaction_ref.clone();
    let response = if authenticated {
        tx.status = "PENDING".into();
        tx.started_ms = Some(tx.created_ms);
        json!({"status": "success", "transaction_ref": reference, "action": "PENDING", "ussd": ussd(operator)})
    } else {
        tx.otp = Some(format!(
            "{:06}",
            w.next_digits(6).parse::<u64>().unwrap_or(0) % 1_000_000
        ));
        json!({"status": "success", "transaction_ref": reference, "action": "REQUIRE_OTP"})
    };
    w.mycoolpay.get_mut(&public_key).expect("merchant").add(tx);
    success(response)
}

fn ussd(operator: &str) -> &'static str {
    if operator == "CM_OM" {
        "#150*50#"
    } else {
        "*126#"
    }
}

async fn authorize(
    State(s): State<Shared>,
    Path(public_key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let v = json_body(&headers, &body)?;
    let mut w = s.world();
    let now = w.now_ms();
    let m = merchant(&mut w, &public_key)?;
    let (Some(reference), Some(code)) = (text(&v, "transaction_ref"), text(&v, "code")) else {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "transaction_ref et code sont obligatoires",
        ));
    };
    let Some(tx) = m.position(reference).map(|i| &mut m.transactions[i]) else {
        return Err(error(StatusCode::NOT_FOUND, "Transaction introuvable"));
    };
    if tx.status != "CREATED" || tx.otp.as_deref() != Some(code) {
        return Err(error(StatusCode::BAD_REQUEST, "Code invalide"));
    }
    tx.otp = None;
    tx.status = "PENDING".into();
    tx.started_ms = Some(now);
    let (phone, operator) = (tx.phone.clone(), tx.operator.clone());
    m.authenticated_phones.insert(phone);
    success(json!({"status": "success", "action": "PENDING", "ussd": ussd(&operator)}))
}

/// The document lets the merchant add parameters to the route (`/paylink?param1=val1…`, at most
/// 255 characters); they come back on the URL the customer is sent to at the end.
async fn paylink(
    State(s): State<Shared>,
    Path(public_key): Path<String>,
    RawQuery(params): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let params = params.unwrap_or_default();
    if params.chars().count() > 255 {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "Les paramètres de l'URL dépassent 255 caractères",
        ));
    }
    let v = json_body(&headers, &body)?;
    let mut w = s.world();
    let base = w.base_url.clone();
    let m = merchant(&mut w, &public_key)?;
    let (amount, reason, app_ref) = common(&v, m, false)?;
    let phone = text(&v, "customer_phone_number")
        .and_then(cm_phone)
        .unwrap_or_default();
    let mut tx = new_tx(&mut w, "PAYIN", amount, reason, app_ref, "MCP", phone);
    tx.paylink = true;
    tx.return_params = params;
    let reference = tx.transaction_ref.clone();
    w.mycoolpay.get_mut(&public_key).expect("merchant").add(tx);
    let url = format!("{base}/_sandbox/checkout/mycoolpay/{reference}");
    success(json!({"status": "success", "transaction_ref": reference, "payment_url": url}))
}

async fn payout(
    State(s): State<Shared>,
    Path(public_key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let v = json_body(&headers, &body)?;
    let mut w = s.world();
    advance(&mut w);
    let executes_reused = w.mycoolpay_executes_reused_refs;
    let m = merchant(&mut w, &public_key)?;
    // The document puts the key in the body; the SDK sends it only as `X-PRIVATE-KEY`. Either
    // is enough, and every key sent must be the right one.
    let keys = [
        headers.get("x-private-key").and_then(|h| h.to_str().ok()),
        text(&v, "private_key"),
    ];
    if keys.iter().all(Option::is_none) || keys.iter().flatten().any(|k| *k != m.private_key) {
        return Err(error(StatusCode::UNAUTHORIZED, "Clé privée invalide"));
    }
    let (amount, reason, app_ref) = common(&v, m, executes_reused)?;
    let operator = text(&v, "transaction_operator").unwrap_or_default();
    let phone = text(&v, "customer_phone_number");
    let phone = match operator {
        "MCP" => {
            if phone.is_none()
                && text(&v, "customer_username").is_none()
                && text(&v, "customer_email").is_none()
            {
                return Err(error(StatusCode::BAD_REQUEST, "Pour un retrait MCP, fournissez customer_phone_number, customer_username ou customer_email"));
            }
            phone.and_then(cm_phone).unwrap_or_default()
        }
        "CM_MOMO" | "CM_OM" => match phone.and_then(cm_phone) {
            Some(p) => p,
            None => {
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    "customer_phone_number: numéro invalide",
                ))
            }
        },
        _ => {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "transaction_operator: MCP, CM_MOMO ou CM_OM",
            ))
        }
    };
    let fees = fee(amount, w.variants.mycoolpay_fee_basis_points);
    let m = merchant(&mut w, &public_key)?;
    if amount + fees > m.balance {
        return Err(error(StatusCode::BAD_REQUEST, "Solde insuffisant"));
    }
    m.balance -= amount + fees;
    let will_fail = m.fail_phones.contains(&phone);
    let mut tx = new_tx(
        &mut w,
        "PAYOUT",
        amount,
        reason,
        app_ref.clone(),
        operator,
        phone.clone(),
    );
    tx.will_fail = will_fail;
    let reference = tx.transaction_ref.clone();
    let accepted_ms = tx.created_ms;
    w.mycoolpay.get_mut(&public_key).expect("merchant").add(tx);
    w.book(LedgerEntry {
        kind: "mycoolpay_payout".into(),
        merchant: public_key.clone(),
        reference: app_ref,
        provider_ref: reference.clone(),
        phone,
        amount,
        accepted_ms,
        outcome: "pending".into(),
    });
    // Settled before the answer when the operator is that quick (or time moves in no steps):
    // then 200, done. Otherwise 202 while the payout is still CREATED, as the SDK expects.
    let timings = w.timings;
    let share = w.variants.mycoolpay_instant_payouts;
    let instant =
        timings.accept_to_progress_ms + timings.progress_to_final_ms <= 0 || w.chance(share);
    if instant {
        finish(
            &mut w,
            &public_key,
            &reference,
            if will_fail { "FAILED" } else { "SUCCESS" },
        );
    }
    let done = w
        .mycoolpay
        .get(&public_key)
        .and_then(|m| m.find(&reference))
        .is_some_and(|t| t.status == "SUCCESS");
    let (code, message) = if done {
        (StatusCode::OK, "Retrait effectué")
    } else {
        (StatusCode::ACCEPTED, "Retrait en cours de traitement")
    };
    Ok((
        code,
        Json(json!({"status": "success", "transaction_ref": reference, "message": message})),
    )
        .into_response())
}

fn describe(t: &McpTransaction) -> Value {
    json!({
        "status": "success",
        "app_transaction_ref": t.app_transaction_ref,
        "operator_transaction_ref": t.operator_transaction_ref,
        "transaction_ref": t.transaction_ref,
        "transaction_type": t.transaction_type,
        "transaction_amount": t.amount,
        "transaction_fees": t.fees,
        "transaction_currency": t.currency,
        "transaction_operator": t.operator,
        "transaction_status": t.status,
        "transaction_reason": t.reason,
        "transaction_message": t.message,
        "customer_phone_number": t.phone,
    })
}

fn status_of(w: &mut World, public_key: &str, reference: &str) -> Reply {
    advance(w);
    let m = merchant(w, public_key)?;
    match m.find(reference) {
        Some(t) => success(describe(t)),
        None => Err(error(StatusCode::NOT_FOUND, "Transaction introuvable")),
    }
}

async fn check_status_get(
    State(s): State<Shared>,
    Path((public_key, reference)): Path<(String, String)>,
) -> Reply {
    status_of(&mut s.world(), &public_key, &reference)
}

async fn check_status_post(
    State(s): State<Shared>,
    Path(public_key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let v = json_body(&headers, &body)?;
    let Some(reference) = text(&v, "transaction_ref") else {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "transaction_ref est obligatoire",
        ));
    };
    status_of(&mut s.world(), &public_key, reference)
}

async fn balance(
    State(s): State<Shared>,
    Path(public_key): Path<String>,
    headers: HeaderMap,
) -> Reply {
    let mut w = s.world();
    advance(&mut w);
    let m = merchant(&mut w, &public_key)?;
    if headers.get("x-private-key").and_then(|h| h.to_str().ok()) != Some(m.private_key.as_str()) {
        return Err(error(StatusCode::UNAUTHORIZED, "Clé privée invalide"));
    }
    success(json!({"status": "success", "balance": m.balance, "currency": "XAF"}))
}

/// The documented callback signature: md5(transaction_ref + transaction_type + transaction_amount
/// + transaction_currency + transaction_operator + private_key), the amount as printed (`100`).
pub fn signature(t: &McpTransaction, private_key: &str) -> String {
    let text = format!(
        "{}{}{}{}{}{}",
        t.transaction_ref, t.transaction_type, t.amount, t.currency, t.operator, private_key
    );
    hex::encode(Md5::digest(text.as_bytes()))
}

/// Sets a transaction's final status, moves the balance, records the outcome and queues the one
/// callback My-CoolPay sends.
pub fn finish(w: &mut World, public_key: &str, reference: &str, status: &str) -> bool {
    let Some(m) = w.mycoolpay.get_mut(public_key) else {
        return false;
    };
    let Some(i) = m.position(reference) else {
        return false;
    };
    let t = &mut m.transactions[i];
    if matches!(t.status.as_str(), "SUCCESS" | "CANCELED" | "FAILED") {
        return false;
    }
    m.open.remove(&i);
    t.status = status.into();
    t.operator_transaction_ref = format!("OP{}", &t.transaction_ref[3..]);
    t.message = match status {
        "SUCCESS" => "Transaction réussie",
        "CANCELED" => "Transaction annulée",
        _ => "Transaction échouée",
    }
    .into();
    match (t.transaction_type.as_str(), status) {
        ("PAYOUT", "FAILED") | ("PAYOUT", "CANCELED") => m.balance += t.amount + t.fees,
        ("PAYIN", "SUCCESS") => m.balance += t.amount - t.fees,
        _ => {}
    }
    let t = t.clone();
    let callback = m.callback_url.clone();
    let private_key = m.private_key.clone();
    if let Some(e) = w.booked(public_key, &t.transaction_ref) {
        e.outcome = if status == "SUCCESS" {
            "succeeded"
        } else {
            "failed"
        }
        .into();
    } else if t.transaction_type == "PAYIN" && status == "SUCCESS" {
        w.book(LedgerEntry {
            kind: "mycoolpay_payin".into(),
            merchant: public_key.into(),
            reference: t.app_transaction_ref.clone(),
            provider_ref: t.transaction_ref.clone(),
            phone: t.phone.clone(),
            amount: t.amount,
            accepted_ms: t.created_ms,
            outcome: "succeeded".into(),
        });
    }
    if let Some(url) = callback {
        let shape = match w.variants.mycoolpay_callbacks {
            CallbackShape::Either => {
                if w.chance(0.5) {
                    CallbackShape::Json
                } else {
                    CallbackShape::Form
                }
            }
            shape => shape,
        };
        let form: Vec<(String, String)> = vec![
            ("application".into(), public_key.to_string()),
            ("app_transaction_ref".into(), t.app_transaction_ref.clone()),
            (
                "operator_transaction_ref".into(),
                t.operator_transaction_ref.clone(),
            ),
            ("transaction_ref".into(), t.transaction_ref.clone()),
            ("transaction_type".into(), t.transaction_type.clone()),
            ("transaction_amount".into(), t.amount.to_string()),
            ("transaction_fees".into(), t.fees.to_string()),
            ("transaction_currency".into(), t.currency.clone()),
            ("transaction_operator".into(), t.operator.clone()),
            ("transaction_status".into(), t.status.clone()),
            ("transaction_reason".into(), t.reason.clone()),
            ("transaction_message".into(), t.message.clone()),
            ("customer_phone_number".into(), t.phone.clone()),
            ("signature".into(), signature(&t, &private_key)),
        ];
        let json = (shape == CallbackShape::Json).then(|| {
            let mut body: serde_json::Map<String, Value> = form
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            body.insert("transaction_amount".into(), json!(t.amount));
            body.insert("transaction_fees".into(), json!(t.fees));
            Value::Object(body)
        });
        w.outbox.push(Notification { url, form, json });
    }
    true
}

/// The customer's choice on a paylink's checkout page: pays with `operator` (the one their
/// number belongs to when not given) or cancels; a number set to fail fails. Returns whether it changed anything, and
/// where the application sends the customer next, with the merchant's parameters.
pub fn checkout(
    w: &mut World,
    reference: &str,
    pay: bool,
    operator: Option<&str>,
) -> (bool, Option<String>) {
    let Some(key) = w
        .mycoolpay
        .iter()
        .find(|(_, m)| m.find(reference).is_some())
        .map(|(k, _)| k.clone())
    else {
        return (false, None);
    };
    let status = if pay { "SUCCESS" } else { "CANCELED" };
    let m = w.mycoolpay.get_mut(&key).expect("found above");
    let i = m.position(reference).expect("found above");
    let will_fail = m.fail_phones.contains(&m.transactions[i].phone);
    let t = &mut m.transactions[i];
    if pay && t.paylink && t.status == "CREATED" {
        t.operator = match operator {
            Some(op @ ("MCP" | "CM_OM" | "CM_MOMO" | "CARD")) => op.to_string(),
            _ if t.phone.starts_with("69") => "CM_OM".into(),
            _ if !t.phone.is_empty() => "CM_MOMO".into(),
            _ => "MCP".into(),
        };
    }
    let status = if pay && will_fail { "FAILED" } else { status };
    let params = t.return_params.clone();
    if !finish(w, &key, reference, status) {
        return (false, None);
    }
    let urls = &w.mycoolpay[&key].return_urls;
    let url = match status {
        "SUCCESS" => urls.success.clone(),
        "CANCELED" => urls.cancel.clone(),
        _ => urls.failure.clone(),
    };
    let url = url.map(|u| match (params.is_empty(), u.contains('?')) {
        (true, _) => u,
        (false, false) => format!("{u}?{params}"),
        (false, true) => format!("{u}&{params}"),
    });
    (true, url)
}

/// Moves payouts (and auto-completing payins) along to where (virtual) time says they are.
pub fn advance(w: &mut World) {
    let now = w.now_ms();
    let (d1, d2, auto) = (
        w.timings.accept_to_progress_ms,
        w.timings.progress_to_final_ms,
        w.timings.payin_auto_complete_ms,
    );
    let mut finals = Vec::new();
    for (key, m) in w.mycoolpay.iter_mut() {
        for &i in &m.open {
            let t = &mut m.transactions[i];
            match (t.transaction_type.as_str(), t.status.as_str()) {
                ("PAYOUT", "CREATED" | "PENDING") => {
                    let elapsed = now - t.created_ms;
                    if elapsed >= d1 + d2 {
                        finals.push((
                            key.clone(),
                            t.transaction_ref.clone(),
                            if t.will_fail { "FAILED" } else { "SUCCESS" },
                        ));
                    } else if elapsed >= d1 {
                        t.status = "PENDING".into();
                    }
                }
                ("PAYIN", "PENDING") => {
                    if let (Some(after), Some(start)) = (auto, t.started_ms) {
                        if now - start >= after {
                            finals.push((key.clone(), t.transaction_ref.clone(), "SUCCESS"));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    for (key, reference, status) in finals {
        finish(w, &key, &reference, status);
    }
}
