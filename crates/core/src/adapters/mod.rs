//! One home per provider: what Guichet knows about CinetPay, My-CoolPay and SOFTSYSTEM — its
//! identifier and secret names, its market, what it can do, its payout rules, and the calls that
//! send, look up and read — lives in its folder (model: a connector and its transformers).
//!
//! Adapters never touch the store: they turn requests into typed outcomes ([`Move`]) that the
//! provider-neutral orchestration (`payouts::{submit, track, resolve, record}`: claims, leases,
//! waves, recording answers) writes. Each folder implements [`ProviderAdapter`]; the `match`
//! in [`adapter`] is the one place a new provider is plugged in.

mod balances;
pub(crate) mod callbacks;
pub mod cinetpay;
pub mod clients;
pub(crate) mod collections;
pub(crate) mod contacts;
pub mod mycoolpay;
mod outcome;
mod payouts;
pub mod softsystem;
mod task;

use crate::accounts::AccountInput;
use crate::demo::DemoAccounts;
use crate::issue::RowIssue;
use crate::Invalid;
use crate::{CoreError, Guichet, Result};
use contacts::ContactList;
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use guichet_providers::ProviderError;
use guichet_store::accounts::AccountRow;
use guichet_store::collections::{CollectionKind, CollectionRow};
use guichet_types::{phone, Country, Currency, Provider};
use serde::Serialize;
use std::net::IpAddr;

pub(crate) use balances::Reading;
pub(crate) use outcome::{after_answer, Move, Seen};
pub(crate) use payouts::{Announce, GroupLook, LookUp, PayoutCalls, Payouts, Resend, Sent};
pub(crate) use task::on_own_task;

/// Requests in flight at once per account (fewer when the process may not open that many
/// sockets, `open_files`). Neither provider documents or reports a limit on requests in flight
/// (the 429 integrators report from CinetPay is for logging in on every call, and the token is
/// shared): 1,000 My-CoolPay payouts; CinetPay keeps to 100 transfers of 50, as each request
/// carries fifty.
pub(crate) const IN_FLIGHT: usize = 1000;

/// Payouts claimed together, in one transaction and one disk sync, before any of their
/// requests leaves: a 5,000-row payroll is one wave (CinetPay: 100 requests of 50). A larger
/// batch goes in waves of this size.
pub(crate) const WAVE: usize = 5000;

/// Who a provider is to Guichet: the identifier an account needs, its secrets (by the names the
/// CLI and the UI use) and the market an account has unless told otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    /// `site_id`, `public_key`, `client_reference`.
    pub id_field: &'static str,
    pub secrets: &'static [&'static str],
    pub currency: Currency,
    pub country: Country,
}

/// How a provider's callbacks are believed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum CallbackCheck {
    /// Signed (and sent from a known address): the signature is checked, then the provider asked.
    Signed,
    /// Unsigned: the body only names a transaction, whose status the provider is asked.
    AskProvider,
}

/// What a provider can do, for core's rules and for the screens (which never test a name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Capabilities {
    pub pays_out: bool,
    /// A balance can be read (SOFTSYSTEM has no balance call).
    pub balance: bool,
    /// Payouts go only to numbers in the account's contact list, which Guichet pushes.
    pub contacts: bool,
    /// A payout whose answer was lost can be looked up by Guichet's own reference.
    pub looks_up_own_reference: bool,
    pub collection_kinds: Vec<CollectionKind>,
    pub callback: CallbackCheck,
}

/// Everything core asks of one provider. Each provider's folder implements it once; the
/// provider-neutral code reaches it through [`adapter`], the one `match` on [`Provider`].
/// A provider that cannot pay out, keeps no contact list or has no balance call keeps the
/// defaults.
pub(crate) trait ProviderAdapter: Sync {
    fn identity(&self) -> &'static Identity;
    fn capabilities(&self) -> Capabilities;

    /// Why this account cannot send payouts, beyond its provider's capabilities.
    fn account_problem(&self, _account: &AccountRow) -> Option<CoreError> {
        None
    }
    /// Amounts the provider refuses beyond "positive whole francs".
    fn amount_issues(&self, _amount: i64, _currency: Currency) -> Vec<RowIssue> {
        Vec::new()
    }
    /// A payout's operator: what is stored with it and its label for totals.
    fn operator(
        &self,
        _number: Option<&phone::Phone>,
        _given: Option<&str>,
    ) -> std::result::Result<(Option<String>, String), RowIssue> {
        Ok((None, String::new()))
    }
    /// The account's payout calls.
    fn payouts<'a>(&'a self, _g: &'a Guichet, account: &'a AccountRow) -> Fut<'a, Payouts> {
        let refused = not_paying_out(account.provider);
        async move { Err(refused) }.boxed()
    }

    /// Every balance the provider offers (only asked when `capabilities().balance`).
    fn balances<'a>(
        &'a self,
        _g: &'a Guichet,
        _account: &'a AccountRow,
    ) -> Fut<'a, std::result::Result<Vec<Reading>, CoreError>> {
        async { Ok(Err(no_balance_call())) }.boxed()
    }
    /// The balance payouts are paid from.
    fn payout_balance<'a>(
        &'a self,
        _g: &'a Guichet,
        account: &'a AccountRow,
    ) -> Fut<'a, std::result::Result<Reading, ProviderError>> {
        let refused = not_paying_out(account.provider);
        async move { Err(refused) }.boxed()
    }
    /// The lightest documented call that tests the credentials and moves nothing: what was
    /// asked, in words, and the answer.
    fn try_credentials<'a>(
        &'a self,
        g: &'a Guichet,
        account: &'a AccountRow,
    ) -> Fut<'a, (&'static str, std::result::Result<(), ProviderError>)>;

    /// The account's contact list at the provider.
    fn contact_list<'a>(
        &'a self,
        _g: &'a Guichet,
        account: &'a AccountRow,
    ) -> Fut<'a, ContactList> {
        let refused = not_paying_out(account.provider);
        async move { Err(refused) }.boxed()
    }

    /// The kinds of collection it offers, in words, for an error.
    fn collections_offered(&self) -> &'static str;
    fn collection_rules(&self, kind: CollectionKind) -> &'static collections::Rules;
    fn start_collection<'a>(
        &'a self,
        g: &'a Guichet,
        account: &'a AccountRow,
        req: collections::Request<'a>,
    ) -> Fut<'a, collections::Start>;
    fn read_collection<'a>(
        &'a self,
        g: &'a Guichet,
        account: &'a AccountRow,
        row: &'a CollectionRow,
    ) -> Fut<'a, collections::Read>;
    fn interrupted_collection(&self, kind: CollectionKind) -> collections::Interrupted;
    /// Why an interrupted collection never reached the provider, when its failed read shows it.
    fn never_arrived(&self, _kind: CollectionKind, _e: &ProviderError) -> Option<&'static str> {
        None
    }

    /// The shapes of the bodies it sends callbacks with.
    fn callback_shapes(&self) -> &'static [&'static callbacks::Shape];
    /// The shape of the callbacks about an account's collections.
    fn account_shape(&self) -> &'static callbacks::Shape;
    /// The one address it sends every callback from, if it has one (never held back).
    fn callback_source(&self) -> Option<&'static str> {
        None
    }
    fn verify_callback<'a>(
        &'a self,
        g: &'a Guichet,
        account: &'a AccountRow,
        f: &'a callbacks::Fields,
        source: Option<IpAddr>,
        stored: Option<&'a CollectionRow>,
    ) -> Fut<'a, callbacks::Verdict>;
    /// After a signed callback, the status of the transaction it named (unsigned callbacks
    /// are asked by the receiver itself).
    fn ask_status<'a>(
        &'a self,
        _g: &'a Guichet,
        _account: &'a AccountRow,
        _reference: &'a str,
    ) -> BoxFuture<'a, Option<callbacks::Asked>> {
        async { None }.boxed()
    }

    /// A demo account at the simulator: its identifier and secrets from `demo`.
    fn demo_account(&self, demo: &DemoAccounts, input: &mut AccountInput);
    /// Its payouts need the account's notification URL (the demo's points at the simulator).
    fn needs_notify_url(&self) -> bool {
        false
    }
}

/// What an adapter's call returns: a future of a core result.
pub(crate) type Fut<'a, T> = BoxFuture<'a, Result<T>>;

/// The adapter of `p`: the one place a new provider is plugged in.
pub(crate) fn adapter(p: Provider) -> &'static dyn ProviderAdapter {
    match p {
        Provider::Cinetpay => &cinetpay::CinetPay,
        Provider::Mycoolpay => &mycoolpay::MyCoolPay,
        Provider::Softsystem => &softsystem::Softsystem,
    }
}

/// The adapter of the provider that offers `kind`.
pub(crate) fn kind_adapter(kind: CollectionKind) -> &'static dyn ProviderAdapter {
    adapter(kind_provider(kind))
}

/// The provider that offers `kind` (each kind belongs to exactly one).
pub(crate) fn kind_provider(kind: CollectionKind) -> Provider {
    Provider::ALL
        .into_iter()
        .find(|p| capabilities(*p).collection_kinds.contains(&kind))
        .expect("every kind of collection belongs to a provider")
}

/// The provider's identity.
pub fn identity(p: Provider) -> &'static Identity {
    adapter(p).identity()
}

pub fn capabilities(p: Provider) -> Capabilities {
    adapter(p).capabilities()
}

fn no_balance_call() -> CoreError {
    CoreError::coded(
        crate::ErrorCode::NoBalanceCall,
        "this provider offers no balance call",
    )
}

fn not_paying_out(p: Provider) -> CoreError {
    cannot_pay_out(p).unwrap_or_else(|| {
        CoreError::invalid(
            "account",
            Invalid::WrongProvider {
                account: String::new(),
            },
            format!("no payout calls for {}", p.display_name()),
        )
    })
}

/// Why an account of `p` cannot send payouts, if it cannot (SOFTSYSTEM only collects).
pub fn cannot_pay_out_reason(p: Provider) -> Option<String> {
    (!capabilities(p).pays_out).then(|| {
        format!(
            "{} accounts collect payments; they cannot send payouts",
            p.display_name()
        )
    })
}

/// [`cannot_pay_out_reason`] as the error of a call that needs payouts.
pub fn cannot_pay_out(p: Provider) -> Option<CoreError> {
    cannot_pay_out_reason(p).map(|reason| {
        CoreError::coded(
            crate::ErrorCode::CannotPayOut { provider: p },
            format!("account: {reason}"),
        )
    })
}

/// Why this account cannot send payouts at all, if it cannot.
pub fn payout_account_problem(account: &AccountRow) -> Option<CoreError> {
    cannot_pay_out(account.provider).or_else(|| adapter(account.provider).account_problem(account))
}

/// Amounts a provider refuses beyond "positive whole francs" (CinetPay's bounds and multiple).
pub fn payout_amount_issues(p: Provider, amount: i64, currency: Currency) -> Vec<RowIssue> {
    adapter(p).amount_issues(amount, currency)
}

/// A payout's operator for the provider: what is stored with it and its label for totals, or
/// why it cannot be paid.
pub fn payout_operator(
    p: Provider,
    number: Option<&phone::Phone>,
    given: Option<&str>,
) -> std::result::Result<(Option<String>, String), RowIssue> {
    if let Some(reason) = cannot_pay_out_reason(p) {
        return Err(RowIssue::new("account", "account", reason));
    }
    adapter(p).operator(number, given)
}

/// The kinds of collection `p` offers, in words, for an error.
pub fn collections_offered(p: Provider) -> &'static str {
    adapter(p).collections_offered()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_softsystem_cannot_pay_out_and_it_says_so_once() {
        assert!(cannot_pay_out(Provider::Cinetpay).is_none());
        assert!(cannot_pay_out(Provider::Mycoolpay).is_none());
        let e = cannot_pay_out(Provider::Softsystem).unwrap().to_string();
        assert!(e.contains("SOFTSYSTEM accounts"), "{e}");
    }

    #[test]
    fn every_collection_kind_belongs_to_exactly_one_provider() {
        for kind in CollectionKind::ALL {
            let owners = Provider::ALL
                .into_iter()
                .filter(|p| capabilities(*p).collection_kinds.contains(&kind))
                .count();
            assert_eq!(owners, 1, "{kind:?}");
        }
    }
}
