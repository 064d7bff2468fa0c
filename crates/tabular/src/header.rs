//! Which column holds what: header names recognised in French and English (case- and
//! accent-insensitive), and the merchant's own choices when the names don't say.

use crate::error::TabularError;
use crate::field::recognise;
pub use crate::field::{normalize, Field};
use serde::Serialize;

/// A bare `N°`, `No`, `#`, `Rang`, `Ordre`: the row's number in the list, never a phone.
pub(crate) fn is_row_number(header: &str) -> bool {
    header.trim() == "#"
        || matches!(
            normalize(header).as_str(),
            "n" | "no" | "num" | "rang" | "ordre" | "n d ordre" | "numero d ordre" | "item"
        )
}

/// `A`, `B`, … `Z`, `AA` for a 0-based column index, as spreadsheets label columns.
pub fn column_letter(mut index: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}

/// The 0-based index of a column letter (`C` → 2), if `s` is one.
fn letter_index(s: &str) -> Option<usize> {
    let s = s.trim();
    if s.is_empty() || s.len() > 3 || !s.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut n = 0usize;
    for c in s.to_ascii_uppercase().bytes() {
        n = n * 26 + (c - b'A' + 1) as usize;
    }
    Some(n - 1)
}

/// A column the reader will use: where it is and what its header says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MappedColumn {
    pub field: Field,
    /// 0-based index.
    pub index: usize,
    /// The column's letter, `A`, `B`, …
    pub letter: String,
    /// The header text, empty when the file has no header row.
    pub header: String,
    /// `true` when the merchant chose it, `false` when the header told.
    pub chosen: bool,
}

/// Finds the header row among the first rows: the first row in which some cell names a
/// field. `None` when no row does (a file without headers; columns must then be chosen).
pub(crate) fn find_header_row(rows: &[Vec<String>]) -> Option<usize> {
    let named = |cells: &Vec<String>| cells.iter().any(|c| recognise(&normalize(c)).is_some());
    let clear = rows.iter().position(|cells| {
        let fields: Vec<Field> = cells
            .iter()
            .filter_map(|c| recognise(&normalize(c)))
            .collect();
        // A lone cell reading `contact` could be data; a phone header, or two named columns (a
        // row-number column among them), is a header.
        let numbered = cells.iter().any(|c| is_row_number(c));
        fields.len() + usize::from(numbered) >= 2
            || fields.iter().any(|f| {
                *f == Field::Phone
                    && cells
                        .iter()
                        .any(|c| Field::Phone.words().contains(&normalize(c).as_str()))
            })
    });
    // Else a first row naming one column (`Nom;Ville`) is still a header, with no phone.
    clear.or_else(|| rows.first().filter(|r| named(r)).map(|_| 0))
}

/// Decides each field's column: the merchant's choices first (a header text, or a column
/// letter), then the headers. A required field with no column, or with two candidate columns
/// and no choice, is an error that lists the headers so the merchant can choose.
pub(crate) fn map_columns(
    headers: &[String],
    sample: &[Vec<String>],
    choices: &[(Field, String)],
    required: &[Field],
) -> Result<Vec<MappedColumn>, TabularError> {
    let mut mapped: Vec<MappedColumn> = Vec::new();
    let column = |field, index: usize, chosen| MappedColumn {
        field,
        index,
        letter: column_letter(index),
        header: headers.get(index).cloned().unwrap_or_default(),
        chosen,
    };
    for (field, wanted) in choices {
        let w = normalize(wanted);
        let index = headers
            .iter()
            .position(|h| normalize(h) == w && !w.is_empty())
            .or_else(|| letter_index(wanted).filter(|i| *i < headers.len()))
            .ok_or_else(|| TabularError::UnknownColumn {
                field: *field,
                wanted: wanted.clone(),
                headers: describe_headers(headers),
            })?;
        mapped.retain(|m| m.field != *field);
        mapped.push(column(*field, index, true));
    }
    for field in Field::ALL {
        if mapped.iter().any(|m| m.field == field) {
            continue;
        }
        let candidates: Vec<usize> = headers
            .iter()
            .enumerate()
            .filter(|(i, h)| {
                recognise(&normalize(h)) == Some(field) && !mapped.iter().any(|m| m.index == *i)
            })
            .map(|(i, _)| i)
            .collect();
        let candidates = if field == Field::Phone && candidates.len() > 1 {
            most_phone_like(&candidates, sample)
        } else {
            candidates
        };
        match candidates.as_slice() {
            [] => {}
            [one] => mapped.push(column(field, *one, false)),
            [first, ..] if !required.contains(&field) => mapped.push(column(field, *first, false)),
            many => {
                return Err(TabularError::AmbiguousColumn {
                    field,
                    candidates: many
                        .iter()
                        .map(|i| format!("{} ({})", headers[*i], column_letter(*i)))
                        .collect::<Vec<_>>()
                        .join(", "),
                })
            }
        }
    }
    for field in required {
        if !mapped.iter().any(|m| m.field == *field) {
            return Err(TabularError::MissingColumn {
                field: *field,
                headers: format!("columns found: {}", describe_headers(headers)),
            });
        }
    }
    mapped.sort_by_key(|m| m.field);
    Ok(mapped)
}

/// Of several columns whose headers could be the phone, those whose first data cells read as
/// phone numbers most often (a row number, a date or a name does not).
fn most_phone_like(candidates: &[usize], sample: &[Vec<String>]) -> Vec<usize> {
    use guichet_types::{phone, Country};
    let score = |i: usize| {
        sample
            .iter()
            .filter_map(|row| row.get(i))
            .filter(|cell| {
                [Country::CI, Country::CM]
                    .into_iter()
                    .any(|country| phone::normalize(cell, country).is_ok())
            })
            .count()
    };
    let scores: Vec<usize> = candidates.iter().map(|i| score(*i)).collect();
    let best = scores.iter().copied().max().unwrap_or(0);
    candidates
        .iter()
        .zip(&scores)
        .filter(|(_, s)| **s == best)
        .map(|(i, _)| *i)
        .collect()
}

pub(crate) fn describe_headers(headers: &[String]) -> String {
    let list: Vec<String> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if h.trim().is_empty() {
                column_letter(i)
            } else {
                format!("{} ({})", h.trim(), column_letter(i))
            }
        })
        .collect();
    if list.is_empty() {
        "none".into()
    } else {
        list.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> Option<Field> {
        recognise(&normalize(s))
    }

    #[test]
    fn recognises_french_and_english_headers() {
        for (h, want) in [
            ("Nom", Field::Name),
            ("NAME", Field::Name),
            ("Prénom", Field::Surname),
            ("PRENOMS", Field::Surname),
            ("First name", Field::Surname),
            ("Surname", Field::Surname),
            ("Téléphone", Field::Phone),
            ("telephone", Field::Phone),
            ("Tél.", Field::Phone),
            ("N° de téléphone", Field::Phone),
            ("Numéro", Field::Phone),
            ("Mobile", Field::Phone),
            ("Phone", Field::Phone),
            ("Indicatif", Field::Prefix),
            ("Prefix", Field::Prefix),
            ("E-mail", Field::Email),
            ("Courriel", Field::Email),
            ("email", Field::Email),
            ("Opérateur", Field::Operator),
            ("Operator", Field::Operator),
            ("Montant (FCFA)", Field::Amount),
            ("AMOUNT", Field::Amount),
            ("Référence", Field::Reference),
            ("Numéro de référence", Field::Reference),
            ("Motif", Field::Reason),
            ("Reason", Field::Reason),
        ] {
            assert_eq!(f(h), Some(want), "{h}");
        }
        assert_eq!(f("Ville"), None);
        assert_eq!(f(""), None);
        assert_eq!(Field::parse("téléphone"), Some(Field::Phone));
        assert_eq!(Field::parse("amount"), Some(Field::Amount));
    }

    #[test]
    fn finds_the_header_row_below_a_title() {
        let rows = vec![
            vec!["Liste des bénéficiaires".to_string()],
            vec![],
            vec!["Nom".into(), "Téléphone".into()],
            vec!["Awa".into(), "0707123456".into()],
        ];
        assert_eq!(find_header_row(&rows), Some(2));
        let no_header = vec![vec!["Awa".to_string(), "0707123456".to_string()]];
        assert_eq!(find_header_row(&no_header), None);
    }

    #[test]
    fn knows_what_payroll_sheets_call_their_columns() {
        for (h, want) in [
            ("N° Téléphone", Some(Field::Phone)),
            ("N° de téléphone", Some(Field::Phone)),
            ("Contact", Some(Field::Phone)),
            ("Net à payer (FCFA)", Some(Field::Amount)),
            ("Salaire net", Some(Field::Amount)),
            ("Somme", Some(Field::Amount)),
            ("Nom & Prénoms", Some(Field::Name)),
            ("N°", None),
            ("No", None),
            ("#", None),
            ("Rang", None),
            ("Ordre", None),
        ] {
            assert_eq!(f(h), want, "{h}");
        }
        for h in ["N°", "No.", "#", "Rang", "Ordre", "N° d'ordre"] {
            assert!(is_row_number(h), "{h}");
        }
        assert!(!is_row_number("N° Téléphone"));
        let h: Vec<String> = ["N°", "Nom & Prénoms", "N° Téléphone", "Montant (FCFA)"]
            .map(String::from)
            .to_vec();
        let m = map_columns(&h, &[], &[], &[Field::Phone, Field::Amount]).unwrap();
        assert_eq!(m.iter().find(|c| c.field == Field::Phone).unwrap().index, 2);
    }

    #[test]
    fn two_phone_columns_are_told_apart_by_their_cells() {
        let h: Vec<String> = ["Numéro", "Nom", "Téléphone"].map(String::from).to_vec();
        let sample: Vec<Vec<String>> = [["1", "Awa", "707123456"], ["2", "Koffi", "0505123456"]]
            .iter()
            .map(|r| r.map(String::from).to_vec())
            .collect();
        let m = map_columns(&h, &sample, &[], &[Field::Phone]).unwrap();
        assert_eq!(m.iter().find(|c| c.field == Field::Phone).unwrap().index, 2);
        let tie: Vec<Vec<String>> = vec![["0707123456", "Awa", "0505123456"]
            .map(String::from)
            .to_vec()];
        let err = map_columns(&h, &tie, &[], &[Field::Phone]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "2 columns could be the phone: Numéro (A), Téléphone (C); choose one"
        );
    }

    #[test]
    fn maps_and_explains() {
        let h: Vec<String> = ["Nom", "Tel", "Mobile", "Ville"].map(String::from).to_vec();
        let err = map_columns(&h, &[], &[], &[Field::Phone]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "2 columns could be the phone: Tel (B), Mobile (C); choose one"
        );
        let m = map_columns(&h, &[], &[(Field::Phone, "mobile".into())], &[Field::Phone]).unwrap();
        let phone = m.iter().find(|c| c.field == Field::Phone).unwrap();
        assert_eq!((phone.index, phone.chosen), (2, true));
        let m = map_columns(&h, &[], &[(Field::Phone, "D".into())], &[Field::Phone]).unwrap();
        assert_eq!(m.iter().find(|c| c.field == Field::Phone).unwrap().index, 3);
        let err = map_columns(&h[3..], &[], &[], &[Field::Phone]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no column looks like the phone; columns found: Ville (A)"
        );
        assert!(map_columns(&h, &[], &[(Field::Phone, "Fax".into())], &[]).is_err());
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(letter_index("ab"), Some(27));
    }
}
