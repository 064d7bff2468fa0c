//! My-CoolPay (document 000): payouts and balance under the private key, payins and paylinks for
//! collections, callbacks signed with md5 from one address.

mod callback;
mod collect;
mod payouts;
mod rules;

pub use callback::CALLBACK_SOURCE;
pub(crate) use callback::{ask_status, verify_callback, CALLBACK};
pub use collect::REQUIRE_OTP;
pub(crate) use collect::{
    authorize, read, start, INTERRUPTED_COLLECTION, PAYIN_RULES, PAYLINK_RULES,
};
pub(crate) use payouts::{look_at, send, INTERRUPTED};
pub(crate) use rules::{account_problem, operator, operator_for};

use super::{CallbackCheck, Capabilities, Identity};
use guichet_store::collections::CollectionKind;
use guichet_types::{Country, Currency};

pub const IDENTITY: Identity = Identity {
    id_field: "public_key",
    secrets: &["private_key"],
    currency: Currency::XAF,
    country: Country::CM,
};

/// Why contacts pushed to a My-CoolPay account stay in Guichet.
pub(crate) const NO_CONTACT_LIST: &str = "My-CoolPay keeps no contact list: kept in Guichet";

pub(crate) const COLLECTIONS_OFFERED: &str = "My-CoolPay payins and paylinks";

pub fn capabilities() -> Capabilities {
    Capabilities {
        pays_out: true,
        balance: true,
        contacts: false,
        looks_up_own_reference: false,
        collection_kinds: vec![CollectionKind::Payin, CollectionKind::Paylink],
        callback: CallbackCheck::Signed,
    }
}
