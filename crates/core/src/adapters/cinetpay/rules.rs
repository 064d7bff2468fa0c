//! What CinetPay accepts in a transfer: a notification URL on the account, amounts between its
//! bounds in multiples of 5 (document 004 codes 719/720/801), the number's own operator.

use crate::issue::{fold, RowIssue};
use crate::CoreError;
use guichet_store::accounts::AccountRow;
use guichet_types::{phone, Amount, Currency};

/// CinetPay transfer bounds (document 004 codes 719/720) and its multiple-of-5 rule.
pub const MIN: i64 = 200;
pub const MAX: i64 = 1_500_000;
pub const MULTIPLE: i64 = 5;

pub(crate) fn account_problem(account: &AccountRow) -> Option<CoreError> {
    account.notify_url.is_none().then(|| {
        CoreError::coded(
            crate::ErrorCode::NotifyUrlNeeded {
                account: account.label.clone(),
            },
            format!(
                "notify_url: CinetPay requires a notification URL for transfers: set one on account `{}`",
                account.label
            ),
        )
    })
}

pub(crate) fn amount_issues(amount: i64, currency: Currency) -> Vec<RowIssue> {
    let w = |a: i64| Amount(a).with_currency(currency);
    let mut out = Vec::new();
    if !(MIN..=MAX).contains(&amount) {
        out.push(
            RowIssue::new(
                "amount",
                "amount_bounds",
                format!(
                    "CinetPay transfers are between {} and {}; {} is not",
                    w(MIN),
                    w(MAX),
                    w(amount)
                ),
            )
            .with_value(amount.to_string()),
        );
    }
    if amount % MULTIPLE != 0 {
        out.push(
            RowIssue::new(
                "amount",
                "amount_multiple",
                format!(
                    "CinetPay transfers must be a multiple of {MULTIPLE} francs; {} is not",
                    w(amount)
                ),
            )
            .with_value(amount.to_string()),
        );
    }
    out
}

/// CinetPay sends to the number's operator; a column that names another one means the number or
/// the operator is wrong. Nothing is stored (`None`); the label is for totals (`OM`, `MOMO`,
/// `FLOOZ`).
pub(crate) fn operator(
    number: Option<&phone::Phone>,
    given: Option<&str>,
) -> Result<(Option<String>, String), RowIssue> {
    use phone::Operator::*;
    let of_number = number.and_then(|n| n.operator());
    let label = |o: phone::Operator| match o {
        Orange => "OM",
        Mtn => "MOMO",
        Moov => "FLOOZ",
    };
    let Some(given) = given else {
        return Ok((None, of_number.map(label).unwrap_or("").to_string()));
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
        _ => Ok((None, label(wanted).to_string())),
    }
}
