//! One home per provider: what Guichet knows about CinetPay, My-CoolPay and SOFTSYSTEM — its
//! identifier and secret names, its market, what it can do, its payout rules, and the calls that
//! send, look up and read — lives in its folder (model: a connector and its transformers).
//!
//! Adapters never touch the store: they turn requests into typed outcomes ([`Move`]) that the
//! provider-neutral orchestration (`payouts::{submit, track, resolve, record}`: claims, leases,
//! waves, recording answers) writes. The `match` on [`Provider`] below is the one place a new
//! provider is plugged in.

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

use crate::issue::RowIssue;
use crate::CoreError;
use guichet_store::accounts::AccountRow;
use guichet_store::collections::CollectionKind;
use guichet_types::{phone, Country, Currency, Provider};
use serde::Serialize;

pub(crate) use balances::Reading;
pub(crate) use outcome::{after_answer, Move, Seen};
pub(crate) use payouts::{GroupLook, LookUp, Payouts, Resend, Sent};
pub(crate) use task::on_own_task;

/// Payouts in flight at once per account, claimed together (one transaction, one disk sync)
/// before any of their requests leaves. Neither provider documents or reports a limit on
/// requests in flight (the 429 integrators report from CinetPay is for logging in on every
/// call, and the token is shared), so a batch of up to 1,000 leaves in one wave: 20 CinetPay
/// requests, or 1,000 My-CoolPay requests. A larger batch goes in waves of this size.
pub(crate) const WAVE: usize = 1000;

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

/// The provider's identity (the one `match` to extend for a new provider, with the next two).
pub fn identity(p: Provider) -> &'static Identity {
    match p {
        Provider::Cinetpay => &cinetpay::IDENTITY,
        Provider::Mycoolpay => &mycoolpay::IDENTITY,
        Provider::Softsystem => &softsystem::IDENTITY,
    }
}

pub fn capabilities(p: Provider) -> Capabilities {
    match p {
        Provider::Cinetpay => cinetpay::capabilities(),
        Provider::Mycoolpay => mycoolpay::capabilities(),
        Provider::Softsystem => softsystem::capabilities(),
    }
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
    cannot_pay_out(account.provider).or_else(|| match account.provider {
        Provider::Cinetpay => cinetpay::account_problem(account),
        Provider::Mycoolpay => mycoolpay::account_problem(account),
        Provider::Softsystem => None,
    })
}

/// Amounts a provider refuses beyond "positive whole francs" (CinetPay's bounds and multiple).
pub fn payout_amount_issues(p: Provider, amount: i64, currency: Currency) -> Vec<RowIssue> {
    match p {
        Provider::Cinetpay => cinetpay::amount_issues(amount, currency),
        Provider::Mycoolpay | Provider::Softsystem => Vec::new(),
    }
}

/// A payout's operator for the provider: what is stored with it and its label for totals, or
/// why it cannot be paid.
pub fn payout_operator(
    p: Provider,
    number: Option<&phone::Phone>,
    given: Option<&str>,
) -> Result<(Option<String>, String), RowIssue> {
    if let Some(reason) = cannot_pay_out_reason(p) {
        return Err(RowIssue::new("account", "account", reason));
    }
    match p {
        Provider::Cinetpay => cinetpay::operator(number, given),
        Provider::Mycoolpay => mycoolpay::operator(number, given),
        Provider::Softsystem => Ok((None, String::new())),
    }
}

/// The kinds of collection `p` offers, in words, for an error.
pub fn collections_offered(p: Provider) -> &'static str {
    match p {
        Provider::Cinetpay => cinetpay::COLLECTIONS_OFFERED,
        Provider::Mycoolpay => mycoolpay::COLLECTIONS_OFFERED,
        Provider::Softsystem => softsystem::COLLECTIONS_OFFERED,
    }
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
        for kind in [
            CollectionKind::Payin,
            CollectionKind::Paylink,
            CollectionKind::Softsystem,
            CollectionKind::Cinetpay,
        ] {
            let owners = Provider::ALL
                .into_iter()
                .filter(|p| capabilities(*p).collection_kinds.contains(&kind))
                .count();
            assert_eq!(owners, 1, "{kind:?}");
        }
    }
}
