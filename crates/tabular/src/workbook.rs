//! XLSX, XLS and ODS through calamine. XLSX rows are streamed; XLS (at most 65,536 rows by
//! format) and ODS are read as a whole sheet. Zipped workbooks are checked before anything is
//! inflated (see [`check_zip`]).

use crate::cell::{Cell, Problem};
use crate::error::TabularError;
use crate::{Format, Limits};
use calamine::{Data, Ods, Range, Reader, Xls, Xlsx};
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::ops::ControlFlow;

type Input = BufReader<File>;

pub(crate) enum Workbook {
    Xlsx(Box<Xlsx<Input>>),
    /// XLS and ODS: the chosen sheet, read whole.
    Sheet(Range<Data>),
}

/// Reads the zip's central directory — declared sizes and entry count — without inflating
/// anything, refuses a zip bomb, and tells XLSX from ODS. The zip reader then never inflates an
/// entry past its declared size, so these checks hold while calamine reads.
pub(crate) fn check_zip(file: &mut File, limits: &Limits) -> Result<Format, TabularError> {
    let mut zip = zip::ZipArchive::new(&mut *file)
        .map_err(|e| TabularError::NotASpreadsheet(format!("a damaged zip archive ({e})")))?;
    if zip.len() > limits.max_zip_entries {
        return Err(TabularError::Unsafe(format!(
            "it holds {} parts; a workbook has far fewer than {}",
            zip.len(),
            limits.max_zip_entries
        )));
    }
    let mut total: u64 = 0;
    let mut kind = None;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| TabularError::NotASpreadsheet(format!("a damaged zip archive ({e})")))?;
        total = total.saturating_add(entry.size());
        match entry.name().as_deref().unwrap_or_default() {
            "xl/workbook.xml" => kind = Some(Format::Xlsx),
            "xl/workbook.bin" => {
                return Err(TabularError::NotASpreadsheet(
                    "an Excel binary workbook (.xlsb); save it as .xlsx".into(),
                ))
            }
            "content.xml" if kind.is_none() => kind = Some(Format::Ods),
            _ => {}
        }
    }
    if total > limits.max_unzipped_bytes {
        return Err(TabularError::Unsafe(format!(
            "it would unpack to {} MB; Guichet unpacks at most {} MB",
            total / 1_000_000,
            limits.max_unzipped_bytes / 1_000_000
        )));
    }
    let kind = kind.ok_or_else(|| {
        TabularError::NotASpreadsheet("a zip archive that is not a workbook".into())
    })?;
    if kind == Format::Ods {
        check_ods_cells(&mut zip, limits)?;
    }
    drop(zip);
    file.rewind()
        .map_err(|e| TabularError::Workbook(e.to_string()))?;
    Ok(kind)
}

/// An ODS sheet says "this row, 1,000,000 times" in a few bytes, and calamine reads every sheet
/// of an ODS file into memory when it opens it. Counts the cells each sheet spans (up to its
/// last filled row and column, repeats included) in one streaming pass, before calamine does.
fn check_ods_cells(
    zip: &mut zip::ZipArchive<&mut File>,
    limits: &Limits,
) -> Result<(), TabularError> {
    use quick_xml::events::{BytesStart, Event};
    let bad = |e: &dyn std::fmt::Display| TabularError::Workbook(e.to_string());
    let content = zip.by_name("content.xml").map_err(|e| bad(&e))?;
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let repeat = |e: &BytesStart<'_>, name: &str| -> u64 {
        e.try_get_attribute(name)
            .ok()
            .flatten()
            .and_then(|a| a.value.parse().ok())
            .unwrap_or(1)
    };
    let mut total = 0u64;
    // Per sheet: the next row's index, and how far filled cells reach.
    let (mut row, mut rows_extent, mut cols_extent) = (0u64, 0u64, 0u64);
    // Per row: its repeat count, the next cell's column, how far its filled cells reach.
    let (mut row_repeat, mut col, mut row_filled_to) = (1u64, 0u64, 0u64);
    let mut buf = Vec::new();
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|e| bad(&e))?;
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            match e.local_name().as_ref() {
                "table" => (row, rows_extent, cols_extent) = (0, 0, 0),
                "table-row" => {
                    (row_repeat, col, row_filled_to) =
                        (repeat(e, "table:number-rows-repeated"), 0, 0);
                    if empty {
                        row = row.saturating_add(row_repeat);
                    }
                }
                "table-cell" | "covered-table-cell" => {
                    let filled = !empty
                        || e.try_get_attribute("office:value-type")
                            .ok()
                            .flatten()
                            .is_some();
                    col = col.saturating_add(repeat(e, "table:number-columns-repeated"));
                    if filled {
                        row_filled_to = col;
                    }
                }
                _ => {}
            }
        }
        match &event {
            Event::End(e) if e.local_name().as_ref() == "table-row" => {
                if row_filled_to > 0 {
                    rows_extent = row.saturating_add(row_repeat);
                    cols_extent = cols_extent.max(row_filled_to);
                }
                row = row.saturating_add(row_repeat);
            }
            Event::End(e) if e.local_name().as_ref() == "table" => {
                total = total.saturating_add(rows_extent.saturating_mul(cols_extent));
                if total > limits.max_cells {
                    return Err(TabularError::Unsafe(format!(
                        "its sheets span more than {} cells (rows or columns repeated); \
                         Guichet reads at most {}",
                        limits.max_cells, limits.max_cells
                    )));
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

fn workbook_error(e: impl std::fmt::Display) -> TabularError {
    TabularError::Workbook(e.to_string())
}

/// Opens the workbook and lists its sheets in workbook order.
pub(crate) fn open(
    format: Format,
    file: File,
) -> Result<(OpenWorkbook, Vec<String>), TabularError> {
    let input = BufReader::with_capacity(256 * 1024, file);
    Ok(match format {
        Format::Xlsx => {
            let wb: Xlsx<Input> = Xlsx::new(input).map_err(workbook_error)?;
            let names = wb.sheet_names();
            (OpenWorkbook::Xlsx(Box::new(wb)), names)
        }
        Format::Xls => {
            let wb: Xls<Input> = Xls::new(input).map_err(|e| {
                TabularError::Workbook(format!(
                    "{e} (a password-protected workbook must be saved without its password)"
                ))
            })?;
            let names = wb.sheet_names();
            (OpenWorkbook::Xls(Box::new(wb)), names)
        }
        Format::Ods => {
            let wb: Ods<Input> = Ods::new(input).map_err(workbook_error)?;
            let names = wb.sheet_names();
            (OpenWorkbook::Ods(Box::new(wb)), names)
        }
        Format::Csv => unreachable!("CSV is not a workbook"),
    })
}

pub(crate) enum OpenWorkbook {
    Xlsx(Box<Xlsx<Input>>),
    Xls(Box<Xls<Input>>),
    Ods(Box<Ods<Input>>),
}

impl OpenWorkbook {
    /// Keeps the chosen sheet: XLSX stays open to be streamed, the others are read now.
    pub fn select(self, sheet: &str) -> Result<Workbook, TabularError> {
        Ok(match self {
            OpenWorkbook::Xlsx(wb) => Workbook::Xlsx(wb),
            OpenWorkbook::Xls(mut wb) => {
                Workbook::Sheet(wb.worksheet_range(sheet).map_err(workbook_error)?)
            }
            OpenWorkbook::Ods(mut wb) => {
                Workbook::Sheet(wb.worksheet_range(sheet).map_err(workbook_error)?)
            }
        })
    }
}

impl Workbook {
    /// Calls `f` with each non-empty row's 1-based line and its cells: all of them when `wanted`
    /// is `None`, else those columns in that order. The cells are reused from row to row.
    pub fn rows(
        &mut self,
        sheet: &str,
        wanted: Option<&[usize]>,
        mut f: impl FnMut(usize, &[Cell]) -> Result<ControlFlow<()>, TabularError>,
    ) -> Result<(), TabularError> {
        let mut row = RowBuffer::new(wanted);
        match self {
            Workbook::Xlsx(wb) => {
                let mut cells = wb.worksheet_cells_reader(sheet).map_err(workbook_error)?;
                let mut at: Option<u32> = None;
                while let Some(c) = cells.next_cell_with_formula().map_err(workbook_error)? {
                    let r = c.pos.0;
                    if let Some(done) = at.filter(|at| *at != r) {
                        if f(done as usize + 1, row.cells())?.is_break() {
                            return Ok(());
                        }
                        row.clear();
                        at = None;
                    }
                    let Some(cell) = row.slot(c.pos.1 as usize) else {
                        continue;
                    };
                    at = Some(r);
                    match (&c.value, &c.formula) {
                        (calamine::DataRef::Empty, Some(formula)) => {
                            *cell = Cell::Problem(Problem::FormulaNotComputed {
                                formula: formula.clone(),
                            })
                        }
                        (value, _) => cell.set_ref(value),
                    }
                }
                if let Some(at) = at {
                    let _last = f(at as usize + 1, row.cells())?;
                }
                Ok(())
            }
            Workbook::Sheet(range) => {
                let (row0, col0) = range.start().unwrap_or((0, 0));
                let col0 = col0 as usize;
                for (i, cells) in range.rows().enumerate() {
                    let line = row0 as usize + i + 1;
                    for (c, data) in cells.iter().enumerate() {
                        if let Some(cell) = row.slot(col0 + c) {
                            *cell = Cell::from_data(data);
                        }
                    }
                    if wanted.is_none() {
                        row.widen((col0 + cells.len()).min(crate::MAX_COLUMNS));
                    }
                    if f(line, row.cells())?.is_break() {
                        return Ok(());
                    }
                    row.clear();
                }
                Ok(())
            }
        }
    }
}

/// One row's cells, kept from row to row: the wanted columns in order, or every column up to
/// [`crate::MAX_COLUMNS`].
struct RowBuffer {
    cells: Vec<Cell>,
    /// Column index → position in `cells`, for the wanted columns; `None` to keep every column.
    slots: Option<Vec<Option<usize>>>,
    /// Cells of the current row (every-column mode: one past its last filled column).
    width: usize,
}

impl RowBuffer {
    fn new(wanted: Option<&[usize]>) -> RowBuffer {
        let slots = wanted.map(|w| {
            let mut slots = vec![None; w.iter().max().map_or(0, |m| m + 1)];
            for (slot, col) in w.iter().enumerate() {
                slots[*col] = Some(slot);
            }
            slots
        });
        let width = wanted.map_or(0, <[usize]>::len);
        RowBuffer {
            cells: vec![Cell::EMPTY; width],
            slots,
            width,
        }
    }

    /// The cell that keeps column `col`, if it is kept.
    fn slot(&mut self, col: usize) -> Option<&mut Cell> {
        let slot = match &self.slots {
            Some(slots) => slots.get(col).copied().flatten()?,
            None if col < crate::MAX_COLUMNS => {
                self.widen(col + 1);
                col
            }
            None => return None,
        };
        Some(&mut self.cells[slot])
    }

    fn widen(&mut self, width: usize) {
        if self.cells.len() < width {
            self.cells.resize(width, Cell::EMPTY);
        }
        self.width = self.width.max(width);
    }

    fn cells(&self) -> &[Cell] {
        &self.cells[..self.width]
    }

    fn clear(&mut self) {
        self.cells[..self.width].iter_mut().for_each(Cell::clear);
        if self.slots.is_none() {
            self.width = 0;
        }
    }
}

/// What the first bytes say the file is.
pub(crate) fn sniff(head: &[u8]) -> Option<Format> {
    if head.starts_with(b"PK\x03\x04") {
        Some(Format::Xlsx) // or ODS: the zip directory tells (check_zip)
    } else if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some(Format::Xls)
    } else {
        None
    }
}

pub(crate) fn read_head(file: &mut File, n: usize) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(n);
    file.by_ref().take(n as u64).read_to_end(&mut head)?;
    file.rewind()?;
    Ok(head)
}
