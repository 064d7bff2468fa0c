//! A provider's callbacks as the neutral receiver (`callbacks`) sees them: which shape a body
//! has, the transaction it names, the account it is for, and the provider's verdict on it.
//! Nothing here writes: the receiver records deliveries and moves payouts and collections.

use super::adapter;
use crate::{Guichet, Result};
use guichet_store::accounts::AccountRow;
use guichet_store::collections::CollectionRow;
use guichet_types::{Provider, UnifiedStatus};
use std::collections::HashMap;
use std::net::IpAddr;

/// A callback body as fields.
pub(crate) type Fields = HashMap<String, String>;

/// What the receiver does with a body of a shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Handling {
    /// Signed for one account: checked against it ([`verify`]), then the provider is asked
    /// the transaction's status ([`ask_status`]) and the collection or payout moved.
    Signed,
    /// Unsigned, about a collection: the provider is asked its status.
    AskCollection,
    /// Unsigned, about a payout: the provider is asked its status.
    AskPayout,
}

/// One kind of body a provider sends.
pub(crate) struct Shape {
    /// The word recorded with each delivery (`mycoolpay`, `cinetpay_transfer`…).
    pub sender: &'static str,
    pub provider: Provider,
    pub recognise: fn(&Fields) -> bool,
    /// The field naming the transaction.
    pub reference: &'static str,
    pub handling: Handling,
    /// For a signed shape: whether a body is for this account.
    pub names_account: fn(&AccountRow, &Fields) -> bool,
    /// Recognised by a field other providers' bodies might carry too: tried after every other
    /// shape.
    pub generic: bool,
}

/// Every provider's shapes, in the order a body is tried against them: the generic ones last.
fn shapes() -> impl Iterator<Item = &'static Shape> {
    let all = || {
        Provider::ALL
            .into_iter()
            .flat_map(|p| adapter(p).callback_shapes().iter().copied())
    };
    all()
        .filter(|s| !s.generic)
        .chain(all().filter(|s| s.generic))
}

/// The shape of these fields, if Guichet knows it.
pub(crate) fn shape_of(f: &Fields) -> Option<&'static Shape> {
    shapes().find(|s| (s.recognise)(f))
}

/// The shape of the callbacks about an account's collections (a pasted body is checked as one).
pub(crate) fn account_shape(p: Provider) -> &'static Shape {
    adapter(p).account_shape()
}

/// Whether `source` is an address a provider sends every callback from (never held back).
pub(crate) fn known_sender(source: IpAddr) -> bool {
    let source = source.to_string();
    Provider::ALL
        .into_iter()
        .any(|p| adapter(p).callback_source() == Some(source.as_str()))
}

/// A provider's verdict on a body.
pub(crate) struct Verdict {
    pub ok: bool,
    pub reason: String,
    pub reference: Option<String>,
}

pub(crate) fn verdict(ok: bool, reason: impl Into<String>, reference: Option<&str>) -> Verdict {
    Verdict {
        ok,
        reason: reason.into(),
        reference: reference.map(String::from),
    }
}

/// Checks a body against an account: My-CoolPay its source (when given), application and
/// signature; CinetPay and SOFTSYSTEM ask the provider, and the body must agree with its answer
/// (CinetPay's also with `stored`, the collection Guichet created under that reference).
pub(crate) async fn verify(
    g: &Guichet,
    account: &AccountRow,
    f: &Fields,
    source: Option<IpAddr>,
    stored: Option<&CollectionRow>,
) -> Result<Verdict> {
    adapter(account.provider)
        .verify_callback(g, account, f, source, stored)
        .await
}

/// A transaction's status as the provider answered after a signed callback.
pub(crate) struct Asked {
    /// The provider's word, kept with the move.
    pub text: String,
    pub status: UnifiedStatus,
    /// Guichet's own reference, when the answer gives it (a payout whose answer was lost).
    pub own_reference: String,
    /// The fee the answer reported, in whole francs.
    pub fee: Option<i64>,
}

/// Asks the provider the status of the transaction a signed callback named; `None` when it
/// could not be asked (the poller asks again).
pub(crate) async fn ask_status(
    g: &Guichet,
    account: &AccountRow,
    reference: &str,
) -> Option<Asked> {
    adapter(account.provider)
        .ask_status(g, account, reference)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(keys: &[&str]) -> Fields {
        keys.iter()
            .map(|k| (k.to_string(), "R1".to_string()))
            .collect()
    }

    #[test]
    fn each_body_is_read_as_its_providers_shape() {
        let cases = [
            (&["application", "transaction_ref"][..], "mycoolpay"),
            (&["cpm_trans_id", "cpm_result"][..], "cinetpay"),
            (&["orderId", "montant"][..], "softsystem"),
            (&["client_transaction_id"][..], "cinetpay_transfer"),
            (&["transaction_id"][..], "cinetpay_transfer"),
            // A My-CoolPay reference without its application: nothing Guichet knows.
            (&["transaction_ref"][..], "unknown"),
        ];
        for (keys, sender) in cases {
            let got = shape_of(&fields(keys)).map_or("unknown", |s| s.sender);
            assert_eq!(got, sender, "{keys:?}");
        }
    }

    #[test]
    fn an_accounts_callbacks_are_its_own_providers() {
        for p in Provider::ALL {
            assert_eq!(account_shape(p).provider, p);
            assert_ne!(account_shape(p).handling, Handling::AskPayout);
        }
        assert_eq!(shapes().count(), 4);
        for shape in shapes() {
            let signed = shape.handling == Handling::Signed;
            assert_eq!(
                signed,
                super::super::capabilities(shape.provider).callback
                    == super::super::CallbackCheck::Signed,
                "{}",
                shape.sender
            );
        }
    }
}
