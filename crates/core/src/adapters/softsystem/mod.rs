//! SOFTSYSTEM (document 003): payment requests for collections, their status by `orderId`; no
//! payouts, no balance call, unsigned callbacks.

mod callback;
mod collect;

use super::{CallbackCheck, Capabilities, Identity};
pub(crate) use callback::{verify_callback, CALLBACK};
pub(crate) use collect::{never_arrived, read, start, INTERRUPTED_COLLECTION, RULES};
use guichet_store::collections::CollectionKind;
use guichet_types::{Country, Currency};

pub const IDENTITY: Identity = Identity {
    id_field: "client_reference",
    secrets: &["access_token"],
    currency: Currency::XOF,
    country: Country::CI,
};

pub(crate) const COLLECTIONS_OFFERED: &str = "SOFTSYSTEM payment requests";

pub fn capabilities() -> Capabilities {
    Capabilities {
        pays_out: false,
        balance: false,
        contacts: false,
        looks_up_own_reference: false,
        collection_kinds: vec![CollectionKind::Softsystem],
        callback: CallbackCheck::AskProvider,
    }
}
