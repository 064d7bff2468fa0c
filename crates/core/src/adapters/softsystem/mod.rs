//! SOFTSYSTEM (document 003): payment requests for collections, their status by `orderId`; no
//! payouts, no balance call, unsigned callbacks.

mod callback;
mod collect;

use super::callbacks::{Fields, Shape, Verdict};
use super::collections::{Interrupted, Read, Request, Rules, Start};
use super::{CallbackCheck, Capabilities, Fut, Identity, ProviderAdapter};
use crate::accounts::AccountInput;
use crate::demo::DemoAccounts;
use crate::{Guichet, Result};
use futures_util::FutureExt;
use guichet_providers::{softsystem, ErrorKind, ProviderError};
use guichet_secrets::Secret;
use guichet_store::accounts::AccountRow;
use guichet_store::collections::{CollectionKind, CollectionRow};
use guichet_types::{Country, Currency, Provider};
use std::net::IpAddr;
use std::sync::Arc;

pub const IDENTITY: Identity = Identity {
    id_field: "client_reference",
    secrets: &["access_token"],
    currency: Currency::XOF,
    country: Country::CI,
};

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

impl Guichet {
    /// The SOFTSYSTEM client of a SOFTSYSTEM account.
    pub async fn softsystem_client(&self, account: &AccountRow) -> Result<Arc<softsystem::Client>> {
        self.cached_client(account, Provider::Softsystem, |g, row, exec| {
            Ok(softsystem::Client::new(
                exec,
                row.base_url.as_deref(),
                row.client_reference.as_deref().unwrap_or_default(),
                g.account_secret(row, "access_token")?,
            ))
        })
        .await
    }
}

/// SOFTSYSTEM as core sees it: it collects, and pays nothing out.
pub(crate) struct Softsystem;

impl ProviderAdapter for Softsystem {
    fn identity(&self) -> &'static Identity {
        &IDENTITY
    }

    fn capabilities(&self) -> Capabilities {
        capabilities()
    }

    // No payment is created: the status of an orderId never used answers 401 for a bad token
    // and something else (404) for a good one (document 003 §4).
    fn try_credentials<'a>(
        &'a self,
        g: &'a Guichet,
        account: &'a AccountRow,
    ) -> Fut<'a, (&'static str, std::result::Result<(), ProviderError>)> {
        async move {
            let answer = g
                .softsystem_client(account)
                .await?
                .status(&softsystem::new_order_id())
                .await;
            Ok((
                "asked the status of an order that does not exist with the access token",
                match answer {
                    Err(e) if matches!(e.kind, ErrorKind::NotFound) => Ok(()),
                    other => other.map(|_| ()),
                },
            ))
        }
        .boxed()
    }

    fn collections_offered(&self) -> &'static str {
        "SOFTSYSTEM payment requests"
    }

    fn collection_rules(&self, _kind: CollectionKind) -> &'static Rules {
        &collect::RULES
    }

    fn start_collection<'a>(
        &'a self,
        g: &'a Guichet,
        account: &'a AccountRow,
        req: Request<'a>,
    ) -> Fut<'a, Start> {
        async move { collect::start(g, account, &req).await }.boxed()
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

    fn never_arrived(&self, _kind: CollectionKind, e: &ProviderError) -> Option<&'static str> {
        collect::never_arrived(e)
    }

    fn callback_shapes(&self) -> &'static [&'static Shape] {
        &[&callback::CALLBACK]
    }

    fn account_shape(&self) -> &'static Shape {
        &callback::CALLBACK
    }

    fn verify_callback<'a>(
        &'a self,
        g: &'a Guichet,
        account: &'a AccountRow,
        f: &'a Fields,
        _source: Option<IpAddr>,
        _stored: Option<&'a CollectionRow>,
    ) -> Fut<'a, Verdict> {
        callback::verify_callback(g, account, f).boxed()
    }

    fn demo_account(&self, demo: &DemoAccounts, input: &mut AccountInput) {
        input.client_reference = Some(demo.softsystem_client_reference.clone());
        input.secrets = vec![(
            "access_token".into(),
            Secret::new(demo.softsystem_access_token.clone()),
        )];
    }
}
