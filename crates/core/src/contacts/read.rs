//! Reading a contact list: every row normalised, checked and classified, before anything is
//! stored or sent.

use super::{ContactImport, ContactImportRow, ImportOptions, ImportTotals, RowReason, RowState};
use crate::{Guichet, Result};
use guichet_store::accounts::AccountRow;
use guichet_store::contacts::{self as table, ProviderState};
use guichet_tabular::{Field, Record};
use guichet_types::phone::{self, Operator};
use guichet_types::Country;
use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::Path;

/// A row that passed every check, ready to store.
pub(crate) struct ValidContact {
    pub prefix: String,
    pub national: String,
    pub operator: Option<Operator>,
    /// Already one of the account's contacts (not yet at the provider): its names are
    /// refreshed rather than a contact added.
    pub known: bool,
}

/// An account's contacts by number ([`number_key`]), with where each stands at the provider.
pub(crate) type Known = HashMap<u64, ProviderState>;

/// A number as one integer, `+2250707123456` → `2250707123456`: rows are matched by it without
/// building strings. `None` for anything but digits (never the case of a checked number).
fn number_key(prefix: &str, national: &str) -> Option<u64> {
    prefix
        .bytes()
        .chain(national.bytes())
        .try_fold(0u64, |n, b| {
            b.is_ascii_digit()
                .then(|| n.checked_mul(10)?.checked_add(u64::from(b - b'0')))
                .flatten()
        })
}

/// The account's contacts, for telling the file's numbers already there.
pub(crate) fn known(contacts: &table::Contacts<'_>, account_id: i64) -> Result<Known> {
    Ok(contacts
        .states(account_id)?
        .into_iter()
        .filter_map(|((prefix, national), state)| Some((number_key(&prefix, &national)?, state)))
        .collect())
}

impl Guichet {
    /// Reads the file and says what importing it would do, row by row. Nothing is changed.
    pub fn preview_contacts(
        &self,
        account_label: &str,
        path: &Path,
        options: &ImportOptions,
    ) -> Result<ContactImport> {
        self.require(crate::people::Action::Read)?;
        let account = self.account_row(account_label)?;
        let known = known(&self.store.contacts(), account.id)?;
        read_contacts(&account, &known, path, options, |_, _| {
            ControlFlow::Continue(())
        })
    }
}

/// Reads the file: every row normalised, checked and classified against the account's
/// contacts. `store` gets each row that would be stored (its index in the rows, and its
/// checked number) as soon as it is read, and may stop the reading.
pub(crate) fn read_contacts(
    account: &AccountRow,
    known: &Known,
    path: &Path,
    options: &ImportOptions,
    mut store: impl FnMut(&ContactImportRow, ValidContact) -> ControlFlow<()>,
) -> Result<ContactImport> {
    let table = guichet_tabular::open(path, &options.read_options(vec![Field::Phone]))?;
    let file = table.info().clone();
    let mut seen: HashMap<u64, usize> = HashMap::new();
    let mut rows = Vec::new();
    table.for_each(|r| {
        let (row, ok) = classify(r, account.country, known, &mut seen);
        let flow = match ok {
            Some(valid) => store(&row, valid),
            None => ControlFlow::Continue(()),
        };
        rows.push(row);
        flow
    })?;
    let totals = ImportTotals::of(&rows);
    Ok(ContactImport {
        account: account.label.clone(),
        file,
        rows,
        totals,
        pushed: false,
    })
}

fn classify(
    r: &Record<'_>,
    country: Country,
    known: &Known,
    seen: &mut HashMap<u64, usize>,
) -> (ContactImportRow, Option<ValidContact>) {
    let mut row = ContactImportRow {
        line: r.line,
        state: RowState::Invalid,
        phone: r.text(Field::Phone).to_string(),
        e164: None,
        name: clean(r.text(Field::Name)),
        surname: clean(r.text(Field::Surname)),
        email: r.text(Field::Email).to_string(),
        reason: None,
        why: None,
        contact_id: None,
        outcome: None,
        provider_code: None,
        provider_message: None,
        lot: None,
    };
    // A cell that can't give a value is the row's problem, in whichever used column.
    for field in [
        Field::Phone,
        Field::Prefix,
        Field::Name,
        Field::Surname,
        Field::Email,
    ] {
        if let Some(Err(problem)) = r.get(field) {
            let column = r.column(field).map(|c| c.describe()).unwrap_or_default();
            let problem = problem.clone();
            return because(row, RowReason::Cell { column, problem });
        }
    }
    let column = |f: Field| r.column(f).map(|c| c.describe()).unwrap_or_default();
    let number = match phone::normalize_parts(r.text(Field::Prefix), &row.phone, country) {
        Ok(n) => n,
        Err(problem) => {
            let column = column(Field::Phone);
            return because(row, RowReason::Phone { column, problem });
        }
    };
    row.e164 = Some(number.e164());
    if row.name.is_empty() && row.surname.is_empty() {
        return because(row, RowReason::NoName);
    }
    if !row.email.is_empty() && !looks_like_email(&row.email) {
        let why = RowReason::BadEmail {
            column: column(Field::Email),
            email: row.email.clone(),
        };
        return because(row, why);
    }
    let key = number_key(&number.prefix, &number.national)
        .expect("a checked number is digits of bounded length");
    if let Some(first) = seen.get(&key) {
        row.state = RowState::Duplicate;
        return because(row, RowReason::Duplicate { row: *first });
    }
    seen.insert(key, r.line);
    match known.get(&key) {
        Some(state) if state.is_at_provider() => {
            row.state = RowState::Existing;
            because(row, RowReason::AlreadyContact)
        }
        state => {
            row.state = RowState::New;
            let operator = number.operator();
            (
                row,
                Some(ValidContact {
                    prefix: number.prefix,
                    national: number.national,
                    operator,
                    known: state.is_some(),
                }),
            )
        }
    }
}

/// A row that will not be stored, and why.
fn because(mut row: ContactImportRow, why: RowReason) -> (ContactImportRow, Option<ValidContact>) {
    row.reason = Some(why.to_string());
    row.why = Some(why);
    (row, None)
}

/// Names as people type them, with runs of spaces collapsed.
fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

pub(crate) fn looks_like_email(s: &str) -> bool {
    let Some((user, domain)) = s.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
        && !domain.contains('@')
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_as_keys() {
        assert_eq!(super::number_key("225", "0707123456"), Some(2250707123456));
        assert_ne!(
            super::number_key("225", "0707123456"),
            super::number_key("237", "707123456")
        );
        assert_eq!(super::number_key("225", "07 07"), None);
        assert_eq!(super::number_key("225", &"9".repeat(30)), None);
    }

    #[test]
    fn names_keep_single_spaces() {
        assert_eq!(super::clean("  Koné \t Awa  Marie "), "Koné Awa Marie");
        assert_eq!(super::clean(" "), "");
    }

    #[test]
    fn e_mail_addresses() {
        for ok in ["awa@example.ci", "a.b+c@mail.example.com"] {
            assert!(super::looks_like_email(ok), "{ok}");
        }
        for bad in [
            "awa",
            "awa@",
            "@x.ci",
            "awa@ci",
            "a b@x.ci",
            "a@x.ci@y.ci",
            "a@.ci",
        ] {
            assert!(!super::looks_like_email(bad), "{bad}");
        }
    }
}
