pub mod account;
pub mod approvals;
pub mod audit;
pub mod balance;
pub mod batch;
pub mod books;
pub mod callback;
pub mod collect;
pub mod contacts;
pub mod list;
pub mod payout;
pub mod people;
pub mod plan;
pub mod retry;
pub mod sandbox;
pub mod sync;
pub mod users;

use anyhow::anyhow;
use guichet_core::contacts::{ColumnChoice, Field, ImportOptions};
use guichet_core::Guichet;
use std::path::PathBuf;

/// A spreadsheet to import, for an account: what `contacts import` and `payout batch` read.
#[derive(clap::Args)]
pub struct SheetArgs {
    /// CSV, XLSX, XLS or ODS (`payout batch --list` takes none).
    pub file: Option<PathBuf>,
    #[arg(long)]
    pub account: String,
    /// The sheet to read (name or 1-based position); when absent, the one whose columns
    /// are recognised.
    #[arg(long)]
    pub sheet: Option<String>,
    /// Review only: nothing is sent.
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long)]
    pub yes: bool,
    /// Which column holds a field, when the headers don't say: `phone=C`, `name=Nom` (the
    /// fields are the columns the command names).
    #[arg(long = "column", value_name = "FIELD=HEADER|LETTER")]
    pub columns: Vec<String>,
}

impl SheetArgs {
    /// The spreadsheet, which every import but a batch from a list needs.
    pub fn file(&self) -> anyhow::Result<&std::path::Path> {
        self.file
            .as_deref()
            .ok_or_else(|| anyhow!("give the spreadsheet to read (CSV, XLSX, XLS or ODS)"))
    }

    /// The sheet and the columns chosen, for an import whose fields are `fields`.
    pub fn options(&self, fields: &[Field]) -> anyhow::Result<ImportOptions> {
        Ok(ImportOptions {
            sheet: self.sheet.clone(),
            columns: self
                .columns
                .iter()
                .map(|c| parse_column(c, fields))
                .collect::<anyhow::Result<_>>()?,
        })
    }
}

/// Opens the data directory given by `--data-dir`, `GUICHET_DATA_DIR` or the platform default.
pub fn open(data_dir: Option<PathBuf>) -> anyhow::Result<Guichet> {
    let dir = match data_dir {
        Some(d) => d,
        None => guichet_core::default_data_dir()?,
    };
    let g = Guichet::open(&dir)?;
    people::sign_in(&g)?;
    Ok(g)
}

/// `--column FIELD=HEADER|LETTER` (`phone=Mobile`, `amount=E`): which column holds a field, for
/// an import whose fields are `fields`.
pub fn parse_column(s: &str, fields: &[Field]) -> anyhow::Result<ColumnChoice> {
    let names = || {
        fields
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (field, column) = s.split_once('=').ok_or_else(|| {
        anyhow!("--column {s}: write FIELD=HEADER or FIELD=LETTER, e.g. phone=Mobile")
    })?;
    let field = Field::parse(field)
        .filter(|f| fields.contains(f))
        .ok_or_else(|| anyhow!("--column {s}: unknown field `{field}` ({})", names()))?;
    Ok(ColumnChoice {
        field,
        column: column.trim().to_string(),
    })
}

/// A file error, with the flag that answers it when there is one.
pub fn file_hint(e: guichet_core::CoreError) -> anyhow::Error {
    use guichet_core::contacts::TabularError;
    use guichet_core::CoreError;
    let hint = match &e {
        CoreError::File(TabularError::AmbiguousColumn { field, candidates }) => {
            let letter = candidates
                .split(", ")
                .next()
                .and_then(|c| c.rsplit_once('('))
                .map(|(_, l)| l.trim_end_matches(')'))
                .unwrap_or("B");
            Some(format!(" with --column {}={letter}", field.as_str()))
        }
        CoreError::File(TabularError::MissingColumn { field, .. }) => Some(format!(
            "; say which column holds it with --column {}=HEADER or LETTER",
            field.as_str()
        )),
        CoreError::File(TabularError::SeveralSheets { .. }) => Some(" with --sheet".to_string()),
        _ => None,
    };
    match hint {
        Some(h) => anyhow!("{e}{h}"),
        None => e.into(),
    }
}
