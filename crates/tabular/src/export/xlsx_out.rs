use super::dates::{DateStyle, LocalClock};
use super::{Cell, ExportError, Options, PartFile, RowWriter};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// Excel's rows per sheet, header included.
const SHEET_ROWS: u32 = 1_048_576;
/// Excel's longest text in a cell.
const CELL_CHARS: usize = 32_767;

/// Cells of an XLSX sheet are typed, so a text cell is never evaluated: `=1+1` written as text
/// stays the text `=1+1`. No neutralising prefix is needed, and none is added.
pub(super) struct XlsxWriter {
    part: PartFile,
    book: Workbook,
    headers: Vec<String>,
    sheet_name: String,
    sheet: usize,
    row: u32,
    clock: LocalClock,
    header_format: Format,
    date_format: Format,
    amount_format: Format,
}

impl XlsxWriter {
    pub(super) fn create(
        part: PartFile,
        headers: &[&str],
        sheet_name: &str,
        options: Options,
    ) -> Result<XlsxWriter, ExportError> {
        let date_format = Format::new().set_num_format(match options.date_style {
            DateStyle::Fr => "dd/mm/yyyy hh:mm",
            DateStyle::Iso => "yyyy-mm-dd hh:mm:ss",
        });
        let mut w = XlsxWriter {
            part,
            book: Workbook::new(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            sheet_name: sheet_name.chars().take(28).collect(),
            sheet: 0,
            row: 0,
            clock: LocalClock::new(options.zone),
            header_format: Format::new().set_bold(),
            date_format,
            amount_format: Format::new().set_num_format("#,##0"),
        };
        w.new_sheet()?;
        Ok(w)
    }

    /// Adds a sheet (in constant-memory mode: each row goes to a temporary file once the next
    /// one starts) and writes the header on it.
    fn new_sheet(&mut self) -> Result<(), ExportError> {
        let n = self.book.worksheets_mut().len();
        let name = if n == 0 {
            self.sheet_name.clone()
        } else {
            format!("{} {}", self.sheet_name, n + 1)
        };
        let ws = self.book.add_worksheet_with_constant_memory()?;
        ws.set_name(name)?;
        ws.set_freeze_panes(1, 0)?;
        for (col, h) in self.headers.iter().enumerate() {
            ws.set_column_width(col as u16, 18)?;
            ws.write_string_with_format(0, col as u16, h, &self.header_format)?;
        }
        self.sheet = n;
        self.row = 1;
        Ok(())
    }
}

fn clip(s: &str) -> &str {
    match s.char_indices().nth(CELL_CHARS) {
        Some((at, _)) => &s[..at],
        None => s,
    }
}

impl RowWriter for XlsxWriter {
    fn write_row(&mut self, cells: &[Cell<'_>]) -> Result<(), ExportError> {
        if self.row >= SHEET_ROWS {
            self.new_sheet()?;
        }
        let row = self.row;
        let ws = self.book.worksheet_from_index(self.sheet)?;
        for (col, cell) in cells.iter().enumerate() {
            let col = col as u16;
            match *cell {
                Cell::Empty => {}
                Cell::Text(s) | Cell::Phone(s) => {
                    ws.write_string(row, col, clip(s))?;
                }
                Cell::Int(n) => {
                    ws.write_number(row, col, n as f64)?;
                }
                Cell::Amount(n) => {
                    ws.write_number_with_format(row, col, n as f64, &self.amount_format)?;
                }
                Cell::Decimal(s) => match s.parse::<f64>() {
                    Ok(v) if v.is_finite() && super::csv_out::is_plain_decimal(s) => {
                        ws.write_number(row, col, v)?;
                    }
                    _ => {
                        ws.write_string(row, col, clip(s))?;
                    }
                },
                Cell::Time(s) => {
                    let when = self.clock.local(s).and_then(|(t, _)| {
                        ExcelDateTime::from_timestamp(t.and_utc().timestamp()).ok()
                    });
                    match when {
                        Some(d) => {
                            ws.write_datetime_with_format(row, col, d, &self.date_format)?;
                        }
                        None => {
                            ws.write_string(row, col, clip(s))?;
                        }
                    }
                }
            }
        }
        self.row += 1;
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<(), ExportError> {
        let XlsxWriter { part, mut book, .. } = *self;
        book.save(&part.part)?;
        part.publish()
    }
}
