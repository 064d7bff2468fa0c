//! What each provider accepts in a payout: number, amount bounds and multiples, operator and
//! currency. One place, used by single payouts and by every row of a batch.

use super::{CINETPAY_MAX, CINETPAY_MIN, CINETPAY_MULTIPLE};
use crate::CoreError;
use guichet_providers::mycoolpay;
use guichet_store::accounts::AccountRow;
use guichet_types::{phone, Amount, Country, Currency, Provider};
use serde::Serialize;

/// Something wrong with a payout (an error) or worth a second look (a warning), tied to the
/// column at fault. `code` is stable for the UI to translate; `message` gives the specifics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RowIssue {
    /// `phone`, `amount`, `operator`, `currency`.
    pub column: String,
    /// `phone`, `amount`, `amount_bounds`, `amount_multiple`, `operator`, `currency`,
    /// `duplicate_in_file`, `duplicate_recent`.
    pub code: String,
    pub message: String,
}

impl RowIssue {
    pub fn new(column: &str, code: &str, message: impl Into<String>) -> RowIssue {
        RowIssue {
            column: column.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// A payout that passed the rules.
#[derive(Debug, Clone)]
pub struct Checked {
    pub number: phone::Phone,
    /// What is stored as the payout's operator (My-CoolPay's code; none for CinetPay, whose
    /// transfers go to the number's operator).
    pub stored_operator: Option<String>,
    /// The operator's name for totals: CinetPay's `OM`, `MOMO`, `FLOOZ`; My-CoolPay's code.
    pub operator_label: String,
}

/// Why this account cannot send payouts at all, if it cannot.
pub fn account_problem(account: &AccountRow) -> Option<CoreError> {
    match account.provider {
        Provider::Cinetpay if account.notify_url.is_none() => Some(CoreError::invalid(
            "notify_url",
            format!(
                "CinetPay requires a notification URL for transfers: set one on account `{}`",
                account.label
            ),
        )),
        Provider::Mycoolpay if account.country != Country::CM => Some(CoreError::invalid(
            "phone",
            "My-CoolPay pays Cameroonian numbers",
        )),
        Provider::Softsystem => Some(CoreError::invalid(
            "account",
            "SOFTSYSTEM accounts cannot send payouts",
        )),
        _ => None,
    }
}

/// Checks one payout's number, amount and operator against the account's provider. Every
/// problem is reported, not only the first.
/// `amount`: `None` when the cell could not be read (already reported).
pub fn check(
    account: &AccountRow,
    raw_phone: &str,
    amount: Option<i64>,
    operator: Option<&str>,
) -> Result<Checked, Vec<RowIssue>> {
    let mut issues = Vec::new();
    let number = match phone::normalize(raw_phone, account.country) {
        Ok(n) => Some(n),
        Err(e) => {
            issues.push(RowIssue::new("phone", "phone", e.to_string()));
            None
        }
    };
    if let Some(amount) = amount {
        issues.extend(amount_issues(account.provider, amount));
    }
    let operator = operator.map(str::trim).filter(|o| !o.is_empty());
    let resolved = match account.provider {
        Provider::Cinetpay => {
            cinetpay_operator(number.as_ref(), operator).map(|label| (None, label))
        }
        Provider::Mycoolpay => {
            mycoolpay_operator(number.as_ref(), operator).map(|code| (Some(code.clone()), code))
        }
        Provider::Softsystem => Err(RowIssue::new(
            "account",
            "account",
            "SOFTSYSTEM accounts cannot send payouts",
        )),
    };
    let resolved = match resolved {
        Ok(r) => Some(r),
        Err(issue) => {
            issues.push(issue);
            None
        }
    };
    match (number, resolved) {
        (Some(number), Some((stored_operator, operator_label))) if issues.is_empty() => {
            Ok(Checked {
                number,
                stored_operator,
                operator_label,
            })
        }
        _ => Err(issues),
    }
}

pub fn amount_issues(provider: Provider, amount: i64) -> Vec<RowIssue> {
    if amount <= 0 {
        return vec![RowIssue::new(
            "amount",
            "amount",
            "the amount must be a positive number of francs",
        )];
    }
    let mut out = Vec::new();
    if provider == Provider::Cinetpay {
        if !(CINETPAY_MIN..=CINETPAY_MAX).contains(&amount) {
            out.push(RowIssue::new(
                "amount",
                "amount_bounds",
                format!(
                    "CinetPay transfers are between {CINETPAY_MIN} and {CINETPAY_MAX} francs; {} is not",
                    Amount(amount).grouped()
                ),
            ));
        }
        if amount % CINETPAY_MULTIPLE != 0 {
            out.push(RowIssue::new(
                "amount",
                "amount_multiple",
                format!(
                    "CinetPay transfers must be a multiple of {CINETPAY_MULTIPLE} francs; {} is not",
                    Amount(amount).grouped()
                ),
            ));
        }
    }
    out
}

fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// CinetPay sends to the number's operator; a column that names another one means the number or
/// the operator is wrong.
fn cinetpay_operator(
    number: Option<&phone::Phone>,
    given: Option<&str>,
) -> Result<String, RowIssue> {
    use phone::Operator::*;
    let of_number = number.and_then(|n| n.operator());
    let label = |o: phone::Operator| match o {
        Orange => "OM",
        Mtn => "MOMO",
        Moov => "FLOOZ",
    };
    let Some(given) = given else {
        return Ok(of_number.map(label).unwrap_or("").to_string());
    };
    let wanted = match fold(given).as_str() {
        "OM" | "ORANGE" | "ORANGEMONEY" | "ORANGECI" => Orange,
        "MOMO" | "MTN" | "MTNMOMO" | "MTNMONEY" | "MOBILEMONEY" => Mtn,
        "FLOOZ" | "MOOV" | "MOOVMONEY" | "MOOVFLOOZ" => Moov,
        "WAVE" => return Err(RowIssue::new(
            "operator",
            "operator",
            "CinetPay transfers go to the number's mobile-money operator; Wave cannot be chosen",
        )),
        _ => {
            return Err(RowIssue::new(
                "operator",
                "operator",
                format!("unknown operator `{given}` (Orange, MTN or Moov)"),
            ))
        }
    };
    match (of_number, number) {
        (Some(actual), Some(n)) if actual != wanted => Err(RowIssue::new(
            "operator",
            "operator",
            format!(
                "{} is a {} number, but the operator column says `{given}`",
                n.e164(),
                label(actual)
            ),
        )),
        _ => Ok(label(wanted).to_string()),
    }
}

/// My-CoolPay's `transaction_operator`: MCP (a My-CoolPay wallet), CM_MOMO or CM_OM; told from
/// the number when the column is empty.
fn mycoolpay_operator(
    number: Option<&phone::Phone>,
    given: Option<&str>,
) -> Result<String, RowIssue> {
    let Some(given) = given else {
        return Ok(number
            .map(|n| mycoolpay::Operator::for_cameroon_number(&n.national).as_str())
            .unwrap_or("")
            .to_string());
    };
    let code = match fold(given).as_str() {
        "MCP" | "MYCOOLPAY" => "MCP",
        "CMMOMO" | "MOMO" | "MTN" | "MTNMOMO" => "CM_MOMO",
        "CMOM" | "OM" | "ORANGE" | "ORANGEMONEY" => "CM_OM",
        _ => {
            return Err(RowIssue::new(
                "operator",
                "operator",
                format!("My-CoolPay operators are MCP, CM_MOMO and CM_OM, not `{given}`"),
            ))
        }
    };
    Ok(code.to_string())
}

/// Reads an amount cell (`1 500`, `1500,00`, `5 000 FCFA`, `2500 XOF`) for an account paying in
/// `currency`: whole francs, and a currency, when written, that is the account's.
pub fn parse_amount(
    cell: &str,
    currency_cell: &str,
    currency: Currency,
) -> Result<i64, Vec<RowIssue>> {
    let mut issues = Vec::new();
    let text = cell.trim();
    let suffix: String = text
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic() || c.is_whitespace())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    for written in [suffix.trim(), currency_cell.trim()] {
        if let Some(issue) = currency_issue(written, currency) {
            issues.push(issue);
        }
    }
    let amount = match Amount::parse_human(text) {
        Ok(a) if a.0 > 0 => Some(a.0),
        Ok(_) => {
            issues.push(RowIssue::new(
                "amount",
                "amount",
                "the amount must be a positive number of francs",
            ));
            None
        }
        Err(e) if text.is_empty() => {
            let _ = e;
            issues.push(RowIssue::new("amount", "amount", "no amount"));
            None
        }
        Err(e) => {
            issues.push(RowIssue::new("amount", "amount", e.to_string()));
            None
        }
    };
    match amount {
        Some(a) if issues.is_empty() => Ok(a),
        _ => Err(issues),
    }
}

fn currency_issue(written: &str, currency: Currency) -> Option<RowIssue> {
    let folded = fold(written);
    match folded.as_str() {
        "" | "F" | "FR" | "FRANCS" | "FCFA" | "CFA" | "FRANCSCFA" => None,
        "XOF" | "XAF" if folded == currency.as_str() => None,
        _ => Some(RowIssue::new(
            "currency",
            "currency",
            format!("`{written}`: this account pays in {currency}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_whole_francs_in_the_accounts_currency() {
        assert_eq!(parse_amount("1 500", "", Currency::XOF), Ok(1500));
        assert_eq!(parse_amount("5 000 FCFA", "", Currency::XOF), Ok(5000));
        assert_eq!(parse_amount("2500 XOF", "", Currency::XOF), Ok(2500));
        assert_eq!(parse_amount("1500,00", "XOF", Currency::XOF), Ok(1500));
        let codes = |r: Result<i64, Vec<RowIssue>>| {
            r.unwrap_err()
                .into_iter()
                .map(|i| i.code)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes(parse_amount("2500 XAF", "", Currency::XOF)),
            ["currency"]
        );
        assert_eq!(
            codes(parse_amount("2500", "USD", Currency::XOF)),
            ["currency"]
        );
        assert_eq!(codes(parse_amount("12,5", "", Currency::XOF)), ["amount"]);
        assert_eq!(codes(parse_amount("", "", Currency::XOF)), ["amount"]);
        assert_eq!(codes(parse_amount("-200", "", Currency::XOF)), ["amount"]);
    }

    #[test]
    fn cinetpay_bounds_and_multiples_are_both_reported() {
        let codes: Vec<_> = amount_issues(Provider::Cinetpay, 1_500_001)
            .into_iter()
            .map(|i| i.code)
            .collect();
        assert_eq!(codes, ["amount_bounds", "amount_multiple"]);
        assert!(amount_issues(Provider::Cinetpay, 200).is_empty());
        assert!(amount_issues(Provider::Cinetpay, 1_500_000).is_empty());
        assert_eq!(amount_issues(Provider::Cinetpay, 195).len(), 1);
        assert!(amount_issues(Provider::Mycoolpay, 1_500_001).is_empty());
    }
}
