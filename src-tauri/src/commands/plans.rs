//! Batches that leave later: moved to another time, or cancelled before they leave.

use super::blocking;
use crate::error::CmdResult;
use crate::state::AppState;
use guichet_core::payouts::BatchDetail;
use tauri::State;

/// Sets a batch that has not left yet to leave at `at` (this machine's clock,
/// `2026-12-25 08:00`); the poller wakes then.
#[tauri::command]
pub async fn batch_schedule(
    state: State<'_, AppState>,
    id: i64,
    at: String,
) -> CmdResult<BatchDetail> {
    let g = state.guichet.clone();
    let done = blocking(move || {
        g.schedule_batch(id, &at)?;
        g.batch(id)
    })
    .await;
    state.poller.wake();
    done
}

/// Cancels a batch that has not left yet (scheduled, or waiting for funds): nothing of it is
/// sent.
#[tauri::command]
pub async fn batch_cancel(state: State<'_, AppState>, id: i64) -> CmdResult<BatchDetail> {
    let g = state.guichet.clone();
    blocking(move || {
        g.cancel_batch(id)?;
        g.batch(id)
    })
    .await
}
