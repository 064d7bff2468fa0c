//! A provider's collections as the neutral orchestration (`collections::{create, sync}`) sees
//! them: what a kind asks of the input, the request that starts one, where one stands, and what
//! became of one whose request was interrupted. Nothing here writes: the orchestration records
//! collections, answers, readings and moves.

use super::kind_adapter;
use crate::{Guichet, Result};
use futures_util::future::BoxFuture;
use guichet_providers::{ErrorKind, ProviderError};
use guichet_store::accounts::AccountRow;
use guichet_store::collections::{CollectionKind, CollectionRow};
use guichet_types::{phone, UnifiedStatus};

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
    kind_adapter(row.kind)
        .read_collection(g, account, row)
        .await
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
    kind_adapter(kind).interrupted_collection(kind)
}

/// Why an interrupted collection never reached the provider, when its failed read shows it.
pub(crate) fn never_arrived(kind: CollectionKind, e: &ProviderError) -> Option<&'static str> {
    kind_adapter(kind).never_arrived(kind, e)
}

/// What a kind of collection asks of the merchant's input, beyond a positive amount.
pub(crate) struct Rules {
    /// The provider's smallest amount, in francs.
    pub min_amount: i64,
    /// The customer sees the reason: it must be given.
    pub reason_required: bool,
    pub phone_required: bool,
    /// The customer can be sent its link (CinetPay's is a page on the merchant's machine).
    pub link_shared: bool,
    /// Checks the channel the merchant chose, if the kind has channels (SOFTSYSTEM), before
    /// anything else.
    pub channel: fn(Option<&str>) -> Result<()>,
}

pub(crate) fn rules(kind: CollectionKind) -> &'static Rules {
    kind_adapter(kind).collection_rules(kind)
}

/// What a started collection shows, as the provider answered.
#[derive(Default)]
pub(crate) struct Shown {
    pub provider_ref: Option<String>,
    pub provider_status: Option<String>,
    pub ussd: Option<String>,
    pub link: Option<String>,
    pub signature: Option<String>,
    /// A form the customer's browser posts to the provider (CinetPay forbids iframes): Guichet
    /// writes it as a local page, which becomes the link.
    pub form: Option<(String, Vec<(&'static str, String)>)>,
}

/// The provider's answer to a collection's request.
pub(crate) enum Answer {
    /// Waiting for the customer, showing `shown`; checked on schedule when `check`.
    Awaiting {
        shown: Shown,
        event: &'static str,
        detail: serde_json::Value,
        check: bool,
    },
    /// Refused: nothing can be paid.
    Refused(ProviderError),
    /// No answer: the request may or may not exist at the provider.
    Lost(ProviderError),
    /// No answer, but the provider can be asked by Guichet's own reference: the next sync
    /// finds out.
    AskLater(ProviderError),
}

/// A lost answer to a call that creates a payment request: it may exist at the provider.
pub(crate) fn lost(e: &ProviderError) -> bool {
    matches!(
        e.kind,
        ErrorKind::OutcomeUnknown | ErrorKind::Unavailable | ErrorKind::Unknown
    )
}

/// A checked collection ready to leave: its reference, and its request (sent once the
/// collection is recorded `submitting`).
pub(crate) struct Start {
    /// The provider's own (SOFTSYSTEM's orderId), or `None` for Guichet's.
    pub reference: Option<String>,
    pub send: Box<dyn FnOnce(CollectionRow) -> BoxFuture<'static, Answer> + Send>,
}

/// A collection's request as checked by the orchestration.
pub(crate) struct Request<'a> {
    pub kind: CollectionKind,
    /// The channel the merchant chose, if any.
    pub channel: Option<&'a str>,
    pub number: Option<&'a phone::Phone>,
}

/// Prepares a checked collection's request: its client, reference and whatever must be decided
/// before anything is recorded.
pub(crate) async fn start(g: &Guichet, account: &AccountRow, req: Request<'_>) -> Result<Start> {
    kind_adapter(req.kind)
        .start_collection(g, account, req)
        .await
}
