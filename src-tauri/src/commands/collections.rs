use super::blocking;
use crate::error::{CmdResult, UiError};
use crate::state::AppState;
use guichet_core::collections::{CollectionDetail, CollectionInput, HistoryReport};
use guichet_core::collections::{CollectionKind, CollectionRow};
use guichet_types::UnifiedStatus;
use tauri::State;

/// Asks a customer for money (payin, paylink, SOFTSYSTEM request, CinetPay page).
#[tauri::command]
pub async fn collection_create(
    state: State<'_, AppState>,
    account: String,
    kind: CollectionKind,
    input: CollectionInput,
) -> CmdResult<CollectionRow> {
    let row = state.guichet.collect(&account, kind, input).await?;
    state.poller.wake();
    Ok(row)
}

/// Sends the code the customer received by SMS.
#[tauri::command]
pub async fn collection_authorize(
    state: State<'_, AppState>,
    id: i64,
    code: String,
) -> CmdResult<CollectionRow> {
    let row = state.guichet.authorize_payin(id, &code).await?;
    state.poller.wake();
    Ok(row)
}

#[tauri::command]
pub async fn collection_list(
    state: State<'_, AppState>,
    account: Option<String>,
    status: Option<UnifiedStatus>,
    before_id: Option<i64>,
    limit: Option<u32>,
) -> CmdResult<Vec<CollectionRow>> {
    let g = state.guichet.clone();
    blocking(move || {
        g.list_collections(account.as_deref(), status, before_id, limit.unwrap_or(100))
    })
    .await
}

#[tauri::command]
pub async fn collection_show(state: State<'_, AppState>, id: i64) -> CmdResult<CollectionDetail> {
    let g = state.guichet.clone();
    blocking(move || g.collection(id)).await
}

/// Asks the provider now.
#[tauri::command]
pub async fn collection_refresh(
    state: State<'_, AppState>,
    id: i64,
) -> CmdResult<CollectionDetail> {
    state
        .guichet
        .refresh_collection_now(id)
        .await
        .map_err(UiError::from)
}

#[tauri::command]
pub async fn collection_cancel(state: State<'_, AppState>, id: i64) -> CmdResult<CollectionRow> {
    let g = state.guichet.clone();
    blocking(move || g.cancel_collection(id)).await
}

/// Opens the collection's link in the system browser (never inside the app).
#[tauri::command]
pub async fn collection_open(state: State<'_, AppState>, id: i64) -> CmdResult<String> {
    let g = state.guichet.clone();
    blocking(move || g.open_collection(id)).await
}

/// Reads a CinetPay account's history between two days (`YYYY-MM-DD`, inclusive).
#[tauri::command]
pub async fn cinetpay_history_sync(
    state: State<'_, AppState>,
    account: String,
    from: String,
    to: String,
) -> CmdResult<HistoryReport> {
    let (from, to) = (
        guichet_core::collections::parse_day(&from, "from")?,
        guichet_core::collections::parse_day(&to, "to")?,
    );
    let report = state
        .guichet
        .sync_cinetpay_history(&account, from, to)
        .await?;
    state.poller.wake();
    Ok(report)
}
