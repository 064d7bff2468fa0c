//! What each provider accepts in a payout: number, amount bounds and multiples, operator and
//! currency. One place, used by single payouts and by every row of a batch.

use crate::adapters;
use crate::issue::fold;
use crate::CoreError;
use guichet_store::accounts::AccountRow;
use guichet_types::{phone, Amount, AmountInput, Currency, Provider};

pub use crate::issue::{PaidBefore, RowIssue};

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
    adapters::payout_account_problem(account)
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
    let resolved = adapters::payout_operator(account.provider, number.as_ref(), operator);
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
    if amount <= 0 {
        return vec![RowIssue::new(
            "amount",
            "amount",
            "the amount must be a positive number of francs",
        )];
    }
    adapters::payout_amount_issues(provider, amount, currency)
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
