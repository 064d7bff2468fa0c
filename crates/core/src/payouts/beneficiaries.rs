//! New and changed beneficiaries, flagged in every review: a number this account never paid
//! before (`new_beneficiary`), and a number paid before under another name (`name_changed`,
//! with the earlier name and date), so that a swapped number in a payroll sheet is seen before
//! money leaves. "Paid" is a payout of the account that ended succeeded.

use super::preflight::PreviewRow;
use super::rules::RowIssue;
use crate::issue::PaidBefore;
use guichet_store::beneficiaries::PaidTo;
use std::collections::HashMap;

/// A name as compared: case, accents and spacing left aside (`KONE Awa` = `Koné  Awa`).
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .map(|w| {
            w.chars()
                .flat_map(guichet_types::text::folded)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The flag for a payout to `phone` (as shown) under `name`, given the number's latest paid
/// payout: none when it was paid before under the same name, or when no name is given here.
pub fn flag(phone: &str, name: &str, earlier: Option<&PaidTo>) -> Option<RowIssue> {
    let Some(earlier) = earlier else {
        return Some(
            RowIssue::new(
                "phone",
                "new_beneficiary",
                format!("{phone} was never paid from this account"),
            )
            .with_value(phone),
        );
    };
    let here = name.trim();
    if here.is_empty() || name_key(here) == name_key(&earlier.name) {
        return None;
    }
    let mut issue = RowIssue::new(
        "name",
        "name_changed",
        format!(
            "paid to {} in {}, here: {here}",
            earlier.name,
            month_year(&earlier.at)
        ),
    )
    .with_value(here);
    issue.paid_before = Some(Box::new(PaidBefore {
        name: earlier.name.clone(),
        at: earlier.at.clone(),
    }));
    Some(issue)
}

/// Flags every valid row of a batch against the account's paid numbers (read once).
pub(crate) fn flag_rows(rows: &mut [PreviewRow], paid: &HashMap<(String, String), PaidTo>) {
    let mut key = (String::new(), String::new());
    for row in rows.iter_mut() {
        let Some(ready) = &row.ready else { continue };
        key.0.clone_from(&ready.prefix);
        key.1.clone_from(&ready.national);
        if let Some(issue) = flag(&row.phone, &row.name, paid.get(&key)) {
            row.warnings.push(issue);
        }
    }
}

/// `November 2026` from an RFC 3339 date.
fn month_year(at: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let year = at.get(..4).unwrap_or_default();
    let month = at
        .get(5..7)
        .and_then(|m| m.parse::<usize>().ok())
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)));
    match month {
        Some(m) => format!("{m} {year}"),
        None => at.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paid(name: &str) -> PaidTo {
        PaidTo {
            name: name.into(),
            at: "2026-11-28T09:00:00Z".into(),
        }
    }

    #[test]
    fn names_compare_without_case_accents_or_spacing() {
        assert_eq!(name_key("  KONÉ   Awa "), name_key("Kone Awa"));
        assert_ne!(name_key("KONAN Aya"), name_key("KONÉ Awa"));
    }

    #[test]
    fn a_number_is_new_changed_or_known() {
        let new = flag("+2250707000001", "KONÉ Awa", None).unwrap();
        assert_eq!(new.code, "new_beneficiary");
        assert!(flag("+2250707000001", "kone  awa", Some(&paid("KONÉ Awa"))).is_none());
        assert!(flag("+2250707000001", "", Some(&paid("KONÉ Awa"))).is_none());
        let changed = flag("+2250707000001", "KONAN Aya", Some(&paid("KONÉ Awa"))).unwrap();
        assert_eq!(changed.code, "name_changed");
        assert_eq!(changed.value, "KONAN Aya");
        assert_eq!(
            changed.message,
            "paid to KONÉ Awa in November 2026, here: KONAN Aya"
        );
        assert_eq!(changed.paid_before.unwrap().name, "KONÉ Awa");
    }
}
