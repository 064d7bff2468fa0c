//! One cell as text, the same whatever the file format, or the reason it has no usable value.

use calamine::{CellErrorType, Data, DataRef};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A number the spreadsheet stored, and its digits as text ([`float_text`]).
    Number(f64, String),
    /// The cell can't give a value.
    Problem(Problem),
}

/// Why a cell can't give a value. Its `Display` is the English wording; screens that speak
/// French render the variant and its fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Problem {
    /// A workbook formula whose result was never saved (`formula` without its `=`).
    FormulaNotComputed { formula: String },
    /// An error value such as `#REF!` or `#N/A`.
    ErrorValue { error: String },
    /// A CSV field starting with `=`, which a spreadsheet would compute.
    CsvFormula { text: String },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::FormulaNotComputed { formula } => write!(
                f,
                "holds a formula (`={formula}`) whose result was never saved; \
                 open the file in Excel and save it again, or paste values"
            ),
            Problem::ErrorValue { error } => write!(f, "shows the spreadsheet error {error}"),
            Problem::CsvFormula { text } => write!(f, "holds a formula (`{text}`), not a value"),
        }
    }
}

impl Cell {
    pub(crate) const EMPTY: Cell = Cell::Text(String::new());

    pub(crate) fn is_blank(&self) -> bool {
        matches!(self, Cell::Text(t) if t.trim().is_empty())
    }

    /// This cell's text buffer, emptied: rows are read into the same cells, so a file's cells
    /// cost no allocation once the first rows have sized the buffers.
    pub(crate) fn buffer(&mut self) -> &mut String {
        match self {
            Cell::Problem(_) => *self = Cell::EMPTY,
            Cell::Number(_, t) => *self = Cell::Text(std::mem::take(t)),
            Cell::Text(_) => {}
        }
        match self {
            Cell::Text(t) => {
                t.clear();
                t
            }
            Cell::Number(..) | Cell::Problem(_) => unreachable!("replaced above"),
        }
    }

    /// The cell's text: a number's digits; `None` for a cell without a value.
    pub(crate) fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(t) | Cell::Number(_, t) => Some(t),
            Cell::Problem(_) => None,
        }
    }

    pub(crate) fn clear(&mut self) {
        self.buffer();
    }

    /// After a CSV field was written into [`Cell::buffer`]: a leading `=` is a formula a
    /// spreadsheet would compute, not a value.
    pub(crate) fn check_csv(&mut self) {
        if let Cell::Text(t) = self {
            if t.trim_start().starts_with('=') {
                *self = Cell::Problem(Problem::CsvFormula {
                    text: t.trim().to_string(),
                });
            }
        }
    }

    #[cfg(test)]
    fn from_csv(text: &str) -> Cell {
        let mut c = Cell::EMPTY;
        c.buffer().push_str(text);
        c.check_csv();
        c
    }

    pub(crate) fn from_data(d: &Data) -> Cell {
        match d {
            Data::Empty => Cell::EMPTY,
            Data::String(s) => Cell::Text(s.clone()),
            Data::Int(i) => Cell::Number(*i as f64, i.to_string()),
            Data::Float(f) => Cell::Number(*f, float_text(*f)),
            Data::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.into()),
            Data::DateTime(dt) => Cell::Text(dt.to_string()),
            Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
            Data::Error(e) => error_cell(e),
        }
    }

    /// Makes this cell the value `d`, in its own buffer.
    pub(crate) fn set_ref(&mut self, d: &DataRef<'_>) {
        use std::fmt::Write;
        if let DataRef::Error(e) = d {
            *self = error_cell(e);
            return;
        }
        let out = self.buffer();
        match d {
            DataRef::Empty | DataRef::Error(_) => {}
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                out.push_str(s)
            }
            DataRef::SharedString(s) => out.push_str(s),
            DataRef::Int(i) => {
                write!(out, "{i}").expect("writing to a String");
                self.numbered(*i as f64);
            }
            DataRef::Float(f) => {
                write_float(out, *f);
                self.numbered(*f);
            }
            DataRef::Bool(b) => out.push_str(if *b { "TRUE" } else { "FALSE" }),
            DataRef::DateTime(dt) => write!(out, "{dt}").expect("writing to a String"),
        }
    }
}

impl Cell {
    /// The text just written is the number `f`'s: the cell keeps both.
    fn numbered(&mut self, f: f64) {
        if let Cell::Text(t) = self {
            *self = Cell::Number(f, std::mem::take(t));
        }
    }
}

fn error_cell(e: &CellErrorType) -> Cell {
    Cell::Problem(Problem::ErrorValue {
        error: e.to_string(),
    })
}

/// A number as the digits it stands for: `707123456.0` → `707123456`, `2250707123456.0` →
/// `2250707123456`, `1500.5` → `1500.5` — never `7.07123456e8` nor `1500.4999999`. Whole values
/// up to 2^53 are exact in a float, which covers every phone number with its prefix.
pub fn float_text(f: f64) -> String {
    let mut out = String::new();
    write_float(&mut out, f);
    out
}

fn write_float(out: &mut String, f: f64) {
    use std::fmt::Write;
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        write!(out, "{}", f as i64)
    } else {
        // Rust prints the shortest text that reads back as the same float, without exponent.
        write!(out, "{f}")
    }
    .expect("writing to a String")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_become_their_digits() {
        assert_eq!(float_text(707123456.0), "707123456");
        assert_eq!(float_text(2250707123456.0), "2250707123456");
        assert_eq!(float_text(1500.5), "1500.5");
        assert_eq!(float_text(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(float_text(-25.0), "-25");
        assert_eq!(float_text(1e20), "100000000000000000000");
    }

    #[test]
    fn csv_formulas_are_not_values() {
        assert_eq!(
            Cell::from_csv("=A1*2"),
            Cell::Problem(Problem::CsvFormula {
                text: "=A1*2".into()
            })
        );
        assert_eq!(Cell::from_csv("+225 07"), Cell::Text("+225 07".into()));
    }
}
