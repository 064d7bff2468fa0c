//! A single payout while it is typed: the number, the amount (read by the one amount reader,
//! the batch's) and the balance after it, checked as the merchant types, so the confirmation
//! only ever shows a payout that can leave, with the beneficiary's name and operator.

use crate::payouts::rules::{self, RowIssue};
use crate::{Guichet, Result};
use guichet_types::{Amount, AmountInput};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PayoutDraft {
    /// The number as stored (`+2250708123456`) once it is valid.
    pub phone: Option<String>,
    /// The operator the money goes to (`OM`, `MOMO`, `FLOOZ`; My-CoolPay's `CM_OM`, `CM_MOMO`,
    /// `MCP`), told from the number or the choice.
    pub operator: Option<String>,
    pub amount: Option<Amount>,
    /// Every problem, by column and code with the value at fault (as a batch row's).
    pub issues: Vec<RowIssue>,
    /// Worth a look before confirming, never blocking: a number this account never paid
    /// (`new_beneficiary`), or paid before under another name than the one typed
    /// (`name_changed`).
    pub warnings: Vec<RowIssue>,
    /// The name of the account's contact with this number, if there is one.
    pub contact_name: Option<String>,
    /// The balance payouts leave from, in whole francs, and when it was read (latest reading;
    /// a live one when `live` was asked).
    pub balance: Option<Amount>,
    pub balance_read_at: Option<String>,
    /// The balance once this payout has left.
    pub balance_after: Option<i64>,
}

impl Guichet {
    /// Checks a payout being typed. Empty fields are not problems yet (the merchant has not
    /// typed them); `live` reads the balance from the provider (before the confirmation), else
    /// the latest reading is used. `name`: the beneficiary's name as typed (else the contact's
    /// name), compared with the name the number was last paid to.
    pub async fn check_payout_draft(
        &self,
        account: &str,
        phone_text: &str,
        amount_text: &str,
        name: &str,
        live: bool,
    ) -> Result<PayoutDraft> {
        self.require(crate::people::Action::Read)?;
        let row = self.account_row(account)?;
        let mut draft = PayoutDraft {
            phone: None,
            operator: None,
            amount: None,
            issues: Vec::new(),
            warnings: Vec::new(),
            contact_name: None,
            balance: None,
            balance_read_at: None,
            balance_after: None,
        };
        if amount_text.trim().is_empty() {
            // Nothing typed yet.
        } else {
            match rules::parse_amount(&AmountInput::from(amount_text), "", row.currency) {
                Ok(a) => draft.amount = Some(Amount(a)),
                Err(issues) => draft.issues.extend(issues),
            }
        }
        if !phone_text.trim().is_empty() {
            match rules::check(&row, phone_text, draft.amount.map(|a| a.0), None) {
                Ok(checked) => {
                    draft.phone = Some(checked.number.e164());
                    draft.operator = Some(checked.operator_label).filter(|o| !o.is_empty());
                    let contact = self.store.contacts().by_phone(
                        row.id,
                        &checked.number.prefix,
                        &checked.number.national,
                    )?;
                    draft.contact_name = contact
                        .map(|c| format!("{} {}", c.name, c.surname).trim().to_string())
                        .filter(|n| !n.is_empty());
                    let paid = self.store.beneficiaries().paid_number(
                        row.id,
                        &checked.number.prefix,
                        &checked.number.national,
                    )?;
                    let name = Some(name.trim())
                        .filter(|n| !n.is_empty())
                        .or(draft.contact_name.as_deref())
                        .unwrap_or_default();
                    let phone = checked.number.e164();
                    draft.warnings.extend(crate::payouts::beneficiaries::flag(
                        &phone,
                        name,
                        paid.as_ref(),
                    ));
                }
                Err(issues) => draft.issues.extend(issues),
            }
        } else if let Some(a) = draft.amount {
            draft
                .issues
                .extend(rules::amount_issues(row.provider, a.0, row.currency));
        }
        if rules::account_problem(&row).is_some() {
            return Ok(draft);
        }
        if live {
            // Recorded as a reading; a provider that cannot answer leaves the latest one.
            if let Err(e) = self.payout_balance(&row).await {
                tracing::info!(account = %row.label, error = %e, "balance not read before a payout");
            }
        }
        let last = self
            .store
            .balances()
            .history(row.id, 20)?
            .into_iter()
            .find(|s| matches!(s.kind.as_str(), "transfer" | "wallet"));
        let (text, at) = match last {
            Some(s) => (Some(s.available.unwrap_or(s.amount)), Some(s.taken_at)),
            None => (None, None),
        };
        // A fraction of a franc cannot be spent.
        let whole = text.as_deref().and_then(|t| {
            t.trim()
                .split('.')
                .next()
                .and_then(|w| w.parse::<i64>().ok())
        });
        if let Some(balance) = whole {
            draft.balance = Some(Amount(balance));
            draft.balance_read_at = at;
            if let Some(a) = draft.amount {
                let after = balance - a.0;
                draft.balance_after = Some(after);
                if after < 0 {
                    draft.issues.push(
                        RowIssue::new(
                            "amount",
                            "balance_short",
                            format!("the balance is {balance} francs"),
                        )
                        .with_value(balance.to_string()),
                    );
                }
            }
        }
        Ok(draft)
    }
}
