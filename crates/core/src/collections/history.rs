//! CinetPay's transaction history (`getTransHistory`), read page by page between two dates and
//! merged into the collections: a payment Guichet created is updated in place (checked against
//! its stored amount and signature), one it did not is added once, marked as imported.

use crate::adapters::cinetpay::{history_date, History, Listed, PER_PAGE};
use crate::Invalid;
use crate::{CoreError, Guichet, Result};
use guichet_store::collections::{Change, CollectionKind, Fields, NewCollection};
use guichet_types::{Amount, Provider};
use serde::Serialize;
use serde_json::json;
use std::collections::HashSet;

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistoryReport {
    pub account: String,
    /// Transactions CinetPay listed between the dates.
    pub fetched: usize,
    /// Added to the collections (not created by Guichet).
    pub imported: usize,
    /// Collections of Guichet's whose status changed.
    pub updated: usize,
    pub pages: u32,
}

/// A bound on pages per sync (100 000 transactions).
const MAX_PAGES: u32 = 1000;
/// The longest span one sync covers.
const MAX_DAYS: i64 = 366;

impl Guichet {
    /// Reads the account's CinetPay history from `from` to `to` (inclusive) into the store.
    pub async fn sync_cinetpay_history(
        &self,
        account_label: &str,
        from: time::Date,
        to: time::Date,
    ) -> Result<HistoryReport> {
        self.require(crate::people::Action::Sync)?;
        let account = self.account_row(account_label)?;
        if account.provider != Provider::Cinetpay {
            return Err(CoreError::invalid(
                "account",
                Invalid::WrongProvider {
                    account: String::new(),
                },
                format!("`{account_label}` is not a CinetPay account"),
            ));
        }
        if from > to {
            return Err(CoreError::invalid(
                "from",
                Invalid::EndBeforeStart,
                "the start date is after the end date",
            ));
        }
        if (to - from).whole_days() >= MAX_DAYS {
            return Err(CoreError::invalid(
                "from",
                Invalid::TooManyDays {
                    max: MAX_DAYS as u32,
                },
                format!("sync at most {MAX_DAYS} days at a time"),
            ));
        }
        let history = History::of(self, &account, from, to).await?;
        let mut report = HistoryReport {
            account: account.label.clone(),
            ..Default::default()
        };
        let mut seen = HashSet::new();
        for page in 1..=MAX_PAGES {
            let rows = history.page(page).await?;
            report.pages = page;
            let count = rows.len();
            let mut fresh = 0;
            for t in rows {
                if t.reference().is_empty() || !seen.insert(t.reference().to_string()) {
                    continue;
                }
                fresh += 1;
                report.fetched += 1;
                self.merge_history_row(account.id, &account.currency.to_string(), &t, &mut report)?;
            }
            // A short page is the last; a page of nothing new means CinetPay ignores paging.
            if count < PER_PAGE as usize || fresh == 0 {
                break;
            }
        }
        self.store.events_mut().append("collections.history_synced",
            Some(account.id),
            None,
            &json!({"from": history_date(from), "to": history_date(to), "fetched": report.fetched, "imported": report.imported, "updated": report.updated}),
        )?;
        Ok(report)
    }

    fn merge_history_row(
        &self,
        account_id: i64,
        currency: &str,
        t: &Listed,
        report: &mut HistoryReport,
    ) -> Result<()> {
        let existing = self.store.collections().by_reference(t.reference())?;
        match existing {
            Some(row) if row.account_id != account_id => {}
            Some(row) => {
                let stored = row.signature.clone().unwrap_or_default();
                let status = t.status(row.amount.0, &stored);
                let moved = self.move_collection(
                    row.id,
                    status,
                    &Change {
                        fields: Fields {
                            provider_status: Some(t.provider_status()),
                            provider_ref: t.provider_ref(),
                            ..Default::default()
                        },
                        event: "history",
                        detail: t.detail(),
                    },
                )?;
                report.updated += usize::from(moved.is_some());
            }
            None => {
                let Some(amount) = t.amount().trim().parse::<i64>().ok().filter(|a| *a > 0) else {
                    tracing::info!(trans_id = %t.reference(), amount = %t.amount(), "history row without a whole amount; skipped");
                    return Ok(());
                };
                // Not ours: CinetPay's own amount and signature are the reference.
                let status = t.status(amount, t.signature());
                self.store.collections_mut().insert_imported(
                    &NewCollection {
                        account_id,
                        kind: CollectionKind::Cinetpay,
                        reference: t.reference().to_string(),
                        amount: Amount(amount),
                        currency: currency.to_string(),
                        phone: (!t.phone().is_empty()).then(|| t.phone().to_string()),
                        name: None,
                        email: None,
                        reason: t.reason().to_string(),
                    },
                    status,
                    &Fields {
                        provider_status: Some(t.provider_status()),
                        provider_ref: t.provider_ref(),
                        signature: (!t.signature().is_empty()).then_some(t.signature()),
                        ..Default::default()
                    },
                )?;
                report.imported += 1;
            }
        }
        Ok(())
    }
}
