//! Re-paying the failures of a finished batch: the payouts that ended *failed* or *rejected*
//! (never *outcome unknown*, whose money may have left, never one still under way) become a
//! new batch under new references, each row linked to the payout it replaces, through the
//! same pre-flight, review and confirmation as any batch. The merchant may correct each one's
//! number and amount: typed in the app's review, or by a file keyed by the number that failed
//! (read by the tabular reader and the one amount reader).

use super::preflight::{BatchLine, BatchRequest};
use crate::contacts::ImportOptions;
use crate::Invalid;
use crate::{CoreError, Guichet, Result};
use guichet_store::accounts::AccountRow;
use guichet_store::payouts::{ListFilter, PayoutRow};
use guichet_types::{phone, Amount, AmountInput, UnifiedStatus};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The failed payout a row pays again, and why it failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RetryOf {
    pub batch_id: i64,
    pub payout_id: i64,
    pub reference: String,
    /// The number it was sent to (international form): the row's may be a corrected one.
    pub phone: String,
    /// `failed` or `rejected`.
    pub status: UnifiedStatus,
    pub amount: Amount,
    /// The provider's words for the failure, as recorded (its status detail, else its status).
    pub why: String,
}

/// What the merchant changes on one payout paid again; `None` leaves it as it was.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RetryCorrection {
    /// The failed or rejected payout corrected.
    pub payout_id: i64,
    /// The number to pay instead, as typed (read with the account's country, like a file's).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub phone: Option<String>,
    /// The amount to pay instead, as typed or as the file holds it (the one amount reader).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub amount: Option<AmountInput>,
}

/// Only these are paid again: their money did not leave.
fn may_be_repaid(s: UnifiedStatus) -> bool {
    matches!(s, UnifiedStatus::Failed | UnifiedStatus::Rejected)
}

impl Guichet {
    /// The failures of finished batch `batch_id` as a new batch to review, under new
    /// references, with the merchant's `corrections` (numbers, amounts; each for a payout
    /// among them). Payouts already paid again by an earlier retry are left out.
    pub fn retry_failed(
        &self,
        batch_id: i64,
        corrections: &[RetryCorrection],
    ) -> Result<BatchRequest> {
        self.require(crate::people::Action::Read)?;
        let (batch, account, payouts) = self.failures_to_repay(batch_id)?;
        let mut by_payout: HashMap<i64, &RetryCorrection> = HashMap::new();
        for c in corrections {
            if !payouts.iter().any(|p| p.id == c.payout_id) {
                return Err(CoreError::invalid(
                    "corrections",
                    Invalid::NotAFailure {
                        payout: c.payout_id,
                    },
                    format!(
                        "payout #{} is not among the payouts to pay again",
                        c.payout_id
                    ),
                ));
            }
            by_payout.insert(c.payout_id, c);
        }
        let mut identity = format!("retry-failed:{batch_id}");
        let lines = payouts
            .iter()
            .zip(1u32..)
            .map(|(p, line)| {
                let was = format!("+{}{}", p.prefix, p.phone);
                let fix = by_payout.get(&p.id);
                let phone = fix
                    .and_then(|c| c.phone.clone())
                    .filter(|t| !t.trim().is_empty())
                    .unwrap_or_else(|| was.clone());
                let amount = fix
                    .and_then(|c| c.amount.clone())
                    .filter(|a| !matches!(a, AmountInput::Text(t) if t.trim().is_empty()))
                    .unwrap_or(AmountInput::Number(p.amount.0 as f64));
                // The review's fingerprint covers the corrections: confirming what was not
                // reviewed is refused.
                identity.push_str(&format!(":{}={phone:?}={amount:?}", p.id));
                let corrected = phone != was;
                BatchLine {
                    line,
                    phone,
                    amount,
                    name: p.name.clone(),
                    reference: p.merchant_reference.clone(),
                    reason: p.reason.clone(),
                    // A corrected number may be another operator's: found from the number.
                    operator: if !corrected {
                        p.operator.clone().unwrap_or_default()
                    } else {
                        String::new()
                    },
                    retry_of: Some(RetryOf {
                        batch_id,
                        payout_id: p.id,
                        reference: p.reference.clone(),
                        phone: was,
                        status: p.status,
                        amount: p.amount,
                        why: p
                            .status_detail
                            .clone()
                            .or_else(|| p.provider_status.clone())
                            .unwrap_or_else(|| p.status.as_str().to_string()),
                    }),
                    ..Default::default()
                }
            })
            .collect();
        Ok(BatchRequest {
            account: account.fields.label,
            file_name: format!("failures of batch #{batch_id} ({})", batch.file_name),
            file_sha256: BatchRequest::sha256_of(identity.as_bytes()),
            lines,
            ..Default::default()
        })
    }

    /// Reads a corrections file for the failures of batch `batch_id`: a phone column (the
    /// number that failed) and an amount column, a new number column (`nouveau numéro`), or
    /// both; blank cells leave the payout as it was. Refused, naming the line: a number that is
    /// not among the failures, or given twice.
    pub fn retry_corrections(&self, batch_id: i64, path: &Path) -> Result<Vec<RetryCorrection>> {
        use guichet_tabular::Field;
        self.require(crate::people::Action::Read)?;
        let (_, account, payouts) = self.failures_to_repay(batch_id)?;
        let country = account.country;
        let read = ImportOptions::default().read_options(vec![Field::Phone]);
        let table = guichet_tabular::open(path, &read)?;
        let has = |f: Field| table.info().columns.iter().any(|c| c.field == f);
        if !has(Field::Amount) && !has(Field::NewPhone) {
            return Err(CoreError::invalid(
                "corrections",
                Invalid::NoCorrectionColumn,
                "the file has neither an amount column nor a new number column (« Nouveau numéro »)",
            ));
        }
        let mut out: Vec<RetryCorrection> = Vec::new();
        let mut lines: HashMap<i64, u32> = HashMap::new();
        let mut failure: Option<CoreError> = None;
        table.for_each(|row| {
            let line = u32::try_from(row.line).unwrap_or(u32::MAX);
            let text = |f: Field| match row.get(f) {
                Some(Ok(t)) => Ok(t.trim().to_string()),
                Some(Err(why)) => {
                    let column = row.column(f).map(|c| c.describe()).unwrap_or_default();
                    Err(CoreError::invalid(
                        "corrections",
                        Invalid::UnreadableCell {
                            line,
                            column: column.clone(),
                        },
                        format!("line {line}, column {column}: {why}"),
                    ))
                }
                None => Ok(String::new()),
            };
            let step = (|| {
                let old = text(Field::Phone)?;
                // Blank lines, notes and a TOTAL row are not corrections.
                if old.is_empty() || super::totals::is_label(&old) {
                    return Ok(());
                }
                let number = phone::normalize(&old, country).map_err(|e| {
                    CoreError::invalid(
                        "corrections",
                        Invalid::NotAPhoneOnLine {
                            line,
                            value: old.clone(),
                        },
                        format!("line {line}: {e}"),
                    )
                })?;
                let not_to_repay = || {
                    CoreError::invalid(
                        "corrections",
                        Invalid::NotToRepay {
                            line,
                            phone: number.e164(),
                        },
                        format!(
                            "line {line}: {} is not among the payouts to pay again",
                            number.e164()
                        ),
                    )
                };
                let payout = payouts
                    .iter()
                    .find(|p| p.phone == number.national && p.prefix == number.prefix)
                    .ok_or_else(not_to_repay)?;
                if let Some(first) = lines.insert(payout.id, line) {
                    return Err(CoreError::invalid(
                        "corrections",
                        Invalid::PhoneTwice {
                            line,
                            first,
                            phone: number.e164(),
                        },
                        format!("line {line}: {} is already on line {first}", number.e164()),
                    ));
                }
                let amount = match row.number(Field::Amount) {
                    Some(n) => Some(AmountInput::Number(n)),
                    None => Some(AmountInput::Text(text(Field::Amount)?))
                        .filter(|a| !matches!(a, AmountInput::Text(t) if t.is_empty())),
                };
                let phone = Some(text(Field::NewPhone)?).filter(|t| !t.is_empty());
                out.push(RetryCorrection {
                    payout_id: payout.id,
                    phone,
                    amount,
                });
                Ok(())
            })();
            match step {
                Ok(()) => std::ops::ControlFlow::Continue(()),
                Err(e) => {
                    failure = Some(e);
                    std::ops::ControlFlow::Break(())
                }
            }
        })?;
        match failure {
            Some(e) => Err(e),
            None => Ok(out),
        }
    }

    /// Batch `batch_id`, its account, and its failed and rejected payouts not paid
    /// again yet, in id order; refused while any of its payouts is under way, or when none is
    /// left to pay again.
    fn failures_to_repay(
        &self,
        batch_id: i64,
    ) -> Result<(guichet_store::batches::BatchRow, AccountRow, Vec<PayoutRow>)> {
        let (batch, account, payouts, repaid) = {
            let db = self.store.lock();
            let batch = db.batches().get(batch_id)?;
            if db.batches().still_open(batch_id)? {
                return Err(CoreError::invalid(
                    "batch",
                    Invalid::BatchUnderWay { batch: batch_id },
                    format!(
                        "batch #{batch_id} still has payouts under way: wait until it has finished"
                    ),
                ));
            }
            let account = db.accounts().get(batch.account_id)?;
            let payouts: Vec<PayoutRow> = db
                .payouts()
                .list(&ListFilter {
                    batch_id: Some(batch_id),
                    limit: u32::MAX,
                    ..Default::default()
                })?
                .into_iter()
                .filter(|p| may_be_repaid(p.status))
                .collect();
            let ids: Vec<i64> = payouts.iter().map(|p| p.id).collect();
            let repaid = db.retries().repaid(&ids)?;
            (batch, account, payouts, repaid)
        };
        let mut payouts: Vec<PayoutRow> = payouts
            .into_iter()
            .filter(|p| !repaid.contains_key(&p.id))
            .collect();
        payouts.sort_unstable_by_key(|p| p.id);
        if payouts.is_empty() {
            return Err(CoreError::refused(
                "nothing_to_send",
                format!("batch #{batch_id} has no failed or rejected payout left to pay again"),
            ));
        }
        Ok((batch, account, payouts))
    }
}
