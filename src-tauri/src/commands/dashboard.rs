use super::blocking;
use crate::error::CmdResult;
use crate::state::AppState;
use guichet_core::dashboard::Dashboard;
use guichet_core::log::{EventFilter, EventRow};
use guichet_core::page::{Page, PageRequest};
use tauri::State;

/// The dashboard's figures; `since` is the start of the merchant's day (RFC 3339).
#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>, since: String) -> CmdResult<Dashboard> {
    let g = state.guichet.clone();
    blocking(move || g.dashboard(&since)).await
}

/// One page of the Journal, newest first, filtered by kind, account and days.
#[tauri::command]
pub async fn event_page(
    state: State<'_, AppState>,
    filter: Option<EventFilter>,
    page: PageRequest,
) -> CmdResult<Page<EventRow>> {
    let g = state.guichet.clone();
    blocking(move || g.journal_page(&filter.unwrap_or_default(), page)).await
}

/// The UI has drawn its first interactive screen (navigation, language and accounts). With
/// `GUICHET_READY_FILE` set (by `scripts/measure-desktop.sh`), the moment is written there, with
/// the UI's own start-up marks (`[stage, Unix milliseconds]`).
/// The start's background work (poller, balance check, database check) goes on then.
#[tauri::command]
pub fn ui_ready(state: State<'_, AppState>, marks: Option<Vec<(String, f64)>>) {
    crate::startup::ready(&marks.unwrap_or_default());
    state.ui_ready.notify_one();
}
