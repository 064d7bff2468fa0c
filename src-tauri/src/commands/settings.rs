use crate::state::AppState;
use tauri::State;

/// The UI's language, for the notifications the shell shows.
#[tauri::command]
pub fn set_language(state: State<'_, AppState>, lang: String) {
    state
        .english
        .store(lang == "en", std::sync::atomic::Ordering::Relaxed);
}
