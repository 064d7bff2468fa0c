//! My-CoolPay (document 000): payouts and balance under the private key, payins and paylinks for
//! collections, callbacks signed with md5 from one address.

mod balance;
mod callback;
mod collect;
mod payouts;
mod rules;

pub use callback::CALLBACK_SOURCE;
pub(crate) use collect::authorize;
pub use collect::REQUIRE_OTP;
pub(crate) use rules::operator_for;

use super::callbacks::{Asked, Fields, Shape, Verdict};
use super::collections::{Interrupted, Read, Request, Rules, Start};
use super::contacts::ContactList;
use super::{
    CallbackCheck, Capabilities, Fut, Identity, Payouts, ProviderAdapter, Reading, RowIssue,
};
use crate::accounts::AccountInput;
use crate::demo::DemoAccounts;
use crate::{CoreError, Guichet, Result};
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use guichet_providers::{mycoolpay, ProviderError};
use guichet_secrets::Secret;
use guichet_store::accounts::AccountRow;
use guichet_store::collections::{CollectionKind, CollectionRow};
use guichet_types::{phone, Country, Currency, Provider};
use std::net::IpAddr;
use std::sync::Arc;

pub const IDENTITY: Identity = Identity {
    id_field: "public_key",
    secrets: &["private_key"],
    currency: Currency::XAF,
    country: Country::CM,
};

/// Why contacts pushed to a My-CoolPay account stay in Guichet.
pub(crate) const NO_CONTACT_LIST: &str = "My-CoolPay keeps no contact list: kept in Guichet";

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

/// The account's client (payouts, balance, collections, checkStatus).
pub(crate) async fn client(g: &Guichet, account: &AccountRow) -> Result<Arc<mycoolpay::Client>> {
    g.cached_client(account, Provider::Mycoolpay, |g, row, exec| {
        Ok(mycoolpay::Client::new(
            exec,
            row.base_url.as_deref(),
            row.public_key.as_deref().unwrap_or_default(),
            g.account_secret(row, "private_key")?,
        ))
    })
    .await
}

/// My-CoolPay as core sees it.
pub(crate) struct MyCoolPay;

impl ProviderAdapter for MyCoolPay {
    fn identity(&self) -> &'static Identity {
        &IDENTITY
    }

    fn capabilities(&self) -> Capabilities {
        capabilities()
    }

    fn account_problem(&self, account: &AccountRow) -> Option<CoreError> {
        rules::account_problem(account)
    }

    fn operator(
        &self,
        number: Option<&phone::Phone>,
        given: Option<&str>,
    ) -> std::result::Result<(Option<String>, String), RowIssue> {
        rules::operator(number, given)
    }

    fn payouts<'a>(&'a self, g: &'a Guichet, account: &'a AccountRow) -> Fut<'a, Payouts> {
        async move {
            Ok(Box::new(payouts::Payouts {
                client: client(g, account).await?,
            }) as Payouts)
        }
        .boxed()
    }

    fn balances<'a>(
        &'a self,
        g: &'a Guichet,
        account: &'a AccountRow,
    ) -> Fut<'a, std::result::Result<Vec<Reading>, CoreError>> {
        balance::balances(g, account).boxed()
    }

    fn payout_balance<'a>(
        &'a self,
        g: &'a Guichet,
        account: &'a AccountRow,
    ) -> Fut<'a, std::result::Result<Reading, ProviderError>> {
        balance::payout_balance(g, account).boxed()
    }

    fn try_credentials<'a>(
        &'a self,
        g: &'a Guichet,
        account: &'a AccountRow,
    ) -> Fut<'a, (&'static str, std::result::Result<(), ProviderError>)> {
        balance::try_credentials(g, account).boxed()
    }

    fn contact_list<'a>(&'a self, g: &'a Guichet, account: &'a AccountRow) -> Fut<'a, ContactList> {
        async move {
            client(g, account).await?;
            Ok(ContactList::NotKept(NO_CONTACT_LIST.into()))
        }
        .boxed()
    }

    fn collections_offered(&self) -> &'static str {
        "My-CoolPay payins and paylinks"
    }

    fn collection_rules(&self, kind: CollectionKind) -> &'static Rules {
        if kind == CollectionKind::Paylink {
            &collect::PAYLINK_RULES
        } else {
            &collect::PAYIN_RULES
        }
    }

    fn start_collection<'a>(
        &'a self,
        g: &'a Guichet,
        account: &'a AccountRow,
        req: Request<'a>,
    ) -> Fut<'a, Start> {
        collect::start(g, account, req.kind).boxed()
    }

    fn read_collection<'a>(
        &'a self,
        g: &'a Guichet,
        account: &'a AccountRow,
        row: &'a CollectionRow,
    ) -> Fut<'a, Read> {
        collect::read(g, account, row).boxed()
    }

    fn interrupted_collection(&self, _kind: CollectionKind) -> Interrupted {
        collect::INTERRUPTED_COLLECTION
    }

    fn callback_shapes(&self) -> &'static [&'static Shape] {
        &[&callback::CALLBACK]
    }

    fn account_shape(&self) -> &'static Shape {
        &callback::CALLBACK
    }

    fn callback_source(&self) -> Option<&'static str> {
        Some(CALLBACK_SOURCE)
    }

    fn verify_callback<'a>(
        &'a self,
        g: &'a Guichet,
        account: &'a AccountRow,
        f: &'a Fields,
        source: Option<IpAddr>,
        _stored: Option<&'a CollectionRow>,
    ) -> Fut<'a, Verdict> {
        callback::verify_callback(g, account, f, source).boxed()
    }

    fn ask_status<'a>(
        &'a self,
        g: &'a Guichet,
        account: &'a AccountRow,
        reference: &'a str,
    ) -> BoxFuture<'a, Option<Asked>> {
        callback::ask_status(g, account, reference).boxed()
    }

    fn demo_account(&self, demo: &DemoAccounts, input: &mut AccountInput) {
        input.public_key = Some(demo.mycoolpay_public_key.clone());
        input.secrets = vec![(
            "private_key".into(),
            Secret::new(demo.mycoolpay_private_key.clone()),
        )];
    }
}
