//! My-CoolPay wire format (document 000): JSON bodies in the document's key order; answers
//! `{"status": "success", …}` or `{"status": "error", "message": …}`.

use crate::wire;
use crate::ExactAmount;
use guichet_types::UnifiedStatus;
use serde::{Deserialize, Serialize};

/// `MCP` (a My-CoolPay wallet), `CM_MOMO` (MTN Mobile Money), `CM_OM` (Orange Money).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Operator {
    #[serde(rename = "MCP")]
    Mcp,
    #[serde(rename = "CM_MOMO")]
    CmMomo,
    #[serde(rename = "CM_OM")]
    CmOm,
}

impl Operator {
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Mcp => "MCP",
            Operator::CmMomo => "CM_MOMO",
            Operator::CmOm => "CM_OM",
        }
    }
}

/// `POST /payout`'s body.
#[derive(Debug, Clone, Serialize)]
pub struct PayoutBody<'a> {
    pub private_key: &'a str,
    pub transaction_amount: i64,
    pub transaction_currency: &'static str,
    pub transaction_reason: &'a str,
    pub transaction_operator: Operator,
    pub app_transaction_ref: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_phone_number: Option<&'a str>,
}

/// `POST /payin` and `POST /paylink`'s body.
#[derive(Debug, Clone, Serialize)]
pub struct PayinBody<'a> {
    pub transaction_amount: i64,
    pub transaction_currency: &'static str,
    pub transaction_reason: &'a str,
    pub app_transaction_ref: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_phone_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_lang: Option<&'a str>,
}

/// `POST /payin/authorize`'s body.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorizeBody<'a> {
    pub transaction_ref: &'a str,
    pub code: &'a str,
}

/// `POST /checkStatus`'s body.
#[derive(Debug, Clone, Serialize)]
pub struct CheckStatusBody<'a> {
    pub transaction_ref: &'a str,
}

/// The part every answer shares.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Answer {
    #[serde(default, deserialize_with = "wire::some_string")]
    pub status: Option<String>,
    /// The error's words (`msg` for some integrators).
    #[serde(default, deserialize_with = "wire::some_string")]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "wire::some_string")]
    pub msg: Option<String>,
}

/// `/payout`'s success.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PayoutAnswer {
    #[serde(default, deserialize_with = "wire::some_string")]
    pub transaction_ref: Option<String>,
}

/// `/payin` and `/payin/authorize`'s success.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PayinWire {
    #[serde(default, deserialize_with = "wire::string")]
    pub transaction_ref: String,
    #[serde(default, deserialize_with = "wire::some_string")]
    pub action: Option<String>,
    #[serde(default, deserialize_with = "wire::string")]
    pub ussd: String,
}

/// `/paylink`'s success.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PaylinkAnswer {
    #[serde(default, deserialize_with = "wire::some_string")]
    pub transaction_ref: Option<String>,
    #[serde(default, deserialize_with = "wire::some_string")]
    pub payment_url: Option<String>,
}

/// `/balance`'s success.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BalanceAnswer {
    #[serde(default, deserialize_with = "wire::lenient")]
    pub balance: Option<ExactAmount>,
}

/// `/checkStatus`'s success, as Guichet keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionStatus {
    #[serde(default, deserialize_with = "wire::string")]
    pub transaction_ref: String,
    #[serde(default, deserialize_with = "wire::string")]
    pub app_transaction_ref: String,
    #[serde(default, deserialize_with = "wire::string")]
    pub transaction_type: String,
    #[serde(default, rename(deserialize = "transaction_status"))]
    pub status: Status,
    #[serde(
        default,
        rename(deserialize = "transaction_amount"),
        deserialize_with = "wire::lenient"
    )]
    pub amount: Option<ExactAmount>,
    /// `transaction_fees`: what My-CoolPay charged for the transaction.
    #[serde(
        default,
        rename(deserialize = "transaction_fees"),
        deserialize_with = "wire::lenient"
    )]
    pub fees: Option<ExactAmount>,
    #[serde(
        default,
        rename(deserialize = "transaction_message"),
        deserialize_with = "wire::string"
    )]
    pub message: String,
}

impl TransactionStatus {
    pub fn unified(&self) -> UnifiedStatus {
        UnifiedStatus::from(&self.status)
    }
}

/// `transaction_status`: CREATED and PENDING are transitions; SUCCESS, CANCELED and FAILED are
/// final; anything else is kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Status {
    Created,
    Pending,
    Success,
    Canceled,
    Failed,
    Unknown(String),
}

impl Status {
    pub fn parse(s: &str) -> Status {
        match s.trim().to_ascii_uppercase().as_str() {
            "CREATED" => Status::Created,
            "PENDING" => Status::Pending,
            "SUCCESS" => Status::Success,
            "CANCELED" | "CANCELLED" => Status::Canceled,
            "FAILED" => Status::Failed,
            _ => Status::Unknown(s.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Status::Created => "CREATED",
            Status::Pending => "PENDING",
            Status::Success => "SUCCESS",
            Status::Canceled => "CANCELED",
            Status::Failed => "FAILED",
            Status::Unknown(s) => s,
        }
    }
}

/// Anything unknown is pending, never failed.
impl From<&Status> for UnifiedStatus {
    fn from(s: &Status) -> UnifiedStatus {
        match s {
            Status::Success => UnifiedStatus::Succeeded,
            Status::Failed => UnifiedStatus::Failed,
            Status::Canceled => UnifiedStatus::Rejected,
            Status::Created | Status::Pending | Status::Unknown(_) => UnifiedStatus::Pending,
        }
    }
}

wire::status_text!(Status, unknown_by_default);

/// A status as text (a callback's field) in Guichet's vocabulary.
pub fn map_status(status: &str) -> UnifiedStatus {
    UnifiedStatus::from(&Status::parse(status))
}
