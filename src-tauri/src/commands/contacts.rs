use super::blocking;
use crate::error::{CmdResult, UiError};
use crate::state::AppState;
use guichet_core::contacts::ContactRow;
use guichet_core::contacts::{
    ContactEdit, ContactImport, ContactPage, ContactPageRequest, Field, ImportOptions, SheetList,
    TableInfo,
};
use std::path::PathBuf;
use tauri::State;

/// The format and sheets of a file, for the sheet step of the import.
#[tauri::command]
pub async fn contacts_sheets(path: String) -> CmdResult<SheetList> {
    blocking(move || guichet_core::contacts::sheets(&PathBuf::from(path))).await
}

/// The file's columns and first rows, for the column-mapping step.
#[tauri::command]
pub async fn contacts_columns(
    path: String,
    options: ImportOptions,
    wanted: Vec<Field>,
) -> CmdResult<TableInfo> {
    blocking(move || guichet_core::contacts::columns(&PathBuf::from(path), &options, &wanted)).await
}

/// Every row of the file and what importing it would do. Nothing is changed.
#[tauri::command]
pub async fn contacts_preview(
    state: State<'_, AppState>,
    account: String,
    path: String,
    options: ImportOptions,
) -> CmdResult<ContactImport> {
    let g = state.guichet.clone();
    blocking(move || g.preview_contacts(&account, &PathBuf::from(path), &options)).await
}

/// Imports the file; the UI has shown the preview and the merchant confirmed. Progress comes
/// as `progress` events of task `contacts_push`.
#[tauri::command]
pub async fn contacts_import(
    state: State<'_, AppState>,
    account: String,
    path: String,
    options: ImportOptions,
) -> CmdResult<ContactImport> {
    state
        .guichet
        .import_contacts(&account, &PathBuf::from(path), &options)
        .await
        .map_err(UiError::from)
}

/// A page of contacts in name order; `page.after` is the previous page's `next`.
#[tauri::command]
pub async fn contacts_list(
    state: State<'_, AppState>,
    account: Option<String>,
    search: Option<String>,
    page: Option<ContactPageRequest>,
) -> CmdResult<ContactPage> {
    let g = state.guichet.clone();
    let page = page.unwrap_or_default();
    blocking(move || g.contact_page(account.as_deref(), search.as_deref(), &page)).await
}

#[tauri::command]
pub async fn contacts_edit(
    state: State<'_, AppState>,
    id: i64,
    edit: ContactEdit,
) -> CmdResult<ContactRow> {
    let g = state.guichet.clone();
    blocking(move || g.edit_contact(id, &edit)).await
}

#[tauri::command]
pub async fn contacts_delete(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    let g = state.guichet.clone();
    blocking(move || g.delete_contact(id)).await
}
