//! Balances: every balance each provider offers, fetched, stored as a snapshot (exact decimal
//! text, never floating point) and returned; and the lightest call that tests an account.

use crate::clients::{explain, AccountClient};
use crate::{CoreError, Guichet, Result};
use guichet_providers::ErrorKind;
use guichet_store::accounts::AccountRow;
use guichet_store::balances::{self as table, BalanceSnapshot, NewSnapshot};
use guichet_types::Provider;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccountBalances {
    pub account: String,
    pub snapshots: Vec<BalanceSnapshot>,
    /// Why a balance could not be read, in words.
    pub error: Option<String>,
    /// The same, as a code with its parameters, for the screens to word.
    pub problem: Option<crate::ErrorCode>,
    /// At least one balance is below the account's threshold.
    pub low: bool,
}

/// One reading: which balance, its amount, and (CinetPay transfer) available and in use.
struct Reading {
    kind: &'static str,
    amount: String,
    available: Option<String>,
    in_use: Option<String>,
}

/// The result of testing an account's credentials.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccountTest {
    pub account: String,
    pub ok: bool,
    /// `ok`, `credentials`, `unreachable`, `other`: the UI words it.
    pub code: String,
    pub message: String,
    /// What was asked of the provider, in words.
    pub checked: String,
    /// The environment variables the secrets were read from (they win over the keyring).
    pub environment: Vec<String>,
}

impl Guichet {
    /// Fetches and stores the balances of one account, or of every account.
    pub async fn check_balances(
        &self,
        account_label: Option<&str>,
    ) -> Result<Vec<AccountBalances>> {
        let rows = match account_label {
            Some(l) => vec![self.account_row(l)?],
            None => guichet_store::accounts::list(&self.store.conn())?,
        };
        let mut out = Vec::new();
        for row in rows {
            let mut result = AccountBalances {
                account: row.label.clone(),
                snapshots: Vec::new(),
                error: None,
                problem: None,
                low: false,
            };
            let readings: std::result::Result<Vec<Reading>, CoreError> = match self
                .client(&row)
                .await
            {
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
                        let payment = self.cinetpay_payment_client(&row).await?;
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
                Err(CoreError::Invalid { .. } | CoreError::Coded { .. }) => Err(CoreError::coded(
                    crate::ErrorCode::NoBalanceCall,
                    "this provider offers no balance call",
                )),
                Err(e) => Err(e),
            };
            match readings {
                Ok(readings) => {
                    let conn = self.store.conn();
                    for r in &readings {
                        let id = table::insert(
                            &conn,
                            &NewSnapshot {
                                account_id: row.id,
                                kind: r.kind,
                                amount: &r.amount,
                                available: r.available.as_deref(),
                                in_use: r.in_use.as_deref(),
                                currency: row.currency.as_str(),
                            },
                        )?;
                        let snap = table::history(&conn, row.id, 1)?
                            .into_iter()
                            .find(|s| s.id == id);
                        result.snapshots.extend(snap);
                        // The threshold watches the money payouts are paid from.
                        if let (Some(threshold), "transfer" | "wallet") =
                            (row.low_balance_threshold, r.kind)
                        {
                            let usable = r.available.as_deref().unwrap_or(&r.amount);
                            let whole =
                                usable.split('.').next().and_then(|w| w.parse::<i64>().ok());
                            if whole.is_some_and(|w| w < threshold) {
                                result.low = true;
                                self.events.emit(crate::CoreEvent::LowBalance {
                                    account: row.label.clone(),
                                    balance: r.kind.to_string(),
                                    amount: usable.to_string(),
                                    threshold,
                                });
                            }
                        }
                    }
                }
                Err(e) => {
                    result.error = Some(e.to_string());
                    result.problem = Some(e.reason());
                }
            }
            out.push(result);
        }
        self.events.emit(crate::CoreEvent::BalancesRead);
        Ok(out)
    }

    pub fn balance_history(&self, account_label: &str, limit: u32) -> Result<Vec<BalanceSnapshot>> {
        let row = self.account_row(account_label)?;
        Ok(table::history(&self.store.conn(), row.id, limit)?)
    }

    /// Checks an account's credentials with the lightest documented call that moves nothing (a
    /// balance read; for SOFTSYSTEM, which has none, the status of an order never made).
    pub async fn test_account(&self, account_label: &str) -> Result<AccountTest> {
        let row = self.account_row(account_label)?;
        let name = row.provider.display_name();
        let (checked, outcome) = match row.provider {
            Provider::Cinetpay | Provider::Mycoolpay => match self.client(&row).await? {
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
                    .softsystem_client(&row)
                    .await?
                    .status(&guichet_providers::softsystem::new_order_id())
                    .await
                {
                    Err(e) if matches!(e.kind, ErrorKind::NotFound) => Ok(()),
                    other => other.map(|_| ()),
                },
            ),
        };
        let (ok, code, message) = match outcome {
            Ok(()) => (true, "ok", format!("{name} accepted the credentials of `{}`", row.label)),
            Err(e) => match e.kind {
                ErrorKind::Credentials => (false, "credentials", format!("{name} refused the credentials: check the keys (and, for CinetPay, the API transfer password). {}", e.message)),
                ErrorKind::Unavailable => (false, "unreachable", format!("{name} could not be reached: check the internet connection and the host. {}", e.message)),
                _ => (false, "other", explain(&e)),
            },
        };
        let environment: Vec<String> = crate::accounts::secret_names(row.provider)
            .iter()
            .filter_map(|n| guichet_secrets::env_override(&row.label, n))
            .collect();
        let message = if environment.is_empty() {
            message
        } else {
            format!(
                "{message} (secrets read from the environment, not the keyring: {})",
                environment.join(", ")
            )
        };
        Ok(AccountTest {
            account: row.label,
            ok,
            code: code.into(),
            message,
            checked: checked.into(),
            environment,
        })
    }

    /// The balance payouts are paid from (CinetPay transfer `available`, My-CoolPay wallet),
    /// read live and recorded as a snapshot. Returns the provider's exact text and the whole
    /// francs that can be spent (a fraction of a franc cannot).
    pub(crate) async fn payout_balance(&self, row: &AccountRow) -> Result<(String, i64)> {
        let unavailable = |e: &guichet_providers::ProviderError| {
            CoreError::refused(
                "balance_unavailable",
                format!(
                    "the balance could not be read, so the batch cannot be checked against it: {}",
                    explain(e)
                ),
            )
        };
        let (kind, amount, available, in_use) = match self.client(row).await? {
            AccountClient::Cinetpay(c) => {
                let b = c.balance().await.map_err(|e| unavailable(&e))?;
                (
                    "transfer",
                    b.amount.0,
                    Some(b.available.0),
                    Some(b.in_using.0),
                )
            }
            AccountClient::Mycoolpay(c) => {
                let b = c.balance().await.map_err(|e| unavailable(&e))?;
                ("wallet", b.0, None, None)
            }
        };
        table::insert(
            &self.store.conn(),
            &NewSnapshot {
                account_id: row.id,
                kind,
                amount: &amount,
                available: available.as_deref(),
                in_use: in_use.as_deref(),
                currency: row.currency.as_str(),
            },
        )?;
        let usable = available.unwrap_or(amount);
        let whole = usable
            .trim_start_matches('-')
            .split('.')
            .next()
            .and_then(|w| w.parse::<i64>().ok())
            .map(|w| if usable.starts_with('-') { -w } else { w })
            .unwrap_or(0);
        Ok((usable, whole))
    }
}
