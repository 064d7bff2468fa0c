//! SOFTSYSTEM mobile-money API (document 003): `POST /api/paymentgateway` with a Bearer token and
//! a JSON body creates a payment request whose `url` is the customer's payment page;
//! `GET /api/getstatusgateway/{orderId}` tells its status (`Accepte` when paid). HTTP codes as
//! documented: 401 bad token, 402 orderId already used, 404 missing fields, 400 wrong method.

use crate::notify::Notification;
use crate::server::{Reply, Shared};
use crate::world::World;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{json, Value};

#[derive(Debug, Clone, Serialize)]
pub struct Payment {
    pub token: String,
    pub order_id: String,
    pub montant: String,
    pub numero: String,
    pub objet: String,
    pub error_url: String,
    pub success_url: String,
    pub callback_url: String,
    pub canal: String,
    pub client_reference: String,
    /// `En attente`, then `Accepte` or `Refuse`.
    pub status: String,
}

pub fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/api/paymentgateway",
            post(create).get(wrong_method).put(wrong_method),
        )
        .route("/api/getstatusgateway/{order_id}", get(status))
        .route("/_sandbox/checkout/softsystem/{order_id}", get(page))
        .route(
            "/_sandbox/checkout/softsystem/{order_id}/{choice}",
            post(choose),
        )
}

fn http(code: StatusCode, message: &str) -> Response {
    (
        code,
        Json(json!({"http_reponse": code.as_u16().to_string(), "message": message})),
    )
        .into_response()
}

fn bearer(w: &World, headers: &HeaderMap) -> Result<String, Response> {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match token {
        Some(t) if w.softsystem_tokens.contains(t) => Ok(t.to_string()),
        _ => Err(http(
            StatusCode::UNAUTHORIZED,
            "Non autorisé : le token est invalide",
        )),
    }
}

async fn wrong_method() -> Response {
    http(
        StatusCode::BAD_REQUEST,
        "Mauvaise requête : la méthode utilisée est différente de POST",
    )
}

/// orderId: letters and digits only, 20 to 40 of them.
fn valid_order_id(id: &str) -> bool {
    (20..=40).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric())
}

async fn create(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> Reply {
    let mut w = s.world();
    bearer(&w, &headers)?;
    let Ok(v) = serde_json::from_slice::<Value>(&body) else {
        return Err(http(
            StatusCode::NOT_FOUND,
            "Pas trouvé : le corps de la requête est illisible",
        ));
    };
    // The document's example spells the keys this way; values may be strings or numbers.
    let field = |k: &str| match v.get(k) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let required = [
        "Montant",
        "Currency",
        "error_url",
        "success_url",
        "callback_url",
        "orderId",
        "numero",
        "objet",
        "Canal",
    ];
    let values: Vec<Option<String>> = required.iter().map(|k| field(k)).collect();
    if let Some(missing) = required
        .iter()
        .zip(&values)
        .find(|(_, v)| v.is_none())
        .map(|(k, _)| k)
    {
        return Err(http(
            StatusCode::NOT_FOUND,
            &format!("Pas trouvé : {missing} manque dans le corps de la requête"),
        ));
    }
    let [montant, _currency, error_url, success_url, callback_url, order_id, numero, objet, canal] =
        <[Option<String>; 9]>::try_from(values)
            .expect("nine fields")
            .map(Option::unwrap_or_default);
    if !valid_order_id(&order_id) || montant.parse::<u64>().map_or(true, |m| m == 0) {
        return Err(http(
            StatusCode::NOT_FOUND,
            "Pas trouvé : orderId (20 à 40 lettres et chiffres) ou Montant invalide",
        ));
    }
    if w.softsystem_payments.iter().any(|p| p.order_id == order_id) {
        return Err(http(
            StatusCode::PAYMENT_REQUIRED,
            "Duplication du OrderId : cet OrderId est déjà utilisé",
        ));
    }
    let token = w.next_digits(32);
    let url = format!("{}/_sandbox/checkout/softsystem/{order_id}", w.base_url);
    w.softsystem_payments.push(Payment {
        token: token.clone(),
        order_id: order_id.clone(),
        montant,
        numero,
        objet,
        error_url,
        success_url,
        callback_url,
        canal,
        client_reference: field("client_reference").unwrap_or_default(),
        status: "En attente".into(),
    });
    Ok(
        Json(json!({"token": token, "orderId": order_id, "http_reponse": "200", "url": url}))
            .into_response(),
    )
}

fn describe(p: &Payment, status_key: &str) -> Value {
    json!({
        "montant": p.montant,
        "numero": p.numero,
        "objet": p.objet,
        "error_url": p.error_url,
        "success_url": p.success_url,
        "reseau": p.canal.to_lowercase(),
        "orderId": p.order_id,
        status_key: p.status,
    })
}

async fn status(
    State(s): State<Shared>,
    Path(order_id): Path<String>,
    headers: HeaderMap,
) -> Reply {
    let w = s.world();
    bearer(&w, &headers)?;
    match w
        .softsystem_payments
        .iter()
        .find(|p| p.order_id == order_id)
    {
        Some(p) => Ok(Json(describe(p, "status")).into_response()),
        None => Err(http(StatusCode::NOT_FOUND, "Pas trouvé : orderId inconnu")),
    }
}

async fn page(State(s): State<Shared>, Path(order_id): Path<String>) -> Response {
    let w = s.world();
    let Some(p) = w
        .softsystem_payments
        .iter()
        .find(|p| p.order_id == order_id)
    else {
        return (
            StatusCode::NOT_FOUND,
            Html("<h1>Paiement introuvable</h1>".to_string()),
        )
            .into_response();
    };
    crate::pages::checkout(
        "SOFTSYSTEM",
        &format!("{} XOF", p.montant),
        &p.objet,
        Some(&p.status),
        &format!("/_sandbox/checkout/softsystem/{order_id}"),
        &[],
    )
    .into_response()
}

async fn choose(
    State(s): State<Shared>,
    Path((order_id, choice)): Path<(String, String)>,
) -> Response {
    let status = match choice.as_str() {
        "pay" => "Accepte",
        "refuse" => "Refuse",
        _ => return (StatusCode::NOT_FOUND, "pay or refuse").into_response(),
    };
    let done = finish(&mut s.world(), &order_id, status);
    crate::pages::chosen(done).into_response()
}

/// Settles a payment request and queues its callback (JSON, as the document shows it).
pub fn finish(w: &mut World, order_id: &str, status: &str) -> bool {
    let Some(p) = w
        .softsystem_payments
        .iter_mut()
        .find(|p| p.order_id == order_id && p.status == "En attente")
    else {
        return false;
    };
    p.status = status.into();
    let p = p.clone();
    if status == "Accepte" {
        w.book(crate::ledger::LedgerEntry {
            kind: "softsystem_payment".into(),
            merchant: p.client_reference.clone(),
            reference: p.order_id.clone(),
            provider_ref: p.token.clone(),
            phone: p.numero.clone(),
            amount: p.montant.parse().unwrap_or(0),
            accepted_ms: w.now_ms(),
            outcome: "succeeded".into(),
        });
    }
    w.outbox.push(Notification {
        url: p.callback_url.clone(),
        form: Vec::new(),
        json: Some(describe(&p, "Status")),
    });
    true
}
