//! An issue with one field of a payout (a form's, a batch row's).

use serde::Serialize;

/// Something wrong with a payout (an error) or worth a second look (a warning), tied to the
/// column at fault. `code` is stable for the UI to translate; `message` gives the specifics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RowIssue {
    /// `phone`, `amount`, `operator`, `currency`.
    pub column: String,
    /// `phone`, `amount`, `amount_bounds`, `amount_multiple`, `operator`, `currency`,
    /// `duplicate_in_file`, `duplicate_recent`, `new_beneficiary`, `name_changed`.
    pub code: String,
    pub message: String,
    /// What the issue is about as the merchant wrote it (`1 229,125`), for the screens to word
    /// the code in their language; empty when the code says it all.
    #[serde(default)]
    pub value: String,
    /// `name_changed`: the name and date of the number's latest paid payout (`value` holds the
    /// name given here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub paid_before: Option<Box<PaidBefore>>,
}

/// A number's latest payout that ended succeeded: to whom, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PaidBefore {
    pub name: String,
    /// RFC 3339 UTC.
    pub at: String,
}

impl RowIssue {
    pub fn new(column: &str, code: &str, message: impl Into<String>) -> RowIssue {
        RowIssue {
            column: column.into(),
            code: code.into(),
            message: message.into(),
            value: String::new(),
            paid_before: None,
        }
    }

    pub fn with_value(mut self, value: impl Into<String>) -> RowIssue {
        self.value = value.into();
        self
    }
}

/// Letters and digits only, upper-cased: how operator and currency cells are compared.
pub(crate) fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}
