pub mod account;
pub mod balance;
pub mod batch;
pub mod books;
pub mod callback;
pub mod collect;
pub mod contacts;
pub mod payout;
pub mod retry;
pub mod sandbox;
pub mod sync;

use anyhow::anyhow;
use guichet_core::contacts::{ColumnChoice, Field};
use guichet_core::Guichet;
use std::path::PathBuf;

/// Opens the data directory given by `--data-dir`, `GUICHET_DATA_DIR` or the platform default.
pub fn open(data_dir: Option<PathBuf>) -> anyhow::Result<Guichet> {
    let dir = match data_dir {
        Some(d) => d,
        None => guichet_core::default_data_dir()?,
    };
    Ok(Guichet::open(&dir)?)
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
