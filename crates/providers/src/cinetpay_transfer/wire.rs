//! CinetPay Transfer wire format: an envelope `{code, message, description, data}` whose code is
//! the number `0` on success and a string (`"701"`) or number (`602`) otherwise, whatever the HTTP
//! status; `data` nested `[[…]]` or flat `[…]`.

use crate::ExactAmount;
use guichet_types::UnifiedStatus;
use serde::Serialize;
use serde_json::Value;

pub struct Envelope {
    pub code: String,
    pub message: String,
    pub description: String,
    pub data: Value,
}

/// Parses the envelope, or `None` when the body is not one (HTML error page, truncated JSON).
pub fn envelope(body: &str) -> Option<Envelope> {
    let v: Value = serde_json::from_str(body).ok()?;
    Some(Envelope {
        code: code_of(v.get("code")?)?,
        message: v
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        description: v
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        data: v.get("data").cloned().unwrap_or(Value::Null),
    })
}

/// `0`, `"0"`, `602`, `"701"` → `"0"`, `"602"`, `"701"`.
pub fn code_of(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.trim().to_string()),
        _ => None,
    }
}

/// The items of a list answer, whether CinetPay nested them (`[[…]]`) or not (`[…]`).
pub fn items(data: &Value) -> Vec<Value> {
    match data {
        Value::Array(outer) => outer
            .iter()
            .flat_map(|v| match v {
                Value::Array(inner) => inner.clone(),
                other => vec![other.clone()],
            })
            .collect(),
        Value::Object(_) => vec![data.clone()],
        _ => Vec::new(),
    }
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
    pub notify_url: String,
    pub client_transaction_id: String,
}

/// A transfer as `GET /v1/transfer/check/money` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransferInfo {
    pub transaction_id: String,
    pub client_transaction_id: String,
    pub lot: String,
    pub amount: Option<ExactAmount>,
    pub receiver: String,
    pub operator: String,
    pub sending_status: String,
    pub treatment_status: String,
    pub comment: String,
    pub validated_at: Option<String>,
}

impl TransferInfo {
    pub fn from_json(v: &Value) -> TransferInfo {
        let s = |k: &str| v.get(k).and_then(code_of).unwrap_or_default();
        TransferInfo {
            transaction_id: s("transaction_id"),
            client_transaction_id: s("client_transaction_id"),
            lot: s("lot"),
            amount: v.get("amount").and_then(ExactAmount::from_json),
            receiver: s("receiver"),
            operator: s("operator"),
            sending_status: s("sending_status"),
            treatment_status: s("treatment_status"),
            comment: s("comment"),
            validated_at: v
                .get("validated_at")
                .and_then(Value::as_str)
                .map(String::from),
        }
    }

    pub fn status(&self) -> UnifiedStatus {
        map_status(&self.treatment_status, &self.sending_status)
    }
}

/// CinetPay's `treatment_status` (and `sending_status`) in Guichet's vocabulary. NEW, REC and NOS
/// are transitions — NOS waits for the merchant, never a failure; anything unknown is pending.
pub fn map_status(treatment: &str, sending: &str) -> UnifiedStatus {
    #[derive(PartialEq)]
    enum Treatment {
        New,
        Rec,
        Val,
        Rej,
        Nos,
        Other,
    }
    let t = match treatment.trim().to_ascii_uppercase().as_str() {
        "NEW" => Treatment::New,
        "REC" => Treatment::Rec,
        "VAL" => Treatment::Val,
        "REJ" => Treatment::Rej,
        "NOS" => Treatment::Nos,
        _ => Treatment::Other,
    };
    let merchant_must_confirm = sending.trim().eq_ignore_ascii_case("PENDING");
    match t {
        Treatment::Val => UnifiedStatus::Succeeded,
        Treatment::Rej => UnifiedStatus::Rejected,
        Treatment::Nos => UnifiedStatus::AwaitingConfirmation,
        Treatment::New | Treatment::Rec | Treatment::Other if merchant_must_confirm => {
            UnifiedStatus::AwaitingConfirmation
        }
        Treatment::New | Treatment::Rec | Treatment::Other => UnifiedStatus::Pending,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accepts_nested_and_flat_data_and_any_code_type() {
        assert_eq!(items(&json!([[{"a": 1}, {"a": 2}]])).len(), 2);
        assert_eq!(items(&json!([{"a": 1}])).len(), 1);
        assert_eq!(items(&json!([])).len(), 0);
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
