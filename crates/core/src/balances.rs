//! Balances: every balance each provider offers, fetched, stored as a snapshot (exact decimal
//! text, never floating point) and returned; and the lightest call that tests an account.

use crate::adapters::Reading;
use crate::clients::explain;
use crate::{CoreError, Guichet, Result};
use guichet_providers::ErrorKind;
use guichet_store::accounts::AccountRow;
pub use guichet_store::balances::BalanceSnapshot;
use guichet_store::balances::NewSnapshot;
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
    /// Batches of the account waiting for funds (or for their time) checked at this reading.
    pub batches: Vec<crate::payouts::BatchNotice>,
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
        self.require(crate::people::Action::Read)?;
        let rows = match account_label {
            Some(l) => vec![self.account_row(l)?],
            None => self.store.accounts().list()?,
        };
        let mut out = Vec::new();
        for row in rows {
            let mut result = AccountBalances {
                account: row.label.clone(),
                snapshots: Vec::new(),
                error: None,
                problem: None,
                low: false,
                batches: Vec::new(),
            };
            let readings = self.read_balances(&row).await?;
            match readings {
                Ok(readings) => {
                    let db = self.store.lock();
                    for r in &readings {
                        let id = db.balances_mut().insert(&NewSnapshot {
                            account_id: row.id,
                            kind: r.kind,
                            amount: &r.amount,
                            available: r.available.as_deref(),
                            in_use: r.in_use.as_deref(),
                            currency: row.currency.as_str(),
                        })?;
                        let snap = db
                            .balances()
                            .history(row.id, 1)?
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
            // Each balance reading checks the batches waiting for funds of the account — when
            // the person reading may send (a viewer's reading leaves them to the next sync).
            if result.error.is_none() && self.require(crate::people::Action::Sync).is_ok() {
                result.batches = self.leave_waiting(Some(row.id)).await?;
            }
            out.push(result);
        }
        self.events.emit(crate::CoreEvent::BalancesRead);
        Ok(out)
    }

    pub fn balance_history(&self, account_label: &str, limit: u32) -> Result<Vec<BalanceSnapshot>> {
        self.require(crate::people::Action::Read)?;
        let row = self.account_row(account_label)?;
        Ok(self.store.balances().history(row.id, limit)?)
    }

    /// Checks an account's credentials with the lightest documented call that moves nothing (a
    /// balance read; for SOFTSYSTEM, which has none, the status of an order never made).
    pub async fn test_account(&self, account_label: &str) -> Result<AccountTest> {
        self.require(crate::people::Action::Read)?;
        let row = self.account_row(account_label)?;
        let name = row.provider.display_name();
        let (checked, outcome) = self.try_credentials(&row).await?;
        let (ok, code, message) = match outcome {
            Ok(()) => (true, "ok", format!("{name} accepted the credentials of `{}`", row.label)),
            Err(e) => match e.kind {
                ErrorKind::Credentials => (false, "credentials", format!("{name} refused the credentials: check the keys (and, for CinetPay, the API transfer password). {}", e.message)),
                ErrorKind::Unavailable | ErrorKind::NotSent => (false, "unreachable", format!("{name} could not be reached: check the internet connection and the host. {}", e.message)),
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
            account: row.fields.label,
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
        let Reading {
            kind,
            amount,
            available,
            in_use,
        } = self
            .read_payout_balance(row)
            .await?
            .map_err(|e| unavailable(&e))?;
        self.store.balances_mut().insert(&NewSnapshot {
            account_id: row.id,
            kind,
            amount: &amount,
            available: available.as_deref(),
            in_use: in_use.as_deref(),
            currency: row.currency.as_str(),
        })?;
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
