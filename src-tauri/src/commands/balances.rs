use crate::error::{CmdResult, UiError};
use crate::state::AppState;
use guichet_core::balances::{AccountBalances, AccountTest};
use tauri::State;

/// Fetches and records the balances of every account (or one).
#[tauri::command]
pub async fn balance_check(
    state: State<'_, AppState>,
    account: Option<String>,
) -> CmdResult<Vec<AccountBalances>> {
    state
        .guichet
        .check_balances(account.as_deref())
        .await
        .map_err(UiError::from)
}

/// Checks an account's credentials with the provider's lightest call.
#[tauri::command]
pub async fn account_test(state: State<'_, AppState>, label: String) -> CmdResult<AccountTest> {
    state
        .guichet
        .test_account(&label)
        .await
        .map_err(UiError::from)
}
