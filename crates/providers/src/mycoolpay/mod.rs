//! My-CoolPay merchant API (document 000): JSON in and out under `{base}/api/{public_key}`.
//! Errors are `{"status":"error","message":…}` (integrators also see `msg`) with HTTP ≥ 400.
//! A payout is looked up by *their* reference only, so a payout whose answer is lost has an
//! unknown outcome: it is never sent again.

use crate::executor::{Executor, RawResponse, Safety};
use crate::{ErrorKind, ExactAmount, ProviderError};
use guichet_secrets::Secret;
use md5::{Digest, Md5};
use serde_json::Value;

pub mod wire;
use std::sync::Arc;
pub use wire::{map_status, Operator, Status, TransactionStatus};

pub struct Client {
    exec: Arc<Executor>,
    api: String,
    public_key: String,
    private_key: Secret,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutRequest {
    pub amount: i64,
    pub reason: String,
    pub operator: Operator,
    pub app_transaction_ref: String,
    pub customer_name: Option<String>,
    pub customer_phone_number: Option<String>,
}

/// A payin or paylink as the document lists its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayinRequest {
    pub amount: i64,
    pub reason: String,
    pub app_transaction_ref: String,
    pub customer_phone_number: Option<String>,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    pub customer_lang: Option<String>,
}

impl PayinRequest {
    fn body(&self) -> wire::PayinBody<'_> {
        wire::PayinBody {
            transaction_amount: self.amount,
            transaction_currency: "XAF",
            transaction_reason: &self.reason,
            app_transaction_ref: &self.app_transaction_ref,
            customer_phone_number: self.customer_phone_number.as_deref(),
            customer_name: self.customer_name.as_deref(),
            customer_email: self.customer_email.as_deref(),
            customer_lang: self.customer_lang.as_deref(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayinAnswer {
    /// Show this USSD code to the customer; the payment completes on their phone.
    Pending {
        transaction_ref: String,
        ussd: String,
    },
    /// The number is not authenticated: ask the customer for the SMS code, then `authorize`.
    RequireOtp { transaction_ref: String },
}

impl Client {
    pub fn new(
        exec: Arc<Executor>,
        base_url: Option<&str>,
        public_key: &str,
        private_key: Secret,
    ) -> Client {
        let base = base_url
            .unwrap_or(crate::hosts::MYCOOLPAY)
            .trim_end_matches('/');
        Client {
            exec,
            api: format!("{base}/api/{public_key}"),
            public_key: public_key.to_string(),
            private_key,
        }
    }

    /// Sends a payout, once. Returns My-CoolPay's `transaction_ref`, whether My-CoolPay answered
    /// 200 (done) or 202 (still pending): either way the status is asked next. A lost answer,
    /// or a 2xx that is not the documented success, is `ErrorKind::OutcomeUnknown`.
    pub async fn payout(&self, p: &PayoutRequest) -> Result<String, ProviderError> {
        let url = format!("{}/payout", self.api);
        let body = wire::PayoutBody {
            private_key: self.private_key.expose(),
            transaction_amount: p.amount,
            transaction_currency: "XAF",
            transaction_reason: &p.reason,
            transaction_operator: p.operator,
            app_transaction_ref: &p.app_transaction_ref,
            customer_name: p.customer_name.as_deref(),
            customer_phone_number: p.customer_phone_number.as_deref(),
        };
        let key = self.private_key.clone();
        let raw = self
            .exec
            .send("mycoolpay.payout", Safety::MovesMoney, |http| {
                http.post(&url)
                    .header("X-PRIVATE-KEY", key.expose())
                    .json(&body)
            })
            .await?;
        let answer: wire::PayoutAnswer = parse(&raw, "mycoolpay.payout")?;
        answer.transaction_ref.ok_or_else(|| {
            // Accepted without a reference: the payout may exist, but we cannot look it up.
            ProviderError::new(
                ErrorKind::OutcomeUnknown,
                "My-CoolPay accepted the payout without a transaction_ref",
            )
            .with_raw(raw.body.clone())
        })
    }

    /// A payin: the customer confirms on their phone (`Pending` + a USSD code to show), or
    /// My-CoolPay first wants the OTP the customer received by SMS (`RequireOtp`).
    pub async fn payin(&self, p: &PayinRequest) -> Result<PayinAnswer, ProviderError> {
        let url = format!("{}/payin", self.api);
        let body = p.body();
        let raw = self
            .exec
            .send("mycoolpay.payin", Safety::MovesMoney, |http| {
                http.post(&url).json(&body)
            })
            .await?;
        let answer: wire::PayinWire = parse(&raw, "mycoolpay.payin")?;
        payin_answer(answer, &raw)
    }

    /// Sends the OTP the customer received, for a payin that asked for one.
    pub async fn authorize(
        &self,
        transaction_ref: &str,
        code: &str,
    ) -> Result<PayinAnswer, ProviderError> {
        let url = format!("{}/payin/authorize", self.api);
        let body = wire::AuthorizeBody {
            transaction_ref,
            code,
        };
        let raw = self
            .exec
            .send("mycoolpay.authorize", Safety::MovesMoney, |http| {
                http.post(&url).json(&body)
            })
            .await?;
        let answer: wire::PayinWire = parse(&raw, "mycoolpay.authorize")?;
        payin_answer(
            wire::PayinWire {
                transaction_ref: transaction_ref.to_string(),
                ..answer
            },
            &raw,
        )
    }

    /// A payment link for the customer (phone optional): (transaction_ref, payment_url).
    pub async fn paylink(&self, p: &PayinRequest) -> Result<(String, String), ProviderError> {
        let url = format!("{}/paylink", self.api);
        let body = p.body();
        let raw = self
            .exec
            .send("mycoolpay.paylink", Safety::MovesMoney, |http| {
                http.post(&url).json(&body)
            })
            .await?;
        let answer: wire::PaylinkAnswer = parse(&raw, "mycoolpay.paylink")?;
        match (answer.transaction_ref, answer.payment_url) {
            (Some(r), Some(u)) => Ok((r, u)),
            _ => Err(ProviderError::new(
                ErrorKind::OutcomeUnknown,
                "My-CoolPay answered the paylink without a reference or link",
            )
            .with_raw(raw.body.clone())),
        }
    }

    pub async fn check_status(
        &self,
        transaction_ref: &str,
    ) -> Result<TransactionStatus, ProviderError> {
        let url = format!("{}/checkStatus/{transaction_ref}", self.api);
        let raw = self
            .exec
            .send("mycoolpay.checkStatus", Safety::Idempotent, |http| {
                http.get(&url)
            })
            .await?;
        parse(&raw, "mycoolpay.checkStatus")
    }

    /// The status by POST (the document offers GET and POST; both answer the same).
    pub async fn check_status_post(
        &self,
        transaction_ref: &str,
    ) -> Result<TransactionStatus, ProviderError> {
        let url = format!("{}/checkStatus", self.api);
        let body = wire::CheckStatusBody { transaction_ref };
        let raw = self
            .exec
            .send("mycoolpay.checkStatus", Safety::Idempotent, |http| {
                http.post(&url).json(&body)
            })
            .await?;
        parse(&raw, "mycoolpay.checkStatus")
    }

    pub async fn balance(&self) -> Result<ExactAmount, ProviderError> {
        let url = format!("{}/balance", self.api);
        let key = self.private_key.clone();
        let raw = self
            .exec
            .send("mycoolpay.balance", Safety::Idempotent, |http| {
                http.get(&url).header("X-PRIVATE-KEY", key.expose())
            })
            .await?;
        let answer: wire::BalanceAnswer = parse(&raw, "mycoolpay.balance")?;
        answer.balance.ok_or_else(|| {
            ProviderError::new(ErrorKind::Unknown, "My-CoolPay balance without an amount")
                .with_raw(raw.body.clone())
        })
    }

    /// Checks a callback as the document prescribes: `application` is our public key and
    /// `signature` = md5(transaction_ref + transaction_type + transaction_amount +
    /// transaction_currency + transaction_operator + private_key), compared in constant time.
    /// (The source IP is checked by whoever received the request.)
    pub fn verify_callback(&self, fields: &std::collections::HashMap<String, String>) -> bool {
        let f = |k: &str| fields.get(k).map(String::as_str).unwrap_or_default();
        if f("application") != self.public_key {
            return false;
        }
        let text = format!(
            "{}{}{}{}{}{}",
            f("transaction_ref"),
            f("transaction_type"),
            f("transaction_amount"),
            f("transaction_currency"),
            f("transaction_operator"),
            self.private_key.expose()
        );
        let expected = hex::encode(Md5::digest(text.as_bytes()));
        crate::constant_time_eq(&expected, &f("signature").to_ascii_lowercase())
    }
}

fn payin_answer(answer: wire::PayinWire, raw: &RawResponse) -> Result<PayinAnswer, ProviderError> {
    match answer.action.as_deref() {
        Some("REQUIRE_OTP") => Ok(PayinAnswer::RequireOtp {
            transaction_ref: answer.transaction_ref,
        }),
        Some("PENDING") => Ok(PayinAnswer::Pending {
            transaction_ref: answer.transaction_ref,
            ussd: answer.ussd,
        }),
        _ => Err(ProviderError::new(
            ErrorKind::Unknown,
            "My-CoolPay answered the payin with no known action",
        )
        .with_raw(raw.body.clone())),
    }
}

/// The answer as `T` when it is the documented success, or the error it carries. The body is
/// read once as JSON; the shared part and `T` are read from it.
fn parse<T: serde::de::DeserializeOwned>(
    raw: &RawResponse,
    what: &str,
) -> Result<T, ProviderError> {
    let Ok(v) = serde_json::from_str::<Value>(&raw.body) else {
        let kind = match raw.status {
            429 => ErrorKind::RateLimited {
                retry_after_s: raw.retry_after.unwrap_or(60),
            },
            s if s >= 500 => ErrorKind::Unavailable,
            // A 2xx we cannot read, on a call that moves money: it may have been done.
            s if (200..300).contains(&s) => ErrorKind::OutcomeUnknown,
            _ => ErrorKind::Unknown,
        };
        return Err(ProviderError::new(
            kind,
            format!("{what}: unreadable answer (HTTP {})", raw.status),
        )
        .with_raw(raw.body.clone()));
    };
    let answer: wire::Answer = crate::wire::object(&v).unwrap_or_default();
    if answer.status.as_deref() == Some("success") && raw.status < 400 {
        return crate::wire::object(&v).ok_or_else(|| {
            ProviderError::new(
                ErrorKind::OutcomeUnknown,
                format!("{what}: unreadable answer (HTTP {})", raw.status),
            )
            .with_raw(raw.body.clone())
        });
    }
    // Errors come with HTTP ≥ 400. A 2xx that is not the documented success is no refusal:
    // on a payout it may have been made.
    if (200..300).contains(&raw.status) {
        return Err(ProviderError::new(
            ErrorKind::OutcomeUnknown,
            format!(
                "{what}: HTTP {} without the documented success answer",
                raw.status
            ),
        )
        .with_raw(raw.body.clone()));
    }
    let message = match (v.get("message"), answer.message, answer.msg) {
        // `message` present but not text: `msg` is not looked at.
        (Some(_), Some(m), _) | (None, _, Some(m)) => m,
        _ => "error".to_string(),
    };
    let lower = message.to_lowercase();
    let kind = match raw.status {
        401 | 403 => ErrorKind::Credentials,
        404 => ErrorKind::NotFound,
        429 => ErrorKind::RateLimited {
            retry_after_s: raw.retry_after.unwrap_or(60),
        },
        s if s >= 500 => ErrorKind::Unavailable,
        _ if lower.contains("solde") || lower.contains("balance") => ErrorKind::InsufficientBalance,
        _ if lower.contains("déjà") || lower.contains("already") => ErrorKind::DuplicateReference,
        _ => {
            let field = lower
                .split(':')
                .next()
                .filter(|f| f.starts_with("transaction_") || f.starts_with("customer_"))
                .unwrap_or("request");
            ErrorKind::InvalidField(field.trim().to_string())
        }
    };
    Err(ProviderError::new(kind, format!("My-CoolPay: {message}")).with_raw(raw.body.clone()))
}
