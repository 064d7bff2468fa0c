//! Collections: money asked of customers. My-CoolPay payins (USSD, with an OTP step for numbers
//! My-CoolPay does not know) and paylinks, SOFTSYSTEM payment requests, CinetPay hosted payments.
//! Each is recorded with its own reference before its request leaves, then tracked to a final
//! status by the same sync pass as payouts; a pending one can be cancelled locally.

mod checkout;
mod create;
mod history;
mod sync;

use crate::Invalid;
use crate::{CoreError, Guichet, Result};
use guichet_store::accounts::AccountRow;
use guichet_store::collections::Change;
pub use guichet_store::collections::{
    CollectionHistoryRow, CollectionKind, CollectionRow, ListFilter,
};
use guichet_types::UnifiedStatus;
use serde::{Deserialize, Serialize};

pub use checkout::may_open;
pub use history::HistoryReport;
pub use sync::CollectionSyncReport;

/// A collection as the merchant asks for it. The phone is required for payins and SOFTSYSTEM
/// requests, optional otherwise.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct CollectionInput {
    pub amount: i64,
    pub reason: String,
    pub phone: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    /// SOFTSYSTEM only: Wave, Moov, MTN or Orange (told from the number when absent; Wave
    /// cannot be told and must be chosen).
    pub channel: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CollectionDetail {
    pub collection: CollectionRow,
    pub account: String,
    pub history: Vec<CollectionHistoryRow>,
    /// The text to send the customer: amount, reason and where to pay.
    pub share_text: Option<String>,
}

/// A day as `YYYY-MM-DD` (history bounds); `field` names it in the error.
pub fn parse_day(text: &str, field: &str) -> Result<time::Date> {
    time::Date::parse(
        text.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| {
        CoreError::invalid(
            field,
            Invalid::NotDate {
                value: text.to_string(),
            },
            format!("`{text}` is not a date like 2026-03-31"),
        )
    })
}

impl Guichet {
    /// Asks a customer for money in the way `kind` says.
    pub async fn collect(
        &self,
        account_label: &str,
        kind: CollectionKind,
        input: CollectionInput,
    ) -> Result<CollectionRow> {
        self.require(crate::people::Action::Collect)?;
        let row = self.start_collection(account_label, kind, &input).await?;
        self.journal(
            "collection.created",
            row.account_id,
            &row.reference,
            crate::journal::collection(&row),
        );
        self.audit(
            "collection.asked",
            Some(&row.id.to_string()),
            serde_json::json!({"count": 1, "total": row.amount, "kind": kind,
                               "reference": row.reference}),
        )?;
        Ok(row)
    }

    pub fn collection(&self, id: i64) -> Result<CollectionDetail> {
        self.require(crate::people::Action::Read)?;
        let db = self.store.lock();
        let row = db.collections().get(id)?;
        let account = db.accounts().get(row.account_id)?;
        let history = db.collections().history(id)?;
        Ok(CollectionDetail {
            share_text: share_text(&row, &account),
            history,
            account: account.fields.label,
            collection: row,
        })
    }

    pub fn list_collections(
        &self,
        account_label: Option<&str>,
        status: Option<UnifiedStatus>,
        before_id: Option<i64>,
        limit: u32,
    ) -> Result<Vec<CollectionRow>> {
        self.require(crate::people::Action::Read)?;
        let account_id = match account_label {
            Some(l) => Some(self.account_row(l)?.id),
            None => None,
        };
        Ok(self.store.collections().list(&ListFilter {
            account_id,
            status,
            kind: None,
            before_id,
            limit,
        })?)
    }

    /// Stops tracking a collection that is not final: the customer's link or code is no
    /// longer followed. A payment the customer makes afterwards shows in the provider's
    /// back-office (and, for CinetPay, in the synced history).
    pub fn cancel_collection(&self, id: i64) -> Result<CollectionRow> {
        self.require(crate::people::Action::Collect)?;
        let row = self.store.collections().get(id)?;
        if row.status.is_final() {
            return Err(CoreError::invalid(
                "status",
                Invalid::WrongState {
                    reference: row.reference.clone(),
                },
                format!(
                    "collection {} is already {}: only a pending collection can be cancelled",
                    row.reference,
                    row.status.as_str()
                ),
            ));
        }
        self.move_collection(
            id,
            UnifiedStatus::Cancelled,
            &Change {
                event: "cancelled",
                detail: serde_json::json!({"by": "merchant"}),
                ..Default::default()
            },
        )?;
        self.audit(
            "collection.cancelled",
            Some(&id.to_string()),
            serde_json::json!({"count": 1, "total": row.amount, "reference": row.reference}),
        )?;
        Ok(self.store.collections().get(id)?)
    }

    /// Records a status change and tells whoever listens.
    pub(crate) fn move_collection(
        &self,
        id: i64,
        to: UnifiedStatus,
        change: &Change,
    ) -> Result<Option<CollectionRow>> {
        let moved = self.store.collections_mut().transition(id, to, change)?;
        if let Some(row) = &moved {
            self.events.emit(crate::CoreEvent::CollectionStatus {
                id,
                reference: row.reference.clone(),
                status: row.status,
                is_final: row.status.is_final(),
                amount: row.amount,
                name: row.name.clone(),
                phone: row.phone.clone(),
            });
        }
        Ok(moved)
    }
}

/// Which kinds an account's provider offers.
pub(crate) fn check_kind(account: &AccountRow, kind: CollectionKind) -> Result<()> {
    if crate::adapters::capabilities(account.provider)
        .collection_kinds
        .contains(&kind)
    {
        Ok(())
    } else {
        Err(CoreError::invalid(
            "account",
            Invalid::WrongProvider {
                account: account.label.clone(),
            },
            format!(
                "account `{}` collects through {} only",
                account.label,
                crate::adapters::collections_offered(account.provider)
            ),
        ))
    }
}

/// What the merchant sends the customer, as plain text (copied or shared).
fn share_text(row: &CollectionRow, account: &AccountRow) -> Option<String> {
    let amount = row.amount.with_currency(&row.currency);
    let reason = if row.reason.is_empty() {
        String::new()
    } else {
        format!(" ({})", row.reason)
    };
    match (&row.link, &row.ussd) {
        // Only a payin has a USSD code.
        (_, Some(ussd)) if !ussd.is_empty() => Some(format!(
            "{}: {amount}{reason}. Composez {ussd} sur votre téléphone pour confirmer le paiement.",
            account.label
        )),
        (Some(link), _) if crate::adapters::collections::rules(row.kind).link_shared => Some(
            format!("{}: {amount}{reason}. Payez ici : {link}", account.label),
        ),
        _ => None,
    }
}
