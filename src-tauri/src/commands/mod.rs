//! Thin commands: parse, call one core function (off the async runtime when it blocks on the
//! keyring or SQLite), map the error.

pub mod accounts;
pub mod automation;
pub mod balances;
pub mod books;
pub mod collections;
pub mod contacts;
pub mod dashboard;
pub mod demo;
pub mod lists;
pub mod payouts;
pub mod people;
pub mod plans;
pub mod retry;
pub mod settings;

use crate::error::{CmdResult, UiError};

/// Runs blocking core work (SQLite, D-Bus keyring) off the async runtime.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> guichet_core::Result<T> + Send + 'static,
) -> CmdResult<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| UiError::internal(e.to_string()))?
        .map_err(UiError::from)
}
