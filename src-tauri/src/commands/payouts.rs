use super::blocking;
use crate::error::{CmdResult, UiError};
use crate::state::AppState;
use guichet_core::payouts::{PayoutDetail, PayoutFilter, PayoutInput};
use guichet_store::page::{Page, PageRequest};
use guichet_store::payouts::PayoutRow;
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

/// One page of payouts, newest first; `page.before_id` is the previous page's `next`.
#[tauri::command]
pub async fn payout_page(
    state: State<'_, AppState>,
    filter: PayoutFilter,
    page: PageRequest,
) -> CmdResult<Page<PayoutRow>> {
    let g = state.guichet.clone();
    blocking(move || g.payout_page(&filter, page)).await
}

#[tauri::command]
pub async fn payout_show(state: State<'_, AppState>, id: i64) -> CmdResult<PayoutDetail> {
    let g = state.guichet.clone();
    blocking(move || g.payout(id)).await
}
