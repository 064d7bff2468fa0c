//! Provider clients for an account, built once per account and process: the CinetPay session
//! token is then shared by every call, and secrets are read from the keyring once.

use crate::Invalid;
use crate::{CoreError, Guichet, Result};
use guichet_providers::executor::{Executor, ExecutorConfig};
use guichet_providers::{
    cinetpay_payment, cinetpay_transfer, mycoolpay, softsystem, ErrorKind, ProviderError,
};
use guichet_store::accounts::AccountRow;
use guichet_types::Provider;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Clone)]
pub enum AccountClient {
    Cinetpay(Arc<cinetpay_transfer::Client>),
    Mycoolpay(Arc<mycoolpay::Client>),
}

#[derive(Default)]
pub struct Clients {
    /// Timeouts and retries of every provider's executor (their defaults unless set).
    config: Option<ExecutorConfig>,
    by_account: Mutex<HashMap<i64, AccountClient>>,
    /// CinetPay's payment API (collections, account balances), beside its transfer API.
    payments: Mutex<HashMap<i64, Arc<cinetpay_payment::Client>>>,
    softsystem: Mutex<HashMap<i64, Arc<softsystem::Client>>>,
    executors: Mutex<HashMap<Provider, Arc<Executor>>>,
}

impl Clients {
    /// One executor (connection pool) per provider. No provider documents or reports a limit on
    /// requests (CinetPay's reported 429 is for logging in on every call, and its token is
    /// shared), so none is paced: a batch's requests leave together (see `payouts::submit`).
    fn executor(&self, provider: Provider) -> Arc<Executor> {
        let mut map = self.executors.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(provider)
            .or_insert_with(|| Arc::new(Executor::new(self.config.clone().unwrap_or_default())))
            .clone()
    }

    /// Forgets an account's client (after its secrets or host changed).
    pub fn forget(&self, account_id: i64) {
        self.by_account
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&account_id);
        self.payments
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&account_id);
        self.softsystem
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&account_id);
    }
}

impl Guichet {
    /// Uses these timeouts, retries and pace for every provider call instead of the defaults
    /// (the fault simulations use short timeouts so that a hung provider costs milliseconds).
    pub fn with_http_config(mut self, config: ExecutorConfig) -> Guichet {
        self.clients = Arc::new(Clients {
            config: Some(config),
            ..Default::default()
        });
        self
    }

    /// The client for an account's payouts and balances.
    pub async fn client(&self, account: &AccountRow) -> Result<AccountClient> {
        if let Some(c) = self
            .clients
            .by_account
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&account.id)
        {
            return Ok(c.clone());
        }
        let exec = self.clients.executor(account.provider);
        let g = self.clone();
        let row = account.clone();
        // The keyring speaks D-Bus synchronously: off the async runtime.
        let client = tokio::task::spawn_blocking(move || -> Result<AccountClient> {
            Ok(match row.provider {
                Provider::Cinetpay => {
                    AccountClient::Cinetpay(Arc::new(cinetpay_transfer::Client::new(
                        exec,
                        row.base_url.as_deref(),
                        cinetpay_transfer::Credentials {
                            api_key: g.account_secret(&row, "api_key")?,
                            transfer_password: g.account_secret(&row, "transfer_password")?,
                        },
                    )))
                }
                Provider::Mycoolpay => AccountClient::Mycoolpay(Arc::new(mycoolpay::Client::new(
                    exec,
                    row.base_url.as_deref(),
                    row.public_key.as_deref().unwrap_or_default(),
                    g.account_secret(&row, "private_key")?,
                ))),
                Provider::Softsystem => {
                    return Err(super::cannot_pay_out(row.provider)
                        .expect("SOFTSYSTEM has no payout client"))
                }
            })
        })
        .await
        .map_err(|e| CoreError::Io(e.to_string()))??;
        self.clients
            .by_account
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(account.id, client.clone());
        Ok(client)
    }
}

impl Guichet {
    /// The CinetPay payment API client of a CinetPay account.
    pub async fn cinetpay_payment_client(
        &self,
        account: &AccountRow,
    ) -> Result<Arc<cinetpay_payment::Client>> {
        if account.provider != Provider::Cinetpay {
            return Err(CoreError::invalid(
                "account",
                Invalid::WrongProvider {
                    account: String::new(),
                },
                "not a CinetPay account",
            ));
        }
        self.cached_client(
            &self.clients.payments,
            account,
            "api_key",
            |executor, key| {
                cinetpay_payment::Client::new(
                    executor,
                    account.base_url.as_deref(),
                    account.site_id.as_deref().unwrap_or_default(),
                    key,
                )
            },
        )
        .await
    }

    /// The SOFTSYSTEM client of a SOFTSYSTEM account.
    pub async fn softsystem_client(&self, account: &AccountRow) -> Result<Arc<softsystem::Client>> {
        if account.provider != Provider::Softsystem {
            return Err(CoreError::invalid(
                "account",
                Invalid::WrongProvider {
                    account: String::new(),
                },
                "not a SOFTSYSTEM account",
            ));
        }
        self.cached_client(
            &self.clients.softsystem,
            account,
            "access_token",
            |executor, token| {
                softsystem::Client::new(
                    executor,
                    account.base_url.as_deref(),
                    account.client_reference.as_deref().unwrap_or_default(),
                    token,
                )
            },
        )
        .await
    }

    /// The account's client from `cache`, or one built with its secret `secret_name` (read from
    /// the keyring off the async runtime) and kept there.
    async fn cached_client<C>(
        &self,
        cache: &Mutex<HashMap<i64, Arc<C>>>,
        account: &AccountRow,
        secret_name: &'static str,
        build: impl FnOnce(Arc<Executor>, guichet_secrets::Secret) -> C,
    ) -> Result<Arc<C>> {
        if let Some(c) = cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&account.id)
        {
            return Ok(c.clone());
        }
        let g = self.clone();
        let row = account.clone();
        let secret = tokio::task::spawn_blocking(move || g.account_secret(&row, secret_name))
            .await
            .map_err(|e| CoreError::Io(e.to_string()))??;
        let client = Arc::new(build(self.clients.executor(account.provider), secret));
        cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(account.id, client.clone());
        Ok(client)
    }
}

/// A provider failure in words for the merchant (the English text; the UI translates by code).
pub fn explain(e: &ProviderError) -> String {
    match &e.kind {
        ErrorKind::Credentials => format!(
            "the provider refused the account's credentials: {}",
            e.message
        ),
        ErrorKind::InsufficientBalance => {
            format!("the balance at the provider is too low: {}", e.message)
        }
        ErrorKind::RateLimited { retry_after_s } => {
            format!("the provider asks to wait {retry_after_s} s")
        }
        ErrorKind::Unavailable => format!("the provider could not be reached: {}", e.message),
        _ => e.message.clone(),
    }
}
