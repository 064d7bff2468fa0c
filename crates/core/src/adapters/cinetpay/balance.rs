//! CinetPay's balances: the transfer API's (available and in use) and the payment API's
//! (getCompteStatus: the merchant account and this service).

use super::transfer_client;
use crate::adapters::Reading;
use crate::{CoreError, Guichet, Result};
use guichet_providers::cinetpay_transfer::Client;
use guichet_providers::ProviderError;
use guichet_store::accounts::AccountRow;

async fn transfer_balance(c: &Client) -> std::result::Result<Reading, ProviderError> {
    c.balance().await.map(|b| Reading {
        kind: "transfer",
        amount: b.amount.0,
        available: Some(b.available.0),
        in_use: Some(b.in_using.0),
    })
}

pub(super) async fn balances(
    g: &Guichet,
    row: &AccountRow,
) -> Result<std::result::Result<Vec<Reading>, CoreError>> {
    let c = match transfer_client(g, row).await {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    Ok(match transfer_balance(&c).await {
        Ok(transfer) => {
            let mut readings = vec![transfer];
            // The payment side's balances (getCompteStatus): the merchant account
            // and this service.
            let payment = g.cinetpay_payment_client(row).await?;
            match payment.account_status().await {
                Ok(s) => {
                    for (kind, amount) in [
                        ("account", s.account_balance),
                        ("service", s.service_balance),
                    ] {
                        readings.push(Reading {
                            kind,
                            amount: amount.0,
                            available: None,
                            in_use: None,
                        });
                    }
                }
                Err(e) => {
                    tracing::info!(account = %row.label, error = %e.message, "CinetPay account balances unavailable")
                }
            }
            Ok(readings)
        }
        Err(e) => Err(CoreError::provider(&e)),
    })
}

/// The balance payouts are paid from: the transfer balance.
pub(super) async fn payout_balance(
    g: &Guichet,
    row: &AccountRow,
) -> Result<std::result::Result<Reading, ProviderError>> {
    let c = transfer_client(g, row).await?;
    Ok(transfer_balance(&c).await)
}

pub(super) async fn try_credentials(
    g: &Guichet,
    row: &AccountRow,
) -> Result<(&'static str, std::result::Result<(), ProviderError>)> {
    let c = transfer_client(g, row).await?;
    Ok((
        "logged in to CinetPay's transfer API and read the balance",
        c.balance().await.map(|_| ()),
    ))
}
