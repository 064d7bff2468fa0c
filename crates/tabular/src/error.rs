use crate::field::Field;

/// Why a file can't be read at all. Problems with single cells are not errors of the file:
/// they come with the row (see [`crate::Record::get`]).
#[derive(Debug, thiserror::Error)]
pub enum TabularError {
    #[error("cannot read {path}: {reason}")]
    Io { path: String, reason: String },
    #[error("the file is empty")]
    Empty,
    #[error("the file holds no rows")]
    NoRows,
    #[error("the file is {size_mb} MB; Guichet reads files up to {limit_mb} MB — split it")]
    TooLarge { size_mb: u64, limit_mb: u64 },
    #[error(
        "the file has more than {limit} rows; Guichet reads up to {limit} at a time — split it"
    )]
    TooManyRows { limit: usize },
    #[error("row {line} has more than {limit} columns")]
    TooManyColumns { line: usize, limit: usize },
    #[error("this is not a spreadsheet or a CSV file: {0}")]
    NotASpreadsheet(String),
    #[error("this workbook is refused: {0}")]
    Unsafe(String),
    #[error("no sheet named `{asked}`; the sheets are: {available}")]
    MissingSheet { asked: String, available: String },
    #[error("several sheets have the columns needed: {sheets}; choose one")]
    SeveralSheets { sheets: String },
    #[error("no column looks like the {}; {headers}", field.as_str())]
    MissingColumn { field: Field, headers: String },
    #[error("{} columns could be the {}: {candidates}; choose one", candidates.split(", ").count(), field.as_str())]
    AmbiguousColumn { field: Field, candidates: String },
    #[error("no column `{wanted}` for the {}; columns found: {headers}", field.as_str())]
    UnknownColumn {
        field: Field,
        wanted: String,
        headers: String,
    },
    #[error("row {line}: {reason}")]
    BadRow { line: usize, reason: String },
    #[error("the workbook cannot be read: {0}")]
    Workbook(String),
}

impl TabularError {
    /// Stable code for the UI, which translates it.
    pub fn code(&self) -> &'static str {
        match self {
            TabularError::Io { .. } => "file_unreadable",
            TabularError::Empty => "file_empty",
            TabularError::NoRows => "file_no_rows",
            TabularError::TooLarge { .. } => "file_too_large",
            TabularError::TooManyRows { .. } => "file_too_many_rows",
            TabularError::TooManyColumns { .. } => "file_too_many_columns",
            TabularError::NotASpreadsheet(_) => "file_not_spreadsheet",
            TabularError::Unsafe(_) => "file_unsafe",
            TabularError::MissingSheet { .. } => "sheet_missing",
            TabularError::SeveralSheets { .. } => "sheet_ambiguous",
            TabularError::MissingColumn { .. } => "column_missing",
            TabularError::AmbiguousColumn { .. } => "column_ambiguous",
            TabularError::UnknownColumn { .. } => "column_unknown",
            TabularError::BadRow { .. } => "file_bad_row",
            TabularError::Workbook(_) => "file_unreadable",
        }
    }
}
