use super::blocking;
use crate::error::CmdResult;
use crate::state::AppState;
use guichet_core::dashboard::Dashboard;
use guichet_store::events::EventRow;
use guichet_store::page::{Page, PageRequest};
use tauri::State;

/// The dashboard's figures; `since` is the start of the merchant's day (RFC 3339).
#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>, since: String) -> CmdResult<Dashboard> {
    let g = state.guichet.clone();
    blocking(move || g.dashboard(&since)).await
}

/// One page of the event log, newest first.
#[tauri::command]
pub async fn event_page(
    state: State<'_, AppState>,
    page: PageRequest,
) -> CmdResult<Page<EventRow>> {
    let g = state.guichet.clone();
    blocking(move || g.event_page(page)).await
}

/// The UI has drawn its first interactive screen. With `GUICHET_READY_FILE` set (by
/// `scripts/measure-desktop.sh`), the moment is written there as Unix nanoseconds.
#[tauri::command]
pub fn ui_ready() {
    if let Some(path) = std::env::var_os("GUICHET_READY_FILE") {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        if let Err(e) = std::fs::write(&path, nanos.to_string()) {
            tracing::warn!(error = %e, "cannot write the ready mark");
        }
    }
}
