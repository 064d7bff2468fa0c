//! CinetPay's callbacks are unsigned: a hosted payment's (`cpm_trans_id`) and a transfer's
//! (`client_transaction_id`) only name a transaction, whose status Guichet asks CinetPay.

use crate::adapters::callbacks::{verdict, Fields, Handling, Shape, Verdict};
use crate::{CoreError, Guichet, Result};
use guichet_providers::constant_time_eq;
use guichet_store::accounts::AccountRow;
use guichet_store::collections::CollectionRow;
use guichet_types::Provider;

pub(crate) const CALLBACK: Shape = Shape {
    sender: "cinetpay",
    provider: Provider::Cinetpay,
    recognise: |f| f.contains_key("cpm_trans_id"),
    reference: "cpm_trans_id",
    handling: Handling::AskCollection,
    names_account: |_, _| false,
    generic: false,
};

pub(crate) const TRANSFER_CALLBACK: Shape = Shape {
    sender: "cinetpay_transfer",
    provider: Provider::Cinetpay,
    recognise: |f| f.contains_key("client_transaction_id") || f.contains_key("transaction_id"),
    reference: "client_transaction_id",
    handling: Handling::AskPayout,
    names_account: |_, _| false,
    generic: true,
};

/// A hosted payment's callback agrees with CinetPay's answer, and that answer with the payment
/// Guichet created (`stored`), if it created one under that reference.
pub(crate) async fn verify_callback(
    g: &Guichet,
    account: &AccountRow,
    f: &Fields,
    stored: Option<&CollectionRow>,
) -> Result<Verdict> {
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or_default();
    let trans_id = get("cpm_trans_id");
    if trans_id.is_empty() {
        return Ok(verdict(false, "no cpm_trans_id in the body", None));
    }
    let client = g.cinetpay_payment_client(account).await?;
    let truth = client
        .check(trans_id)
        .await
        .map_err(|e| CoreError::provider(&e))?;
    let agrees = truth.result.as_str() == get("cpm_result")
        && truth.amount.trim() == get("cpm_amount").trim()
        && constant_time_eq(&truth.signature, get("signature"));
    let matches_ours = stored.is_none_or(|c| {
        c.amount.0.to_string() == truth.amount.trim()
            && constant_time_eq(c.signature.as_deref().unwrap_or_default(), &truth.signature)
    });
    Ok(match (agrees, matches_ours) {
        (true, true) => verdict(
            true,
            format!(
                "CinetPay confirms result {} for {} francs",
                truth.result.as_str(),
                truth.amount
            ),
            Some(trans_id),
        ),
        (false, _) => verdict(
            false,
            format!(
                "CinetPay says result {}, amount {}: the body does not match",
                truth.result.as_str(),
                truth.amount
            ),
            Some(trans_id),
        ),
        (true, false) => verdict(
            false,
            "CinetPay's amount or signature differs from the payment Guichet created",
            Some(trans_id),
        ),
    })
}
