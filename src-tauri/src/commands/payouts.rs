use super::blocking;
use crate::error::{CmdResult, UiError};
use crate::state::AppState;
use guichet_core::contacts::ImportOptions;
use guichet_core::page::{Page, PageRequest};
use guichet_core::payouts::PayoutRow;
use guichet_core::payouts::{
    AmountReading, BatchColumns, BatchDetail, BatchPreview, BatchRequest, PayoutDetail,
    PayoutFilter, PayoutInput, SendPlan,
};
use tauri::State;

/// Sends one payout; the UI has asked the merchant to confirm first.
#[tauri::command]
pub async fn payout_send(
    state: State<'_, AppState>,
    account: String,
    input: PayoutInput,
) -> CmdResult<PayoutRow> {
    let done = state
        .guichet
        .prepare_payout(&account, input)
        .await
        .map_err(UiError::from)?;
    state.poller.wake();
    super::people::sent_or_waiting(done)
}

/// A payout being typed, checked as it is typed (number, amount, balance after); `live` reads
/// the balance from the provider (before the confirmation).
#[tauri::command]
pub async fn payout_check(
    state: State<'_, AppState>,
    account: String,
    phone: String,
    amount: String,
    name: Option<String>,
    live: bool,
) -> CmdResult<guichet_core::draft::PayoutDraft> {
    state
        .guichet
        .check_payout_draft(
            &account,
            &phone,
            &amount,
            name.as_deref().unwrap_or(""),
            live,
        )
        .await
        .map_err(UiError::from)
}

/// An amount typed in the payout or collection form, read for `account` by the reader every
/// batch row goes through: the form and the batch accept and refuse the same amounts.
#[tauri::command]
pub async fn amount_read(
    state: State<'_, AppState>,
    account: String,
    text: String,
) -> CmdResult<AmountReading> {
    let g = state.guichet.clone();
    blocking(move || g.read_amount(&account, &text)).await
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

/// Reads a payout spreadsheet off the async runtime (it reads the disk), with the columns the
/// merchant chose (remembered for this header layout) or those remembered.
async fn read_batch(
    state: &State<'_, AppState>,
    path: String,
    account: String,
    options: ImportOptions,
    again: bool,
) -> CmdResult<BatchRequest> {
    let g = state.guichet.clone();
    blocking(move || g.read_batch(std::path::Path::new(&path), &account, &options, again)).await
}

/// A payout list's columns for the mapping step: what the headers say, or the choices made
/// before for the same headers on this account (then already applied).
#[tauri::command]
pub async fn payout_batch_columns(
    state: State<'_, AppState>,
    account: String,
    path: String,
    options: ImportOptions,
) -> CmdResult<BatchColumns> {
    let g = state.guichet.clone();
    blocking(move || g.batch_columns(&account, std::path::Path::new(&path), &options)).await
}

/// Every row of a payout spreadsheet checked, the duplicates, the contacts to add and the
/// balance; nothing is sent or queued. The sheet and columns come from the contacts commands'
/// file steps (`contacts_sheets`, `contacts_columns`), as for a contact list.
#[tauri::command]
pub async fn payout_batch_preview(
    state: State<'_, AppState>,
    account: String,
    path: String,
    options: ImportOptions,
    again: bool,
) -> CmdResult<BatchPreview> {
    let req = read_batch(&state, path, account, options, again).await?;
    Ok(state.guichet.preview_batch(&req).await?)
}

/// Queues and sends the batch the merchant reviewed and confirmed (refused if the file changed
/// since `reviewed_sha256`); progress comes as `progress` events of task `batch:<id>`. `plan`:
/// leave at a time, or wait for funds when the balance is short (recorded, not sent now).
#[tauri::command]
pub async fn payout_batch_confirm(
    state: State<'_, AppState>,
    account: String,
    path: String,
    options: ImportOptions,
    again: bool,
    reviewed_sha256: String,
    plan: Option<SendPlan>,
) -> CmdResult<BatchDetail> {
    let req = read_batch(&state, path, account, options, again).await?;
    confirm_reviewed(&state, &req, &reviewed_sha256, &plan.unwrap_or_default()).await
}

/// A batch the merchant reviewed — from a file, a list or failures to pay again — confirmed:
/// previewed once more (balance and duplicates as they are now), refused if it is no longer
/// what was reviewed, then sent, planned, or held for approval above the account's threshold.
pub(crate) async fn confirm_reviewed(
    state: &AppState,
    req: &guichet_core::payouts::BatchRequest,
    reviewed_sha256: &str,
    plan: &SendPlan,
) -> CmdResult<BatchDetail> {
    let preview = state.guichet.preview_batch(req).await?;
    if preview.file_sha256 != reviewed_sha256 {
        // `confirm_batch` words the refusal.
        state.guichet.confirm_batch(req, reviewed_sha256).await?;
    }
    let done = state
        .guichet
        .prepare_batch_planned(req, &preview, plan)
        .await;
    // Tracking, and whatever an error left queued, is the poller's.
    state.poller.wake();
    super::people::sent_or_waiting(done?)
}

/// Batches, newest first, a page at a time (`page.before_id` is the previous page's `next`),
/// with where their payouts stand and the balance before and after each.
#[tauri::command]
pub async fn payout_batch_page(
    state: State<'_, AppState>,
    account: Option<String>,
    page: PageRequest,
) -> CmdResult<Page<BatchDetail>> {
    let g = state.guichet.clone();
    blocking(move || g.batch_page(account.as_deref(), page)).await
}

#[tauri::command]
pub async fn payout_batch_show(state: State<'_, AppState>, id: i64) -> CmdResult<BatchDetail> {
    let g = state.guichet.clone();
    blocking(move || g.batch(id)).await
}
