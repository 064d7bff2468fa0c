//! Reading a contact list: every row normalised, checked and classified, before anything is
//! stored or sent.

use super::{ContactImport, ContactImportRow, ImportOptions, ImportTotals, RowState};
use crate::{Guichet, Result};
use guichet_store::accounts::AccountRow;
use guichet_store::contacts::{self as table, ProviderState};
use guichet_tabular::{Field, ReadOptions, Record};
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
}

impl Guichet {
    /// Reads the file and says what importing it would do, row by row. Nothing is changed.
    pub fn preview_contacts(
        &self,
        account_label: &str,
        path: &Path,
        options: &ImportOptions,
    ) -> Result<ContactImport> {
        let account = self.account_row(account_label)?;
        Ok(self.read_contacts(&account, path, options)?.0)
    }

    /// The preview, and for each row that would be stored, its validated number.
    pub(crate) fn read_contacts(
        &self,
        account: &AccountRow,
        path: &Path,
        options: &ImportOptions,
    ) -> Result<(ContactImport, Vec<Option<ValidContact>>)> {
        let table = guichet_tabular::open(
            path,
            &ReadOptions {
                sheet: options.sheet.clone(),
                columns: options
                    .columns
                    .iter()
                    .map(|c| (c.field, c.column.clone()))
                    .collect(),
                required: vec![Field::Phone],
                ..Default::default()
            },
        )?;
        let file = table.info().clone();
        let known = table::states(&self.store.conn(), account.id)?;
        let mut seen: HashMap<(String, String), usize> = HashMap::new();
        let mut rows = Vec::new();
        let mut valid = Vec::new();
        table.for_each(|r| {
            let (row, ok) = classify(r, account.country, &known, &mut seen);
            rows.push(row);
            valid.push(ok);
            ControlFlow::Continue(())
        })?;
        let totals = ImportTotals::of(&rows);
        Ok((
            ContactImport {
                account: account.label.clone(),
                file,
                rows,
                totals,
                pushed: false,
            },
            valid,
        ))
    }
}

fn classify(
    r: &Record<'_>,
    country: Country,
    known: &HashMap<(String, String), ProviderState>,
    seen: &mut HashMap<(String, String), usize>,
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
        if let Some(Err(why)) = r.get(field) {
            let column = r.column(field).map(|c| c.describe()).unwrap_or_default();
            return invalid(row, format!("{column}: {why}"));
        }
    }
    let column = |f: Field| r.column(f).map(|c| c.describe()).unwrap_or_default();
    let number = match phone::normalize_parts(r.text(Field::Prefix), &row.phone, country) {
        Ok(n) => n,
        Err(e) => return invalid(row, format!("{}: {e}", column(Field::Phone))),
    };
    row.e164 = Some(number.e164());
    if row.name.is_empty() && row.surname.is_empty() {
        return invalid(
            row,
            "no name: CinetPay needs a name for each contact".into(),
        );
    }
    if !row.email.is_empty() && !looks_like_email(&row.email) {
        let why = format!(
            "{}: `{}` is not an e-mail address",
            column(Field::Email),
            row.email
        );
        return invalid(row, why);
    }
    let key = (number.prefix.clone(), number.national.clone());
    if let Some(first) = seen.get(&key) {
        row.state = RowState::Duplicate;
        row.reason = Some(format!("same number as row {first}"));
        return (row, None);
    }
    seen.insert(key.clone(), r.line);
    match known.get(&key) {
        Some(state) if state.is_at_provider() => {
            row.state = RowState::Existing;
            row.reason = Some("already a contact".into());
            (row, None)
        }
        _ => {
            row.state = RowState::New;
            let operator = number.operator();
            (
                row,
                Some(ValidContact {
                    prefix: number.prefix,
                    national: number.national,
                    operator,
                }),
            )
        }
    }
}

fn invalid(mut row: ContactImportRow, why: String) -> (ContactImportRow, Option<ValidContact>) {
    row.reason = Some(why);
    (row, None)
}

/// Names as people type them, with runs of spaces collapsed.
fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
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
