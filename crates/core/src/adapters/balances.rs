//! Reading an account's balances, and the lightest call that tests its credentials, through its
//! provider's adapter (`adapters/<provider>/balance.rs`). Nothing here is recorded:
//! `crate::balances` stores the readings.

use super::adapter;
use crate::{CoreError, Guichet, Result};
use guichet_providers::ProviderError;
use guichet_store::accounts::AccountRow;

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
        if !super::capabilities(row.provider).balance {
            return Ok(Err(super::no_balance_call()));
        }
        adapter(row.provider).balances(self, row).await
    }

    /// The balance payouts are paid from: CinetPay's transfer balance, My-CoolPay's wallet.
    pub(crate) async fn read_payout_balance(
        &self,
        row: &AccountRow,
    ) -> Result<std::result::Result<Reading, ProviderError>> {
        adapter(row.provider).payout_balance(self, row).await
    }

    /// Tests an account's credentials with the lightest documented call that moves nothing (a
    /// balance read; for SOFTSYSTEM, which has none, the status of an order never made): what
    /// was asked, in words, and the answer.
    pub(crate) async fn try_credentials(
        &self,
        row: &AccountRow,
    ) -> Result<(&'static str, std::result::Result<(), ProviderError>)> {
        adapter(row.provider).try_credentials(self, row).await
    }
}
