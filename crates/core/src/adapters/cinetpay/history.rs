//! CinetPay's transaction history (`getTransHistory`), asked a page at a time between two dates;
//! each payment it lists as the orchestration (`collections::history`) merges it.

use crate::{CoreError, Guichet, Result};
use guichet_providers::cinetpay_payment::{self, HistoryQuery, PayStatus};
use guichet_store::accounts::AccountRow;
use guichet_types::UnifiedStatus;
use std::sync::Arc;

/// Rows per page asked of CinetPay.
pub(crate) const PER_PAGE: u32 = 100;

/// A day as CinetPay's history takes it (`DD-MM-YYYY`).
pub(crate) fn history_date(d: time::Date) -> String {
    format!("{:02}-{:02}-{:04}", d.day(), u8::from(d.month()), d.year())
}

/// One payment the history lists.
pub(crate) struct Listed(PayStatus);

impl Listed {
    /// Guichet's reference (the transaction id Guichet gave, or CinetPay's for one it did not).
    pub fn reference(&self) -> &str {
        &self.0.trans_id
    }
    /// The amount as CinetPay states it.
    pub fn amount(&self) -> &str {
        &self.0.amount
    }
    pub fn phone(&self) -> &str {
        &self.0.phone
    }
    pub fn reason(&self) -> &str {
        &self.0.designation
    }
    pub fn provider_status(&self) -> &str {
        self.0.result.as_str()
    }
    pub fn provider_ref(&self) -> Option<&str> {
        (!self.0.payid.is_empty()).then_some(self.0.payid.as_str())
    }
    pub fn signature(&self) -> &str {
        &self.0.signature
    }
    /// Paid only with the amount and signature it must carry.
    pub fn status(&self, amount: i64, signature: &str) -> UnifiedStatus {
        self.0.verdict(amount, signature)
    }
    pub fn detail(&self) -> serde_json::Value {
        serde_json::json!(self.0)
    }
}

/// An account's history between two days.
pub(crate) struct History {
    client: Arc<cinetpay_payment::Client>,
    from: String,
    to: String,
}

impl History {
    pub async fn of(
        g: &Guichet,
        account: &AccountRow,
        from: time::Date,
        to: time::Date,
    ) -> Result<History> {
        Ok(History {
            client: g.cinetpay_payment_client(account).await?,
            from: history_date(from),
            to: history_date(to),
        })
    }

    /// Page `page` (from 1), of at most [`PER_PAGE`] payments.
    pub async fn page(&self, page: u32) -> Result<Vec<Listed>> {
        let rows = self
            .client
            .history(&HistoryQuery {
                date_from: Some(self.from.clone()),
                date_to: Some(self.to.clone()),
                page: Some(page),
                per_page: Some(PER_PAGE),
            })
            .await
            .map_err(|e| CoreError::provider(&e))?;
        Ok(rows.into_iter().map(Listed).collect())
    }
}
