//! CinetPay payment API v1 (document 002): every call is a form POST to `/v1/?method=NAME` with
//! `apikey` and `cpm_site_id`; the signature comes back as a bare JSON string; the hosted payment
//! page is a form POSTed to the checkout host (`/` here); `checkPayStatus`, `getTransHistory`
//! and `getCompteStatus` answer JSON; errors are `{"status":{"code":"609","message":…}}`.

use crate::notify::Notification;
use crate::server::Shared;
use crate::world::{date_time, operator_for, World};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize)]
pub struct Payment {
    pub site_id: String,
    pub trans_id: String,
    pub amount: i64,
    /// `CFA` or `XOF`, as the merchant sent it.
    pub currency: String,
    /// As the merchant sent it (`2017-04-09 15:45:22` or `20170409154522`), echoed back.
    pub trans_date: String,
    pub designation: String,
    pub custom: String,
    pub phone: String,
    pub prefix: String,
    pub language: String,
    pub signature: String,
    pub notify_url: String,
    pub return_url: String,
    pub cancel_url: String,
    /// `GET`, `POST` or `NONE` (the default): how the customer's return carries the references.
    pub return_mode: String,
    pub payid: String,
    /// `607` until the customer acts, then `00` (accepted) or `627` (cancelled).
    pub result: String,
    /// `OM`, `MOMO` or `FLOOZ` once the customer has acted.
    pub payment_method: String,
    /// World-clock times: asked for (created_at), last changed (updated_at), settled.
    pub created_ms: i64,
    pub updated_ms: i64,
    pub paid_ms: Option<i64>,
}

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/v1/", post(api))
        .route("/", post(checkout))
        .route(
            "/_sandbox/checkout/cinetpay/{trans_id}/{choice}",
            post(choose),
        )
}

fn status(code: &str, message: &str) -> Response {
    Json(json!({"status": {"code": code, "message": message}})).into_response()
}

async fn api(
    State(s): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let is_form = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let Ok(form) = serde_urlencoded::from_bytes::<HashMap<String, String>>(&body) else {
        return status("608", "MINIMUM_REQUIRED_FIELDS");
    };
    if !is_form {
        return status("608", "MINIMUM_REQUIRED_FIELDS");
    }
    let mut w = s.world();
    let (Some(apikey), Some(site_id)) = (form.get("apikey"), form.get("cpm_site_id")) else {
        return status("608", "MINIMUM_REQUIRED_FIELDS");
    };
    if w.cinetpay.get(apikey).is_none_or(|m| &m.site_id != site_id) {
        return status("609", "AUTH_NOT_FOUND");
    }
    match q.get("method").map(String::as_str) {
        Some("getSignatureByPost") => signature(&mut w, &form),
        Some("checkPayStatus") => check(&w, &form),
        Some("getTransHistory") => history(&w, &form),
        Some("getCompteStatus") => account(&w, site_id),
        _ => status("606", "INCORRECT_SETTINGS"),
    }
}

fn signature(w: &mut World, f: &HashMap<String, String>) -> Response {
    let get = |k: &str| f.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let required = [
        "cpm_amount",
        "cpm_currency",
        "cpm_trans_id",
        "cpm_trans_date",
        "cpm_payment_config",
        "cpm_page_action",
        "cpm_version",
        "cpm_language",
        "cpm_designation",
    ];
    if required.iter().any(|k| get(k).is_none()) {
        return status("608", "MINIMUM_REQUIRED_FIELDS");
    }
    let Ok(amount) = get("cpm_amount").unwrap_or_default().parse::<i64>() else {
        return status("611", "ERROR_AMOUNT_TYPE");
    };
    if amount < 5 {
        return status("641", "ERROR_AMOUNT_TOO_LOW");
    }
    let checks: [(&str, bool, &str, &str); 6] = [
        (
            "cpm_currency",
            matches!(get("cpm_currency"), Some("CFA" | "XOF")),
            "612",
            "ERROR_CURRENCY_NOTVALID",
        ),
        (
            "cpm_trans_date",
            trans_day(get("cpm_trans_date").unwrap_or_default()).is_some(),
            "614",
            "ERROR_FORMAT_TRANSACTION_DATE",
        ),
        (
            "cpm_language",
            matches!(get("cpm_language"), Some("fr" | "en")),
            "615",
            "ERROR_LANGUAGE_NOTVALID",
        ),
        (
            "cpm_page_action",
            get("cpm_page_action") == Some("PAYMENT"),
            "616",
            "ERROR_PAGE_ACTION_NOTVALID",
        ),
        (
            "cpm_payment_config",
            get("cpm_payment_config") == Some("SINGLE"),
            "617",
            "ERROR_PAYMENT_CONFIG_NOTVALID",
        ),
        (
            "cpm_version",
            get("cpm_version") == Some("V1"),
            "618",
            "ERROR_API_VERSION_NOTVALID",
        ),
    ];
    if let Some((_, _, code, message)) = checks.iter().find(|c| !c.1) {
        return status(code, message);
    }
    let trans_id = get("cpm_trans_id").unwrap_or_default().to_string();
    let signature = sign(f, amount);
    // The same basket always gets the same signature, before and after payment: the official
    // SDK's `isAuthentified()` asks again with the stored payment's fields and compares. Another
    // basket under a transaction id already used is a double payment.
    if let Some(p) = w
        .cinetpay_payments
        .iter()
        .find(|p| p.trans_id == trans_id && p.site_id == f["cpm_site_id"])
    {
        if p.signature == signature {
            return Json(Value::String(signature)).into_response();
        }
        return status("620", "ERROR_DOUBLE_PAYEMNT");
    }
    let now = w.now_ms();
    w.cinetpay_payments.push(Payment {
        site_id: f["cpm_site_id"].clone(),
        trans_id,
        amount,
        currency: get("cpm_currency").unwrap_or_default().into(),
        trans_date: get("cpm_trans_date").unwrap_or_default().into(),
        designation: get("cpm_designation").unwrap_or_default().into(),
        custom: get("cpm_custom").unwrap_or_default().into(),
        phone: get("cel_phone_num").unwrap_or_default().into(),
        prefix: get("cpm_phone_prefixe").unwrap_or_default().into(),
        language: get("cpm_language").unwrap_or_default().into(),
        signature: signature.clone(),
        notify_url: String::new(),
        return_url: String::new(),
        cancel_url: String::new(),
        return_mode: String::new(),
        payid: String::new(),
        result: "607".into(),
        payment_method: String::new(),
        created_ms: now,
        updated_ms: now,
        paid_ms: None,
    });
    // A bare JSON string, as the document shows.
    Json(Value::String(signature)).into_response()
}

/// The basket's signature: 40 hex digits (as in document 002), a function of the merchant's key
/// and of the fields `isAuthentified()` sends again, so asking twice gives the same answer.
/// The payer's phone is not part of it: the SDK does not send it again.
fn sign(f: &HashMap<String, String>, amount: i64) -> String {
    let get = |k: &str| f.get(k).map(|v| v.trim()).unwrap_or_default();
    let mut h = Sha256::new();
    for part in [
        get("apikey"),
        get("cpm_site_id"),
        get("cpm_trans_id"),
        &amount.to_string(),
        get("cpm_currency"),
        get("cpm_trans_date"),
        get("cpm_payment_config"),
        get("cpm_page_action"),
        get("cpm_version"),
        get("cpm_language"),
        get("cpm_designation"),
        get("cpm_custom"),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    hex::encode(h.finalize())[..40].to_string()
}

/// The day (`yyyy-mm-dd`) of a transaction date as CinetPay takes it: `2017-04-09 15:45:22` (the
/// document's table), `20170409154522` (`YmdHis`, what the official SDKs' `setTransDate` sends)
/// or `09042017154522` (day first, as the document's own answer example prints one).
fn trans_day(s: &str) -> Option<String> {
    let valid = |y: &str, mo: &str, d: &str, h: &str, mi: &str, se: &str| {
        let n = |t: &str| t.parse::<u32>().ok();
        let (Some(_), Some(mo_n), Some(d_n), Some(h), Some(mi), Some(se)) =
            (n(y), n(mo), n(d), n(h), n(mi), n(se))
        else {
            return None;
        };
        ((1..=12).contains(&mo_n) && (1..=31).contains(&d_n) && h < 24 && mi < 60 && se < 60)
            .then(|| format!("{y}-{mo}-{d}"))
    };
    let b = s.as_bytes();
    if b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b' ',
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        })
    {
        return valid(
            &s[..4],
            &s[5..7],
            &s[8..10],
            &s[11..13],
            &s[14..16],
            &s[17..],
        );
    }
    if b.len() != 14 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let (hms, rest) = (&s[8..], &s[..8]);
    valid(
        &rest[..4],
        &rest[4..6],
        &rest[6..],
        &hms[..2],
        &hms[2..4],
        &hms[4..],
    )
    .or_else(|| {
        valid(
            &rest[4..],
            &rest[2..4],
            &rest[..2],
            &hms[..2],
            &hms[2..4],
            &hms[4..],
        )
    })
}

fn describe(p: &Payment) -> Value {
    let (message, trans_status) = match p.result.as_str() {
        "00" => ("SUCCES", "ACCEPTED"),
        "627" => ("TRANSACTION_CANCEL", "REFUSED"),
        _ => ("WAITING_CUSTOMER_TO_VALIDATE", "PENDING"),
    };
    let paid = p.paid_ms.map(date_time).unwrap_or_default();
    let (paid_date, paid_time) = paid.split_once(' ').unwrap_or_default();
    json!({
        "cpm_site_id": p.site_id,
        "signature": p.signature,
        "cpm_amount": p.amount.to_string(),
        "cpm_trans_date": p.trans_date,
        "cpm_trans_id": p.trans_id,
        "cpm_custom": p.custom,
        "cpm_currency": p.currency,
        "cpm_payid": p.payid,
        "cpm_payment_date": paid_date,
        "cpm_payment_time": paid_time,
        "cpm_error_message": message,
        "payment_method": p.payment_method,
        "cel_phone_num": p.phone,
        "cpm_phone_prefixe": p.prefix,
        "cpm_language": p.language,
        "cpm_version": "V1",
        "cpm_payment_config": "SINGLE",
        "cpm_page_action": "PAYMENT",
        "cpm_ipn_ack": if p.result == "00" { "Y" } else { "N" },
        "cpm_result": if p.result == "607" { "623" } else { p.result.as_str() },
        "cpm_trans_status": trans_status,
        "cpm_designation": p.designation,
        "created_at": date_time(p.created_ms),
        "updated_at": date_time(p.updated_ms),
        "buyer_name": "",
    })
}

fn check(w: &World, f: &HashMap<String, String>) -> Response {
    let Some(trans_id) = f.get("cpm_trans_id") else {
        return status("608", "MINIMUM_REQUIRED_FIELDS");
    };
    match w
        .cinetpay_payments
        .iter()
        .find(|p| &p.trans_id == trans_id && p.site_id == f["cpm_site_id"])
    {
        Some(p) => Json(json!({"transaction": describe(p)})).into_response(),
        None => status("624", "UNKNOWN_ERROR"),
    }
}

/// `dd-mm-yyyy` → `yyyy-mm-dd`, comparable with payment dates.
fn iso(date: &str) -> Option<String> {
    let p: Vec<&str> = date.split('-').collect();
    (p.len() == 3 && p[0].len() == 2 && p[1].len() == 2 && p[2].len() == 4)
        .then(|| format!("{}-{}-{}", p[2], p[1], p[0]))
}

fn history(w: &World, f: &HashMap<String, String>) -> Response {
    let get = |k: &str| f.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let from = get("date_debut").map(iso);
    let to = get("date_fin").map(iso);
    if matches!(from, Some(None)) || matches!(to, Some(None)) {
        return status("614", "ERROR_FORMAT_TRANSACTION_DATE");
    }
    let (from, to) = (from.flatten(), to.flatten());
    let list: Vec<&Payment> = w
        .cinetpay_payments
        .iter()
        .filter(|p| p.site_id == f["cpm_site_id"])
        .filter(|p| {
            let day = trans_day(&p.trans_date).unwrap_or_default();
            let day = day.as_str();
            from.as_deref().is_none_or(|d| day >= d) && to.as_deref().is_none_or(|d| day <= d)
        })
        .filter(|p| get("cpm_trans_id").is_none_or(|v| v == p.trans_id))
        .filter(|p| get("cpm_payid").is_none_or(|v| v == p.payid))
        .filter(|p| get("cel_phone_num").is_none_or(|v| v == p.phone))
        .collect();
    let per_page = get("nbligne")
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(50);
    let page = get("numeropage")
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(1);
    let rows: Vec<Value> = list
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .map(describe)
        .collect();
    Json(json!({"Transactions": {"transaction": rows}})).into_response()
}

/// Balances as decimal strings, as CinetPay sends them: accepted payments less a 3.5 % fee.
fn account(w: &World, site_id: &str) -> Response {
    let totals = |only_site: bool| {
        let credit: i64 = w
            .cinetpay_payments
            .iter()
            .filter(|p| p.result == "00" && (!only_site || p.site_id == site_id))
            .map(|p| p.amount)
            .sum();
        let debit_tenths = credit * 35 / 100;
        let tenths = |t: i64| format!("{}.{}", t / 10, t % 10);
        json!({"solde": tenths(credit * 10 - debit_tenths), "credit": credit.to_string(), "debit": tenths(debit_tenths)})
    };
    Json(json!({"user": {"compte": totals(false), "service": totals(true)}})).into_response()
}

/// The hosted payment page: the merchant's site POSTs the signed form here.
async fn checkout(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let _ = headers;
    let form: HashMap<String, String> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let mut w = s.world();
    let trans_id = form.get("cpm_trans_id").cloned().unwrap_or_default();
    let Some(p) = w
        .cinetpay_payments
        .iter_mut()
        .find(|p| p.trans_id == trans_id)
    else {
        return Html("<h1>608 MINIMUM_REQUIRED_FIELDS</h1>".to_string()).into_response();
    };
    if form.get("signature") != Some(&p.signature)
        || form.get("cpm_amount").map(String::as_str) != Some(p.amount.to_string().as_str())
    {
        return Html("<h1>619 ERROR_SIGNATURE_DONT_MATCHED</h1>".to_string()).into_response();
    }
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    p.notify_url = field("notify_url");
    p.return_url = field("return_url");
    p.cancel_url = field("cancel_url");
    p.return_mode = field("cpm_return_mode").to_ascii_uppercase();
    crate::pages::checkout(
        "CinetPay",
        &format!("{} F CFA", p.amount),
        &p.designation,
        None,
        &format!("/_sandbox/checkout/cinetpay/{trans_id}"),
        &[],
    )
    .into_response()
}

async fn choose(
    State(s): State<Shared>,
    Path((trans_id, choice)): Path<(String, String)>,
) -> Response {
    let result = match choice.as_str() {
        "pay" => "00",
        "refuse" => "627",
        _ => return Html("pay or refuse".to_string()).into_response(),
    };
    let mut w = s.world();
    let done = finish(&mut w, &trans_id, result);
    let Some(p) = w.cinetpay_payments.iter().find(|p| p.trans_id == trans_id) else {
        return crate::pages::chosen(done).into_response();
    };
    let back = if result == "00" {
        &p.return_url
    } else {
        &p.cancel_url
    };
    if !done || back.is_empty() {
        return crate::pages::chosen(done).into_response();
    }
    back_to_shop(back, &p.return_mode, &p.site_id, &p.trans_id)
}

/// The customer's return to the shop (document 002, step 3): no parameters unless the form
/// asked for them with `cpm_return_mode` GET (in the query) or POST (a form sent on).
fn back_to_shop(url: &str, mode: &str, site_id: &str, trans_id: &str) -> Response {
    let fields = [("cpm_site_id", site_id), ("cpm_trans_id", trans_id)];
    match mode {
        "GET" => {
            let query = serde_urlencoded::to_string(fields).unwrap_or_default();
            let sep = if url.contains('?') { '&' } else { '?' };
            Redirect::to(&format!("{url}{sep}{query}")).into_response()
        }
        "POST" => {
            let esc = |s: &str| {
                s.replace('&', "&amp;")
                    .replace('"', "&quot;")
                    .replace('<', "&lt;")
            };
            let inputs: String = fields
                .iter()
                .map(|(k, v)| format!("<input type=\"hidden\" name=\"{k}\" value=\"{}\">", esc(v)))
                .collect();
            Html(format!(
                "<!doctype html><form id=\"back\" method=\"post\" action=\"{}\">{inputs}\
                 <button>Retour à la boutique</button></form>\
                 <script>document.getElementById('back').submit()</script>",
                esc(url)
            ))
            .into_response()
        }
        _ => Redirect::to(url).into_response(),
    }
}

/// Settles a hosted payment (`00` accepted, `627` cancelled) and notifies the merchant — twice,
/// as CinetPay sometimes does.
pub fn finish(w: &mut World, trans_id: &str, result: &str) -> bool {
    let payid = format!("MP{}", w.next_digits(12));
    let now = w.now_ms();
    let Some(i) = w
        .cinetpay_payments
        .iter()
        .position(|p| p.trans_id == trans_id && p.result == "607")
    else {
        return false;
    };
    // The means the customer paid with: their number's operator, or (no number given, or one
    // no operator is known for) one of the two the document names.
    let method = match operator_for(
        &w.cinetpay_payments[i].prefix,
        &w.cinetpay_payments[i].phone,
    ) {
        "UNKNOWN" if w.chance(0.5) => "MOMO",
        "UNKNOWN" => "OM",
        op => op,
    };
    let p = &mut w.cinetpay_payments[i];
    p.result = result.into();
    p.payid = payid;
    p.paid_ms = Some(now);
    p.updated_ms = now;
    p.payment_method = method.into();
    let p = p.clone();
    if result == "00" {
        w.book(crate::ledger::LedgerEntry {
            kind: "cinetpay_payment".into(),
            merchant: p.site_id.clone(),
            reference: p.trans_id.clone(),
            provider_ref: p.payid.clone(),
            phone: p.phone.clone(),
            amount: p.amount,
            accepted_ms: w.now_ms(),
            outcome: "succeeded".into(),
        });
    }
    if !p.notify_url.is_empty() {
        let form: Vec<(String, String)> = describe(&p)
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        for _ in 0..2 {
            w.outbox.push(Notification {
                url: p.notify_url.clone(),
                form: form.clone(),
                json: None,
            });
        }
    }
    true
}
