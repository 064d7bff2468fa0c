//! The one error shape the webview sees: `{code, params?, message, details?}`. `code` and
//! `params` are the core's typed [`ErrorCode`] (exported to TypeScript): the UI words them in
//! the merchant's language. `message` is the English explanation, kept for the log only.

use guichet_core::{CoreError, ErrorCode};
use serde::Serialize;

#[derive(Debug, Serialize, PartialEq)]
pub struct UiError {
    #[serde(flatten)]
    pub reason: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

impl From<CoreError> for UiError {
    fn from(e: CoreError) -> UiError {
        UiError {
            reason: e.reason(),
            details: e.field().map(|f| serde_json::json!({ "field": f })),
            message: e.to_string(),
        }
    }
}

impl UiError {
    pub fn internal(message: impl Into<String>) -> UiError {
        UiError {
            reason: ErrorCode::Internal,
            message: message.into(),
            details: None,
        }
    }
}

pub type CmdResult<T> = Result<T, UiError>;

#[cfg(test)]
mod tests {
    use super::*;
    use guichet_core::payouts::RowIssue;

    #[test]
    fn the_json_shape_is_pinned() {
        let e: UiError = CoreError::invalid(
            "site_id",
            guichet_core::Invalid::Required,
            "CinetPay accounts need a site_id",
        )
        .into();
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({
                "code": "invalid_input",
                "params": {"field": "site_id", "why": {"why": "required"}},
                "message": "site_id: CinetPay accounts need a site_id",
                "details": {"field": "site_id"}
            })
        );
        let e: UiError = CoreError::NotFound {
            what: "account",
            key: "X".into(),
        }
        .into();
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "not_found", "params": {"what": "account", "key": "X"}, "message": "account `X` not found"})
        );
        let e: UiError = CoreError::refused("batch_already_sent", "… (--again)").into();
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "batch_already_sent", "message": "… (--again)"})
        );
    }

    /// A single payout's phone problem reaches the screen as the batch row's code and value, so
    /// it is worded in French (it came as "phone: `07 08 12 34` has 8 digits").
    #[test]
    fn a_phone_problem_is_a_typed_row_issue() {
        let issue =
            RowIssue::new("phone", "phone_length_ci", "has 8 digits").with_value("07 08 12 34");
        let e: UiError = CoreError::issue(issue).into();
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["code"], "row");
        assert_eq!(v["params"]["issue"]["code"], "phone_length_ci");
        assert_eq!(v["params"]["issue"]["value"], "07 08 12 34");
        assert_eq!(v["details"]["field"], "phone");
    }
}
