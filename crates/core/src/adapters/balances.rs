//! Reading an account's balances, and the lightest call that tests its credentials, at each
//! provider. Nothing here is recorded: `crate::balances` stores the readings.

use super::clients::AccountClient;
use crate::{CoreError, Guichet, Result};
use guichet_providers::{ErrorKind, ProviderError};
use guichet_store::accounts::AccountRow;
use guichet_types::Provider;

/// One reading: which balance, its amount, and (CinetPay transfer) available and in use.
pub(crate) struct Reading {
    pub kind: &'static str,
    pub amount: String,
    pub available: Option<String>,
    pub in_use: Option<String>,
}

impl Guichet {
    /// Every balance the account's provider offers, or why none could be read.
    pub(crate) async fn read_balances(
        &self,
        row: &AccountRow,
    ) -> Result<std::result::Result<Vec<Reading>, CoreError>> {
        if !crate::adapters::capabilities(row.provider).balance {
            return Ok(Err(CoreError::coded(
                crate::ErrorCode::NoBalanceCall,
                "this provider offers no balance call",
            )));
        }
        let readings: std::result::Result<Vec<Reading>, CoreError> = match self.client(row).await {
            Ok(AccountClient::Cinetpay(c)) => match c.balance().await {
                Ok(b) => {
                    let mut readings = vec![Reading {
                        kind: "transfer",
                        amount: b.amount.0,
                        available: Some(b.available.0),
                        in_use: Some(b.in_using.0),
                    }];
                    // The payment side's balances (getCompteStatus): the merchant account
                    // and this service.
                    let payment = self.cinetpay_payment_client(row).await?;
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
            },
            Ok(AccountClient::Mycoolpay(c)) => c
                .balance()
                .await
                .map(|b| {
                    vec![Reading {
                        kind: "wallet",
                        amount: b.0,
                        available: None,
                        in_use: None,
                    }]
                })
                .map_err(|e| CoreError::provider(&e)),
            Err(e) => Err(e),
        };
        Ok(readings)
    }

    /// The balance payouts are paid from: CinetPay's transfer balance, My-CoolPay's wallet.
    pub(crate) async fn read_payout_balance(
        &self,
        row: &AccountRow,
    ) -> Result<std::result::Result<Reading, ProviderError>> {
        Ok(match self.client(row).await? {
            AccountClient::Cinetpay(c) => c.balance().await.map(|b| Reading {
                kind: "transfer",
                amount: b.amount.0,
                available: Some(b.available.0),
                in_use: Some(b.in_using.0),
            }),
            AccountClient::Mycoolpay(c) => c.balance().await.map(|b| Reading {
                kind: "wallet",
                amount: b.0,
                available: None,
                in_use: None,
            }),
        })
    }

    /// Tests an account's credentials with the lightest documented call that moves nothing (a
    /// balance read; for SOFTSYSTEM, which has none, the status of an order never made): what
    /// was asked, in words, and the answer.
    pub(crate) async fn try_credentials(
        &self,
        row: &AccountRow,
    ) -> Result<(&'static str, std::result::Result<(), ProviderError>)> {
        let (checked, outcome) = match row.provider {
            Provider::Cinetpay | Provider::Mycoolpay => match self.client(row).await? {
                AccountClient::Cinetpay(c) => (
                    "logged in to CinetPay's transfer API and read the balance",
                    c.balance().await.map(|_| ()),
                ),
                AccountClient::Mycoolpay(c) => (
                    "read the wallet balance with the private key",
                    c.balance().await.map(|_| ()),
                ),
            },
            // No payment is created: the status of an orderId never used answers 401 for a
            // bad token and something else (404) for a good one (document 003 §4).
            Provider::Softsystem => (
                "asked the status of an order that does not exist with the access token",
                match self
                    .softsystem_client(row)
                    .await?
                    .status(&guichet_providers::softsystem::new_order_id())
                    .await
                {
                    Err(e) if matches!(e.kind, ErrorKind::NotFound) => Ok(()),
                    other => other.map(|_| ()),
                },
            ),
        };
        Ok((checked, outcome))
    }
}
