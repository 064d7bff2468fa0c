//! Payouts: each is recorded with its own reference, `queued`, before its request leaves; every
//! status change is appended to its history; a lost answer is resolved by looking the payout up
//! (CinetPay) or becomes "outcome unknown" (My-CoolPay) — never re-sent under a new reference.

mod batch;
pub mod beneficiaries;
mod columns;
pub(crate) mod lease;
mod lists;
mod plans;
mod preflight;
mod progress;
mod record;
mod resolve;
mod retry;
pub mod rules;
pub(crate) mod schedule;
mod submit;
mod sync;
mod totals;
mod track;

use crate::page::{Page, PageRequest};
use crate::Invalid;
use crate::{CoreError, Guichet, Result};
use guichet_store::payouts::NewPayout;
pub use guichet_store::payouts::{HistoryRow, ListFilter, PayoutRow};
pub use guichet_store::HistoryEntry;
use guichet_types::{phone, Amount, UnifiedStatus};
use serde::Serialize;

pub use batch::{BatchDetail, BatchReport, StatusCount};
pub use columns::{BatchColumns, RememberedColumns};
pub use guichet_store::batch_plans::BatchPlan;
pub use lease::Patience;
pub use lists::{
    AmountEdit, ListChanges, ListPerson, ListSaved, Payee, PayeeList, PayeeListDetail,
};
pub use plans::{
    future_local, local_text, parse_local, BatchNotice, NoticeKind, PlanState, SendPlan, WhenShort,
    HELD_RECHECK,
};
pub use preflight::{
    BatchBlocker, BatchLine, BatchPreview, BatchRequest, OperatorTotal, PreviewRow,
};
pub use retry::{RetryCorrection, RetryOf};
pub use rules::{PaidBefore, RowIssue};
pub use sync::SyncReport;
pub use totals::FileTotal;

/// An amount typed in a form, read as a batch's cell is: the amount, or the issue the batch
/// would show for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AmountReading {
    pub amount: Option<Amount>,
    pub issue: Option<RowIssue>,
}

impl Guichet {
    /// Reads an amount typed for `account` (the payout and collection forms, the command line's
    /// `--amount`) with the reader every batch row goes through ([`rules::parse_amount`]).
    pub fn read_amount(&self, account: &str, text: &str) -> Result<AmountReading> {
        let row = self.account_row(account)?;
        let input = guichet_types::AmountInput::from(text);
        Ok(match rules::parse_amount(&input, "", row.currency) {
            Ok(a) => AmountReading {
                amount: Some(Amount(a)),
                issue: None,
            },
            Err(issues) => AmountReading {
                amount: None,
                issue: issues.into_iter().next(),
            },
        })
    }

    /// [`Guichet::read_amount`] for callers that stop at the first problem: the amount, or an
    /// `invalid_input` error naming the field.
    pub fn amount_or_error(&self, account: &str, text: &str) -> Result<i64> {
        let reading = self.read_amount(account, text)?;
        match (reading.amount, reading.issue) {
            (Some(a), _) => Ok(a.0),
            (None, Some(issue)) => Err(CoreError::issue(issue)),
            (None, None) => Err(CoreError::invalid("amount", Invalid::Required, "no amount")),
        }
    }
}

/// A payout as the merchant asks for it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PayoutInput {
    pub phone: String,
    pub amount: i64,
    pub name: String,
    pub reason: String,
    /// My-CoolPay only: `MCP` to pay a My-CoolPay wallet; otherwise told from the number.
    pub operator: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PayoutDetail {
    pub payout: PayoutRow,
    pub history: Vec<HistoryRow>,
}

/// Which payouts a list shows; `None` means any.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct PayoutFilter {
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub status: Option<UnifiedStatus>,
    #[serde(default)]
    pub batch_id: Option<i64>,
}

/// A reference of our own, unique, letters and digits only (every provider accepts that).
pub fn new_reference() -> String {
    use rand::Rng;
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let mut rng = rand::rng();
    let tail: String = (0..8)
        .map(|_| char::from(b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789"[rng.random_range(0..32)]))
        .collect();
    format!("GCH{millis:X}{tail}")
}

impl Guichet {
    /// Checks a payout against the account's provider rules; returns the normalised number.
    pub fn validate_payout(
        &self,
        account: &guichet_store::accounts::AccountRow,
        input: &PayoutInput,
    ) -> Result<phone::Phone> {
        if let Some(e) = rules::account_problem(account) {
            return Err(e);
        }
        if input.amount <= 0 {
            return Err(CoreError::invalid(
                "amount",
                Invalid::AtLeast { min: 1 },
                "the amount must be a positive number of francs",
            ));
        }
        match rules::check(
            account,
            &input.phone,
            Some(input.amount),
            input.operator.as_deref(),
        ) {
            Ok(checked) => Ok(checked.number),
            Err(issues) => {
                let first = &issues[0];
                Err(CoreError::issue(first.clone()))
            }
        }
    }

    /// Records a payout as `queued` with a fresh reference. Nothing leaves yet.
    pub fn queue_payout(
        &self,
        account_label: &str,
        input: &PayoutInput,
        batch_id: Option<i64>,
    ) -> Result<PayoutRow> {
        self.require(crate::people::Action::Prepare)?;
        self.queue_one(account_label, input, batch_id)
    }

    /// `queue_payout` without the role check: for a payout approved, whose preparer's role
    /// was checked when it was prepared.
    pub(crate) fn queue_one(
        &self,
        account_label: &str,
        input: &PayoutInput,
        batch_id: Option<i64>,
    ) -> Result<PayoutRow> {
        let account = self.account_row(account_label)?;
        let number = self.validate_payout(&account, input)?;
        let operator = rules::check(
            &account,
            &input.phone,
            Some(input.amount),
            input.operator.as_deref(),
        )
        .ok()
        .and_then(|c| c.stored_operator);
        let db = self.store.lock();
        let row = db.payouts_mut().insert_queued(&NewPayout {
            account_id: account.id,
            batch_id,
            reference: new_reference(),
            prefix: number.prefix.clone(),
            phone: number.national.clone(),
            name: input.name.trim().to_string(),
            operator,
            reason: input.reason.trim().to_string(),
            amount: Amount(input.amount),
            currency: account.currency.as_str().to_string(),
            merchant_reference: String::new(),
        })?;
        Ok(row)
    }

    /// Queues a payout and sends it at once.
    pub async fn send_payout(&self, account_label: &str, input: PayoutInput) -> Result<PayoutRow> {
        self.require(crate::people::Action::Prepare)?;
        let row = self.queue_payout(account_label, &input, None)?;
        self.submit(&[row.id]).await?;
        let sent = self.payout(row.id)?.payout;
        self.journal(
            "payout.sent",
            sent.account_id,
            &sent.reference,
            crate::journal::payout(&sent),
        );
        Ok(sent)
    }

    pub fn payout(&self, id: i64) -> Result<PayoutDetail> {
        self.require(crate::people::Action::Read)?;
        let db = self.store.lock();
        let (payout, history) = (db.payouts().get(id)?, db.payouts().history(id)?);
        Ok(PayoutDetail { payout, history })
    }

    /// One page of payouts, newest first (keyset pagination: pass the previous page's `next`).
    pub fn payout_page(&self, filter: &PayoutFilter, req: PageRequest) -> Result<Page<PayoutRow>> {
        self.require(crate::people::Action::Read)?;
        let account_id = match filter.account.as_deref() {
            Some(l) => Some(self.account_row(l)?.id),
            None => None,
        };
        Ok(self.store.payouts().page(&ListFilter {
            account_id,
            status: filter.status,
            batch_id: filter.batch_id,
            before_id: req.before_id,
            limit: req.limit,
        })?)
    }

    pub fn list_payouts(
        &self,
        account_label: Option<&str>,
        status: Option<UnifiedStatus>,
        before_id: Option<i64>,
        limit: u32,
    ) -> Result<Vec<PayoutRow>> {
        self.require(crate::people::Action::Read)?;
        let filter = PayoutFilter {
            account: account_label.map(str::to_string),
            status,
            batch_id: None,
        };
        self.payout_page(&filter, PageRequest { before_id, limit })
            .map(|p| p.rows)
    }

    /// Records a status change and tells whoever listens.
    pub(crate) fn move_payout(
        &self,
        id: i64,
        to: UnifiedStatus,
        change: &guichet_store::payouts::Change,
    ) -> Result<Option<PayoutRow>> {
        let moved = self.store.payouts_mut().transition(id, to, change)?;
        if let Some(row) = &moved {
            self.announce(std::slice::from_ref(row))?;
        }
        Ok(moved)
    }
}
