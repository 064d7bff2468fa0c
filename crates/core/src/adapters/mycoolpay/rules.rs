//! What My-CoolPay accepts in a payout: Cameroonian numbers, and its `transaction_operator`.

use crate::issue::{fold, RowIssue};
use crate::CoreError;
use crate::Invalid;
use guichet_providers::mycoolpay::Operator;
use guichet_store::accounts::AccountRow;
use guichet_types::{phone, Country};

pub(crate) fn account_problem(account: &AccountRow) -> Option<CoreError> {
    (account.country != Country::CM).then(|| {
        CoreError::invalid(
            "phone",
            Invalid::CameroonOnly,
            "My-CoolPay pays Cameroonian numbers",
        )
    })
}

/// The operator of a Cameroonian number in My-CoolPay's words (the prefixes: `guichet_types`).
pub(crate) fn operator_for(national: &str) -> Operator {
    match phone::cameroon_operator(national) {
        phone::Operator::Orange => Operator::CmOm,
        phone::Operator::Mtn | phone::Operator::Moov => Operator::CmMomo,
    }
}

/// My-CoolPay's `transaction_operator`: MCP (a My-CoolPay wallet), CM_MOMO or CM_OM; told from
/// the number when the column is empty. Stored with the payout, and its label for totals.
pub(crate) fn operator(
    number: Option<&phone::Phone>,
    given: Option<&str>,
) -> Result<(Option<String>, String), RowIssue> {
    let code = match given {
        None => number
            .map(|n| operator_for(&n.national).as_str())
            .unwrap_or(""),
        Some(given) => match fold(given).as_str() {
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
        },
    };
    Ok((Some(code.to_string()), code.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_operator_sent_is_the_one_the_number_belongs_to() {
        for (national, expected) in [
            ("690123456", Operator::CmOm),
            ("655123456", Operator::CmOm),
            ("659123456", Operator::CmOm),
            ("654123456", Operator::CmMomo),
            ("677123456", Operator::CmMomo),
            ("650123456", Operator::CmMomo),
        ] {
            assert_eq!(operator_for(national), expected, "{national}");
            let number = phone::normalize(national, Country::CM).unwrap();
            let told = operator(Some(&number), None).unwrap();
            assert_eq!(told.0.as_deref(), Some(expected.as_str()), "{national}");
        }
        let wallet = operator(None, Some("my-coolpay")).unwrap();
        assert_eq!(wallet, (Some("MCP".to_string()), "MCP".to_string()));
        assert!(operator(None, Some("wave")).is_err());
    }
}
