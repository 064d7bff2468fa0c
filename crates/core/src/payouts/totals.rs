//! A payroll sheet's own total rows (`TOTAL`, `Sous-total`, `Total général`): set aside, never
//! paid; the preview (`preflight`) compares each with the rows above it, so the merchant sees the
//! file add up — or not.

use guichet_types::Amount;
use serde::Serialize;

/// Whether a cell labels its row as a total: `TOTAL`, `Total général`, `Sous-total`,
/// `TOTAL À PAYER`.
pub fn is_label(cell: &str) -> bool {
    let n = guichet_tabular::normalize_header(cell);
    n == "total"
        || n.starts_with("total ")
        || n == "sous total"
        || n.starts_with("sous total ")
        || n == "soustotal"
        || n == "grand total"
        || n == "montant total"
}

/// A total row of the file beside what its rows add up to.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FileTotal {
    pub line: u32,
    /// `TOTAL`, `Sous-total`… as written.
    pub label: String,
    /// The total the file states; `None` when its cell is not an amount.
    pub stated: Option<Amount>,
    /// Rows it covers that will be paid, and their sum.
    pub to_pay: Amount,
    /// Rows it covers that are left out for errors (those whose amount reads), and their sum.
    pub left_out: Amount,
    /// `stated = to_pay + left_out`.
    pub matches: bool,
    /// In words, amounts as the screens write them: `file total 3 622 500 XOF = to pay
    /// 3 502 500 XOF + left out 120 000 XOF`.
    pub message: String,
}
