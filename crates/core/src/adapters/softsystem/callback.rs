//! SOFTSYSTEM's callback is unsigned: it names an `orderId`, whose status Guichet asks.

use crate::adapters::callbacks::{verdict, Fields, Handling, Shape, Verdict};
use crate::{CoreError, Guichet, Result};
use guichet_providers::softsystem;
use guichet_store::accounts::AccountRow;
use guichet_types::Provider;

pub(crate) const CALLBACK: Shape = Shape {
    sender: "softsystem",
    provider: Provider::Softsystem,
    recognise: |f| f.contains_key("orderId"),
    reference: "orderId",
    handling: Handling::AskCollection,
    names_account: |_, _| false,
    generic: false,
};

/// The body agrees with SOFTSYSTEM's answer: its status by meaning, and its amount.
pub(crate) async fn verify_callback(
    g: &Guichet,
    account: &AccountRow,
    f: &Fields,
) -> Result<Verdict> {
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or_default();
    let order_id = get("orderId");
    if order_id.is_empty() {
        return Ok(verdict(false, "no orderId in the body", None));
    }
    let client = g.softsystem_client(account).await?;
    let truth = client
        .status(order_id)
        .await
        .map_err(|e| CoreError::provider(&e))?;
    let claimed = f
        .get("Status")
        .or_else(|| f.get("status"))
        .map(String::as_str)
        .unwrap_or_default();
    let said = match (&truth.status, softsystem::Status::parse(claimed)) {
        (softsystem::Status::Unknown(a), softsystem::Status::Unknown(b)) => {
            a.trim().eq_ignore_ascii_case(b.trim())
        }
        (a, b) => *a == b,
    };
    let agrees = said && truth.amount.trim() == get("montant").trim();
    Ok(if agrees {
        verdict(
            true,
            format!(
                "SOFTSYSTEM confirms `{}` for {} francs",
                truth.status, truth.amount
            ),
            Some(order_id),
        )
    } else {
        verdict(
            false,
            format!(
                "SOFTSYSTEM says `{}` for {} francs: the body does not match",
                truth.status, truth.amount
            ),
            Some(order_id),
        )
    })
}
