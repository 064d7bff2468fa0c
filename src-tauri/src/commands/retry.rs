//! Paying again the failures of a finished batch: reviewed as any batch, then confirmed.

use super::blocking;
use crate::error::CmdResult;
use crate::state::AppState;
use guichet_core::payouts::{BatchDetail, BatchPreview, BatchRequest};
use tauri::State;

async fn retry_request(
    state: &State<'_, AppState>,
    id: i64,
    amounts: Option<String>,
) -> CmdResult<BatchRequest> {
    let g = state.guichet.clone();
    blocking(move || g.retry_failed(id, amounts.as_deref().map(std::path::Path::new))).await
}

/// The failed and rejected payouts of finished batch `id` (never those of unknown outcome) as a
/// new batch to review, each row with the payout it replaces and why that one failed;
/// `amounts`: a spreadsheet of phone and amount columns correcting amounts. Nothing is sent.
#[tauri::command]
pub async fn batch_retry_preview(
    state: State<'_, AppState>,
    id: i64,
    amounts: Option<String>,
) -> CmdResult<BatchPreview> {
    let req = retry_request(&state, id, amounts).await?;
    Ok(state.guichet.preview_batch(&req).await?)
}

/// Queues and sends the re-payment the merchant reviewed (refused if it changed since
/// `reviewed_sha256`), or holds it for approval as any batch; progress comes as `progress` events of task `batch:<id>`.
#[tauri::command]
pub async fn batch_retry_confirm(
    state: State<'_, AppState>,
    id: i64,
    amounts: Option<String>,
    reviewed_sha256: String,
) -> CmdResult<BatchDetail> {
    let req = retry_request(&state, id, amounts).await?;
    super::payouts::confirm_reviewed(&state, &req, &reviewed_sha256, &Default::default()).await
}
