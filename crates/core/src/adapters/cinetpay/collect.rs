//! CinetPay's hosted payments: where one stands, asked by Guichet's own transaction id; paid
//! only with the amount and signature Guichet stored.

use crate::adapters::collections::{Interrupted, Read, Reading};
use crate::{Guichet, Result};
use guichet_providers::cinetpay_payment::PayResult;
use guichet_store::accounts::AccountRow;
use guichet_store::collections::CollectionRow;
use guichet_types::UnifiedStatus;
use serde_json::json;

/// The customer never got the payment form: nothing can have been paid.
pub(crate) const INTERRUPTED_COLLECTION: Interrupted = Interrupted::Settle {
    status: UnifiedStatus::Failed,
    explanation: "Guichet stopped before the payment page was ready; create a new one.",
};

pub(crate) async fn read(g: &Guichet, account: &AccountRow, row: &CollectionRow) -> Result<Read> {
    let c = g.cinetpay_payment_client(account).await?;
    let stored = row.signature.clone().unwrap_or_default();
    Ok(c.check(&row.reference).await.map(|s| {
        let status = s.verdict(row.amount.0, &stored);
        let note = (s.result == PayResult::Paid && status != UnifiedStatus::Succeeded).then(|| {
            format!(
                "CinetPay reports a payment of {} francs, but its amount or signature differs from what Guichet stored ({}): not accepted as paid",
                s.amount, row.amount.with_currency(&row.currency)
            )
        });
        Some(Reading {
            status,
            provider_status: s.result.as_str().to_string(),
            provider_ref: (!s.payid.is_empty()).then(|| s.payid.clone()),
            note,
            detail: json!(s),
        })
    }))
}
