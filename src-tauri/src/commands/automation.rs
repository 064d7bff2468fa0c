use super::blocking;
use crate::error::CmdResult;
use crate::state::AppState;
use guichet_core::automation::{Automation, AutomationState};
use tauri::State;

#[tauri::command]
pub async fn automation_get(state: State<'_, AppState>) -> CmdResult<AutomationState> {
    let g = state.guichet.clone();
    let settings = blocking(move || g.automation()).await?;
    Ok(crate::automation::describe(&state, settings).await)
}

/// Saves the daily balance-check hour and the receiver switch, and applies them at once.
#[tauri::command]
pub async fn automation_set(
    state: State<'_, AppState>,
    settings: Automation,
) -> CmdResult<AutomationState> {
    let g = state.guichet.clone();
    let saved = blocking(move || g.set_automation(&settings)).await?;
    Ok(crate::automation::apply(&state, saved).await)
}
