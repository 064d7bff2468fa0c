//! CinetPay: transfers (document 004) for payouts, to numbers in the account's contact list;
//! hosted payments (document 002) for collections; unsigned callbacks.

mod callback;
mod collect;
mod contacts;
mod history;
mod payouts;
mod rules;

pub(crate) use callback::{verify_callback, CALLBACK, TRANSFER_CALLBACK};
pub(crate) use collect::{read, start, INTERRUPTED_COLLECTION, RULES};
pub(crate) use contacts::contact_list;
pub(crate) use history::{history_date, History, Listed, PER_PAGE};
pub(crate) use payouts::{
    add_contacts_first, by_lot, look_at_lot, look_at_one, look_up, resend, send_chunk, CHUNK,
};
pub(crate) use rules::{account_problem, amount_issues, operator};

use super::{CallbackCheck, Capabilities, Identity};
use guichet_store::collections::CollectionKind;
use guichet_types::{Country, Currency};

pub const IDENTITY: Identity = Identity {
    id_field: "site_id",
    secrets: &["api_key", "transfer_password"],
    currency: Currency::XOF,
    country: Country::CI,
};

pub(crate) const COLLECTIONS_OFFERED: &str = "CinetPay hosted payments";

pub fn capabilities() -> Capabilities {
    Capabilities {
        pays_out: true,
        balance: true,
        contacts: true,
        looks_up_own_reference: true,
        collection_kinds: vec![CollectionKind::Cinetpay],
        callback: CallbackCheck::AskProvider,
    }
}
