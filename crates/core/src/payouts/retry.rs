//! Re-paying the failures of a finished batch: the payouts that ended *failed* or *rejected*
//! (never *outcome unknown*, whose money may have left, never one still under way) become a
//! new batch under new references, each row linked to the payout it replaces, through the
//! same pre-flight, review and confirmation as any batch. Amounts may be corrected by a file
//! keyed by phone, read by the tabular reader and the one amount reader.

use super::preflight::{BatchLine, BatchRequest};
use crate::contacts::ImportOptions;
use crate::Invalid;
use crate::{CoreError, Guichet, Result};
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
    /// `failed` or `rejected`.
    pub status: UnifiedStatus,
    pub amount: Amount,
    /// The provider's words for the failure, as recorded (its status detail, else its status).
    pub why: String,
}

/// Only these are paid again: their money did not leave.
fn may_be_repaid(s: UnifiedStatus) -> bool {
    matches!(s, UnifiedStatus::Failed | UnifiedStatus::Rejected)
}

impl Guichet {
    /// The failures of finished batch `batch_id` as a new batch to review, under new
    /// references. `amounts`: a file of phone and amount columns correcting some amounts.
    /// Payouts already paid again by an earlier retry are left out.
    pub fn retry_failed(&self, batch_id: i64, amounts: Option<&Path>) -> Result<BatchRequest> {
        self.require(crate::people::Action::Read)?;
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
        let label = account.fields.label.clone();
        let corrected = match amounts {
            Some(path) => self.corrected_amounts(path, &label, &payouts)?,
            None => HashMap::new(),
        };
        let mut identity = format!("retry-failed:{batch_id}");
        let lines = payouts
            .iter()
            .zip(1u32..)
            .map(|(p, line)| {
                let amount = corrected
                    .get(&p.phone)
                    .cloned()
                    .unwrap_or(AmountInput::Number(p.amount.0 as f64));
                identity.push_str(&format!(":{}={amount:?}", p.id));
                BatchLine {
                    line,
                    phone: format!("+{}{}", p.prefix, p.phone),
                    amount,
                    name: p.name.clone(),
                    reference: p.merchant_reference.clone(),
                    reason: p.reason.clone(),
                    operator: p.operator.clone().unwrap_or_default(),
                    retry_of: Some(RetryOf {
                        batch_id,
                        payout_id: p.id,
                        reference: p.reference.clone(),
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
            account: label,
            file_name: format!("failures of batch #{batch_id} ({})", batch.file_name),
            file_sha256: BatchRequest::sha256_of(identity.as_bytes()),
            lines,
            ..Default::default()
        })
    }

    /// The amounts file: national number → amount as written, for numbers among `payouts`.
    fn corrected_amounts(
        &self,
        path: &Path,
        account: &str,
        payouts: &[PayoutRow],
    ) -> Result<HashMap<String, AmountInput>> {
        let row = self.account_row(account)?;
        let file = BatchRequest::from_file(path, account, &ImportOptions::default(), false)?;
        let mut out = HashMap::new();
        for l in file.lines.iter().filter(|l| l.total_label.is_none()) {
            let number = phone::normalize(&l.phone, row.country).map_err(|e| {
                CoreError::invalid(
                    "amounts",
                    Invalid::NotAPhoneOnLine {
                        line: l.line,
                        value: l.phone.clone(),
                    },
                    format!("line {}: {e}", l.line),
                )
            })?;
            if !payouts.iter().any(|p| p.phone == number.national) {
                return Err(CoreError::invalid(
                    "amounts",
                    Invalid::NotToRepay {
                        line: l.line,
                        phone: number.e164(),
                    },
                    format!(
                        "line {}: {} is not among the payouts to pay again",
                        l.line,
                        number.e164()
                    ),
                ));
            }
            out.insert(number.national, l.amount.clone());
        }
        Ok(out)
    }
}
