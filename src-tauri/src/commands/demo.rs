use crate::error::{CmdResult, UiError};
use crate::state::AppState;
use guichet_core::accounts::AccountView;
use tauri::State;

/// "Try with the sandbox": starts the built-in simulator, creates the demo accounts and, the
/// first time, demo contacts, payouts (sent by the poller) and payment links.
#[tauri::command]
pub async fn demo_start(state: State<'_, AppState>) -> CmdResult<Vec<AccountView>> {
    crate::demo::start(&state, None)
        .await
        .map_err(UiError::internal)?;
    state
        .guichet
        .seed_demo_history()
        .await
        .map_err(UiError::from)?;
    state.poller.wake();
    let g = state.guichet.clone();
    super::blocking(move || g.list_accounts()).await
}
