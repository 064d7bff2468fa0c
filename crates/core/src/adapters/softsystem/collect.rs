//! SOFTSYSTEM's payment requests: where one stands, asked by Guichet's own `orderId`.

use crate::adapters::collections::{Interrupted, Read, Reading};
use crate::{Guichet, Result};
use guichet_providers::{ErrorKind, ProviderError};
use guichet_store::accounts::AccountRow;
use guichet_store::collections::CollectionRow;
use guichet_types::UnifiedStatus;
use serde_json::json;

/// SOFTSYSTEM can be asked by our own orderId.
pub(crate) const INTERRUPTED_COLLECTION: Interrupted = Interrupted::AskAgain;

/// SOFTSYSTEM has never heard of this orderId: the request never arrived.
pub(crate) fn never_arrived(e: &ProviderError) -> Option<&'static str> {
    (e.kind == ErrorKind::NotFound)
        .then_some("The request never reached SOFTSYSTEM: nothing to pay. Create a new one.")
}

pub(crate) async fn read(g: &Guichet, account: &AccountRow, row: &CollectionRow) -> Result<Read> {
    let c = g.softsystem_client(account).await?;
    Ok(c.status(&row.reference).await.map(|s| {
        let mut status = s.unified();
        let mut note = None;
        if status == UnifiedStatus::Succeeded && s.amount.trim() != row.amount.0.to_string() {
            status = UnifiedStatus::Failed;
            note = Some(format!(
                "SOFTSYSTEM reports {} francs paid, not the {} asked: not accepted as paid",
                s.amount,
                row.amount.with_currency(&row.currency)
            ));
        }
        Some(Reading {
            status,
            provider_status: s.status.to_string(),
            provider_ref: None,
            note,
            detail: json!(s),
        })
    }))
}
