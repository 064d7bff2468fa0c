use super::dates::{format_into, DateStyle, LocalClock};
use super::{io, neutralise, Cell, ExportError, Options, PartFile, RowWriter};
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};

/// UTF-8 byte order mark: without it Excel reads a CSV as the system code page and garbles
/// accents.
const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(super) struct CsvWriter {
    part: PartFile,
    out: csv::Writer<BufWriter<File>>,
    style: DateStyle,
    clock: LocalClock,
    buf: String,
}

impl CsvWriter {
    pub(super) fn create(
        part: PartFile,
        headers: &[&str],
        delimiter: u8,
        options: Options,
    ) -> Result<CsvWriter, ExportError> {
        let mut file = BufWriter::with_capacity(
            256 * 1024,
            File::create(&part.part).map_err(io(&part.part))?,
        );
        file.write_all(BOM).map_err(io(&part.part))?;
        let mut out = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(csv::Terminator::CRLF)
            .from_writer(file);
        for h in headers {
            out.write_field(neutralise(h).as_bytes())?;
        }
        out.write_record(None::<&[u8]>)?;
        Ok(CsvWriter {
            part,
            out,
            style: options.date_style,
            clock: LocalClock::new(options.zone),
            buf: String::with_capacity(32),
        })
    }
}

/// `865.4`, `-12`, `1500.00`: digits with at most one `.` and an optional leading `-`.
pub(super) fn is_plain_decimal(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let mut dots = 0;
    !digits.is_empty()
        && digits.bytes().all(|b| {
            dots += usize::from(b == b'.');
            b.is_ascii_digit() || b == b'.'
        })
        && dots <= 1
        && !digits.starts_with('.')
        && !digits.ends_with('.')
}

impl RowWriter for CsvWriter {
    fn write_row(&mut self, cells: &[Cell<'_>]) -> Result<(), ExportError> {
        for cell in cells {
            match *cell {
                Cell::Empty => self.out.write_field(b"")?,
                Cell::Text(s) | Cell::Phone(s) => self.out.write_field(neutralise(s).as_bytes())?,
                Cell::Int(n) | Cell::Amount(n) => {
                    self.buf.clear();
                    let _ = write!(self.buf, "{n}");
                    self.out.write_field(self.buf.as_bytes())?;
                }
                Cell::Decimal(s) if is_plain_decimal(s) => match self.style {
                    // French conventions: a decimal comma, what French Excel reads as a number.
                    DateStyle::Fr => self.out.write_field(s.replace('.', ",").as_bytes())?,
                    DateStyle::Iso => self.out.write_field(s.as_bytes())?,
                },
                Cell::Decimal(s) => self.out.write_field(neutralise(s).as_bytes())?,
                Cell::Time(s) => match self.clock.local(s) {
                    Some((t, offset)) => {
                        format_into(&mut self.buf, &t, offset, self.style);
                        self.out.write_field(self.buf.as_bytes())?;
                    }
                    None => self.out.write_field(neutralise(s).as_bytes())?,
                },
            }
        }
        self.out.write_record(None::<&[u8]>)?;
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<(), ExportError> {
        let CsvWriter { part, out, .. } = *self;
        let failed = |source| ExportError::Io {
            path: part.part.clone(),
            source,
        };
        let file = out
            .into_inner()
            .map_err(|e| failed(std::io::Error::other(e.to_string())))?
            .into_inner()
            .map_err(|e| failed(e.into_error()))?;
        file.sync_all().map_err(failed)?;
        drop(file);
        part.publish()
    }
}

#[cfg(test)]
mod tests {
    use super::is_plain_decimal;

    #[test]
    fn plain_decimals() {
        for ok in ["865.4", "0", "-12", "1500.00"] {
            assert!(is_plain_decimal(ok), "{ok}");
        }
        for bad in ["", "-", ".5", "5.", "1.2.3", "1 500", "=1", "1e5"] {
            assert!(!is_plain_decimal(bad), "{bad}");
        }
    }
}
