//! Spreadsheet import (CSV, XLSX, XLS, ODS): one reader for contact lists and payout batches.
//!
//! ```no_run
//! use guichet_tabular::{open, Field, ReadOptions};
//! use std::ops::ControlFlow;
//!
//! let options = ReadOptions {
//!     sheet: None,                                        // first sheet; or a name or `2`
//!     columns: vec![(Field::Phone, "Mobile".into())],    // the merchant's choices, if any
//!     required: vec![Field::Phone, Field::Amount],        // what this import can't do without
//!     ..Default::default()
//! };
//! let table = open("paie.xlsx".as_ref(), &options)?;      // checks limits, finds the header
//! println!("{:?}", table.info().columns);                // which column holds what
//! table.for_each(|row| {
//!     match row.get(Field::Phone) {
//!         Some(Ok(text)) => { /* normalise and validate `text` */ }
//!         Some(Err(why)) => eprintln!("row {}, column {}: {why}", row.line,
//!                                     row.column(Field::Phone).unwrap().describe()),
//!         None => {} // no such column (only for fields not in `required`)
//!     }
//!     ControlFlow::Continue(())
//! })?;
//! # Ok::<(), guichet_tabular::TabularError>(())
//! ```
//!
//! - **Formats** are told from the content, not the name: a zip holding `xl/workbook.xml` is
//!   XLSX, one holding `content.xml` is ODS, an OLE file is XLS, anything else must be text and
//!   is read as CSV (separator `,` `;` or tab and encoding — UTF-8 with or without BOM, UTF-16
//!   with BOM, Windows-1252/Latin-1 — told from the first 64 KB). CSV and XLSX are streamed.
//! - **Headers** are found among the first 10 non-empty rows (titles above them are skipped) and
//!   read in French or English, whatever the case and accents ([`Field::parse`]). A required
//!   field with no column, or two candidate columns, is an error listing the columns; the
//!   merchant then chooses with [`ReadOptions::columns`] (a header text or a column letter,
//!   which also serves files without a header row).
//! - **Cells** are text: numbers Excel stored as floats become their exact digits
//!   (`707123456`, never `7.07123456E8`); a formula gives the value the spreadsheet last saved,
//!   and a cell that can't give one (a formula never computed, `#REF!`, a CSV cell `=A1`) is a
//!   per-row problem naming the cell, not a failure of the file.
//! - **Limits** ([`Limits`]): file size, rows, and for zipped workbooks the declared unpacked
//!   size and number of parts, checked before anything is inflated. Rows entirely blank (in the
//!   columns used) are skipped and not counted.

mod cell;
mod csv_source;
mod error;
pub mod export;
mod field;
mod header;
pub mod statement;
mod workbook;

pub use cell::{float_text, Problem};
pub use error::TabularError;
pub use header::{column_letter, normalize as normalize_header, Field, MappedColumn};

use cell::Cell;
use csv_source::CsvSource;
use serde::Serialize;
use std::fs::File;
use std::ops::ControlFlow;
use std::path::Path;
use workbook::Workbook;

/// How much of a text file is looked at to tell its encoding and separator.
pub(crate) const SNIFF_BYTES: usize = 64 * 1024;
/// Columns looked at when searching for the header (data rows only read the mapped ones).
pub(crate) const MAX_COLUMNS: usize = 512;
const HEADER_SEARCH_ROWS: usize = 10;
const SAMPLE_ROWS: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Format {
    Csv,
    Xlsx,
    Xls,
    Ods,
}

/// What Guichet agrees to read. The defaults are documented in `docs/contacts.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Size of the file on disk.
    pub max_file_bytes: u64,
    /// Data rows (blank rows are not counted).
    pub max_rows: usize,
    /// Sum of the unpacked sizes a zipped workbook (XLSX, ODS) declares.
    pub max_unzipped_bytes: u64,
    /// Parts in a zipped workbook.
    pub max_zip_entries: usize,
    /// Cells an ODS workbook's sheets span, repeats included (calamine reads them all at once).
    pub max_cells: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 50_000_000,
            max_rows: 200_000,
            max_unzipped_bytes: 500_000_000,
            max_zip_entries: 5_000,
            max_cells: 5_000_000,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The sheet's name (case-insensitive) or its 1-based position; if `None`, the sheet whose
    /// columns are recognised (see [`open`]).
    pub sheet: Option<String>,
    /// The merchant's column choices: a header text (case- and accent-insensitive) or a column
    /// letter (`B`). They take precedence over the recognised headers.
    pub columns: Vec<(Field, String)>,
    /// Fields that must have a column.
    pub required: Vec<Field>,
    /// Read every column of the header, not only the mapped ones ([`Record::others`]): a
    /// payout list's `TOTAL` label may sit in any column.
    pub every_column: bool,
    pub limits: Limits,
}

/// What was found in the file, before any data row is read: enough for a column-mapping step.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TableInfo {
    pub format: Format,
    /// Sheets in workbook order; empty for CSV.
    pub sheets: Vec<String>,
    /// The sheet read; `None` for CSV.
    pub sheet: Option<String>,
    /// No sheet was asked and the workbook has several: this one was taken because its
    /// columns are recognised (the others' are not).
    pub sheet_found: bool,
    /// CSV only: `UTF-8`, `UTF-16LE`, `Windows-1252`.
    pub encoding: Option<String>,
    /// CSV only: `,`, `;` or a tab.
    pub separator: Option<String>,
    /// 1-based line of the header row; `None` when the file has none.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub header_line: Option<usize>,
    /// Header texts by column (empty strings when there is no header row).
    pub headers: Vec<String>,
    /// The columns that will be read, one per field found or chosen.
    pub columns: Vec<MappedColumn>,
    /// The first data rows, every column, as text.
    pub sample: Vec<SampleRow>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SampleRow {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub line: usize,
    pub cells: Vec<String>,
}

/// An open file whose header has been found; [`Table::for_each`] streams its data rows.
pub struct Table {
    info: TableInfo,
    source: Source,
    limits: Limits,
    every_column: bool,
}

enum Source {
    Csv(CsvSource),
    Workbook(Workbook),
}

impl Source {
    fn rows(
        &mut self,
        sheet: &str,
        wanted: Option<&[usize]>,
        f: impl FnMut(usize, &[Cell]) -> Result<ControlFlow<()>, TabularError>,
    ) -> Result<(), TabularError> {
        match self {
            Source::Csv(c) => c.rows(wanted, f),
            Source::Workbook(w) => w.rows(sheet, wanted, f),
        }
    }
}

/// One data row.
pub struct Record<'a> {
    /// The row's number as the spreadsheet shows it (the line, for CSV).
    pub line: usize,
    cells: &'a [Cell],
    columns: &'a [MappedColumn],
}

impl Record<'_> {
    /// The trimmed text of `field`'s cell; `Err` with the reason in words when the cell can't
    /// give a value (a formula error, a formula never computed); `None` when no column holds
    /// `field`.
    pub fn get(&self, field: Field) -> Option<Result<&str, &Problem>> {
        let i = self.columns.iter().position(|c| c.field == field)?;
        Some(match &self.cells[i] {
            Cell::Text(t) | Cell::Number(_, t) => Ok(t.trim()),
            Cell::Problem(why) => Err(why),
        })
    }

    /// `field`'s cell when the spreadsheet stored a number there (an amount typed as a number,
    /// or a formula's result): amounts are read from the number, never from its text.
    pub fn number(&self, field: Field) -> Option<f64> {
        let i = self.columns.iter().position(|c| c.field == field)?;
        match &self.cells[i] {
            Cell::Number(f, _) => Some(*f),
            _ => None,
        }
    }

    /// The trimmed text of `field`'s cell, or `""` when there is none or it has a problem.
    pub fn text(&self, field: Field) -> &str {
        self.get(field).and_then(Result::ok).unwrap_or("")
    }

    /// The column that holds `field`.
    pub fn column(&self, field: Field) -> Option<&MappedColumn> {
        self.columns.iter().find(|c| c.field == field)
    }

    /// The trimmed text of the cells of the columns no field is mapped to (read only with
    /// [`ReadOptions::every_column`]).
    pub fn others(&self) -> impl Iterator<Item = &str> {
        self.cells[self.columns.len().min(self.cells.len())..]
            .iter()
            .filter_map(|c| c.text())
            .map(str::trim)
    }
}

impl MappedColumn {
    /// `Téléphone (B)`, or `B` without a header: how errors name the column.
    pub fn describe(&self) -> String {
        if self.header.trim().is_empty() {
            self.letter.clone()
        } else {
            format!("{} ({})", self.header.trim(), self.letter)
        }
    }
}

pub(crate) fn io_error(path: &Path, e: std::io::Error) -> TabularError {
    TabularError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// Checks the file's size and kind (and a zipped workbook's declared contents) and returns it
/// open, rewound.
fn open_checked(path: &Path, limits: &Limits) -> Result<(File, Format, Vec<u8>), TabularError> {
    let mut file = File::open(path).map_err(|e| io_error(path, e))?;
    let size = file.metadata().map_err(|e| io_error(path, e))?.len();
    if size == 0 {
        return Err(TabularError::Empty);
    }
    if size > limits.max_file_bytes {
        return Err(TabularError::TooLarge {
            size_mb: size.div_ceil(1_000_000),
            limit_mb: limits.max_file_bytes / 1_000_000,
        });
    }
    let head = workbook::read_head(&mut file, SNIFF_BYTES).map_err(|e| io_error(path, e))?;
    let format = match workbook::sniff(&head) {
        Some(Format::Xlsx) => workbook::check_zip(&mut file, limits)?,
        Some(f) => f,
        None => {
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or_default()
                .to_ascii_lowercase();
            if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods" | "xlsb") {
                return Err(TabularError::NotASpreadsheet(format!(
                    "its name ends in .{ext} but it is not a workbook"
                )));
            }
            Format::Csv
        }
    };
    Ok((file, format, head))
}

/// The format and the sheets of a file (empty for CSV), for a sheet-choice step.
pub fn inspect(path: &Path, limits: &Limits) -> Result<(Format, Vec<String>), TabularError> {
    let (file, format, head) = open_checked(path, limits)?;
    if format == Format::Csv {
        CsvSource::open(path, &head)?;
        return Ok((format, Vec::new()));
    }
    Ok((format, workbook::open(format, file)?.1))
}

fn choose_sheet(names: &[String], asked: Option<&str>) -> Result<String, TabularError> {
    let missing = |asked: &str| TabularError::MissingSheet {
        asked: asked.to_string(),
        available: names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", "),
    };
    match asked.map(str::trim) {
        None | Some("") => names.first().cloned().ok_or_else(|| missing("")),
        Some(asked) => names
            .iter()
            .find(|n| n.as_str() == asked)
            .or_else(|| names.iter().find(|n| n.trim().eq_ignore_ascii_case(asked)))
            .or_else(|| {
                asked
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| i.checked_sub(1))
                    .and_then(|i| names.get(i))
            })
            .cloned()
            .ok_or_else(|| missing(asked)),
    }
}

fn texts(cells: &[Cell]) -> Vec<String> {
    cells
        .iter()
        .map(|c| c.text().unwrap_or_default().trim().to_string())
        .collect()
}

/// Opens a file, checks it against the limits, chooses the sheet and finds which column holds
/// each field. Reads only the first rows; nothing is changed anywhere.
///
/// Without a sheet asked, a workbook's sheet is the one whose columns are recognised (a header
/// row found, the required fields in it): an instructions sheet first is passed over. Several
/// such sheets is an error that lists them; none, the error of the sheet that came closest.
pub fn open(path: &Path, options: &ReadOptions) -> Result<Table, TabularError> {
    let asked = options
        .sheet
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if asked.is_some() {
        return open_sheet(path, options, asked);
    }
    let (_, names) = inspect(path, &options.limits)?;
    if names.len() <= 1 {
        return open_sheet(path, options, None);
    }
    let mut found = Vec::new();
    let mut first_error = None;
    for name in &names {
        match open_sheet(path, options, Some(name)) {
            Ok(table) if table.info.header_line.is_some() => found.push(table),
            Ok(_) => {}
            Err(
                e @ (TabularError::MissingColumn { .. }
                | TabularError::AmbiguousColumn { .. }
                | TabularError::UnknownColumn { .. }
                | TabularError::NoRows),
            ) => {
                if first_error
                    .as_ref()
                    .is_none_or(|f| closeness(&e) < closeness(f))
                {
                    first_error = Some(e);
                }
            }
            Err(e) => return Err(e),
        }
    }
    match found.len() {
        0 => match first_error {
            Some(e) => Err(e),
            None => open_sheet(path, options, None),
        },
        1 => {
            let mut table = found.pop().expect("one sheet");
            table.info.sheet_found = true;
            Ok(table)
        }
        _ => Err(TabularError::SeveralSheets {
            sheets: found
                .iter()
                .filter_map(|t| t.info.sheet.as_deref())
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// How close a sheet that could not be read came to having the columns (lower is closer): two
/// candidates for a column, then a header row lacking one, then no header row at all.
fn closeness(e: &TabularError) -> u8 {
    match e {
        TabularError::AmbiguousColumn { .. } | TabularError::UnknownColumn { .. } => 0,
        TabularError::MissingColumn { headers, .. } if headers.starts_with("columns found") => 1,
        _ => 2,
    }
}

/// [`open`] on one sheet (the first when `None`).
fn open_sheet(
    path: &Path,
    options: &ReadOptions,
    sheet: Option<&str>,
) -> Result<Table, TabularError> {
    let limits = &options.limits;
    let (file, format, head) = open_checked(path, limits)?;
    let (mut source, sheets, sheet, encoding, separator) = if format == Format::Csv {
        drop(file);
        let csv = CsvSource::open(path, &head)?;
        let (enc, sep) = (csv.encoding.to_string(), csv.separator);
        let sep = if sep == b'\t' {
            "tab".to_string()
        } else {
            (sep as char).to_string()
        };
        (Source::Csv(csv), Vec::new(), None, Some(enc), Some(sep))
    } else {
        let (wb, names) = workbook::open(format, file)?;
        let sheet = choose_sheet(&names, sheet)?;
        let wb = wb.select(&sheet)?;
        (Source::Workbook(wb), names, Some(sheet), None, None)
    };
    let sheet_name = sheet.clone().unwrap_or_default();

    let mut first: Vec<(usize, Vec<Cell>)> = Vec::new();
    source.rows(&sheet_name, None, |line, cells| {
        if !cells.iter().all(Cell::is_blank) {
            first.push((line, cells.to_vec()));
        }
        Ok(if first.len() >= HEADER_SEARCH_ROWS + SAMPLE_ROWS {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        })
    })?;
    if first.is_empty() {
        return Err(TabularError::NoRows);
    }
    let candidates: Vec<Vec<String>> = first
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .map(|(_, c)| texts(c))
        .collect();
    let header = header::find_header_row(&candidates);
    let headers = match header {
        Some(i) => candidates[i].clone(),
        None => {
            let width = first.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
            vec![String::new(); width]
        }
    };
    let data: Vec<Vec<String>> = first
        .iter()
        .skip(header.map_or(0, |i| i + 1))
        .map(|(_, c)| texts(c))
        .collect();
    let columns = header::map_columns(&headers, &data, &options.columns, &options.required)
        .map_err(|e| match e {
            TabularError::MissingColumn { field, .. } if header.is_none() => {
                TabularError::MissingColumn {
                    field,
                    headers: format!(
                        "the file has no header row, its first row reads: {}",
                        header::describe_headers(&texts(&first[0].1))
                    ),
                }
            }
            e => e,
        })?;
    let sample = first
        .iter()
        .skip(header.map_or(0, |i| i + 1))
        .zip(data)
        .take(SAMPLE_ROWS)
        .map(|((line, _), cells)| SampleRow { line: *line, cells })
        .collect();
    Ok(Table {
        info: TableInfo {
            format,
            sheets,
            sheet,
            encoding,
            separator,
            sheet_found: false,
            header_line: header.map(|i| first[i].0),
            headers,
            columns,
            sample,
        },
        source,
        limits: limits.clone(),
        every_column: options.every_column,
    })
}

impl Table {
    pub fn info(&self) -> &TableInfo {
        &self.info
    }

    /// Streams the data rows (after the header, blank ones skipped) to `f`, which may stop
    /// early. Returns how many rows it saw. More rows than [`Limits::max_rows`] is an error
    /// raised when the first row past the limit is met: read everything before acting on it.
    pub fn for_each(
        mut self,
        mut f: impl FnMut(&Record<'_>) -> ControlFlow<()>,
    ) -> Result<usize, TabularError> {
        let mut wanted: Vec<usize> = self.info.columns.iter().map(|c| c.index).collect();
        if self.every_column {
            let width = self.info.headers.len().min(MAX_COLUMNS);
            wanted.extend((0..width).filter(|i| !self.info.columns.iter().any(|c| c.index == *i)));
        }
        let header_line = self.info.header_line.unwrap_or(0);
        let sheet = self.info.sheet.clone().unwrap_or_default();
        let columns = &self.info.columns;
        let max = self.limits.max_rows;
        let mut seen = 0usize;
        self.source.rows(&sheet, Some(&wanted), |line, cells| {
            if line <= header_line || cells.iter().all(Cell::is_blank) {
                return Ok(ControlFlow::Continue(()));
            }
            seen += 1;
            if seen > max {
                return Err(TabularError::TooManyRows { limit: max });
            }
            Ok(f(&Record {
                line,
                cells,
                columns,
            }))
        })?;
        Ok(seen)
    }
}
