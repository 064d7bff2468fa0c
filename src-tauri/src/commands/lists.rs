//! Payee lists: saved from a finished batch, shown, removed, and a batch started from one with
//! amounts typed in the app's table; the batch is reviewed and confirmed as any batch.

use super::blocking;
use crate::error::CmdResult;
use crate::state::AppState;
use guichet_core::payouts::{
    AmountEdit, BatchDetail, BatchPreview, BatchRequest, ListSaved, PayeeList, PayeeListDetail,
};
use tauri::State;

/// Every list, by name, with how many people and their default total.
#[tauri::command]
pub async fn list_all(state: State<'_, AppState>) -> CmdResult<Vec<PayeeList>> {
    let g = state.guichet.clone();
    blocking(move || g.payee_lists()).await
}

/// One list and its people.
#[tauri::command]
pub async fn list_show(state: State<'_, AppState>, name: String) -> CmdResult<PayeeListDetail> {
    let g = state.guichet.clone();
    blocking(move || g.payee_list(&name)).await
}

/// Saves the people of batch `batch_id` as the list `name` (replacing a list of that name).
#[tauri::command]
pub async fn list_save_batch(
    state: State<'_, AppState>,
    batch_id: i64,
    name: String,
) -> CmdResult<ListSaved> {
    let g = state.guichet.clone();
    blocking(move || g.save_list_from_batch(batch_id, &name)).await
}

/// Removes the list `name`.
#[tauri::command]
pub async fn list_remove(state: State<'_, AppState>, name: String) -> CmdResult<()> {
    let g = state.guichet.clone();
    blocking(move || g.remove_payee_list(&name)).await
}

async fn list_request(
    state: &State<'_, AppState>,
    name: String,
    account: String,
    edits: Vec<AmountEdit>,
) -> CmdResult<BatchRequest> {
    let g = state.guichet.clone();
    blocking(move || g.batch_from_list(&name, &account, &edits)).await
}

/// A batch for `account` from the list `name`, amounts as typed (`edits`, by phone; 0 leaves a
/// person out), reviewed as any batch with the people added and left out against the list.
/// Nothing is sent.
#[tauri::command]
pub async fn list_batch_preview(
    state: State<'_, AppState>,
    name: String,
    account: String,
    edits: Vec<AmountEdit>,
) -> CmdResult<BatchPreview> {
    let req = list_request(&state, name, account, edits).await?;
    Ok(state.guichet.preview_batch(&req).await?)
}

/// Queues and sends the batch from a list the merchant reviewed (refused if it changed since
/// `reviewed_sha256`), or holds it for approval as any batch.
#[tauri::command]
pub async fn list_batch_confirm(
    state: State<'_, AppState>,
    name: String,
    account: String,
    edits: Vec<AmountEdit>,
    reviewed_sha256: String,
) -> CmdResult<BatchDetail> {
    let req = list_request(&state, name, account, edits).await?;
    super::payouts::confirm_reviewed(&state, &req, &reviewed_sha256, &Default::default()).await
}
