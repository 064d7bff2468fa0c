//! SOFTSYSTEM mobile-money API (document 003): a payment request gives a page where the customer
//! pays; its status is read back by `orderId`. Bearer token in the header, JSON body with the
//! document's own key spelling.

use crate::executor::{Executor, RawResponse, Safety};
use crate::{ErrorKind, ProviderError};
use guichet_secrets::Secret;
use serde_json::Value;

pub mod wire;
use std::sync::Arc;
pub use wire::{PaymentStatus, Status};

pub struct Client {
    exec: Arc<Executor>,
    api: String,
    token: Secret,
    client_reference: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRequest {
    pub amount: i64,
    pub order_id: String,
    /// `225xxxxxxxxxx`.
    pub number: String,
    /// Wave, Moov, MTN or Orange.
    pub channel: String,
    pub object: String,
    pub success_url: String,
    pub error_url: String,
    pub callback_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentPage {
    pub order_id: String,
    pub url: String,
}

/// A fresh orderId: letters and digits only, 20 to 40 characters, new for every request.
pub fn new_order_id() -> String {
    use rand::Rng;
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let mut rng = rand::rng();
    let tail: String = (0..12)
        .map(|_| char::from(b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"[rng.random_range(0..34)]))
        .collect();
    format!("GCH{millis}{tail}")
}

impl Client {
    pub fn new(
        exec: Arc<Executor>,
        base_url: Option<&str>,
        client_reference: &str,
        token: Secret,
    ) -> Client {
        let base = base_url
            .unwrap_or(crate::hosts::SOFTSYSTEM)
            .trim_end_matches('/');
        Client {
            exec,
            api: format!("{base}/api"),
            token,
            client_reference: client_reference.to_string(),
        }
    }

    /// Creates a payment request (once: it is a money call). Its `url` goes to the customer.
    pub async fn request_payment(&self, p: &PaymentRequest) -> Result<PaymentPage, ProviderError> {
        let url = format!("{}/paymentgateway", self.api);
        let montant = p.amount.to_string();
        let body = wire::PaymentBody {
            montant,
            currency: "XOF",
            error_url: &p.error_url,
            callback_url: &p.callback_url,
            client_reference: &self.client_reference,
            canal: &p.channel,
            success_url: &p.success_url,
            order_id: &p.order_id,
            numero: &p.number,
            objet: if p.object.trim().is_empty() {
                "Aucun"
            } else {
                p.object.as_str()
            },
        };
        let token = self.token.clone();
        let raw = self
            .exec
            .send("softsystem.paymentgateway", Safety::MovesMoney, |http| {
                http.post(&url).bearer_auth(token.expose()).json(&body)
            })
            .await?;
        let v = parse(&raw, "softsystem.paymentgateway")?;
        let answer: wire::PageAnswer = crate::wire::object(&v).unwrap_or_default();
        let page = answer.url.ok_or_else(|| {
            ProviderError::new(
                ErrorKind::Unknown,
                "SOFTSYSTEM answered without a payment url",
            )
            .with_raw(raw.body.clone())
        })?;
        Ok(PaymentPage {
            order_id: p.order_id.clone(),
            url: page,
        })
    }

    pub async fn status(&self, order_id: &str) -> Result<PaymentStatus, ProviderError> {
        let url = format!("{}/getstatusgateway/{order_id}", self.api);
        let token = self.token.clone();
        let raw = self
            .exec
            .send("softsystem.getstatusgateway", Safety::Idempotent, |http| {
                http.get(&url).bearer_auth(token.expose())
            })
            .await?;
        let v = parse(&raw, "softsystem.getstatusgateway")?;
        Ok(crate::wire::object(&v).unwrap_or_else(|| PaymentStatus {
            order_id: String::new(),
            status: Status::default(),
            amount: String::new(),
            network: String::new(),
        }))
    }
}

fn parse(raw: &RawResponse, what: &str) -> Result<Value, ProviderError> {
    let kind = match raw.status {
        200..=299 => None,
        401 => Some(ErrorKind::Credentials),
        402 => Some(ErrorKind::DuplicateReference),
        404 => Some(ErrorKind::NotFound),
        400 => Some(ErrorKind::InvalidField("method".into())),
        429 => Some(ErrorKind::RateLimited {
            retry_after_s: raw.retry_after.unwrap_or(60),
        }),
        s if s >= 500 => Some(ErrorKind::Unavailable),
        _ => Some(ErrorKind::Unknown),
    };
    if let Some(kind) = kind {
        let meaning = match raw.status {
            401 => "the access token is invalid",
            402 => "this orderId was already used",
            404 => "missing information in the request, or unknown orderId",
            400 => "wrong HTTP method",
            _ => "the request failed",
        };
        return Err(
            ProviderError::new(kind, format!("SOFTSYSTEM {}: {meaning}", raw.status))
                .with_code(raw.status.to_string())
                .with_raw(raw.body.clone()),
        );
    }
    serde_json::from_str(&raw.body).map_err(|_| {
        ProviderError::new(
            ErrorKind::OutcomeUnknown,
            format!("{what}: unreadable answer"),
        )
        .with_raw(raw.body.clone())
    })
}
