//! CinetPay payment API v1 (document 002): form POSTs to `/v1/?method=NAME` with `apikey` and
//! `cpm_site_id`. The signature comes back as a bare JSON string; errors as
//! `{"status":{"code":…,"message":…}}`. The official SDK HTML-entity-decodes answers before
//! parsing; so does this client.

use crate::executor::{Executor, RawResponse, Safety};
use crate::{ErrorKind, ExactAmount, ProviderError};
use guichet_secrets::Secret;
use guichet_types::UnifiedStatus;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::Arc;

pub struct Client {
    exec: Arc<Executor>,
    api: String,
    checkout: String,
    site_id: String,
    api_key: Secret,
}

/// What the hosted payment form carries (the signature request's fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub amount: i64,
    pub trans_id: String,
    /// UTC, `2017-04-09 15:45:22`.
    pub trans_date: String,
    pub designation: String,
    pub custom: String,
    pub language: String,
    /// Optional: the payer's number and prefix, to force a phone.
    pub phone: Option<(String, String)>,
}

/// A payment as `checkPayStatus` and `getTransHistory` describe it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayStatus {
    #[serde(
        default,
        rename(deserialize = "cpm_trans_id"),
        deserialize_with = "crate::wire::raw_text"
    )]
    pub trans_id: String,
    #[serde(default, rename(deserialize = "cpm_result"))]
    pub result: PayResult,
    #[serde(
        default,
        rename(deserialize = "cpm_amount"),
        deserialize_with = "crate::wire::raw_text"
    )]
    pub amount: String,
    #[serde(default, deserialize_with = "crate::wire::raw_text")]
    pub signature: String,
    #[serde(
        default,
        rename(deserialize = "cpm_payid"),
        deserialize_with = "crate::wire::raw_text"
    )]
    pub payid: String,
    #[serde(
        default,
        rename(deserialize = "cpm_error_message"),
        deserialize_with = "crate::wire::raw_text"
    )]
    pub message: String,
    /// What was bought, the payer's number, and when (`created_at`, UTC): history rows.
    #[serde(
        default,
        rename(deserialize = "cpm_designation"),
        deserialize_with = "crate::wire::raw_text"
    )]
    pub designation: String,
    #[serde(
        default,
        rename(deserialize = "cel_phone_num"),
        deserialize_with = "crate::wire::raw_text"
    )]
    pub phone: String,
    #[serde(default, deserialize_with = "crate::wire::raw_text")]
    pub created_at: String,
}

impl PayStatus {
    /// Paid only when the result is `00` **and** the amount and signature are the ones stored
    /// (document 002, step 2); refusals are final; anything else is pending.
    pub fn verdict(&self, stored_amount: i64, stored_signature: &str) -> UnifiedStatus {
        let matches = self.amount.trim() == stored_amount.to_string()
            && crate::constant_time_eq(&self.signature, stored_signature);
        match (&self.result, matches) {
            // A "success" that does not match what we asked for is not a payment we can trust.
            (PayResult::Paid, false) => UnifiedStatus::Failed,
            (result, _) => UnifiedStatus::from(result),
        }
    }
}

/// `cpm_result` (document 002): `00` paid; 600, 604, 605, 627 and 641 refused; 607, 623 and
/// 638 waiting for the customer; anything else kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PayResult {
    Paid,
    Refused(String),
    AwaitingCustomer(String),
    Unknown(String),
}

impl PayResult {
    pub fn parse(code: &str) -> PayResult {
        match code {
            "00" => PayResult::Paid,
            "600" | "604" | "605" | "627" | "641" => PayResult::Refused(code.to_string()),
            "607" | "623" | "638" => PayResult::AwaitingCustomer(code.to_string()),
            _ => PayResult::Unknown(code.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            PayResult::Paid => "00",
            PayResult::Refused(c) | PayResult::AwaitingCustomer(c) | PayResult::Unknown(c) => c,
        }
    }
}

/// What CinetPay says, before the amount and signature are compared ([`PayStatus::verdict`]).
impl From<&PayResult> for UnifiedStatus {
    fn from(r: &PayResult) -> UnifiedStatus {
        match r {
            PayResult::Paid => UnifiedStatus::Succeeded,
            PayResult::Refused(_) => UnifiedStatus::Failed,
            PayResult::AwaitingCustomer(_) => UnifiedStatus::AwaitingCustomer,
            PayResult::Unknown(_) => UnifiedStatus::Pending,
        }
    }
}

crate::wire::status_text!(PayResult, unknown_by_default);

/// `getCompteStatus`'s `user`: each balance under `solde`.
#[derive(Debug, Clone, Default, Deserialize)]
struct CompteUser {
    #[serde(default, deserialize_with = "crate::wire::lenient")]
    compte: Option<Solde>,
    #[serde(default, deserialize_with = "crate::wire::lenient")]
    service: Option<Solde>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct Solde {
    #[serde(default, deserialize_with = "crate::wire::lenient")]
    solde: Option<ExactAmount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountStatus {
    pub account_balance: ExactAmount,
    pub service_balance: ExactAmount,
}

/// `getTransHistory` filters; dates as `dd-mm-yyyy`.
#[derive(Debug, Clone, Default)]
pub struct HistoryQuery {
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl Client {
    pub fn new(
        exec: Arc<Executor>,
        base_url: Option<&str>,
        site_id: &str,
        api_key: Secret,
    ) -> Client {
        let (api, checkout) = match base_url {
            Some(b) => (
                b.trim_end_matches('/').to_string(),
                b.trim_end_matches('/').to_string(),
            ),
            None => (
                crate::hosts::CINETPAY_API.to_string(),
                crate::hosts::CINETPAY_CHECKOUT.to_string(),
            ),
        };
        Client {
            exec,
            api,
            checkout,
            site_id: site_id.to_string(),
            api_key,
        }
    }

    fn fields(&self, p: &Payment) -> Vec<(&'static str, String)> {
        let mut f = vec![
            ("cpm_amount", p.amount.to_string()),
            ("cpm_currency", "CFA".into()),
            ("cpm_site_id", self.site_id.clone()),
            ("cpm_trans_id", p.trans_id.clone()),
            ("cpm_trans_date", p.trans_date.clone()),
            ("cpm_payment_config", "SINGLE".into()),
            ("cpm_page_action", "PAYMENT".into()),
            ("cpm_version", "V1".into()),
            ("cpm_language", p.language.clone()),
            ("cpm_designation", p.designation.clone()),
            ("cpm_custom", p.custom.clone()),
        ];
        if let Some((prefix, phone)) = &p.phone {
            f.push(("cel_phone_num", phone.clone()));
            f.push(("cpm_phone_prefixe", prefix.clone()));
        }
        f
    }

    async fn call(
        &self,
        method: &'static str,
        safety: Safety,
        mut fields: Vec<(&'static str, String)>,
    ) -> Result<(RawResponse, Value), ProviderError> {
        fields.push(("apikey", self.api_key.expose().to_string()));
        if !fields.iter().any(|(k, _)| *k == "cpm_site_id") {
            fields.push(("cpm_site_id", self.site_id.clone()));
        }
        let url = format!("{}/v1/", self.api);
        let raw = self
            .exec
            .send(method, safety, |http| {
                http.post(&url).query(&[("method", method)]).form(&fields)
            })
            .await?;
        let decoded = decode_entities(&raw.body);
        let v: Value = serde_json::from_str(&decoded).map_err(|_| {
            let kind = if raw.status >= 500 {
                ErrorKind::Unavailable
            } else {
                ErrorKind::Unknown
            };
            ProviderError::new(
                kind,
                format!("{method}: unreadable answer (HTTP {})", raw.status),
            )
            .with_raw(raw.body.clone())
        })?;
        if let Some(code) = v.get("status").and_then(|s| s.get("code")).and_then(|c| {
            c.as_str()
                .map(String::from)
                .or_else(|| c.as_i64().map(|n| n.to_string()))
        }) {
            let message = v["status"]["message"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let kind = match code.as_str() {
                "609" | "601" | "613" => ErrorKind::Credentials,
                "608" => ErrorKind::InvalidField("request".into()),
                "611" | "628" | "641" => ErrorKind::InvalidField("amount".into()),
                "612" => ErrorKind::InvalidField("currency".into()),
                "620" => ErrorKind::DuplicateReference,
                "603" => ErrorKind::Unavailable,
                _ => ErrorKind::Unknown,
            };
            return Err(
                ProviderError::new(kind, format!("CinetPay {code}: {message}"))
                    .with_code(code)
                    .with_raw(raw.body.clone()),
            );
        }
        Ok((raw, v))
    }

    /// The payment's signature (store it: `checkPayStatus` must give the same one back).
    pub async fn signature(&self, p: &Payment) -> Result<String, ProviderError> {
        let (raw, v) = self
            .call("getSignatureByPost", Safety::Idempotent, self.fields(p))
            .await?;
        v.as_str().map(String::from).ok_or_else(|| {
            ProviderError::new(ErrorKind::Unknown, "CinetPay answered without a signature")
                .with_raw(raw.body)
        })
    }

    /// Where the customer's browser POSTs the form, and the form's fields (no secret in them).
    pub fn checkout_form(
        &self,
        p: &Payment,
        signature: &str,
        notify_url: &str,
        return_url: &str,
        cancel_url: &str,
    ) -> (String, Vec<(&'static str, String)>) {
        let mut f = self.fields(p);
        f.push(("signature", signature.to_string()));
        f.push(("notify_url", notify_url.to_string()));
        f.push(("return_url", return_url.to_string()));
        f.push(("cancel_url", cancel_url.to_string()));
        (format!("{}/", self.checkout), f)
    }

    pub async fn check(&self, trans_id: &str) -> Result<PayStatus, ProviderError> {
        let (raw, v) = self
            .call(
                "checkPayStatus",
                Safety::Idempotent,
                vec![("cpm_trans_id", trans_id.to_string())],
            )
            .await?;
        let t = v.get("transaction").ok_or_else(|| {
            ProviderError::new(ErrorKind::Unknown, "checkPayStatus without a transaction")
                .with_raw(raw.body.clone())
        })?;
        Ok(pay_status_of(t))
    }

    pub async fn history(&self, q: &HistoryQuery) -> Result<Vec<PayStatus>, ProviderError> {
        let mut fields = Vec::new();
        for (k, v) in [("date_debut", &q.date_from), ("date_fin", &q.date_to)] {
            if let Some(v) = v {
                fields.push((k, v.clone()));
            }
        }
        if let Some(p) = q.page {
            fields.push(("numeropage", p.to_string()));
        }
        if let Some(n) = q.per_page {
            fields.push(("nbligne", n.to_string()));
        }
        let (_, v) = self
            .call("getTransHistory", Safety::Idempotent, fields)
            .await?;
        let list = &v["Transactions"]["transaction"];
        let items: Vec<&Value> = match list {
            Value::Array(a) => a.iter().collect(),
            Value::Object(_) => vec![list],
            _ => Vec::new(),
        };
        Ok(items.into_iter().map(pay_status_of).collect())
    }

    /// The merchant account's and this service's balances, as exact decimals.
    pub async fn account_status(&self) -> Result<AccountStatus, ProviderError> {
        let (raw, v) = self
            .call("getCompteStatus", Safety::Idempotent, Vec::new())
            .await?;
        let user: CompteUser = crate::wire::object(&v["user"]).unwrap_or_default();
        let amount = |k: &str, solde: Option<Solde>| {
            solde.and_then(|s| s.solde).ok_or_else(|| {
                ProviderError::new(
                    ErrorKind::Unknown,
                    format!("getCompteStatus without {k}.solde"),
                )
                .with_raw(raw.body.clone())
            })
        };
        Ok(AccountStatus {
            account_balance: amount("compte", user.compte)?,
            service_balance: amount("service", user.service)?,
        })
    }
}

/// A transaction of an answer; one that is not an object has every field empty.
fn pay_status_of(t: &Value) -> PayStatus {
    crate::wire::object(t).unwrap_or_else(|| PayStatus {
        trans_id: String::new(),
        result: PayResult::default(),
        amount: String::new(),
        signature: String::new(),
        payid: String::new(),
        message: String::new(),
        designation: String::new(),
        phone: String::new(),
        created_at: String::new(),
    })
}

/// `&quot;` → `"` and friends, as the official PHP SDK does before decoding JSON.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&#039;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
