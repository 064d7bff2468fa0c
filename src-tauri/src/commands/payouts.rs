use super::blocking;
use crate::error::{CmdResult, UiError};
use crate::state::AppState;
use guichet_core::payouts::{PayoutDetail, PayoutInput};
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
