//! My-CoolPay's callback (document 000): sent once, from one address, with `application` equal
//! to the account's public key and an md5 signature, compared in constant time.

use super::client;
use crate::adapters::callbacks::{verdict, Asked, Fields, Handling, Shape, Verdict};
use crate::{Guichet, Result};
use guichet_store::accounts::AccountRow;
use guichet_types::Provider;
use std::net::IpAddr;

/// The one address My-CoolPay sends callbacks from (document 000, security §5).
pub const CALLBACK_SOURCE: &str = "15.236.140.89";

pub(crate) const CALLBACK: Shape = Shape {
    sender: "mycoolpay",
    provider: Provider::Mycoolpay,
    recognise: |f| f.contains_key("application") && f.contains_key("transaction_ref"),
    reference: "transaction_ref",
    handling: Handling::Signed,
    names_account: |a, f| {
        a.public_key.as_deref() == Some(f.get("application").map_or("", String::as_str))
    },
    generic: false,
};

/// Whether My-CoolPay may send from `source` for this account: its one address, or the
/// machine itself for a sandbox account (the simulator delivers locally).
fn allowed_source(account: &AccountRow, source: IpAddr) -> bool {
    source.to_string() == CALLBACK_SOURCE || (account.sandbox && source.is_loopback())
}

/// Source (when given), application and signature of a My-CoolPay callback.
pub(crate) async fn verify_callback(
    g: &Guichet,
    account: &AccountRow,
    f: &Fields,
    source: Option<IpAddr>,
) -> Result<Verdict> {
    let reference = f.get("transaction_ref").map(String::as_str);
    if let Some(ip) = source {
        if !allowed_source(account, ip) {
            return Ok(verdict(
                false,
                format!("wrong source address {ip} (My-CoolPay sends from {CALLBACK_SOURCE})"),
                reference,
            ));
        }
    }
    if f.get("application").map(String::as_str) != account.public_key.as_deref() {
        return Ok(verdict(
            false,
            "`application` is not this account's public key",
            reference,
        ));
    }
    let client = client(g, account).await?;
    Ok(if client.verify_callback(f) {
        verdict(true, "signature matches", reference)
    } else {
        verdict(false, "wrong signature", reference)
    })
}

/// checkStatus of the transaction an authentic callback named. The signature does not cover
/// `transaction_status` (document 000): a genuine callback with its status changed passes every
/// documented check, and would mark a paid payout failed (to be paid again). So the callback
/// only says which transaction to ask about; its status is My-CoolPay's answer.
pub(crate) async fn ask_status(
    g: &Guichet,
    account: &AccountRow,
    reference: &str,
) -> Option<Asked> {
    let checked = match client(g, account).await {
        Ok(c) => match c.check_status(reference).await {
            Ok(s) => s,
            Err(e) => {
                tracing::info!(%reference, error = %e.message, "checkStatus after a callback failed; the poller will ask again");
                return None;
            }
        },
        _ => return None,
    };
    Some(Asked {
        text: checked.status.to_string(),
        status: checked.unified(),
        fee: checked.fees.as_ref().and_then(|f| f.whole_francs()),
        own_reference: checked.app_transaction_ref,
    })
}
