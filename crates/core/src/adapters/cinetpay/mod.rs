//! CinetPay: transfers (document 004) for payouts, to numbers in the account's contact list;
//! hosted payments (document 002) for collections; unsigned callbacks.

mod balance;
mod callback;
mod collect;
mod contacts;
mod history;
mod payouts;
mod rules;

pub(crate) use history::{history_date, History, Listed, PER_PAGE};

use super::callbacks::{Fields, Shape, Verdict};
use super::collections::{Interrupted, Read, Request, Rules, Start};
use super::contacts::ContactList;
use super::{
    CallbackCheck, Capabilities, Fut, Identity, Payouts, ProviderAdapter, Reading, RowIssue,
};
use crate::accounts::AccountInput;
use crate::demo::DemoAccounts;
use crate::{CoreError, Guichet, Result};
use futures_util::FutureExt;
use guichet_providers::{cinetpay_payment, cinetpay_transfer, ProviderError};
use guichet_secrets::Secret;
use guichet_store::accounts::AccountRow;
use guichet_store::collections::{CollectionKind, CollectionRow};
use guichet_types::{phone, Country, Currency, Provider};
use std::net::IpAddr;
use std::sync::Arc;

pub const IDENTITY: Identity = Identity {
    id_field: "site_id",
    secrets: &["api_key", "transfer_password"],
    currency: Currency::XOF,
    country: Country::CI,
};

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

/// The account's transfer API client (payouts, contacts, the transfer balance).
pub(crate) async fn transfer_client(
    g: &Guichet,
    account: &AccountRow,
) -> Result<Arc<cinetpay_transfer::Client>> {
    g.cached_client(account, Provider::Cinetpay, |g, row, exec| {
        Ok(cinetpay_transfer::Client::new(
            exec,
            row.base_url.as_deref(),
            cinetpay_transfer::Credentials {
                api_key: g.account_secret(row, "api_key")?,
                transfer_password: g.account_secret(row, "transfer_password")?,
            },
        ))
    })
    .await
}

impl Guichet {
    /// The CinetPay payment API client of a CinetPay account (collections, account balances).
    pub async fn cinetpay_payment_client(
        &self,
        account: &AccountRow,
    ) -> Result<Arc<cinetpay_payment::Client>> {
        self.cached_client(account, Provider::Cinetpay, |g, row, exec| {
            Ok(cinetpay_payment::Client::new(
                exec,
                row.base_url.as_deref(),
                row.site_id.as_deref().unwrap_or_default(),
                g.account_secret(row, "api_key")?,
            ))
        })
        .await
    }
}

/// CinetPay as core sees it.
pub(crate) struct CinetPay;

impl ProviderAdapter for CinetPay {
    fn identity(&self) -> &'static Identity {
        &IDENTITY
    }

    fn capabilities(&self) -> Capabilities {
        capabilities()
    }

    fn account_problem(&self, account: &AccountRow) -> Option<CoreError> {
        rules::account_problem(account)
    }

    fn amount_issues(&self, amount: i64, currency: Currency) -> Vec<RowIssue> {
        rules::amount_issues(amount, currency)
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
                client: transfer_client(g, account).await?,
                notify_url: account.notify_url.clone().unwrap_or_default(),
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
        async move { Ok(contacts::contact_list(transfer_client(g, account).await?)) }.boxed()
    }

    fn collections_offered(&self) -> &'static str {
        "CinetPay hosted payments"
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
        collect::start(g, account, req.number).boxed()
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
        &[&callback::CALLBACK, &callback::TRANSFER_CALLBACK]
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
        stored: Option<&'a CollectionRow>,
    ) -> Fut<'a, Verdict> {
        callback::verify_callback(g, account, f, stored).boxed()
    }

    fn demo_account(&self, demo: &DemoAccounts, input: &mut AccountInput) {
        input.site_id = Some(demo.cinetpay_site_id.clone());
        input.secrets = vec![
            ("api_key".into(), Secret::new(demo.cinetpay_api_key.clone())),
            (
                "transfer_password".into(),
                Secret::new(demo.cinetpay_transfer_password.clone()),
            ),
        ];
    }

    fn needs_notify_url(&self) -> bool {
        true
    }
}
