//! CinetPay Transfer wire format: an envelope `{code, message, description, data}` whose code is
//! the number `0` on success and a string (`"701"`) or number (`602`) otherwise, whatever the HTTP
//! status; `data` nested `[[…]]` or flat `[…]`.

use crate::wire::{self, Code, Items};
use crate::ExactAmount;
use guichet_types::UnifiedStatus;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Every answer's envelope; `data` is read into its own type once the code says success.
#[derive(Debug, Clone, Deserialize)]
pub struct Envelope {
    pub code: Code,
    #[serde(default, deserialize_with = "wire::string")]
    pub message: String,
    #[serde(default, deserialize_with = "wire::string")]
    pub description: String,
    #[serde(default)]
    pub data: Value,
}

impl Envelope {
    /// `data` as `T`, or `None` when it is not an object that reads as one.
    pub fn data<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        wire::object(&self.data)
    }

    /// The items of a list answer, nested or flat.
    pub fn items<T: serde::de::DeserializeOwned>(&self) -> Vec<T> {
        Items::<T>::deserialize(&self.data).unwrap_or_default().0
    }
}

/// Parses the envelope, or `None` when the body is not one (HTML error page, truncated JSON).
pub fn envelope(body: &str) -> Option<Envelope> {
    match serde_json::from_str::<Value>(body).ok()? {
        v @ Value::Object(_) => Envelope::deserialize(v).ok(),
        _ => None,
    }
}

/// `POST /v1/auth/login`'s data.
#[derive(Debug, Clone, Deserialize)]
pub struct LoginData {
    #[serde(default, deserialize_with = "wire::some_string")]
    pub token: Option<String>,
}

/// `GET /v1/transfer/check/balance`'s data.
#[derive(Debug, Clone, Deserialize)]
pub struct BalanceData {
    #[serde(default, deserialize_with = "wire::lenient")]
    pub amount: Option<ExactAmount>,
    #[serde(default, rename = "inUsing", deserialize_with = "wire::lenient")]
    pub in_using: Option<ExactAmount>,
    #[serde(default, deserialize_with = "wire::lenient")]
    pub available: Option<ExactAmount>,
}

/// A contact as `POST /v1/transfer/contact` takes it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ContactItem {
    pub prefix: String,
    pub phone: String,
    pub name: String,
    pub surname: String,
    pub email: String,
}

/// A transfer order as `POST /v1/transfer/money/send/contact` takes it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SendItem {
    pub prefix: String,
    pub phone: String,
    pub amount: i64,
    pub client_transaction_id: String,
    pub notify_url: String,
}

/// One item of the answer to a contact or send request: its own code (`code`, or `status:
/// success` for 0) and what identifies it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ItemAnswer {
    #[serde(default, deserialize_with = "wire::lenient")]
    pub code: Option<Code>,
    #[serde(default, deserialize_with = "wire::string")]
    pub status: String,
    #[serde(default, deserialize_with = "wire::lenient")]
    pub prefix: Option<Code>,
    #[serde(default, deserialize_with = "wire::lenient")]
    pub phone: Option<Code>,
    #[serde(default, deserialize_with = "wire::text")]
    pub client_transaction_id: String,
    #[serde(default, deserialize_with = "wire::text")]
    pub transaction_id: String,
    #[serde(default, deserialize_with = "wire::text")]
    pub lot: String,
}

impl ItemAnswer {
    /// The item's own code: `code` when present, else `status: success` means 0.
    pub fn code(&self) -> String {
        match &self.code {
            Some(c) => c.0.clone(),
            None if self.status == "success" => "0".into(),
            None => String::new(),
        }
    }
}

/// A transfer as `GET /v1/transfer/check/money` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferInfo {
    #[serde(default, deserialize_with = "wire::text")]
    pub transaction_id: String,
    #[serde(default, deserialize_with = "wire::text")]
    pub client_transaction_id: String,
    #[serde(default, deserialize_with = "wire::text")]
    pub lot: String,
    #[serde(default, deserialize_with = "wire::lenient")]
    pub amount: Option<ExactAmount>,
    #[serde(default, deserialize_with = "wire::text")]
    pub receiver: String,
    #[serde(default, deserialize_with = "wire::text")]
    pub operator: String,
    #[serde(default)]
    pub sending_status: SendingStatus,
    #[serde(default)]
    pub treatment_status: TreatmentStatus,
    #[serde(default, deserialize_with = "wire::text")]
    pub comment: String,
    #[serde(default, deserialize_with = "wire::some_string")]
    pub validated_at: Option<String>,
}

impl TransferInfo {
    pub fn status(&self) -> UnifiedStatus {
        UnifiedStatus::from(TransferStatus {
            treatment: &self.treatment_status,
            sending: &self.sending_status,
        })
    }
}

/// `treatment_status` (document 004 §6): NEW, REC and NOS are transitions — NOS waits for the
/// merchant —, VAL and REJ are final; anything else is kept as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum TreatmentStatus {
    New,
    Rec,
    Val,
    Rej,
    Nos,
    Unknown(String),
    /// No status in the answer.
    #[default]
    Missing,
}

/// `sending_status`: CONFIRM (sent), PENDING (the merchant must confirm it in the back-office).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum SendingStatus {
    Confirm,
    Pending,
    Unknown(String),
    #[default]
    Missing,
}

/// A transfer's two statuses, which together give Guichet's.
pub struct TransferStatus<'a> {
    pub treatment: &'a TreatmentStatus,
    pub sending: &'a SendingStatus,
}

/// NOS waits for the merchant, never a failure; anything unknown is pending.
impl From<TransferStatus<'_>> for UnifiedStatus {
    fn from(s: TransferStatus<'_>) -> UnifiedStatus {
        let merchant_must_confirm = match s.sending {
            SendingStatus::Pending => true,
            SendingStatus::Confirm | SendingStatus::Unknown(_) | SendingStatus::Missing => false,
        };
        match s.treatment {
            TreatmentStatus::Val => UnifiedStatus::Succeeded,
            TreatmentStatus::Rej => UnifiedStatus::Rejected,
            TreatmentStatus::Nos => UnifiedStatus::AwaitingConfirmation,
            TreatmentStatus::New
            | TreatmentStatus::Rec
            | TreatmentStatus::Unknown(_)
            | TreatmentStatus::Missing
                if merchant_must_confirm =>
            {
                UnifiedStatus::AwaitingConfirmation
            }
            TreatmentStatus::New
            | TreatmentStatus::Rec
            | TreatmentStatus::Unknown(_)
            | TreatmentStatus::Missing => UnifiedStatus::Pending,
        }
    }
}

impl TreatmentStatus {
    pub fn parse(s: &str) -> TreatmentStatus {
        match s.trim().to_ascii_uppercase().as_str() {
            "" => TreatmentStatus::Missing,
            "NEW" => TreatmentStatus::New,
            "REC" => TreatmentStatus::Rec,
            "VAL" => TreatmentStatus::Val,
            "REJ" => TreatmentStatus::Rej,
            "NOS" => TreatmentStatus::Nos,
            _ => TreatmentStatus::Unknown(s.trim().to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            TreatmentStatus::New => "NEW",
            TreatmentStatus::Rec => "REC",
            TreatmentStatus::Val => "VAL",
            TreatmentStatus::Rej => "REJ",
            TreatmentStatus::Nos => "NOS",
            TreatmentStatus::Unknown(s) => s,
            TreatmentStatus::Missing => "",
        }
    }
}

impl SendingStatus {
    pub fn parse(s: &str) -> SendingStatus {
        match s.trim().to_ascii_uppercase().as_str() {
            "" => SendingStatus::Missing,
            "CONFIRM" => SendingStatus::Confirm,
            "PENDING" => SendingStatus::Pending,
            _ => SendingStatus::Unknown(s.trim().to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            SendingStatus::Confirm => "CONFIRM",
            SendingStatus::Pending => "PENDING",
            SendingStatus::Unknown(s) => s,
            SendingStatus::Missing => "",
        }
    }
}

wire::status_text!(TreatmentStatus);
wire::status_text!(SendingStatus);

/// CinetPay's `treatment_status` (and `sending_status`) in Guichet's vocabulary.
pub fn map_status(treatment: &str, sending: &str) -> UnifiedStatus {
    UnifiedStatus::from(TransferStatus {
        treatment: &TreatmentStatus::parse(treatment),
        sending: &SendingStatus::parse(sending),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accepts_nested_and_flat_data_and_any_code_type() {
        let items = |v: Value| {
            serde_json::from_value::<Items<ItemAnswer>>(v)
                .unwrap()
                .0
                .len()
        };
        assert_eq!(items(json!([[{"a": 1}, {"a": 2}]])), 2);
        assert_eq!(items(json!([{"a": 1}])), 1);
        assert_eq!(items(json!({"a": 1})), 1);
        assert_eq!(items(json!([])), 0);
        assert_eq!(
            envelope(r#"{"code":"701","message":"INVALID_CREDENTIALS","data":[]}"#)
                .unwrap()
                .code,
            "701"
        );
        assert_eq!(
            envelope(r#"{"code":602,"message":"INSUFFICIENT_BALANCE","data":[]}"#)
                .unwrap()
                .code,
            "602"
        );
        assert_eq!(
            envelope(r#"{"code":0,"message":"OPERATION_SUCCES","data":{}}"#)
                .unwrap()
                .code,
            "0"
        );
        assert!(envelope("<html>502</html>").is_none());
        assert!(envelope(r#"{"code": 0, "message": "OPERATION_SUC"#).is_none());
    }

    #[test]
    fn maps_every_treatment_status() {
        assert_eq!(map_status("VAL", "CONFIRM"), UnifiedStatus::Succeeded);
        assert_eq!(map_status("REJ", "CONFIRM"), UnifiedStatus::Rejected);
        assert_eq!(
            map_status("NOS", "PENDING"),
            UnifiedStatus::AwaitingConfirmation
        );
        assert_eq!(
            map_status("NEW", "PENDING"),
            UnifiedStatus::AwaitingConfirmation
        );
        assert_eq!(map_status("NEW", "CONFIRM"), UnifiedStatus::Pending);
        assert_eq!(map_status("REC", "CONFIRM"), UnifiedStatus::Pending);
        assert_eq!(
            map_status("SOMETHING_NEW", ""),
            UnifiedStatus::Pending,
            "unknown is pending, never failed"
        );
    }
}
