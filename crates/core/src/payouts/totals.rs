//! A payroll sheet's own total rows (`TOTAL`, `Sous-total`, `Total général`): set aside, never
//! paid, and compared with the rows above them, so the merchant sees the file add up — or not.

use super::preflight::{BatchLine, PreviewRow};
use super::rules;
use guichet_types::{Amount, Currency};
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

/// Each total row against the rows it covers: a `Sous-total` those since the previous
/// sub-total, any other total every row above it.
pub(crate) fn compare(
    totals: &[&BatchLine],
    rows: &[PreviewRow],
    currency: Currency,
) -> Vec<FileTotal> {
    let mut out = Vec::new();
    let mut section_start = 0u32;
    for t in totals {
        let label = t.total_label.clone().unwrap_or_default();
        let sub = guichet_tabular::normalize_header(&label).starts_with("sous");
        let from = if sub { section_start } else { 0 };
        let covered = rows.iter().filter(|r| r.line > from && r.line < t.line);
        let (mut to_pay, mut left_out) = (Some(Amount::ZERO), Some(Amount::ZERO));
        for r in covered {
            let Some(a) = r.amount else { continue };
            let sum = if r.errors.is_empty() {
                &mut to_pay
            } else {
                &mut left_out
            };
            *sum = sum.and_then(|s| s.checked_add(a));
        }
        let (to_pay, left_out) = (to_pay.unwrap_or_default(), left_out.unwrap_or_default());
        let stated = rules::parse_amount(&t.amount, &t.currency, currency)
            .ok()
            .map(Amount);
        let sum = to_pay.checked_add(left_out);
        let matches = stated.is_some() && stated == sum;
        let w = |a: Amount| a.with_currency(currency);
        let message = match stated {
            Some(s) => format!(
                "file total {} {} to pay {} + left out {}",
                w(s),
                if matches { "=" } else { "≠" },
                w(to_pay),
                w(left_out)
            ),
            None => format!(
                "the total row's amount cannot be read; the rows add up to {}",
                sum.map(w).unwrap_or_default()
            ),
        };
        out.push(FileTotal {
            line: t.line,
            label,
            stated,
            to_pay,
            left_out,
            matches,
            message,
        });
        if sub {
            section_start = t.line;
        }
    }
    out
}
