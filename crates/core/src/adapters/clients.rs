//! Provider clients for an account, built once per account and process: the CinetPay session
//! token is then shared by every call, and secrets are read from the keyring once. Which
//! client an account has is its adapter's business (`adapters/<provider>/`).

use crate::{CoreError, Guichet, Invalid, Result};
use guichet_providers::executor::{Executor, ExecutorConfig};
use guichet_providers::{ErrorKind, ProviderError};
use guichet_store::accounts::AccountRow;
use guichet_types::Provider;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A built client, of whichever type its adapter uses.
type Built = Arc<dyn Any + Send + Sync>;

#[derive(Default)]
pub struct Clients {
    /// Timeouts and retries of every provider's executor (their defaults unless set).
    config: Option<ExecutorConfig>,
    /// Each account's clients, one per client type (CinetPay has two APIs: transfers and
    /// payments).
    by_account: Mutex<HashMap<(i64, TypeId), Built>>,
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

    /// Forgets an account's clients (after its secrets or host changed).
    pub fn forget(&self, account_id: i64) {
        self.by_account
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|(id, _), _| *id != account_id);
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

    /// The account's client of type `C`, built once per account and process by `build` (with
    /// the provider's executor; it reads the account's secrets, from the keyring, off the
    /// async runtime) and kept: a session token is then shared by every call. Refused for an
    /// account of another provider than `of`.
    pub(crate) async fn cached_client<C: Send + Sync + 'static>(
        &self,
        account: &AccountRow,
        of: Provider,
        build: impl FnOnce(&Guichet, &AccountRow, Arc<Executor>) -> Result<C> + Send + 'static,
    ) -> Result<Arc<C>> {
        if account.provider != of {
            return Err(CoreError::invalid(
                "account",
                Invalid::WrongProvider {
                    account: account.label.clone(),
                },
                format!("not a {} account", of.display_name()),
            ));
        }
        let key = (account.id, TypeId::of::<C>());
        let cached = self
            .clients
            .by_account
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .cloned();
        if let Some(c) = cached.and_then(|c| c.downcast::<C>().ok()) {
            return Ok(c);
        }
        let exec = self.clients.executor(account.provider);
        let g = self.clone();
        let row = account.clone();
        // The keyring speaks D-Bus synchronously: off the async runtime.
        let client = tokio::task::spawn_blocking(move || build(&g, &row, exec))
            .await
            .map_err(|e| CoreError::Io(e.to_string()))??;
        let client = Arc::new(client);
        self.clients
            .by_account
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, client.clone());
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
        ErrorKind::NotSent => format!(
            "the provider could not be reached, so nothing was sent: {}",
            e.message
        ),
        _ => e.message.clone(),
    }
}
