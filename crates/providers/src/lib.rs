//! The only code in Guichet that speaks HTTP to a provider. One module per API, each a request
//! builder plus its wire types; every call goes through one [`executor::Executor`] (timeouts,
//! retries for calls safe to repeat only, a rate limit, redacted logs, raw bodies kept).

pub mod cinetpay_payment;
pub mod cinetpay_transfer;
mod error;
pub mod executor;
pub mod mycoolpay;
pub mod softsystem;
pub mod wire;

pub use error::{ErrorKind, ProviderError};
pub use executor::{Executor, ExecutorConfig};

/// A decimal amount exactly as the provider wrote it (`"865.4"`, `663`): balances can carry
/// decimals, so they are kept as text, never as floating point.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExactAmount(pub String);

impl ExactAmount {
    pub fn from_json(v: &serde_json::Value) -> Option<ExactAmount> {
        match v {
            serde_json::Value::Number(n) => Some(ExactAmount(n.to_string())),
            serde_json::Value::String(s) if is_decimal(s.trim()) => {
                Some(ExactAmount(s.trim().to_string()))
            }
            _ => None,
        }
    }

    /// Whole francs, when the amount has no fractional part (or only zeros).
    pub fn whole_francs(&self) -> Option<i64> {
        let (int, frac) = self.0.split_once('.').unwrap_or((&self.0, ""));
        frac.chars()
            .all(|c| c == '0')
            .then(|| int.parse().ok())
            .flatten()
    }
}

impl<'de> serde::Deserialize<'de> for ExactAmount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ExactAmount, D::Error> {
        ExactAmount::from_json(&serde_json::Value::deserialize(d)?)
            .ok_or_else(|| serde::de::Error::custom("not a decimal amount"))
    }
}

fn is_decimal(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && !frac.is_empty()
        && frac.chars().all(|c| c.is_ascii_digit())
}

/// Compares two strings in constant time (signatures).
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    subtle::ConstantTimeEq::ct_eq(a.as_bytes(), b.as_bytes()).into()
}

/// Production hosts, replaced (scheme, host and port only) by an account's `base_url`.
pub mod hosts {
    pub const CINETPAY_TRANSFER: &str = "https://client.cinetpay.com";
    pub const CINETPAY_API: &str = "https://api.cinetpay.com";
    pub const CINETPAY_CHECKOUT: &str = "https://secure.cinetpay.com";
    pub const MYCOOLPAY: &str = "https://my-coolpay.com";
    pub const SOFTSYSTEM: &str = "https://softsystempay.com";
}

#[cfg(test)]
mod tests {
    use super::ExactAmount;
    use serde_json::json;

    #[test]
    fn keeps_provider_decimals_exact() {
        assert_eq!(ExactAmount::from_json(&json!("865.4")).unwrap().0, "865.4");
        assert_eq!(
            ExactAmount::from_json(&json!(663)).unwrap().whole_francs(),
            Some(663)
        );
        assert_eq!(
            ExactAmount::from_json(&json!("865.4"))
                .unwrap()
                .whole_francs(),
            None
        );
        assert_eq!(
            ExactAmount::from_json(&json!("1500.00"))
                .unwrap()
                .whole_francs(),
            Some(1500)
        );
        assert!(ExactAmount::from_json(&json!("12,5")).is_none());
    }
}
