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

/// The largest amount Guichet reads or adds up: a thousand billion francs. Anything above is a
/// mistake in the file (a phone number in the amount column, an amount pasted twice).
pub const MAX_FRANCS: i64 = 1_000_000_000_000;

/// What an amount field or cell holds before it is read: text as typed, or a spreadsheet's
/// number (which is never turned into text and read again: `1229.125` is not `1 229 125`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum AmountInput {
    Number(f64),
    Text(String),
}

impl From<&str> for AmountInput {
    fn from(s: &str) -> AmountInput {
        AmountInput::Text(s.to_string())
    }
}

impl Default for AmountInput {
    fn default() -> AmountInput {
        AmountInput::Text(String::new())
    }
}

/// Why an amount is refused. `Display` is the English wording; `code` and the fields let the
/// screens word it in French.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum AmountError {
    #[error("no amount")]
    Empty,
    /// `written`: the value as the merchant would write it (`1 229,125`).
    #[error("{written} is not a whole number of francs")]
    NotWhole { written: String },
    #[error("`{written}` is not an amount")]
    Invalid { written: String },
    #[error("{written} is above the largest amount Guichet accepts (1 000 000 000 000)")]
    TooLarge { written: String },
    #[error("`{written}`: this account pays in {account}")]
    OtherCurrency { written: String, account: Currency },
}

impl AmountError {
    /// Stable code for the screens: `amount_empty`, `amount_not_whole`, `amount_invalid`,
    /// `amount_too_large`, `currency`.
    pub fn code(&self) -> &'static str {
        match self {
            AmountError::Empty => "amount_empty",
            AmountError::NotWhole { .. } => "amount_not_whole",
            AmountError::Invalid { .. } => "amount_invalid",
            AmountError::TooLarge { .. } => "amount_too_large",
            AmountError::OtherCurrency { .. } => "currency",
        }
    }

    /// What the message is about: the value as written, or the currency word.
    pub fn written(&self) -> &str {
        match self {
            AmountError::Empty => "",
            AmountError::NotWhole { written }
            | AmountError::Invalid { written }
            | AmountError::TooLarge { written }
            | AmountError::OtherCurrency { written, .. } => written,
        }
    }
}

impl Amount {
    pub const ZERO: Amount = Amount(0);

    pub fn francs(self) -> i64 {
        self.0
    }

    /// `None` on overflow or past [`MAX_FRANCS`]: totals and balances never wrap.
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        self.0
            .checked_add(other.0)
            .filter(|v| v.unsigned_abs() <= MAX_FRANCS as u64)
            .map(Amount)
    }

    /// `None` on overflow or past [`MAX_FRANCS`].
    pub fn checked_sub(self, other: Amount) -> Option<Amount> {
        self.0
            .checked_sub(other.0)
            .filter(|v| v.unsigned_abs() <= MAX_FRANCS as u64)
            .map(Amount)
    }

    /// The sum of `amounts`, or `None` when it would pass [`MAX_FRANCS`].
    pub fn checked_sum(amounts: impl IntoIterator<Item = Amount>) -> Option<Amount> {
        amounts
            .into_iter()
            .try_fold(Amount::ZERO, |sum, a| sum.checked_add(a))
    }

    /// The one reader of amounts, for every entry point (a spreadsheet's cells, the payout and
    /// collection forms, the command line), for an account paying in `currency`:
    ///
    /// - a spreadsheet **number** must be a whole number of francs, within floating-point noise
    ///   (`1500.0000000002` is 1 500; `1229.125` is refused, never multiplied nor rounded);
    /// - **text** may group thousands with spaces (also U+00A0, U+202F), `.` or `,` — one kind
    ///   of separator, in groups of exactly three digits after the first group of one to three
    ///   (`1 500 000`, `1.500`, `1,500,000`); any other separator is a decimal point and what
    ///   follows it must be zeros (`1500,00`, `1.500,00` and `1 500.0` are 1 500; `15,5` and
    ///   `1 229,125` are refused). A `-` may lead.
    /// - a currency word may follow: `F`, `FCFA`, `F CFA`, `CFA`, `francs`, or the account's
    ///   code (`XOF`, `XAF`); the other code is refused.
    /// - an amount above [`MAX_FRANCS`] is refused.
    pub fn read(input: &AmountInput, currency: Currency) -> Result<Amount, AmountError> {
        match input {
            AmountInput::Number(f) => Amount::from_number(*f),
            AmountInput::Text(t) => Amount::from_text(t, currency),
        }
    }

    fn from_number(f: f64) -> Result<Amount, AmountError> {
        if !f.is_finite() {
            return Err(AmountError::Invalid {
                written: f.to_string(),
            });
        }
        let whole = f.round();
        if whole.abs() > MAX_FRANCS as f64 {
            return Err(AmountError::TooLarge {
                written: number_text(f),
            });
        }
        // A formula's noise is a few units in the last place; anything more is a fraction.
        let noise = (whole.abs() * f64::EPSILON * 4.0).max(1e-9);
        if (f - whole).abs() > noise {
            return Err(AmountError::NotWhole {
                written: number_text(f),
            });
        }
        Ok(Amount(whole as i64))
    }

    fn from_text(input: &str, currency: Currency) -> Result<Amount, AmountError> {
        let text = input.trim_matches(is_space);
        if text.is_empty() {
            return Err(AmountError::Empty);
        }
        let invalid = || AmountError::Invalid {
            written: text.to_string(),
        };
        // The currency word: the letters (and spaces) at the end.
        let number_end = text
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphabetic() || is_space(*c))
            .last()
            .map_or(text.len(), |(i, _)| i);
        let (number, word) = text.split_at(number_end);
        let word = word.trim_matches(is_space);
        if !word.is_empty() {
            let folded: String = word
                .chars()
                .filter(|c| !is_space(*c))
                .flat_map(char::to_uppercase)
                .collect();
            match folded.as_str() {
                "F" | "FCFA" | "CFA" | "FRANCS" | "FRANCSCFA" => {}
                "XOF" | "XAF" if folded == currency.as_str() => {}
                "XOF" | "XAF" => {
                    return Err(AmountError::OtherCurrency {
                        written: word.to_string(),
                        account: currency,
                    })
                }
                _ => return Err(invalid()),
            }
        }
        let number = number.trim_matches(is_space);
        let (negative, digits) = match number.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, number),
        };
        let (whole, fraction) = split_number(digits).ok_or_else(invalid)?;
        if fraction.bytes().any(|b| b != b'0') {
            return Err(AmountError::NotWhole {
                written: text.to_string(),
            });
        }
        let too_large = || AmountError::TooLarge {
            written: text.to_string(),
        };
        let whole = whole.trim_start_matches('0');
        if whole.len() > 13 {
            return Err(too_large());
        }
        let v: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| invalid())?
        };
        if v > MAX_FRANCS {
            return Err(too_large());
        }
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

    /// `1 000 000 XOF`: how every screen and message writes an amount.
    pub fn with_currency(self, currency: impl fmt::Display) -> String {
        format!("{}\u{a0}{currency}", self.grouped())
    }
}

/// A space as spreadsheets and French typography write them between thousands.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\t')
}

/// `1229.125` as a French reader writes it: `1 229,125`.
fn number_text(f: f64) -> String {
    // Six decimals at most, as a spreadsheet shows them: `1229.1250000000002` is `1 229,125`.
    let text = format!("{:.6}", f.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let fraction = fraction.trim_end_matches('0');
    let mut out = if f < 0.0 {
        "-".to_string()
    } else {
        String::new()
    };
    match whole.parse::<i64>() {
        Ok(w) => out.push_str(&Amount(w).grouped()),
        Err(_) => out.push_str(whole),
    }
    if !fraction.is_empty() {
        out.push(',');
        out.push_str(fraction);
    }
    out
}

/// Splits the digits of an amount into its whole digits and the digits after a decimal point,
/// or `None` when the text is not a number. Runs of digits are separated by single separators;
/// they all group thousands when they are of one kind (the spaces being one kind) and every
/// group after the first has three digits; otherwise the last separator, a `.` or `,`, is the
/// decimal point and the separators before it must group thousands.
fn split_number(s: &str) -> Option<(String, &str)> {
    let mut runs: Vec<&str> = Vec::new();
    let mut seps: Vec<char> = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if c.is_ascii_digit() {
            continue;
        }
        if !(is_space(c) || c == '.' || c == ',') {
            return None;
        }
        runs.push(&s[start..i]);
        seps.push(c);
        start = i + c.len_utf8();
    }
    runs.push(&s[start..]);
    if runs.iter().any(|r| r.is_empty()) {
        return None;
    }
    if groups_thousands(&runs, &seps) {
        return Some((runs.concat(), ""));
    }
    let last = *seps.last()?;
    if is_space(last) {
        return None;
    }
    let n = runs.len();
    let fraction = runs[n - 1];
    if !groups_thousands(&runs[..n - 1], &seps[..n - 2]) || seps[..n - 2].contains(&last) {
        return None;
    }
    // `1 500.000`: thousands grouped twice over, or a decimal point? Neither is assumed (a
    // fraction that is not zeros is refused either way).
    if n > 2 && fraction.len() == 3 && fraction.bytes().all(|b| b == b'0') {
        return None;
    }
    Some((runs[..n - 1].concat(), fraction))
}

/// `runs` joined by `seps` write one number with its thousands grouped (or no separator).
fn groups_thousands(runs: &[&str], seps: &[char]) -> bool {
    let kind = |c: char| if is_space(c) { ' ' } else { c };
    let Some(first) = seps.first() else {
        return true;
    };
    seps.iter().all(|c| kind(*c) == kind(*first))
        && runs[0].len() <= 3
        && runs[1..].iter().all(|r| r.len() == 3)
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Result<Amount, AmountError> {
        Amount::read(&AmountInput::from(s), Currency::XOF)
    }

    #[test]
    fn reads_what_merchants_type() {
        for (input, want) in [
            ("1500", 1500),
            ("1 500", 1500),
            ("1\u{a0}500\u{a0}000", 1_500_000),
            ("1\u{202f}500 FCFA", 1500),
            ("1\u{202f}500\u{202f}000\u{a0}F CFA", 1_500_000),
            ("2500 XOF", 2500),
            ("2500 F", 2500),
            ("1500,00", 1500),
            ("1500.0", 1500),
            ("1.500", 1500),
            ("15.000", 15_000),
            ("1.500,00", 1500),
            ("1,500.00", 1500),
            ("1.500.000", 1_500_000),
            ("1,500,000", 1_500_000),
            ("200", 200),
            ("-200", -200),
            ("1000000000000", MAX_FRANCS),
        ] {
            assert_eq!(text(input), Ok(Amount(want)), "{input:?}");
        }
    }

    #[test]
    fn refuses_fractions_and_what_is_not_an_amount() {
        for input in [
            "1 229,125",
            "15,5",
            "1500,50",
            "12.5",
            "1.500.000,50",
            "1229.125",
        ] {
            assert!(
                matches!(text(input), Err(AmountError::NotWhole { .. })),
                "{input:?}: {:?}",
                text(input)
            );
        }
        for input in [
            "abc",
            "1 50",
            "1.50.000",
            "1,500.000,00",
            "1 500.000",
            ".5",
            "5.",
            "1..500",
            "1_500",
            "1500 USD",
            "FCFA",
            "1 500 000 000 000 000 F x",
        ] {
            assert!(
                matches!(text(input), Err(AmountError::Invalid { .. })),
                "{input:?}: {:?}",
                text(input)
            );
        }
        assert_eq!(text(""), Err(AmountError::Empty));
        assert_eq!(text(" \u{a0}"), Err(AmountError::Empty));
        assert!(matches!(
            text("1000000000001"),
            Err(AmountError::TooLarge { .. })
        ));
        assert!(matches!(
            text("99999999999999999999999"),
            Err(AmountError::TooLarge { .. })
        ));
        assert_eq!(
            text("2500 XAF"),
            Err(AmountError::OtherCurrency {
                written: "XAF".into(),
                account: Currency::XOF
            })
        );
    }

    #[test]
    fn a_spreadsheet_number_is_read_as_a_number() {
        let number = |f: f64| Amount::read(&AmountInput::Number(f), Currency::XAF);
        assert_eq!(number(1500.0), Ok(Amount(1500)));
        assert_eq!(number(0.1 * 3.0 * 10_000.0), Ok(Amount(3000)));
        assert_eq!(number(49_165.0 * 0.025 * 40.0), Ok(Amount(49_165)));
        let err = number(49_165.0 * 0.025).unwrap_err();
        assert_eq!(
            err.to_string(),
            "1\u{202f}229,125 is not a whole number of francs"
        );
        assert!(matches!(number(0.5), Err(AmountError::NotWhole { .. })));
        assert!(matches!(
            number(1e11 + 0.5),
            Err(AmountError::NotWhole { .. })
        ));
        assert!(matches!(number(1e13), Err(AmountError::TooLarge { .. })));
        assert!(matches!(number(f64::NAN), Err(AmountError::Invalid { .. })));
    }

    #[test]
    fn totals_never_wrap() {
        assert_eq!(Amount::checked_sum([Amount(MAX_FRANCS), Amount(1)]), None);
        assert_eq!(Amount(i64::MAX).checked_add(Amount(1)), None);
        assert_eq!(
            Amount::checked_sum([Amount(1500), Amount(2500)]),
            Some(Amount(4000))
        );
        assert_eq!(Amount(-MAX_FRANCS).checked_sub(Amount(1)), None);
    }

    #[test]
    fn groups_thousands_the_french_way() {
        assert_eq!(Amount(1_500_000).grouped(), "1\u{202f}500\u{202f}000");
        assert_eq!(Amount(500).grouped(), "500");
        assert_eq!(Amount(-2500).grouped(), "-2\u{202f}500");
        assert_eq!(
            Amount(1_000_000).with_currency(Currency::XOF),
            "1\u{202f}000\u{202f}000\u{a0}XOF"
        );
    }
}
