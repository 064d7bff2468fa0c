use super::blocking;
use crate::error::{CmdResult, UiError};
use crate::state::AppState;
use guichet_core::payouts::{BatchDetail, BatchPreview, BatchRequest, PayoutDetail, PayoutInput};
use guichet_store::payouts::PayoutRow;
use guichet_types::UnifiedStatus;
use tauri::State;

/// Sends one payout; the UI has asked the merchant to confirm first.
#[tauri::command]
pub async fn payout_send(
    state: State<'_, AppState>,
    account: String,
    input: PayoutInput,
) -> CmdResult<PayoutRow> {
    let row = state
        .guichet
        .send_payout(&account, input)
        .await
        .map_err(UiError::from)?;
    state.poller.wake();
    Ok(row)
}

#[tauri::command]
pub async fn payout_list(
    state: State<'_, AppState>,
    account: Option<String>,
    status: Option<UnifiedStatus>,
    before_id: Option<i64>,
    limit: Option<u32>,
) -> CmdResult<Vec<PayoutRow>> {
    let g = state.guichet.clone();
    blocking(move || g.list_payouts(account.as_deref(), status, before_id, limit.unwrap_or(100)))
        .await
}

#[tauri::command]
pub async fn payout_show(state: State<'_, AppState>, id: i64) -> CmdResult<PayoutDetail> {
    let g = state.guichet.clone();
    blocking(move || g.payout(id)).await
}

/// Reads a payout spreadsheet (off the async runtime: it reads the disk).
async fn read_batch(
    path: String,
    account: String,
    sheet: Option<String>,
    again: bool,
) -> CmdResult<BatchRequest> {
    blocking(move || {
        BatchRequest::from_file(
            std::path::Path::new(&path),
            &account,
            sheet.as_deref(),
            again,
        )
    })
    .await
}

/// Reads and checks a payout spreadsheet, and the balance; nothing is sent.
#[tauri::command]
pub async fn payout_batch_preview(
    state: State<'_, AppState>,
    account: String,
    path: String,
    sheet: Option<String>,
    again: bool,
) -> CmdResult<BatchPreview> {
    let req = read_batch(path, account, sheet, again).await?;
    Ok(state.guichet.preview_batch(&req).await?)
}

/// Sends the batch the merchant reviewed and confirmed (refused if the file changed since);
/// progress arrives as `progress` events of task `batch:<id>`.
#[tauri::command]
pub async fn payout_batch_confirm(
    state: State<'_, AppState>,
    account: String,
    path: String,
    sheet: Option<String>,
    again: bool,
    reviewed_sha256: String,
) -> CmdResult<BatchDetail> {
    let req = read_batch(path, account, sheet, again).await?;
    let batch = state.guichet.confirm_batch(&req, &reviewed_sha256).await?;
    let report = state.guichet.send_batch(batch.id).await;
    // Tracking (and anything left queued by an error) is the poller's.
    state.poller.wake();
    Ok(report?)
}

#[tauri::command]
pub async fn payout_batch_list(
    state: State<'_, AppState>,
    account: Option<String>,
) -> CmdResult<Vec<BatchDetail>> {
    let g = state.guichet.clone();
    blocking(move || g.list_batches(account.as_deref(), 50)).await
}
