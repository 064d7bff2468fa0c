//! My-CoolPay's collections (payins and paylinks): where one stands, asked with My-CoolPay's
//! own reference.

use crate::adapters::clients::AccountClient;
use crate::adapters::collections::{Interrupted, Read, Reading};
use crate::{Guichet, Result};
use guichet_store::accounts::AccountRow;
use guichet_store::collections::CollectionRow;
use guichet_types::UnifiedStatus;
use serde_json::json;

/// My-CoolPay can only be asked with its own reference, which never came back.
pub(crate) const INTERRUPTED_COLLECTION: Interrupted = Interrupted::Settle {
    status: UnifiedStatus::OutcomeUnknown,
    explanation: "Guichet stopped while this request was being sent: it may or may not exist at My-CoolPay. Check the back-office before asking the customer again.",
};

pub(crate) async fn read(g: &Guichet, account: &AccountRow, row: &CollectionRow) -> Result<Read> {
    let (AccountClient::Mycoolpay(c), Some(reference)) =
        (g.client(account).await?, row.provider_ref.as_deref())
    else {
        return Ok(Ok(None));
    };
    Ok(c.check_status(reference).await.map(|s| {
        let status = match s.unified() {
            // Not final: the customer has yet to pay.
            UnifiedStatus::Pending => UnifiedStatus::AwaitingCustomer,
            other => other,
        };
        Some(Reading {
            status,
            provider_status: s.status.to_string(),
            provider_ref: None,
            note: (!s.message.is_empty()).then(|| s.message.clone()),
            detail: json!(s),
        })
    }))
}
