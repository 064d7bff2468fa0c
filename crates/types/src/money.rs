//! Money is a whole number of francs plus its currency. XOF and XAF have no minor unit,
//! so there is no floating point anywhere in Guichet's money path.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Currency {
    /// West African CFA franc (Côte d'Ivoire). CinetPay calls it `CFA`.
    XOF,
    /// Central African CFA franc (Cameroon).
    XAF,
}

impl Currency {
    pub fn as_str(self) -> &'static str {
        match self {
            Currency::XOF => "XOF",
            Currency::XAF => "XAF",
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown currency `{0}` (expected XOF or XAF)")]
pub struct UnknownCurrency(pub String);

impl FromStr for Currency {
    type Err = UnknownCurrency;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "XOF" => Ok(Currency::XOF),
            "XAF" => Ok(Currency::XAF),
            _ => Err(UnknownCurrency(s.to_string())),
        }
    }
}

/// A whole number of francs. Signed so that debits and differences can be expressed.
/// Serialises as a bare JSON number (serde treats a newtype struct as its content).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "number"))]
pub struct Amount(pub i64);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AmountError {
    #[error("`{0}` is not a whole number of francs")]
    NotWhole(String),
    #[error("`{0}` is not an amount")]
    Invalid(String),
    #[error("`{0}` is too large")]
    TooLarge(String),
}

impl Amount {
    pub const ZERO: Amount = Amount(0);

    pub fn francs(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        self.0.checked_add(other.0).map(Amount)
    }

    /// Parses what people and spreadsheets write: `1500`, `1 500`, `1.500` (French thousands),
    /// `1 500 FCFA`, `1500,00`, `1500.0`. Anything with a non-zero fraction is refused rather
    /// than rounded: a franc can't be split.
    pub fn parse_human(input: &str) -> Result<Amount, AmountError> {
        let mut s: String = input
            .trim()
            .trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace())
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
            .collect();
        if s.is_empty() {
            return Err(AmountError::Invalid(input.to_string()));
        }
        let negative = s.starts_with('-');
        if negative {
            s.remove(0);
        }
        let (int_part, frac) = split_decimal(&s);
        if int_part.is_empty()
            || !int_part.chars().all(|c| c.is_ascii_digit())
            || !frac.chars().all(|c| c.is_ascii_digit())
        {
            return Err(AmountError::Invalid(input.to_string()));
        }
        if frac.chars().any(|c| c != '0') {
            return Err(AmountError::NotWhole(input.to_string()));
        }
        let v: i64 = int_part
            .parse()
            .map_err(|_| AmountError::TooLarge(input.to_string()))?;
        Ok(Amount(if negative { -v } else { v }))
    }

    /// `1 500 000` with a narrow no-break space, as French typography writes it.
    pub fn grouped(self) -> String {
        let digits = self.0.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3 + 1);
        if self.0 < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push('\u{202f}');
            }
            out.push(c);
        }
        out
    }
}

/// Splits `1.500.000`, `1,500`, `1 500,00`, `1500.0` into whole and fractional digits.
/// The last separator is decimal when both kinds appear or when it is not followed by exactly
/// three digits; a separator repeated, or followed by three digits, groups thousands.
fn split_decimal(s: &str) -> (String, String) {
    let seps = s.chars().filter(|c| matches!(c, '.' | ',')).count();
    let Some(pos) = s.rfind(['.', ',']) else {
        return (s.to_string(), String::new());
    };
    let last = s.as_bytes()[pos] as char;
    let mixed = s.contains('.') && s.contains(',');
    let repeated = !mixed && seps > 1;
    let thousands = repeated || (!mixed && s.len() - pos - 1 == 3 && pos > 0);
    if thousands {
        (s.replace(last, ""), String::new())
    } else {
        (s[..pos].replace(['.', ','], ""), s[pos + 1..].to_string())
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_spreadsheets_contain() {
        for (input, want) in [
            ("1500", 1500),
            ("1 500", 1500),
            ("1\u{a0}500\u{a0}000", 1_500_000),
            ("1\u{202f}500 FCFA", 1500),
            ("1500,00", 1500),
            ("1500.0", 1500),
            ("1.500", 1500),
            ("1.500.000", 1_500_000),
            ("1,500,000", 1_500_000),
            ("200", 200),
        ] {
            assert_eq!(Amount::parse_human(input), Ok(Amount(want)), "{input}");
        }
    }

    #[test]
    fn refuses_fractions_and_garbage() {
        assert!(matches!(
            Amount::parse_human("1500,50"),
            Err(AmountError::NotWhole(_))
        ));
        assert!(matches!(
            Amount::parse_human("12.5"),
            Err(AmountError::NotWhole(_))
        ));
        assert!(matches!(
            Amount::parse_human("abc"),
            Err(AmountError::Invalid(_))
        ));
        assert!(matches!(
            Amount::parse_human(""),
            Err(AmountError::Invalid(_))
        ));
        assert!(matches!(
            Amount::parse_human("99999999999999999999"),
            Err(AmountError::TooLarge(_))
        ));
    }

    #[test]
    fn groups_thousands_the_french_way() {
        assert_eq!(Amount(1_500_000).grouped(), "1\u{202f}500\u{202f}000");
        assert_eq!(Amount(500).grouped(), "500");
        assert_eq!(Amount(-2500).grouped(), "-2\u{202f}500");
    }
}
