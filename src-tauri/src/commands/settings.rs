use super::blocking;
use crate::error::{CmdResult, UiError};
use crate::state::AppState;
use guichet_core::settings::Settings;
use std::sync::atomic::Ordering;
use tauri::State;

#[tauri::command]
pub async fn settings_get(state: State<'_, AppState>) -> CmdResult<Settings> {
    let g = state.guichet.clone();
    blocking(move || g.settings()).await
}

/// The UI's language, kept for the next start and for the notifications the shell writes.
#[tauri::command]
pub async fn settings_set_language(
    state: State<'_, AppState>,
    lang: String,
) -> CmdResult<Settings> {
    let g = state.guichet.clone();
    let s = blocking(move || g.set_language(&lang)).await?;
    state.english.store(s.language == "en", Ordering::Relaxed);
    Ok(s)
}

/// Desktop notifications for final payout outcomes, on or off.
#[tauri::command]
pub async fn settings_set_notifications(
    state: State<'_, AppState>,
    on: bool,
) -> CmdResult<Settings> {
    let g = state.guichet.clone();
    let s = blocking(move || g.set_notifications(on)).await?;
    state
        .notifications
        .store(s.notifications, Ordering::Relaxed);
    Ok(s)
}

/// Opens the data folder in the platform's file manager.
#[tauri::command]
pub fn open_data_dir(state: State<'_, AppState>) -> CmdResult<()> {
    crate::files::reveal(state.guichet.data_dir()).map_err(|e| UiError {
        reason: guichet_core::ErrorCode::OpenFailed,
        message: e,
        details: None,
    })
}
