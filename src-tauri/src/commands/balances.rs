use crate::error::{CmdResult, UiError};
use crate::state::AppState;
use guichet_core::balances::BalanceSnapshot;
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

/// The recorded balances of one account, newest first.
#[tauri::command]
pub async fn balance_history(
    state: State<'_, AppState>,
    account: String,
    limit: Option<u32>,
) -> CmdResult<Vec<BalanceSnapshot>> {
    let g = state.guichet.clone();
    super::blocking(move || g.balance_history(&account, limit.unwrap_or(200))).await
}
