//! CinetPay Transfer API (document 004), as the real service answers: form bodies with one `data`
//! field holding a JSON array, the token and `lang` in the query string, success code `0` (a
//! number), error codes as strings with HTTP 4xx, send/contact results nested `[[…]]`.

use crate::ledger::LedgerEntry;
use crate::notify::Notification;
use crate::server::{Reply, Shared};
use crate::world::{operator_for, CinetpayContact, CinetpayTransfer, World};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/v1/auth/login", post(login))
        .route("/v1/transfer/check/balance", get(balance))
        .route("/v1/transfer/contact", post(add_contacts))
        .route("/v1/transfer/money/send/contact", post(send_money))
        .route("/v1/transfer/check/money", get(check_money))
}

type Q = Query<HashMap<String, String>>;

fn ok(data: Value) -> Reply {
    Ok(Json(json!({"code": 0, "message": "OPERATION_SUCCES", "data": data})).into_response())
}

/// An error as CinetPay sends it: the code as a string, HTTP 4xx, `data: []`.
pub fn error(status: StatusCode, code: &str, message: &str, description: &str) -> Response {
    (
        status,
        Json(json!({"code": code, "message": message, "description": description, "data": []})),
    )
        .into_response()
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

fn parse_form(headers: &HeaderMap, body: &Bytes) -> Result<HashMap<String, String>, Response> {
    if !is_form(headers) {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "704",
            "INVALID_PARAM",
            "Les paramètres doivent être envoyés en POST (formulaire)",
        ));
    }
    serde_urlencoded::from_bytes(body).map_err(|_| {
        error(
            StatusCode::BAD_REQUEST,
            "704",
            "INVALID_PARAM",
            "Paramètres illisibles",
        )
    })
}

fn check_lang(q: &HashMap<String, String>) -> Result<(), Response> {
    match q.get("lang").map(String::as_str) {
        None | Some("fr") | Some("en") => Ok(()),
        Some(_) => Err(error(
            StatusCode::BAD_REQUEST,
            "704",
            "INVALID_PARAM",
            "lang doit être fr ou en",
        )),
    }
}

/// The merchant behind the query-string token. A token sent in the body is refused (706), as the
/// real API does.
fn authorize(
    w: &World,
    q: &HashMap<String, String>,
    form: Option<&HashMap<String, String>>,
) -> Result<String, Response> {
    check_lang(q)?;
    if form.is_some_and(|f| f.contains_key("token")) && !q.contains_key("token") {
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "706",
            "INVALID_TOKEN",
            "Votre token est invalide",
        ));
    }
    let token = q.get("token").ok_or_else(|| {
        error(
            StatusCode::UNAUTHORIZED,
            "706",
            "INVALID_TOKEN",
            "Votre token est invalide",
        )
    })?;
    match w.tokens.get(token) {
        Some((apikey, exp)) if *exp > w.now_ms() => Ok(apikey.clone()),
        Some(_) => Err(error(
            StatusCode::UNAUTHORIZED,
            "705",
            "EXPIRED_TOKEN",
            "Le token a expiré",
        )),
        None => Err(error(
            StatusCode::UNAUTHORIZED,
            "706",
            "INVALID_TOKEN",
            "Votre token est invalide",
        )),
    }
}

fn data_array(form: &HashMap<String, String>) -> Result<Vec<Value>, Response> {
    let raw = form.get("data").ok_or_else(|| {
        error(
            StatusCode::BAD_REQUEST,
            "704",
            "INVALID_PARAM",
            "Le champ data est obligatoire",
        )
    })?;
    match serde_json::from_str::<Value>(raw) {
        Ok(Value::Array(items)) if !items.is_empty() => Ok(items),
        _ => Err(error(
            StatusCode::BAD_REQUEST,
            "718",
            "JSON_PARSE_ERROR",
            "Le JSON émis comporte des erreurs",
        )),
    }
}

async fn login(State(s): State<Shared>, q: Q, headers: HeaderMap, body: Bytes) -> Reply {
    let form = parse_form(&headers, &body)?;
    let mut w = s.world();
    check_lang(&q)?;
    let (Some(apikey), Some(password)) = (form.get("apikey"), form.get("password")) else {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "704",
            "INVALID_PARAM",
            "apikey et password sont obligatoires",
        ));
    };
    let now = w.now_ms();
    let ttl = w.timings.token_ttl_ms;
    let Some(m) = w
        .cinetpay
        .get_mut(apikey)
        .filter(|m| &m.password == password)
    else {
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "701",
            "INVALID_CREDENTIALS",
            "Identifiant de connexion incorrect",
        ));
    };
    // Logging in on every call is throttled, as integrators report.
    m.login_times.retain(|t| now - t < 60_000);
    if m.login_times.len() >= 30 {
        return Err((
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", "60")],
            Json(json!({"code": "429", "message": "TOO_MANY_REQUESTS", "data": []})),
        )
            .into_response());
    }
    m.login_times.push(now);
    let apikey = apikey.clone();
    let token = format!("tk{}", w.next_digits(24));
    w.tokens.insert(token.clone(), (apikey, now + ttl));
    ok(json!({"token": token}))
}

async fn balance(State(s): State<Shared>, q: Q) -> Reply {
    let mut w = s.world();
    advance(&mut w);
    let apikey = authorize(&w, &q, None)?;
    let m = &w.cinetpay[&apikey];
    ok(json!({"amount": m.balance, "inUsing": m.in_using, "available": m.balance - m.in_using}))
}

fn text_field<'a>(item: &'a Value, key: &str) -> Option<&'a str> {
    item.get(key).and_then(Value::as_str)
}

/// Digits only, 8 to 10 of them (the document's examples still use 8-digit Ivorian numbers).
fn valid_phone(prefix: &str, phone: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    digits(prefix) && prefix.len() <= 4 && digits(phone) && (8..=10).contains(&phone.len())
}

async fn add_contacts(State(s): State<Shared>, q: Q, headers: HeaderMap, body: Bytes) -> Reply {
    let form = parse_form(&headers, &body)?;
    let mut w = s.world();
    let apikey = authorize(&w, &q, Some(&form))?;
    let items = data_array(&form)?;
    let lot = w.next_digits(22);
    let m = w.cinetpay.get_mut(&apikey).expect("authorized merchant");
    let mut results = Vec::new();
    for item in items {
        let mut out = item.clone();
        let fields = ["prefix", "phone", "name", "surname"].map(|k| text_field(&item, k));
        let result = match fields {
            [Some(prefix), Some(phone), Some(name), Some(surname)] if !name.trim().is_empty() => {
                if !valid_phone(prefix, phone) {
                    ("802", "INVALID_PHONE")
                } else if m.refuse_contacts.contains(phone) {
                    ("804", "OPERATOR_NOT_SUPPORTED")
                } else {
                    match m.contacts.entry((prefix.to_string(), phone.to_string())) {
                        std::collections::btree_map::Entry::Occupied(_) => {
                            ("726", "ERROR_CONTACT_EXIST")
                        }
                        std::collections::btree_map::Entry::Vacant(slot) => {
                            slot.insert(CinetpayContact {
                                prefix: prefix.into(),
                                phone: phone.into(),
                                name: name.into(),
                                surname: surname.into(),
                                email: text_field(&item, "email").unwrap_or_default().into(),
                                lot: lot.clone(),
                            });
                            ("0", "OPERATION_SUCCES")
                        }
                    }
                }
            }
            _ => ("704", "INVALID_PARAM"),
        };
        if result.0 == "0" {
            out["code"] = json!(0);
            out["status"] = json!("success");
            out["lot"] = json!(lot);
        } else {
            out["code"] = json!(result.0);
            out["status"] = json!("error");
            out["message"] = json!(result.1);
        }
        results.push(out);
    }
    w.maybe_shuffle(&mut results);
    ok(json!([results]))
}

async fn send_money(State(s): State<Shared>, q: Q, headers: HeaderMap, body: Bytes) -> Reply {
    let form = parse_form(&headers, &body)?;
    let mut w = s.world();
    advance(&mut w);
    let apikey = authorize(&w, &q, Some(&form))?;
    let items = data_array(&form)?;
    // The whole order is refused when the balance cannot cover it (document's 602 example, whose
    // code is a number).
    let total: i64 = items
        .iter()
        .filter_map(|i| i.get("amount").and_then(Value::as_i64))
        .sum();
    let available = {
        let m = &w.cinetpay[&apikey];
        m.balance - m.in_using
    };
    if total > available {
        let description = format!(
            "Fonds Insuffisant :disponible {available}, Total de l'operation à effectuer : {total}"
        );
        return Err((StatusCode::BAD_REQUEST, Json(json!({"code": 602, "message": "INSUFFICIENT_BALANCE", "description": description, "data": []})))
            .into_response());
    }
    let lot = w.next_digits(22);
    let now = w.now_ms();
    let mut results = Vec::new();
    for item in items {
        let mut out = item.clone();
        let checked = check_send_item(&w, &apikey, &item, &results);
        match checked {
            Err((code, message)) => {
                out["code"] = json!(code);
                out["status"] = json!("error");
                out["message"] = json!(message);
            }
            Ok((prefix, phone, amount, notify_url, client_id)) => {
                let odd = w.cinetpay[&apikey].odd_items.get(&phone).cloned();
                if odd.as_ref().is_some_and(|o| !o.executed) {
                    if let Some(code) = odd.and_then(|o| o.code) {
                        results.push(odd_answer(out, &code));
                    }
                    continue;
                }
                let transaction_id = w.next_id("EA");
                let will_reject = w.cinetpay[&apikey].reject_phones.contains(&phone);
                let m = w.cinetpay.get_mut(&apikey).expect("authorized merchant");
                let held = m.require_confirmation;
                m.in_using += amount;
                m.add(CinetpayTransfer {
                    transaction_id: transaction_id.clone(),
                    client_transaction_id: client_id.clone(),
                    lot: lot.clone(),
                    operator: operator_for(&prefix, &phone).into(),
                    prefix,
                    phone: phone.clone(),
                    amount,
                    notify_url: notify_url.clone(),
                    created_ms: now,
                    confirmed_ms: if held { None } else { Some(now) },
                    treatment_status: if held { "NOS" } else { "NEW" }.into(),
                    sending_status: if held { "PENDING" } else { "CONFIRM" }.into(),
                    will_reject,
                    validated_at: None,
                });
                w.book(LedgerEntry {
                    kind: "cinetpay_transfer".into(),
                    merchant: apikey.clone(),
                    reference: client_id,
                    provider_ref: transaction_id.clone(),
                    phone,
                    amount,
                    accepted_ms: now,
                    outcome: "pending".into(),
                });
                let t = w.cinetpay[&apikey]
                    .transfers
                    .last()
                    .cloned()
                    .expect("just pushed");
                queue_notification(&mut w, &t);
                out["code"] = json!(0);
                out["status"] = json!("success");
                out["transaction_id"] = json!(transaction_id);
                out["lot"] = json!(lot);
                match odd.map(|o| o.code) {
                    None => {}
                    Some(None) => continue,
                    Some(Some(code)) => out = odd_answer(out, &code),
                }
            }
        }
        results.push(out);
    }
    w.maybe_shuffle(&mut results);
    ok(json!([results]))
}

/// An order's answer with a code that is neither a success nor a documented refusal.
fn odd_answer(mut out: Value, code: &str) -> Value {
    if let Some(o) = out.as_object_mut() {
        o.remove("transaction_id");
        o.remove("lot");
    }
    out["code"] = json!(code);
    out["status"] = json!("");
    out["message"] = json!("");
    out
}

type SendItem = (String, String, i64, String, String);

fn check_send_item(
    w: &World,
    apikey: &str,
    item: &Value,
    earlier: &[Value],
) -> Result<SendItem, (&'static str, &'static str)> {
    let m = &w.cinetpay[apikey];
    let (Some(prefix), Some(phone)) = (text_field(item, "prefix"), text_field(item, "phone"))
    else {
        return Err(("704", "INVALID_PARAM"));
    };
    if !valid_phone(prefix, phone) {
        return Err(("802", "INVALID_PHONE"));
    }
    let amount = match item.get("amount") {
        Some(Value::Number(n)) => n.as_i64().ok_or(("801", "INVALID_AMOUNT"))?,
        Some(Value::String(s)) => s.parse::<i64>().map_err(|_| ("801", "INVALID_AMOUNT"))?,
        _ => return Err(("801", "INVALID_AMOUNT")),
    };
    if amount < 200 {
        return Err(("719", "AMOUNT_TOO_SMALL"));
    }
    if amount > 1_500_000 {
        return Err(("720", "AMOUNT_TOO_LARGE"));
    }
    if amount % 5 != 0 {
        return Err(("801", "INVALID_AMOUNT"));
    }
    let notify_url = text_field(item, "notify_url").unwrap_or_default();
    if !(notify_url.starts_with("http://") || notify_url.starts_with("https://")) {
        return Err(("725", "MISSING_NOTIFY_URL"));
    }
    if !m
        .contacts
        .contains_key(&(prefix.to_string(), phone.to_string()))
    {
        return Err(("724", "ERROR_PHONE_NOT_MY_CONTACT"));
    }
    let client_id = text_field(item, "client_transaction_id")
        .unwrap_or_default()
        .to_string();
    if !client_id.is_empty() {
        let used_before = m.by_client_id.contains_key(&client_id);
        let used_in_request = earlier
            .iter()
            .any(|r| r["client_transaction_id"] == json!(client_id) && r["code"] == json!(0));
        if used_before || used_in_request {
            return Err(("805", "CLIENT_TRANSACTION_ID_EXIST"));
        }
    }
    Ok((
        prefix.into(),
        phone.into(),
        amount,
        notify_url.into(),
        client_id,
    ))
}

async fn check_money(State(s): State<Shared>, q: Q) -> Reply {
    let mut w = s.world();
    advance(&mut w);
    let apikey = authorize(&w, &q, None)?;
    let m = &w.cinetpay[&apikey];
    let none = Vec::new();
    let mut matches: Vec<Value> = if let Some(id) = q.get("transaction_id") {
        m.by_id
            .get(id)
            .map(|&i| describe(&m.transfers[i]))
            .into_iter()
            .collect()
    } else if let Some(id) = q.get("client_transaction_id") {
        m.at(m.by_client_id.get(id).unwrap_or(&none))
            .map(describe)
            .collect()
    } else if let Some(lot) = q.get("lot") {
        m.at(m.by_lot.get(lot).unwrap_or(&none))
            .map(describe)
            .collect()
    } else {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "704",
            "INVALID_PARAM",
            "transaction_id, client_transaction_id ou lot est obligatoire",
        ));
    };
    w.maybe_shuffle(&mut matches);
    if matches.is_empty() {
        return Err(error(
            StatusCode::NOT_FOUND,
            "723",
            "NOT_FOUND",
            "Aucun element trouvé",
        ));
    }
    ok(Value::Array(matches))
}

fn describe(t: &CinetpayTransfer) -> Value {
    let comment = match t.treatment_status.as_str() {
        "VAL" => "Transfert effectué avec succès",
        "REJ" => "Transfert rejeté par l'opérateur",
        "NOS" => "En attente de confirmation du marchand",
        _ => "Transfert en cours de traitement",
    };
    json!({
        "transaction_id": t.transaction_id,
        "client_transaction_id": t.client_transaction_id,
        "lot": t.lot,
        "amount": t.amount.to_string(),
        "receiver": t.phone,
        "receiver_e164": format!("+{}{}", t.prefix, t.phone),
        "operator": t.operator,
        "sending_status": t.sending_status,
        "transfer_valid": if t.treatment_status == "VAL" { "Y" } else { "N" },
        "treatment_status": t.treatment_status,
        "comment": comment,
        "validated_at": t.validated_at.map(format_time),
    })
}

fn format_time(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn queue_notification(w: &mut World, t: &CinetpayTransfer) {
    w.outbox.push(Notification {
        json: None,
        url: t.notify_url.clone(),
        form: vec![
            ("transaction_id".into(), t.transaction_id.clone()),
            (
                "client_transaction_id".into(),
                t.client_transaction_id.clone(),
            ),
            ("lot".into(), t.lot.clone()),
            ("amount".into(), t.amount.to_string()),
            ("receiver".into(), t.phone.clone()),
            ("operator".into(), t.operator.clone()),
            ("treatment_status".into(), t.treatment_status.clone()),
        ],
    });
}

/// Moves every transfer along to where (virtual) time says it is, settling final ones.
pub fn advance(w: &mut World) {
    let now = w.now_ms();
    let (d1, d2) = (
        w.timings.accept_to_progress_ms,
        w.timings.progress_to_final_ms,
    );
    let mut changed = Vec::new();
    for (apikey, m) in w.cinetpay.iter_mut() {
        let open: Vec<usize> = m.open.iter().copied().collect();
        for i in open {
            let t = &mut m.transfers[i];
            let Some(start) = t.confirmed_ms else {
                continue;
            };
            let elapsed = now - start;
            let next = if elapsed >= d1 + d2 {
                if t.will_reject {
                    "REJ"
                } else {
                    "VAL"
                }
            } else if elapsed >= d1 {
                "REC"
            } else {
                "NEW"
            };
            if next != t.treatment_status {
                t.treatment_status = next.into();
                if t.is_final() {
                    m.in_using -= t.amount;
                    if next == "VAL" {
                        m.balance -= t.amount;
                    }
                    t.validated_at = Some(now);
                    m.open.remove(&i);
                }
                changed.push((apikey.clone(), t.clone()));
            }
        }
    }
    for (apikey, t) in changed {
        if t.is_final() {
            if let Some(e) = w.booked(&apikey, &t.transaction_id) {
                e.outcome = if t.treatment_status == "VAL" {
                    "succeeded"
                } else {
                    "failed"
                }
                .into();
            }
        }
        queue_notification(w, &t);
    }
}

/// The merchant confirms (or rejects) held transfers, as by the e-mail CinetPay sends.
pub fn confirm(w: &mut World, reference: Option<&str>, reject: bool) -> usize {
    let now = w.now_ms();
    let mut n = 0;
    let mut changed = Vec::new();
    for (apikey, m) in w.cinetpay.iter_mut() {
        let open: Vec<usize> = m.open.iter().copied().collect();
        for i in open {
            let t = &mut m.transfers[i];
            let selected =
                reference.is_none_or(|r| t.transaction_id == r || t.client_transaction_id == r);
            if !selected || t.confirmed_ms.is_some() || t.treatment_status != "NOS" {
                continue;
            }
            n += 1;
            if reject {
                t.treatment_status = "REJ".into();
                t.validated_at = Some(now);
                m.in_using -= t.amount;
                m.open.remove(&i);
            } else {
                t.sending_status = "CONFIRM".into();
                t.confirmed_ms = Some(now);
                t.treatment_status = "NEW".into();
            }
            changed.push((apikey.clone(), t.clone()));
        }
    }
    for (apikey, t) in changed {
        if t.treatment_status == "REJ" {
            if let Some(e) = w.booked(&apikey, &t.transaction_id) {
                e.outcome = "failed".into();
            }
        }
        queue_notification(w, &t);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::format_time;

    #[test]
    fn formats_times_like_the_document() {
        assert_eq!(format_time(1_530_104_006_000), "2018-06-27 12:53:26");
    }
}
