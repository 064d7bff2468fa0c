//! CSV and text exports, streamed: separator (`,` `;` tab) and encoding (UTF-8 with or without
//! BOM, UTF-16 with BOM, Windows-1252/Latin-1) are told from the start of the file.

use crate::cell::Cell;
use crate::error::TabularError;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};
use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek, SeekFrom};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decode {
    /// UTF-8 (BOM, or UTF-16 converted to UTF-8): invalid bytes are replaced.
    Utf8,
    /// No BOM and valid UTF-8 as far as the sniffed start goes: a field that turns out not to
    /// be UTF-8 further down is read as Windows-1252 (a file mostly ASCII until row 5,000).
    Utf8OrLegacy,
    /// Windows-1252, which also reads Latin-1 (ISO-8859-1) text.
    Legacy,
}

pub(crate) struct CsvSource {
    path: PathBuf,
    decode: Decode,
    skip: u64,
    /// The whole file converted to UTF-8, for UTF-16 files only (they are bounded by the size cap).
    utf16: Option<Vec<u8>>,
    /// Bytes read by the CSV reader (after the BOM), and whether the last one is `\n`.
    len: u64,
    ends_with_newline: bool,
    pub separator: u8,
    pub encoding: &'static str,
}

impl CsvSource {
    pub fn open(path: &Path, head: &[u8]) -> Result<CsvSource, TabularError> {
        let (decode, skip, utf16, encoding) = if let Some(enc) = utf16_bom(head) {
            let mut bytes = Vec::new();
            File::open(path)
                .and_then(|mut f| f.read_to_end(&mut bytes))
                .map_err(|e| crate::io_error(path, e))?;
            let (text, _, _) = enc.decode(&bytes);
            (
                Decode::Utf8,
                0,
                Some(text.into_owned().into_bytes()),
                enc.name(),
            )
        } else if head.starts_with(b"\xEF\xBB\xBF") {
            (Decode::Utf8, 3, None, "UTF-8")
        } else if looks_utf8(head) {
            (Decode::Utf8OrLegacy, 0, None, "UTF-8")
        } else {
            (Decode::Legacy, 0, None, "Windows-1252")
        };
        if utf16.is_none() && head.contains(&0) {
            return Err(TabularError::NotASpreadsheet(
                "it holds binary data, not text".into(),
            ));
        }
        let sample: std::borrow::Cow<'_, [u8]> = match &utf16 {
            Some(u) => (&u[..u.len().min(crate::SNIFF_BYTES)]).into(),
            None => (&head[skip as usize..]).into(),
        };
        if binary_looking(&sample) {
            return Err(TabularError::NotASpreadsheet(
                "it holds binary data, not text".into(),
            ));
        }
        let (len, ends_with_newline) = match &utf16 {
            Some(u) => (u.len() as u64, u.ends_with(b"\n")),
            None => {
                let mut f = File::open(path).map_err(|e| crate::io_error(path, e))?;
                let size = f.metadata().map_err(|e| crate::io_error(path, e))?.len();
                let mut last = [0u8];
                f.seek(SeekFrom::End(-1))
                    .and_then(|_| f.read_exact(&mut last))
                    .map_err(|e| crate::io_error(path, e))?;
                (size - skip, last[0] == b'\n')
            }
        };
        Ok(CsvSource {
            len,
            ends_with_newline,
            path: path.to_path_buf(),
            decode,
            skip,
            separator: detect_separator(&sample),
            utf16,
            encoding,
        })
    }

    fn reader(&self) -> Result<csv::Reader<Box<dyn Read + '_>>, TabularError> {
        let input: Box<dyn Read> = match &self.utf16 {
            Some(bytes) => Box::new(Cursor::new(bytes.as_slice())),
            None => {
                let mut f = File::open(&self.path).map_err(|e| crate::io_error(&self.path, e))?;
                f.seek(SeekFrom::Start(self.skip))
                    .map_err(|e| crate::io_error(&self.path, e))?;
                Box::new(BufReader::with_capacity(256 * 1024, f))
            }
        };
        Ok(csv::ReaderBuilder::new()
            .delimiter(self.separator)
            .has_headers(false)
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .buffer_capacity(256 * 1024)
            .from_reader(input))
    }

    /// Calls `f` with each row's 1-based line and its cells: all of them when `wanted` is
    /// `None`, else those columns in that order. The cells are reused from row to row.
    pub fn rows(
        &self,
        wanted: Option<&[usize]>,
        mut f: impl FnMut(usize, &[Cell]) -> Result<ControlFlow<()>, TabularError>,
    ) -> Result<(), TabularError> {
        let mut reader = self.reader()?;
        let mut record = csv::ByteRecord::new();
        let mut cells: Vec<Cell> = Vec::new();
        loop {
            let more = reader.read_byte_record(&mut record).map_err(|e| {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                TabularError::BadRow {
                    line,
                    reason: e.to_string(),
                }
            })?;
            if !more {
                return Ok(());
            }
            // Only `\n` ends a record (a `\r` left at the end of the last field is trimmed like
            // any space), so the reader's line after a record is one past the record's last
            // line unless the file ended without a line break; its first line is that minus
            // the line breaks inside quoted fields.
            let end = reader.position();
            let unterminated = end.byte() == self.len && !self.ends_with_newline;
            let breaks: usize = record
                .iter()
                .map(|f| f.iter().filter(|b| **b == b'\n').count())
                .sum();
            let line = (end.line() as usize)
                .saturating_sub(breaks + usize::from(!unterminated))
                .max(1);
            let width = wanted.map_or(record.len(), <[usize]>::len);
            if cells.len() < width {
                cells.resize(width, Cell::EMPTY);
            }
            for (slot, cell) in cells[..width].iter_mut().enumerate() {
                let column = wanted.map_or(slot, |w| w[slot]);
                self.decode_into(record.get(column).unwrap_or_default(), cell.buffer());
                cell.check_csv();
            }
            if f(line, &cells[..width])?.is_break() {
                return Ok(());
            }
        }
    }

    fn decode_into(&self, bytes: &[u8], out: &mut String) {
        match self.decode {
            Decode::Utf8 => out.push_str(&String::from_utf8_lossy(bytes)),
            Decode::Utf8OrLegacy => match std::str::from_utf8(bytes) {
                Ok(s) => out.push_str(s),
                Err(_) => out.push_str(&legacy(bytes)),
            },
            Decode::Legacy => out.push_str(&legacy(bytes)),
        }
    }
}

fn legacy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    WINDOWS_1252.decode_without_bom_handling(bytes).0
}

fn utf16_bom(head: &[u8]) -> Option<&'static Encoding> {
    if head.starts_with(b"\xFF\xFE") {
        Some(UTF_16LE)
    } else if head.starts_with(b"\xFE\xFF") {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Valid UTF-8, allowing a character cut at the end of the sniffed bytes.
fn looks_utf8(head: &[u8]) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// Control characters other than tab, CR, LF and form feed in more than 1% of the bytes.
fn binary_looking(sample: &[u8]) -> bool {
    let control = sample
        .iter()
        .filter(|b| **b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    control * 100 > sample.len()
}

/// The separator that splits the first line into the most columns and the following lines into
/// as many: counts outside quotes over up to 20 lines. A French amount `1 500,50` in a
/// `;`-separated file puts commas in the data rows but none in the header, so `,` loses.
pub(crate) fn detect_separator(sample: &[u8]) -> u8 {
    let lines: Vec<&[u8]> = sample
        .split(|b| *b == b'\n')
        .filter(|l| !l.iter().all(|b| b.is_ascii_whitespace()))
        .take(20)
        .collect();
    // The last line of the sample may be cut short.
    let complete = if lines.len() > 1 {
        &lines[..lines.len() - 1]
    } else {
        &lines[..]
    };
    let mut best = (0usize, 0usize, b',');
    for sep in [b';', b'\t', b','] {
        let counts: Vec<usize> = complete
            .iter()
            .map(|l| count_outside_quotes(l, sep))
            .collect();
        let Some(&first) = counts.first() else {
            continue;
        };
        if first == 0 {
            continue;
        }
        let consistent = counts.iter().filter(|c| **c == first).count();
        if (consistent, first) > (best.0, best.1) {
            best = (consistent, first, sep);
        }
    }
    best.2
}

fn count_outside_quotes(line: &[u8], sep: u8) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for b in line {
        if *b == b'"' {
            quoted = !quoted;
        } else if *b == sep && !quoted {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_separator() {
        assert_eq!(
            detect_separator(b"Nom;Tel;Montant\nAwa;0707;1 500,50\nBi;0505;2,5\n"),
            b';'
        );
        assert_eq!(detect_separator(b"name,phone\nAwa,0707\n"), b',');
        assert_eq!(detect_separator(b"name\tphone\nAwa\t0707\n"), b'\t');
        assert_eq!(
            detect_separator(b"\"Nom, complet\";Tel\n\"A, B\";07\n"),
            b';'
        );
        assert_eq!(detect_separator(b"phone\n0707123456\n"), b',');
    }

    #[test]
    fn tells_the_encoding() {
        assert!(looks_utf8("Téléphone".as_bytes()));
        assert!(looks_utf8(&"Té".as_bytes()[..2]));
        assert!(!looks_utf8(b"T\xe9l\xe9phone"));
        assert_eq!(legacy(b"Pr\xe9nom \x80"), "Prénom €");
    }
}
