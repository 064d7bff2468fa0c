use super::blocking;
use crate::error::CmdResult;
use crate::state::AppState;
use guichet_core::accounts::{AccountForm, AccountView, ProviderInfo};
use tauri::State;

#[tauri::command]
pub async fn account_list(state: State<'_, AppState>) -> CmdResult<Vec<AccountView>> {
    let g = state.guichet.clone();
    blocking(move || g.list_accounts()).await
}

#[tauri::command]
pub async fn account_add(state: State<'_, AppState>, form: AccountForm) -> CmdResult<AccountView> {
    let g = state.guichet.clone();
    blocking(move || g.add_account(form.into_new_account())).await
}

#[tauri::command]
pub async fn account_edit(
    state: State<'_, AppState>,
    label: String,
    form: AccountForm,
) -> CmdResult<AccountView> {
    let g = state.guichet.clone();
    blocking(move || g.edit_account(&label, form.into_changes()?)).await
}

#[tauri::command]
pub async fn account_remove(state: State<'_, AppState>, label: String) -> CmdResult<()> {
    let g = state.guichet.clone();
    blocking(move || g.remove_account(&label)).await
}

#[tauri::command]
pub fn provider_catalog() -> Vec<ProviderInfo> {
    guichet_core::accounts::provider_catalog()
}
