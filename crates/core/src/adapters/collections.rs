//! A provider's collections as the neutral sync pass (`collections::sync`) sees them: where a
//! collection stands, and what became of one whose request was interrupted. Nothing here
//! writes: the sync pass records readings and moves.

use super::{cinetpay, mycoolpay, softsystem};
use crate::{Guichet, Result};
use guichet_providers::ProviderError;
use guichet_store::accounts::AccountRow;
use guichet_store::collections::{CollectionKind, CollectionRow};
use guichet_types::UnifiedStatus;

/// What a provider says about a collection, normalised.
pub(crate) struct Reading {
    pub status: UnifiedStatus,
    pub provider_status: String,
    pub provider_ref: Option<String>,
    pub note: Option<String>,
    pub detail: serde_json::Value,
}

/// A provider's answer about a collection: a reading, nothing to read yet, or a failed call.
pub(crate) type Read = std::result::Result<Option<Reading>, ProviderError>;

/// Asks the provider where a collection stands.
pub(crate) async fn read(g: &Guichet, account: &AccountRow, row: &CollectionRow) -> Result<Read> {
    match row.kind {
        CollectionKind::Payin | CollectionKind::Paylink => mycoolpay::read(g, account, row).await,
        CollectionKind::Softsystem => softsystem::read(g, account, row).await,
        CollectionKind::Cinetpay => cinetpay::read(g, account, row).await,
    }
}

/// What becomes of a collection whose request left but whose answer was never recorded.
pub(crate) enum Interrupted {
    /// The provider can be asked by Guichet's own reference.
    AskAgain,
    /// It cannot: the collection settles here, with these words for the merchant.
    Settle {
        status: UnifiedStatus,
        explanation: &'static str,
    },
}

pub(crate) fn interrupted(kind: CollectionKind) -> Interrupted {
    match kind {
        CollectionKind::Payin | CollectionKind::Paylink => mycoolpay::INTERRUPTED_COLLECTION,
        CollectionKind::Softsystem => softsystem::INTERRUPTED_COLLECTION,
        CollectionKind::Cinetpay => cinetpay::INTERRUPTED_COLLECTION,
    }
}

/// Why an interrupted collection never reached the provider, when its failed read shows it.
pub(crate) fn never_arrived(kind: CollectionKind, e: &ProviderError) -> Option<&'static str> {
    match kind {
        CollectionKind::Softsystem => softsystem::never_arrived(e),
        CollectionKind::Payin | CollectionKind::Paylink | CollectionKind::Cinetpay => None,
    }
}
