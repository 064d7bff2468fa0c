//! Paying again the failures of a finished batch: reviewed as any batch, then confirmed.

use super::blocking;
use crate::error::CmdResult;
use crate::state::AppState;
use guichet_core::payouts::{BatchDetail, BatchPreview, BatchRequest, RetryCorrection};
use tauri::State;

async fn retry_request(
    state: &State<'_, AppState>,
    id: i64,
    corrections: Vec<RetryCorrection>,
) -> CmdResult<BatchRequest> {
    let g = state.guichet.clone();
    blocking(move || g.retry_failed(id, &corrections)).await
}

/// A corrections file for the failures of batch `id` (the number that failed, and an amount,
/// a new number, or both) read into the review's table; nothing is sent.
#[tauri::command]
pub async fn batch_retry_corrections(
    state: State<'_, AppState>,
    id: i64,
    path: String,
) -> CmdResult<Vec<RetryCorrection>> {
    let g = state.guichet.clone();
    blocking(move || g.retry_corrections(id, std::path::Path::new(&path))).await
}

/// The failed and rejected payouts of finished batch `id` (never those of unknown outcome) as a
/// new batch to review, each row with the payout it replaces and why that one failed, with the
/// merchant's corrections of numbers and amounts. Nothing is sent.
#[tauri::command]
pub async fn batch_retry_preview(
    state: State<'_, AppState>,
    id: i64,
    corrections: Vec<RetryCorrection>,
) -> CmdResult<BatchPreview> {
    let req = retry_request(&state, id, corrections).await?;
    Ok(state.guichet.preview_batch(&req).await?)
}

/// Queues and sends the re-payment the merchant reviewed (refused if it changed since
/// `reviewed_sha256`), or holds it for approval as any batch; progress comes as `progress` events of task `batch:<id>`.
#[tauri::command]
pub async fn batch_retry_confirm(
    state: State<'_, AppState>,
    id: i64,
    corrections: Vec<RetryCorrection>,
    reviewed_sha256: String,
) -> CmdResult<BatchDetail> {
    let req = retry_request(&state, id, corrections).await?;
    super::payouts::confirm_reviewed(&state, &req, &reviewed_sha256, &Default::default()).await
}
