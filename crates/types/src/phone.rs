//! Phone numbers as people type them and spreadsheets store them, normalised to
//! (country prefix, national number) and checked against the country's numbering plan.

use crate::Country;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phone {
    pub country: Country,
    /// International prefix without `+` (`225`, `237`).
    pub prefix: String,
    /// National number (`0707123456` in Côte d'Ivoire, `677123456` in Cameroon).
    pub national: String,
}

/// Mobile-money operators a number belongs to, when its prefix tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Operator {
    Orange,
    Mtn,
    Moov,
}

/// Serialised as `{"problem": "wrong_length_ci", "args": ["07 07", 4]}`, for screens that word
/// it in French; `Display` is the English wording.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "problem", content = "args", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum PhoneError {
    #[error("no phone number")]
    Empty,
    #[error("`{0}` contains characters that are not part of a phone number")]
    NotANumber(String),
    #[error("`{0}` has {1} digits; a Côte d'Ivoire number has 10 (e.g. 07 07 12 34 56)")]
    WrongLengthCi(String, usize),
    #[error("`{0}` does not start with 01, 05 or 07: not a Côte d'Ivoire mobile number")]
    NotMobileCi(String),
    #[error("`{0}` is not a Cameroon mobile number (9 digits starting with 6)")]
    NotMobileCm(String),
    #[error("`{0}` is a {1} number, but the account pays in {2}")]
    OtherCountry(String, Country, Country),
    #[error("`{0}` was written in scientific notation and lost its last digits; format the column as text in the spreadsheet")]
    Truncated(String),
    #[error(
        "`{0}` is not a country calling code Guichet pays in (225 Côte d'Ivoire, 237 Cameroon)"
    )]
    UnknownPrefix(String),
}

impl PhoneError {
    /// A stable code the screens word in the merchant's language (`phone_length`…).
    pub fn code(&self) -> &'static str {
        match self {
            PhoneError::Empty => "phone_empty",
            PhoneError::NotANumber(_) => "phone_not_a_number",
            PhoneError::WrongLengthCi(..) => "phone_length_ci",
            PhoneError::NotMobileCi(_) => "phone_not_mobile_ci",
            PhoneError::NotMobileCm(_) => "phone_not_mobile_cm",
            PhoneError::OtherCountry(..) => "phone_other_country",
            PhoneError::Truncated(_) => "phone_truncated",
            PhoneError::UnknownPrefix(_) => "phone_unknown_prefix",
        }
    }

    /// The number as the merchant wrote it (empty when there was none).
    pub fn written(&self) -> &str {
        match self {
            PhoneError::Empty => "",
            PhoneError::NotANumber(w)
            | PhoneError::WrongLengthCi(w, _)
            | PhoneError::NotMobileCi(w)
            | PhoneError::NotMobileCm(w)
            | PhoneError::OtherCountry(w, ..)
            | PhoneError::Truncated(w)
            | PhoneError::UnknownPrefix(w) => w,
        }
    }
}

impl Phone {
    /// `+2250707123456`.
    pub fn e164(&self) -> String {
        format!("+{}{}", self.prefix, self.national)
    }

    pub fn operator(&self) -> Option<Operator> {
        match (self.country, self.national.get(..2)) {
            (Country::CI, Some("07")) => Some(Operator::Orange),
            (Country::CI, Some("05")) => Some(Operator::Mtn),
            (Country::CI, Some("01")) => Some(Operator::Moov),
            (Country::CM, _) => Some(cameroon_operator(&self.national)),
            _ => None,
        }
    }
}

/// The operator of a Cameroonian national number: Orange starts with 69 or 655–659, the rest of
/// the 6x range is MTN. The one list of these prefixes (My-CoolPay's `CM_OM`/`CM_MOMO` too).
pub fn cameroon_operator(national: &str) -> Operator {
    let orange = national.starts_with("69")
        || matches!(
            national.get(..3),
            Some("655" | "656" | "657" | "658" | "659")
        );
    if orange {
        Operator::Orange
    } else {
        Operator::Mtn
    }
}

/// A number whose country calling code is in a column of its own (`225` or `+225` beside
/// `07 07 12 34 56`); the code is ignored when the number carries one itself.
pub fn normalize_parts(prefix: &str, raw: &str, country: Country) -> Result<Phone, PhoneError> {
    let code: String = prefix
        .chars()
        .filter(|c| !matches!(c, ' ' | '(' | ')' | '+'))
        .collect();
    let code = code.strip_prefix("00").unwrap_or(&code);
    let code = code.strip_suffix(".0").unwrap_or(code);
    let number = raw.trim();
    if code.is_empty() || number.starts_with('+') || number.starts_with("00") {
        return normalize(raw, country);
    }
    if !matches!(code, "225" | "237") {
        return Err(PhoneError::UnknownPrefix(prefix.trim().to_string()));
    }
    if number.is_empty() {
        return Err(PhoneError::Empty);
    }
    let digits = digits_of(number).ok_or_else(|| PhoneError::NotANumber(number.to_string()))?;
    if digits.starts_with(code) && split_prefix(&digits, country).1.len() < digits.len() {
        return normalize(number, country);
    }
    normalize(&format!("+{code}{digits}"), country).map_err(|e| match e {
        PhoneError::WrongLengthCi(_, n) => PhoneError::WrongLengthCi(number.to_string(), n),
        PhoneError::NotMobileCi(_) => PhoneError::NotMobileCi(number.to_string()),
        PhoneError::NotMobileCm(_) => PhoneError::NotMobileCm(number.to_string()),
        PhoneError::OtherCountry(_, a, b) => {
            PhoneError::OtherCountry(format!("+{code} {number}"), a, b)
        }
        other => other,
    })
}

/// Turns `07 07 12 34 56`, `+225 07.07.12.34.56`, `00225-0707123456`, `707123456` (Excel dropped the
/// zero), `7071234560.0` or `2.25070712346E+12` into a checked number of `country`.
pub fn normalize(raw: &str, country: Country) -> Result<Phone, PhoneError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(PhoneError::Empty);
    }
    if is_truncated_scientific(trimmed) {
        return Err(PhoneError::Truncated(trimmed.to_string()));
    }
    let digits = digits_of(trimmed).ok_or_else(|| PhoneError::NotANumber(trimmed.to_string()))?;
    let (detected, national) = split_prefix(&digits, country);
    if detected != country {
        return Err(PhoneError::OtherCountry(
            trimmed.to_string(),
            detected,
            country,
        ));
    }
    let national = match country {
        Country::CI => {
            // Excel stores 0707123456 as the number 707123456.
            let n = if national.len() == 9 && matches!(national.as_bytes()[0], b'1' | b'5' | b'7') {
                format!("0{national}")
            } else {
                national
            };
            if n.len() != 10 {
                return Err(PhoneError::WrongLengthCi(trimmed.to_string(), n.len()));
            }
            if !matches!(&n[..2], "01" | "05" | "07") {
                return Err(PhoneError::NotMobileCi(trimmed.to_string()));
            }
            n
        }
        Country::CM => {
            if national.len() != 9 || !national.starts_with('6') {
                return Err(PhoneError::NotMobileCm(trimmed.to_string()));
            }
            national
        }
    };
    Ok(Phone {
        country,
        prefix: country.dial_prefix().to_string(),
        national,
    })
}

/// `2.25071E+12`: a spreadsheet showed fewer digits than the number has, and the export kept
/// only those. Filling with zeros would give someone else's number.
fn is_truncated_scientific(s: &str) -> bool {
    if !s.contains(['e', 'E']) {
        return false;
    }
    let upper = s.trim_start_matches('+').to_ascii_uppercase();
    let Some((mantissa, exp)) = upper.split_once("E+").or_else(|| upper.split_once('E')) else {
        return false;
    };
    let frac = mantissa.split_once(['.', ',']).map_or("", |(_, f)| f);
    exp.parse::<usize>().is_ok_and(|exp| frac.len() < exp)
}

/// The digits of what was typed, accepting separators, a leading `+` or `00`, a trailing `.0`
/// and Excel's scientific notation; `None` for anything else.
fn digits_of(s: &str) -> Option<String> {
    let s = s.trim_start_matches(['+', '(']);
    // Most numbers are plain digits and separators: no copy for them.
    let s: std::borrow::Cow<'_, str> = if s.contains("(+") {
        s.replacen("(+", "", 1).into()
    } else {
        s.into()
    };
    let s = s.as_ref();
    if s.contains(['e', 'E']) {
        return scientific_digits(&s.to_ascii_uppercase());
    }
    let s = s
        .strip_suffix(".0")
        .or_else(|| s.strip_suffix(",0"))
        .unwrap_or(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '.' | '-' | '(' | ')' | '/' | '\u{a0}' | '\u{202f}' | '\t' => {}
            _ => return None,
        }
    }
    if out.is_empty() {
        return None;
    }
    Some(out.strip_prefix("00").map(String::from).unwrap_or(out))
}

/// `2.25070712346E+12` (upper case) as its digits; `None` when it is not a number.
fn scientific_digits(upper: &str) -> Option<String> {
    let (mantissa, exp) = upper.split_once("E+").or_else(|| upper.split_once('E'))?;
    let exp: usize = exp.parse().ok()?;
    let (int, frac) = mantissa.split_once(['.', ',']).unwrap_or((mantissa, ""));
    if !(int.chars().all(|c| c.is_ascii_digit()) && frac.chars().all(|c| c.is_ascii_digit()))
        || int.is_empty()
        || frac.len() > exp
        // No phone number has more than 15 digits (E.164); a larger exponent would have the
        // zeros below fill memory (`1E99999999999` is a valid cell).
        || int.len() + exp > 15
    {
        return None;
    }
    Some(format!("{int}{frac}{}", "0".repeat(exp - frac.len())))
}

/// Splits a leading 225 or 237 when what follows has the length of a national number.
fn split_prefix(digits: &str, default: Country) -> (Country, String) {
    for (country, prefix, lens) in [
        (Country::CI, "225", &[10usize, 8, 9][..]),
        (Country::CM, "237", &[9][..]),
    ] {
        if let Some(rest) = digits.strip_prefix(prefix) {
            if lens.contains(&rest.len()) {
                return (country, rest.to_string());
            }
        }
    }
    (default, digits.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ci(s: &str) -> Result<String, PhoneError> {
        normalize(s, Country::CI).map(|p| p.national)
    }

    #[test]
    fn reads_what_people_type_in_cote_divoire() {
        for input in [
            "0707123456",
            "07 07 12 34 56",
            "07.07.12.34.56",
            "07-07-12-34-56",
            "+225 07 07 12 34 56",
            "00225 0707123456",
            "2250707123456",
            "707123456",
            "707123456.0",
            "2.250707123456E+12",
            "07\u{a0}07\u{a0}12\u{a0}34\u{a0}56",
        ] {
            assert_eq!(ci(input), Ok("0707123456".into()), "{input}");
        }
        assert_eq!(
            normalize("0505123456", Country::CI).unwrap().operator(),
            Some(Operator::Mtn)
        );
        assert_eq!(
            normalize("0101123456", Country::CI).unwrap().operator(),
            Some(Operator::Moov)
        );
        assert_eq!(
            normalize("07 07 12 34 56", Country::CI).unwrap().e164(),
            "+2250707123456"
        );
    }

    #[test]
    fn reads_a_country_code_from_its_own_column() {
        for (prefix, number) in [
            ("225", "0707123456"),
            ("+225", "07 07 12 34 56"),
            ("00225", "707123456"),
            ("225.0", "707123456"),
            ("225", "+225 07 07 12 34 56"),
            ("225", "2250707123456"),
            ("", "0707123456"),
            ("(+225)", "07.07.12.34.56"),
        ] {
            assert_eq!(
                normalize_parts(prefix, number, Country::CI).map(|p| p.national),
                Ok("0707123456".into()),
                "{prefix} {number}"
            );
        }
        assert_eq!(
            normalize_parts("237", "6 77 12 34 56", Country::CM).map(|p| p.e164()),
            Ok("+237677123456".into())
        );
        assert!(matches!(
            normalize_parts("237", "677123456", Country::CI),
            Err(PhoneError::OtherCountry(_, Country::CM, Country::CI))
        ));
        assert_eq!(
            normalize_parts("+33", "612345678", Country::CI)
                .unwrap_err()
                .to_string(),
            "`+33` is not a country calling code Guichet pays in (225 Côte d'Ivoire, 237 Cameroon)"
        );
        assert_eq!(
            normalize_parts("225", "", Country::CI),
            Err(PhoneError::Empty)
        );
    }

    #[test]
    fn refuses_numbers_a_spreadsheet_cut_short() {
        assert!(matches!(ci("2.25071E+12"), Err(PhoneError::Truncated(_))));
        assert!(matches!(ci("7.07E+8"), Err(PhoneError::Truncated(_))));
        assert_eq!(ci("7.07123456E+8"), Ok("0707123456".into()));
        assert_eq!(ci("(+225) 07 07 12 34 56"), Ok("0707123456".into()));
    }

    #[test]
    fn a_huge_exponent_is_refused_without_filling_memory() {
        // Found by the phone fuzz target: the `(+` removed, this read as `E37677122771232227`,
        // 37 quadrillion zeros to write.
        for raw in ["E3767712(+2771232227", "1(+E99999999999", "7(+.0E+16"] {
            for country in [Country::CI, Country::CM] {
                assert!(normalize(raw, country).is_err(), "{raw}");
            }
        }
        assert!(ci("E+12").is_err());
    }

    #[test]
    fn explains_what_is_wrong() {
        assert_eq!(ci(""), Err(PhoneError::Empty));
        assert!(matches!(
            ci("07 07 12 34"),
            Err(PhoneError::WrongLengthCi(_, 8))
        ));
        assert!(matches!(ci("2721234567"), Err(PhoneError::NotMobileCi(_))));
        assert!(matches!(ci("07O7123456"), Err(PhoneError::NotANumber(_))));
        assert!(matches!(
            ci("+237 677 12 34 56"),
            Err(PhoneError::OtherCountry(_, Country::CM, Country::CI))
        ));
        assert!(ci("07 07 12 34 56").is_ok());
    }

    #[test]
    fn reads_cameroon_numbers() {
        let p = normalize("+237 6 77 12 34 56", Country::CM).unwrap();
        assert_eq!(
            (p.national.as_str(), p.operator()),
            ("677123456", Some(Operator::Mtn))
        );
        assert_eq!(
            normalize("699887766", Country::CM).unwrap().operator(),
            Some(Operator::Orange)
        );
        assert!(matches!(
            normalize("277123456", Country::CM),
            Err(PhoneError::NotMobileCm(_))
        ));
    }
}
