//! Which columns of a payout list hold what: what the headers say, or what the merchant chose
//! for the same header layout on this account before. Choices are remembered when a file is
//! read with them, so next month's file with the same headers needs no mapping again — in the
//! app and on the command line alike.

use super::preflight::BatchRequest;
use crate::contacts::{ColumnChoice, ImportOptions};
use crate::{Guichet, Result};
use guichet_store::accounts::AccountRow;
use guichet_tabular::{Field, TableInfo};
use serde::Serialize;
use std::path::Path;

/// The columns a payout list cannot do without.
const WANTED: [Field; 2] = [Field::Phone, Field::Amount];

/// Choices remembered for a header layout, and when they were made.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RememberedColumns {
    pub columns: Vec<ColumnChoice>,
    /// UTC, when they were last used.
    pub chosen_at: String,
}

/// A payout list's columns for the mapping step: those found, or those remembered.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchColumns {
    pub info: TableInfo,
    pub remembered: Option<RememberedColumns>,
}

/// A header row as a layout: its texts normalised (case, accents, punctuation), in order.
fn layout(headers: &[String]) -> String {
    headers
        .iter()
        .map(|h| guichet_tabular::normalize_header(h))
        .collect::<Vec<_>>()
        .join("|")
}

impl Guichet {
    /// Reads a payout list for `account` ([`BatchRequest::from_file`]): with the merchant's
    /// column choices, which are then remembered for this header layout; without any, with
    /// those remembered for it, if any.
    pub fn read_batch(
        &self,
        path: &Path,
        account: &str,
        options: &ImportOptions,
        again: bool,
    ) -> Result<BatchRequest> {
        self.require(crate::people::Action::Read)?;
        let row = self.account_row(account)?;
        let (layout, chosen, remembered) = self.batch_options(&row, path, options)?;
        let mut req = BatchRequest::from_file(path, account, &chosen, again)?;
        if let (Some(layout), false) = (&layout, options.columns.is_empty()) {
            let json = serde_json::to_string(&options.columns)
                .map_err(|e| crate::CoreError::Io(e.to_string()))?;
            self.store
                .column_choices_mut()
                .remember(row.id, layout, &json)?;
        }
        req.remembered = remembered;
        Ok(req)
    }

    /// The columns of a payout list for the mapping step: the remembered choices already
    /// applied when the file's headers are laid out as before.
    pub fn batch_columns(
        &self,
        account: &str,
        path: &Path,
        options: &ImportOptions,
    ) -> Result<BatchColumns> {
        self.require(crate::people::Action::Read)?;
        let row = self.account_row(account)?;
        let (_, chosen, remembered) = self.batch_options(&row, path, options)?;
        let info = crate::contacts::columns(path, &chosen, &WANTED)?;
        Ok(BatchColumns { info, remembered })
    }

    /// The file's header layout, and the options to read it with: the merchant's, or those
    /// remembered for the layout when the merchant chose no column.
    fn batch_options(
        &self,
        account: &AccountRow,
        path: &Path,
        options: &ImportOptions,
    ) -> Result<(Option<String>, ImportOptions, Option<RememberedColumns>)> {
        let info = crate::contacts::columns(path, options, &WANTED)?;
        if info.header_line.is_none() {
            return Ok((None, options.clone(), None));
        }
        let layout = layout(&info.headers);
        let remembered = if options.columns.is_empty() {
            self.store
                .column_choices()
                .recall(account.id, &layout)?
                .and_then(|(json, chosen_at)| {
                    let columns: Vec<ColumnChoice> = serde_json::from_str(&json).ok()?;
                    Some(RememberedColumns { columns, chosen_at })
                })
        } else {
            None
        };
        let chosen = match &remembered {
            Some(r) => ImportOptions {
                sheet: info.sheet.clone(),
                columns: r.columns.clone(),
            },
            None => options.clone(),
        };
        Ok((Some(layout), chosen, remembered))
    }
}
