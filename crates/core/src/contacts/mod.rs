//! Transfer contacts: imported from the merchant's spreadsheets, kept per account, pushed to the
//! account's CinetPay contact list (a number must be there before money can be sent to it).
//!
//! An import reads the whole file first ([`Guichet::preview_contacts`]): a file that can't be
//! read sends nothing. Then the new contacts are stored, then pushed in chunks; each row keeps
//! what CinetPay said (code, `lot`). A number already in the list (726) counts as present, so
//! importing the same file again adds nothing twice.

mod push;
mod read;

use crate::Invalid;
use crate::{CoreError, Guichet, Result};
pub use guichet_store::contacts::{
    ContactCursor, ContactPage, ContactPageRequest, ContactRow, ProviderState,
};
use guichet_store::contacts::{ListFilter, NewContact};
use guichet_types::phone;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub use guichet_tabular::{
    Field, Format, MappedColumn, Problem, SampleRow, TableInfo, TabularError,
};
pub use guichet_types::phone::PhoneError;

/// A file's format and its sheets (none for CSV).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SheetList {
    pub format: Format,
    pub sheets: Vec<String>,
}

/// What the file's header row says about each column, with the first rows, for a column-mapping
/// step. Without a sheet chosen, the workbook's sheet is the one where the `wanted` columns are
/// found (an instructions sheet first is passed over); when no sheet has them all, the first
/// sheet's columns are given anyway, for the merchant to map by hand.
pub fn columns(path: &Path, options: &ImportOptions, wanted: &[Field]) -> Result<TableInfo> {
    let table = match guichet_tabular::open(path, &options.read_options(wanted.to_vec())) {
        Ok(table) => table,
        Err(
            guichet_tabular::TabularError::MissingColumn { .. }
            | guichet_tabular::TabularError::AmbiguousColumn { .. },
        ) => guichet_tabular::open(path, &options.read_options(Vec::new()))?,
        Err(e) => return Err(e.into()),
    };
    Ok(table.info().clone())
}

/// A file's format and its sheets, for choosing the sheet before the preview.
pub fn sheets(path: &Path) -> Result<SheetList> {
    let (format, sheets) = guichet_tabular::inspect(path, &Default::default())?;
    Ok(SheetList { format, sheets })
}

/// The merchant's choices for reading a file.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportOptions {
    /// Sheet name or 1-based position; when unset, the sheet whose columns are recognised.
    pub sheet: Option<String>,
    /// Columns chosen by hand, over what the headers say.
    #[serde(default)]
    pub columns: Vec<ColumnChoice>,
}

impl ImportOptions {
    /// How the reader reads the file with these choices, `required` columns refused if missing.
    pub(crate) fn read_options(&self, required: Vec<Field>) -> guichet_tabular::ReadOptions {
        guichet_tabular::ReadOptions {
            sheet: self.sheet.clone(),
            columns: self
                .columns
                .iter()
                .map(|c| (c.field, c.column.clone()))
                .collect(),
            required,
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ColumnChoice {
    pub field: Field,
    /// The header text, or the column letter (`B`).
    pub column: String,
}

/// What happens to a row of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum RowState {
    /// Will be stored and pushed.
    New,
    /// Already a contact of this account at the provider: nothing to do.
    Existing,
    /// The same number appeared on an earlier row of the file.
    Duplicate,
    /// Can't be imported; `reason` says why.
    Invalid,
}

/// Why a row is not new. `Display` is the English wording (the row's `reason`); the screens
/// word the code and its fields in the merchant's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum RowReason {
    /// A used cell can't give a value (a formula, an error value).
    Cell {
        column: String,
        problem: Problem,
    },
    /// The number can't be read or is not a mobile number of the account's country.
    Phone {
        column: String,
        problem: PhoneError,
    },
    /// Neither a name nor a surname.
    NoName,
    BadEmail {
        column: String,
        email: String,
    },
    /// The same number is on an earlier row of the file.
    Duplicate {
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        row: usize,
    },
    /// Already in the provider's contact list.
    AlreadyContact,
}

impl std::fmt::Display for RowReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowReason::Cell { column, problem } => write!(f, "{column}: {problem}"),
            RowReason::Phone { column, problem } => write!(f, "{column}: {problem}"),
            RowReason::NoName => write!(f, "no name: CinetPay needs a name for each contact"),
            RowReason::BadEmail { column, email } => {
                write!(f, "{column}: `{email}` is not an e-mail address")
            }
            RowReason::Duplicate { row } => write!(f, "same number as row {row}"),
            RowReason::AlreadyContact => write!(f, "already a contact"),
        }
    }
}

/// What the provider said about a pushed row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum PushOutcome {
    Added,
    /// It was already in the provider's list (CinetPay 726).
    Present,
    /// Refused; see the code and message.
    Failed,
    /// Not sent (the provider could not be reached, or has no contact list); kept in Guichet,
    /// the next import pushes it.
    NotSent,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ContactImportRow {
    /// Row number as the spreadsheet shows it.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub line: usize,
    pub state: RowState,
    /// The number as written in the file.
    pub phone: String,
    /// The checked number, `+2250707123456`.
    pub e164: Option<String>,
    pub name: String,
    pub surname: String,
    pub email: String,
    /// Why the row is invalid, a duplicate or already a contact, in English words.
    pub reason: Option<String>,
    /// The same, as a code with what it names, for wording it in French or English.
    pub why: Option<RowReason>,
    pub contact_id: Option<i64>,
    pub outcome: Option<PushOutcome>,
    pub provider_code: Option<String>,
    pub provider_message: Option<String>,
    pub lot: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportTotals {
    pub rows: u32,
    pub new: u32,
    pub existing: u32,
    pub duplicate: u32,
    pub invalid: u32,
    pub added: u32,
    pub present: u32,
    pub failed: u32,
    pub not_sent: u32,
}

impl ImportTotals {
    pub(crate) fn of(rows: &[ContactImportRow]) -> ImportTotals {
        let mut t = ImportTotals::default();
        for r in rows {
            t.rows += 1;
            match r.state {
                RowState::New => t.new += 1,
                RowState::Existing => t.existing += 1,
                RowState::Duplicate => t.duplicate += 1,
                RowState::Invalid => t.invalid += 1,
            }
            match r.outcome {
                Some(PushOutcome::Added) => t.added += 1,
                Some(PushOutcome::Present) => t.present += 1,
                Some(PushOutcome::Failed) => t.failed += 1,
                Some(PushOutcome::NotSent) => t.not_sent += 1,
                None => {}
            }
        }
        t
    }
}

/// A file's import: the preview, and after the push each row's outcome.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ContactImport {
    pub account: String,
    pub file: TableInfo,
    pub rows: Vec<ContactImportRow>,
    pub totals: ImportTotals,
    /// `false` for a preview.
    pub pushed: bool,
}

/// A contact as the merchant edits it.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ContactEdit {
    pub phone: String,
    pub name: String,
    pub surname: String,
    pub email: String,
}

/// Progress events of a push carry this task name.
pub const PUSH_TASK: &str = "contacts_push";

impl Guichet {
    /// A page of an account's contacts (every account's when `None`) in name order, searched by
    /// name, e-mail or number; `page.after` is the previous page's `next`.
    pub fn contact_page(
        &self,
        account_label: Option<&str>,
        search: Option<&str>,
        page: &ContactPageRequest,
    ) -> Result<ContactPage> {
        self.require(crate::people::Action::Read)?;
        let account_id = match account_label {
            Some(l) => Some(self.account_row(l)?.id),
            None => None,
        };
        let db = self.store.lock();
        let searching = search.is_some_and(|s| !s.trim().is_empty());
        // Contacts the index does not hold yet are still found (read directly), but the index
        // should catch up: after an upgrade, or an import whose indexing was cut short.
        if searching && db.contacts().behind()? {
            self.index_contact_search_later();
        }
        let page = db.contacts().page(
            &ListFilter {
                account_id,
                search: search.map(str::to_string),
            },
            page,
        )?;
        Ok(page)
    }

    /// Fills the contact search index up to the newest contact, a thousand contacts per
    /// transaction so the app's other queries get the database between them. Returns how many
    /// contacts were indexed.
    pub fn index_contact_search(&self) -> Result<usize> {
        let mut total = 0;
        loop {
            let n = self.store.contacts_mut().index_some(1_000)?;
            if n == 0 {
                return Ok(total);
            }
            total += n;
        }
    }

    /// The same on a thread of its own, unless one is already at it: called after an import
    /// has committed, so the import itself does not pay for the index.
    pub(crate) fn index_contact_search_later(&self) {
        use std::sync::atomic::Ordering;
        if self.indexing_contacts.swap(true, Ordering::SeqCst) {
            return;
        }
        let g = self.clone();
        std::thread::spawn(move || loop {
            let indexed = g.index_contact_search();
            g.indexing_contacts.store(false, Ordering::SeqCst);
            if let Err(e) = indexed {
                // The next search or import tries again.
                tracing::warn!(error = %e, "indexing contacts for search stopped");
                return;
            }
            // Contacts stored while the flag was being cleared would otherwise wait for the
            // next search.
            let behind = g.store.contacts().behind().unwrap_or(false);
            if !behind || g.indexing_contacts.swap(true, Ordering::SeqCst) {
                return;
            }
        });
    }

    pub fn contact(&self, id: i64) -> Result<ContactRow> {
        self.require(crate::people::Action::Read)?;
        Ok(self.store.contacts().get(id)?)
    }

    /// Changes a contact in Guichet. A new number is checked against the account's country and
    /// will be pushed to the provider again by the next import or payout.
    pub fn edit_contact(&self, id: i64, edit: &ContactEdit) -> Result<ContactRow> {
        self.require(crate::people::Action::Import)?;
        let before = self.contact(id)?;
        let account = self.store.accounts().get(before.account_id)?;
        let number =
            phone::normalize(&edit.phone, account.country).map_err(|e| CoreError::phone(&e))?;
        let name = edit.name.split_whitespace().collect::<Vec<_>>().join(" ");
        let surname = edit
            .surname
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if name.is_empty() && surname.is_empty() {
            return Err(CoreError::invalid(
                "name",
                Invalid::Required,
                "a contact needs a name",
            ));
        }
        let email = edit.email.trim().to_string();
        if !email.is_empty() && !read::looks_like_email(&email) {
            return Err(CoreError::invalid(
                "email",
                Invalid::NotEmail {
                    value: email.to_string(),
                },
                format!("`{email}` is not an e-mail address"),
            ));
        }
        let row = self.store.contacts_mut().update(
            id,
            &NewContact {
                account_id: account.id,
                prefix: number.prefix.clone(),
                phone: number.national.clone(),
                name,
                surname,
                email,
                operator: number.operator().map(operator_name),
            },
        )?;
        self.audit(
            "contact.changed",
            Some(&id.to_string()),
            serde_json::json!({"account": account.label, "phone": number.e164()}),
        )?;
        Ok(row)
    }

    /// Removes a contact from Guichet. CinetPay offers no way to remove one from its list.
    pub fn delete_contact(&self, id: i64) -> Result<()> {
        self.require(crate::people::Action::Import)?;
        self.store.contacts_mut().delete(id)?;
        self.audit(
            "contact.removed",
            Some(&id.to_string()),
            serde_json::json!({}),
        )
    }
}

pub(crate) fn operator_name(o: phone::Operator) -> String {
    match o {
        phone::Operator::Orange => "Orange",
        phone::Operator::Mtn => "MTN",
        phone::Operator::Moov => "Moov",
    }
    .to_string()
}
