//! The one error shape the webview sees: `{code, message, details?}`. The UI branches on `code`
//! and translates it; `message` is the English explanation with the specifics.

use guichet_core::CoreError;
use serde::Serialize;

#[derive(Debug, Serialize, PartialEq)]
pub struct UiError {
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

impl From<CoreError> for UiError {
    fn from(e: CoreError) -> UiError {
        UiError {
            code: e.code(),
            details: e.field().map(|f| serde_json::json!({ "field": f })),
            message: e.to_string(),
        }
    }
}

impl UiError {
    pub fn internal(message: impl Into<String>) -> UiError {
        UiError {
            code: "internal",
            message: message.into(),
            details: None,
        }
    }
}

pub type CmdResult<T> = Result<T, UiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_shape_is_pinned() {
        let e: UiError = CoreError::invalid("site_id", "CinetPay accounts need a site_id").into();
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({
                "code": "invalid_input",
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
            serde_json::json!({"code": "not_found", "message": "account `X` not found"})
        );
    }
}
