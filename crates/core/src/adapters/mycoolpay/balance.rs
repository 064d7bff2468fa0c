//! My-CoolPay's balance: the wallet, read with the private key.

use super::client;
use crate::adapters::Reading;
use crate::{CoreError, Guichet, Result};
use guichet_providers::mycoolpay::Client;
use guichet_providers::ProviderError;
use guichet_store::accounts::AccountRow;

async fn wallet(c: &Client) -> std::result::Result<Reading, ProviderError> {
    c.balance().await.map(|b| Reading {
        kind: "wallet",
        amount: b.0,
        available: None,
        in_use: None,
    })
}

pub(super) async fn balances(
    g: &Guichet,
    row: &AccountRow,
) -> Result<std::result::Result<Vec<Reading>, CoreError>> {
    Ok(match client(g, row).await {
        Ok(c) => wallet(&c)
            .await
            .map(|r| vec![r])
            .map_err(|e| CoreError::provider(&e)),
        Err(e) => Err(e),
    })
}

/// The balance payouts are paid from: the wallet.
pub(super) async fn payout_balance(
    g: &Guichet,
    row: &AccountRow,
) -> Result<std::result::Result<Reading, ProviderError>> {
    let c = client(g, row).await?;
    Ok(wallet(&c).await)
}

pub(super) async fn try_credentials(
    g: &Guichet,
    row: &AccountRow,
) -> Result<(&'static str, std::result::Result<(), ProviderError>)> {
    let c = client(g, row).await?;
    Ok((
        "read the wallet balance with the private key",
        c.balance().await.map(|_| ()),
    ))
}
