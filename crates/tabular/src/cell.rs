//! One cell as text, the same whatever the file format, or the reason it has no usable value.

use calamine::{CellErrorType, Data, DataRef};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    /// The cell can't give a value; the reason in words.
    Problem(String),
}

impl Cell {
    pub(crate) const EMPTY: Cell = Cell::Text(String::new());

    pub(crate) fn is_blank(&self) -> bool {
        matches!(self, Cell::Text(t) if t.trim().is_empty())
    }

    /// A CSV field. A leading `=` is a formula a spreadsheet would compute, not a value.
    pub(crate) fn from_csv(text: String) -> Cell {
        if text.trim_start().starts_with('=') {
            Cell::Problem(format!("holds a formula (`{}`), not a value", text.trim()))
        } else {
            Cell::Text(text)
        }
    }

    pub(crate) fn from_data(d: &Data) -> Cell {
        match d {
            Data::Empty => Cell::EMPTY,
            Data::String(s) => Cell::Text(s.clone()),
            Data::Int(i) => Cell::Text(i.to_string()),
            Data::Float(f) => Cell::Text(float_text(*f)),
            Data::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.into()),
            Data::DateTime(dt) => Cell::Text(dt.to_string()),
            Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
            Data::Error(e) => error_cell(e),
        }
    }

    pub(crate) fn from_ref(d: &DataRef<'_>) -> Cell {
        match d {
            DataRef::Empty => Cell::EMPTY,
            DataRef::String(s) => Cell::Text(s.clone()),
            DataRef::SharedString(s) => Cell::Text((*s).to_string()),
            DataRef::Int(i) => Cell::Text(i.to_string()),
            DataRef::Float(f) => Cell::Text(float_text(*f)),
            DataRef::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.into()),
            DataRef::DateTime(dt) => Cell::Text(dt.to_string()),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.clone()),
            DataRef::Error(e) => error_cell(e),
        }
    }
}

fn error_cell(e: &CellErrorType) -> Cell {
    Cell::Problem(format!("shows the spreadsheet error {e}"))
}

/// A number as the digits it stands for: `707123456.0` → `707123456`, `2250707123456.0` →
/// `2250707123456`, `1500.5` → `1500.5` — never `7.07123456e8` nor `1500.4999999`. Whole values
/// up to 2^53 are exact in a float, which covers every phone number with its prefix.
pub fn float_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        format!("{}", f as i64)
    } else {
        // Rust prints the shortest text that reads back as the same float, without exponent.
        format!("{f}")
    }
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
            Cell::from_csv("=A1*2".into()),
            Cell::Problem("holds a formula (`=A1*2`), not a value".into())
        );
        assert_eq!(
            Cell::from_csv("+225 07".into()),
            Cell::Text("+225 07".into())
        );
    }
}
