//! Exports and reconciliation. The paths come from the native save/open dialogs in the UI (or
//! are typed, which is also how the end-to-end test drives them); progress reaches the webview
//! as core `progress` events with task `export`.

use super::blocking;
use crate::error::CmdResult;
use crate::state::AppState;
use guichet_core::books::export::{ExportRequest, ExportSummary};
use guichet_core::books::reconcile::ReconcileReport;
use guichet_core::books::Lang;
use std::path::PathBuf;
use tauri::State;

/// Writes the export `request` describes to `path`.
#[tauri::command]
pub async fn export_run(
    state: State<'_, AppState>,
    request: ExportRequest,
    path: PathBuf,
) -> CmdResult<ExportSummary> {
    let g = state.guichet.clone();
    blocking(move || g.export(&request, &path)).await
}

/// Reconciles a CinetPay transfer statement with `account`'s payouts.
#[tauri::command]
pub async fn reconcile_run(
    state: State<'_, AppState>,
    file: PathBuf,
    account: String,
) -> CmdResult<ReconcileReport> {
    let g = state.guichet.clone();
    blocking(move || g.reconcile(&file, &account)).await
}

/// Saves a reconciliation report as CSV (or XLSX for a `.xlsx` path).
#[tauri::command]
pub async fn reconcile_report_save(
    state: State<'_, AppState>,
    report: ReconcileReport,
    path: PathBuf,
    lang: Lang,
) -> CmdResult<()> {
    let g = state.guichet.clone();
    blocking(move || g.write_reconcile_report(&report, &path, lang)).await
}
