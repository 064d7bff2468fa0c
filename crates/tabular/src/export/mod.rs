//! Writing rows to CSV or XLSX for the accountant, one row at a time, in bounded memory.
//!
//! The caller opens a [`RowWriter`] with the headers, writes typed [`Cell`]s row by row, then
//! calls `finish`. The file appears at its path only when `finish` succeeds: rows go to a
//! `.part` file beside it, renamed at the end, so an interrupted export never leaves a file that
//! looks complete.
//!
//! - CSV: UTF-8 with a BOM (so Excel reads accents right), the separator chosen (`;` by default,
//!   what French Excel expects), CRLF line ends, text cells neutralised (see [`neutralise`]).
//! - XLSX: typed cells (amounts as numbers, dates as dates, phones and references as text),
//!   written in rust_xlsxwriter's constant-memory mode; a sheet holds at most 1,048,575 rows
//!   under its header, further rows continue on a new sheet.

mod csv_out;
pub mod dates;
mod neutralise;
mod xlsx_out;

pub use dates::{DateStyle, Zone};
pub use neutralise::{is_plain_phone, neutralise};

use std::path::{Path, PathBuf};

/// One cell of an exported row. Borrowed: the caller reads rows one at a time and nothing is
/// kept once the row is written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(&'a str),
    /// A phone number, `+2250707123456`: text in XLSX (never a number that loses its `+` and
    /// leading zero), kept as it is in CSV when it is purely a number.
    Phone(&'a str),
    /// A whole number: an identifier, a count.
    Int(i64),
    /// Whole francs: a number in XLSX, shown with thousands separators.
    Amount(i64),
    /// An exact decimal as the provider sent it (`"865.4"`): a number in XLSX, the same text in
    /// CSV. Text that is not a plain decimal is written as text.
    Decimal(&'a str),
    /// A UTC timestamp as the store keeps it (`2026-11-23T14:05:00.000Z`), written in local time.
    Time(&'a str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `delimiter` is one ASCII byte: `;`, `,`, tab…
    Csv {
        delimiter: u8,
    },
    Xlsx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub format: Format,
    pub date_style: DateStyle,
    pub zone: Zone,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error(
        "the separator must be one ASCII character other than a quote or a line end, not {0:?}"
    )]
    Delimiter(String),
}

/// Where rows go. Implemented by the CSV and the XLSX writers.
pub trait RowWriter {
    fn write_row(&mut self, cells: &[Cell<'_>]) -> Result<(), ExportError>;
    /// Completes the file and moves it to its final path.
    fn finish(self: Box<Self>) -> Result<(), ExportError>;
}

/// Opens a writer for `path` and writes the header row.
pub fn create(
    path: &Path,
    headers: &[&str],
    sheet_name: &str,
    options: Options,
) -> Result<Box<dyn RowWriter>, ExportError> {
    let part = PartFile::new(path);
    Ok(match options.format {
        Format::Csv { delimiter } => Box::new(csv_out::CsvWriter::create(
            part, headers, delimiter, options,
        )?),
        Format::Xlsx => Box::new(xlsx_out::XlsxWriter::create(
            part, headers, sheet_name, options,
        )?),
    })
}

/// Parses a separator as people type it: `;`, `,`, `tab` or `\t`, `|`.
pub fn parse_delimiter(text: &str) -> Result<u8, ExportError> {
    let bad = || ExportError::Delimiter(text.to_string());
    let b = match text {
        "tab" | "\\t" | "\t" => b'\t',
        t if t.len() == 1 => t.as_bytes()[0],
        _ => return Err(bad()),
    };
    if !b.is_ascii() || matches!(b, b'"' | b'\n' | b'\r') || b.is_ascii_alphanumeric() {
        return Err(bad());
    }
    Ok(b)
}

/// The file being written: `<path>.part` until [`PartFile::publish`] renames it to `path`;
/// removed if the export stops before that.
pub(crate) struct PartFile {
    pub part: PathBuf,
    path: PathBuf,
    published: bool,
}

impl PartFile {
    fn new(path: &Path) -> PartFile {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".part");
        PartFile {
            part: path.with_file_name(name),
            path: path.to_path_buf(),
            published: false,
        }
    }

    fn publish(mut self) -> Result<(), ExportError> {
        std::fs::rename(&self.part, &self.path).map_err(io(&self.path))?;
        self.published = true;
        Ok(())
    }
}

impl Drop for PartFile {
    fn drop(&mut self) {
        if !self.published {
            let _ = std::fs::remove_file(&self.part);
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    }
}
