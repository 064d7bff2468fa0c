//! What each provider accepts in a payout: number, amount bounds and multiples, operator and
//! currency. One place, used by single payouts and by every row of a batch.

use super::{CINETPAY_MAX, CINETPAY_MIN, CINETPAY_MULTIPLE};
use crate::CoreError;
use guichet_providers::mycoolpay;
use guichet_store::accounts::AccountRow;
use guichet_types::{phone, Amount, AmountInput, Country, Currency, Provider};
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
    /// What the issue is about as the merchant wrote it (`1 229,125`), for the screens to word
    /// the code in their language; empty when the code says it all.
    #[serde(default)]
    pub value: String,
}

impl RowIssue {
    pub fn new(column: &str, code: &str, message: impl Into<String>) -> RowIssue {
        RowIssue {
            column: column.into(),
            code: code.into(),
            message: message.into(),
            value: String::new(),
        }
    }

    pub fn with_value(mut self, value: impl Into<String>) -> RowIssue {
        self.value = value.into();
        self
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
        Provider::Cinetpay if account.notify_url.is_none() => Some(CoreError::coded(
            crate::ErrorCode::NotifyUrlNeeded {
                account: account.label.clone(),
            },
            format!(
                "notify_url: CinetPay requires a notification URL for transfers: set one on account `{}`",
                account.label
            ),
        )),
        Provider::Mycoolpay if account.country != Country::CM => Some(CoreError::invalid(
            "phone",
            "My-CoolPay pays Cameroonian numbers",
        )),
        Provider::Softsystem => Some(CoreError::coded(
            crate::ErrorCode::CannotPayOut {
                provider: account.provider,
            },
            "account: SOFTSYSTEM accounts cannot send payouts",
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
            issues.push(RowIssue::new("phone", e.code(), e.to_string()).with_value(e.written()));
            None
        }
    };
    if let Some(amount) = amount {
        issues.extend(amount_issues(account.provider, amount, account.currency));
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

pub fn amount_issues(provider: Provider, amount: i64, currency: Currency) -> Vec<RowIssue> {
    let w = |a: i64| Amount(a).with_currency(currency);
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
            out.push(
                RowIssue::new(
                    "amount",
                    "amount_bounds",
                    format!(
                        "CinetPay transfers are between {} and {}; {} is not",
                        w(CINETPAY_MIN),
                        w(CINETPAY_MAX),
                        w(amount)
                    ),
                )
                .with_value(amount.to_string()),
            );
        }
        if amount % CINETPAY_MULTIPLE != 0 {
            out.push(RowIssue::new(
                "amount",
                "amount_multiple",
                format!(
                    "CinetPay transfers must be a multiple of {CINETPAY_MULTIPLE} francs; {} is not",
                    w(amount)
                ),
            ).with_value(amount.to_string()));
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

/// Reads an amount (a form's field, a spreadsheet's cell) for an account paying in `currency`
/// with the one reader ([`Amount::read`]): whole francs, above zero, and a currency, when
/// written (in the cell or in a currency column), that is the account's. The form and the
/// batch both read amounts here, so they accept and refuse the same ones.
pub fn parse_amount(
    cell: &AmountInput,
    currency_cell: &str,
    currency: Currency,
) -> Result<i64, Vec<RowIssue>> {
    let mut issues = Vec::new();
    if let Some(issue) = currency_issue(currency_cell.trim(), currency) {
        issues.push(issue);
    }
    let amount = match Amount::read(cell, currency) {
        Ok(a) if a.0 > 0 => Some(a.0),
        Ok(_) => {
            issues.push(RowIssue::new(
                "amount",
                "amount",
                "the amount must be a positive number of francs",
            ));
            None
        }
        Err(e) => {
            let column = if e.code() == "currency" {
                "currency"
            } else {
                "amount"
            };
            issues.push(RowIssue::new(column, e.code(), e.to_string()).with_value(e.written()));
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
        "" | "F" | "FCFA" | "CFA" | "FRANCS" | "FRANCSCFA" => None,
        _ if folded == currency.as_str() => None,
        _ => Some(
            RowIssue::new(
                "currency",
                "currency",
                format!("`{written}`: this account pays in {currency}"),
            )
            .with_value(written),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_whole_francs_in_the_accounts_currency() {
        let read = |s: &str, cur: &str| parse_amount(&AmountInput::from(s), cur, Currency::XOF);
        assert_eq!(read("1 500", ""), Ok(1500));
        assert_eq!(read("5 000 FCFA", ""), Ok(5000));
        assert_eq!(read("2500 XOF", ""), Ok(2500));
        assert_eq!(read("1500,00", "XOF"), Ok(1500));
        assert_eq!(read("15.000", ""), Ok(15_000));
        let codes = |r: Result<i64, Vec<RowIssue>>| {
            r.unwrap_err()
                .into_iter()
                .map(|i| i.code)
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(read("2500 XAF", "")), ["currency"]);
        assert_eq!(codes(read("2500", "USD")), ["currency"]);
        assert_eq!(codes(read("12,5", "")), ["amount_not_whole"]);
        assert_eq!(codes(read("", "")), ["amount_empty"]);
        assert_eq!(codes(read("-200", "")), ["amount"]);
        let computed = parse_amount(&AmountInput::Number(1229.125), "", Currency::XOF);
        let issue = &computed.unwrap_err()[0];
        assert_eq!(
            (
                issue.column.as_str(),
                issue.code.as_str(),
                issue.value.as_str()
            ),
            ("amount", "amount_not_whole", "1\u{202f}229,125")
        );
    }

    #[test]
    fn cinetpay_bounds_and_multiples_are_both_reported() {
        let issues = amount_issues(Provider::Cinetpay, 1_500_001, Currency::XOF);
        let codes: Vec<_> = issues.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(codes, ["amount_bounds", "amount_multiple"]);
        // Amounts written as the screens write them.
        assert_eq!(
            issues[0].message,
            "CinetPay transfers are between 200\u{a0}XOF and 1\u{202f}500\u{202f}000\u{a0}XOF; \
             1\u{202f}500\u{202f}001\u{a0}XOF is not"
        );
        assert!(amount_issues(Provider::Cinetpay, 200, Currency::XOF).is_empty());
        assert!(amount_issues(Provider::Cinetpay, 1_500_000, Currency::XOF).is_empty());
        assert_eq!(
            amount_issues(Provider::Cinetpay, 195, Currency::XOF).len(),
            1
        );
        assert!(amount_issues(Provider::Mycoolpay, 1_500_001, Currency::XAF).is_empty());
    }
}
