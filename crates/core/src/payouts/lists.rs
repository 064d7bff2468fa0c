//! Payee lists: the people paid month after month ("Agents terrain"), saved from a batch or a
//! file with their default amounts and reasons, and a new batch started from one. A list
//! belongs to the data folder rather than to an account (the same agents may be paid from
//! another account one month); the account is chosen when a batch is started from it.
//!
//! A list only makes a batch's lines: the review, the confirmation, the approvals and the
//! sending are every batch's. Amounts are changed per phone (an amounts file, or the app's
//! table): a number not on the list is added, a list person without a new amount keeps the
//! default one, and an amount of 0 takes the person out of this batch (not off the list).

use super::preflight::{BatchLine, BatchRequest};
use super::rules::{self, RowIssue};
use crate::contacts::ImportOptions;
use crate::error::ErrorCode;
use crate::people::Action;
use crate::{CoreError, Guichet, Invalid, Result};
use guichet_store::payee_lists::{PayeeListRow, PayeeRow};
use guichet_store::payouts::ListFilter;
use guichet_types::{operator_name, phone, Amount, AmountInput};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The longest list name kept.
const NAME_MAX: u32 = 80;

/// A saved list: how many people and their default amounts' total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PayeeList {
    pub name: String,
    /// Where it was saved from (`batch #12`, a file's name).
    pub source: String,
    pub created_at: String,
    pub updated_at: String,
    pub count: u32,
    pub total: Amount,
}

/// One person of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Payee {
    /// International form, `+2250707123456`.
    pub phone: String,
    pub name: String,
    /// The default amount, paid when a batch gives none for this phone.
    pub amount: Amount,
    pub reason: String,
    /// The operator code as a batch row gives it (empty: told from the number)…
    pub operator: String,
    /// …and its name (`Orange Money`, `MTN MoMo`).
    pub operator_name: String,
}

/// A list and its people, in their order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PayeeListDetail {
    pub list: PayeeList,
    pub people: Vec<Payee>,
}

/// What saving a list did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ListSaved {
    pub list: PayeeList,
    /// A list of that name existed: its people were replaced.
    pub replaced: bool,
    /// Numbers met twice where the list was saved from: the first row of each was kept.
    pub repeated: Vec<String>,
}

/// An amount for one phone of a batch started from a list: typed in the app's table, or a line
/// of an amounts file (`line` then names it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AmountEdit {
    pub phone: String,
    pub amount: AmountInput,
    /// The name: for a number not on the list, or this batch's name for one on it (empty:
    /// the list's).
    #[serde(default)]
    pub name: String,
    /// The amounts file's line, 0 when typed.
    #[serde(default)]
    pub line: u32,
}

/// Someone added to, or left out of, a batch against its list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ListPerson {
    pub phone: String,
    pub name: String,
}

/// A batch started from a list, compared with the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ListChanges {
    pub list: String,
    /// Numbers not on the list, paid in this batch.
    pub added: Vec<ListPerson>,
    /// People of the list left out of this batch (an amount of 0).
    pub removed: Vec<ListPerson>,
    /// People of the list paid another amount than their default one.
    pub amounts_changed: u32,
}

/// The key a list is found by: its name folded (case, accents and spacing do not matter).
fn key_of(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .flat_map(guichet_types::text::folded)
        .collect()
}

fn checked_name(name: &str) -> Result<String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(CoreError::invalid(
            "name",
            Invalid::Required,
            "give the list a name",
        ));
    }
    if name.chars().count() > NAME_MAX as usize {
        return Err(CoreError::invalid(
            "name",
            Invalid::TooLong { max: NAME_MAX },
            format!("a list name has at most {NAME_MAX} characters"),
        ));
    }
    Ok(name)
}

fn list_view(l: &PayeeListRow) -> PayeeList {
    PayeeList {
        name: l.name.clone(),
        source: l.source.clone(),
        created_at: l.created_at.clone(),
        updated_at: l.updated_at.clone(),
        count: u32::try_from(l.count).unwrap_or(u32::MAX),
        total: l.total,
    }
}

fn payee_view(p: &PayeeRow) -> Payee {
    Payee {
        phone: p.phone.clone(),
        name: p.name.clone(),
        amount: p.amount,
        reason: p.reason.clone(),
        operator: p.operator.clone(),
        operator_name: if p.operator.trim().is_empty() {
            guichet_types::network_of(&p.phone).unwrap_or_default()
        } else {
            operator_name(&p.operator)
        }
        .to_string(),
    }
}

/// A row refused where a list is read from, named by its line.
fn on_line(line: u32, issue: RowIssue) -> CoreError {
    let message = format!("line {line}: {}: {}", issue.column, issue.message);
    CoreError::coded(
        ErrorCode::Row {
            issue: Box::new(issue),
        },
        message,
    )
}

impl Guichet {
    /// Every list, by name.
    pub fn payee_lists(&self) -> Result<Vec<PayeeList>> {
        self.require(Action::Read)?;
        Ok(self
            .store
            .payee_lists()
            .all()?
            .iter()
            .map(list_view)
            .collect())
    }

    /// The list `name` and its people.
    pub fn payee_list(&self, name: &str) -> Result<PayeeListDetail> {
        self.require(Action::Read)?;
        let (list, people) = self.list_rows(name)?;
        Ok(PayeeListDetail {
            list: list_view(&list),
            people: people.iter().map(payee_view).collect(),
        })
    }

    fn list_rows(&self, name: &str) -> Result<(PayeeListRow, Vec<PayeeRow>)> {
        self.store
            .payee_lists()
            .get(&key_of(name))
            .map_err(|e| match e {
                guichet_store::StoreError::NotFound { .. } => CoreError::NotFound {
                    what: "payee list",
                    key: name.trim().to_string(),
                },
                e => e.into(),
            })
    }

    /// Removes the list `name` (batches made from it are kept).
    pub fn remove_payee_list(&self, name: &str) -> Result<()> {
        self.require(Action::Prepare)?;
        let (list, _) = self.list_rows(name)?;
        self.store.payee_lists_mut().remove(&key_of(name))?;
        self.audit("list.removed", Some(&list.name), serde_json::json!({}))
    }

    /// Saves the people of batch `batch_id` as the list `name` (replacing the list of that
    /// name): each number with its name, amount, reason and operator, in the batch's order.
    pub fn save_list_from_batch(&self, batch_id: i64, name: &str) -> Result<ListSaved> {
        self.require(Action::Prepare)?;
        let name = checked_name(name)?;
        self.store.batches().get(batch_id)?;
        let mut payouts = self.store.payouts().list(&ListFilter {
            batch_id: Some(batch_id),
            limit: u32::MAX,
            ..Default::default()
        })?;
        payouts.sort_unstable_by_key(|p| p.id);
        let rows = payouts
            .iter()
            .map(|p| PayeeRow {
                phone: format!("+{}{}", p.prefix, p.phone),
                name: p.name.clone(),
                amount: p.amount,
                reason: p.reason.clone(),
                operator: p.operator.clone().unwrap_or_default(),
            })
            .collect();
        self.save_list(&name, &format!("batch #{batch_id}"), rows)
    }

    /// Saves a payout spreadsheet (read as a batch is, for `account`: its country reads the
    /// numbers, its currency the amounts) as the list `name`. A row that cannot be read is
    /// refused with its line: a list holds only people who can be paid.
    pub fn save_list_from_file(
        &self,
        path: &Path,
        account: &str,
        options: &ImportOptions,
        name: &str,
    ) -> Result<ListSaved> {
        self.require(Action::Prepare)?;
        let name = checked_name(name)?;
        let row = self.account_row(account)?;
        let req = self.read_batch(path, account, options, true)?;
        let mut rows = Vec::new();
        for l in req.lines.iter().filter(|l| l.total_label.is_none()) {
            if let Some(issue) = l.problems.first() {
                return Err(on_line(l.line, issue.clone()));
            }
            let number = self.number_on_line(l.line, &l.phone, row.country)?;
            let amount =
                rules::parse_amount(&l.amount, &l.currency, row.currency).map_err(|issues| {
                    on_line(
                        l.line,
                        issues
                            .into_iter()
                            .next()
                            .unwrap_or_else(|| RowIssue::new("amount", "amount", "no amount")),
                    )
                })?;
            rows.push(PayeeRow {
                phone: number,
                name: l.name.trim().to_string(),
                amount: Amount(amount),
                reason: l.reason.trim().to_string(),
                operator: l.operator.trim().to_string(),
            });
        }
        self.save_list(&name, &req.file_name, rows)
    }

    fn save_list(&self, name: &str, source: &str, rows: Vec<PayeeRow>) -> Result<ListSaved> {
        let mut seen = std::collections::HashSet::new();
        let mut repeated = Vec::new();
        let rows: Vec<PayeeRow> = rows
            .into_iter()
            .filter(|r| {
                let first = seen.insert(r.phone.clone());
                if !first {
                    repeated.push(r.phone.clone());
                }
                first
            })
            .collect();
        if rows.is_empty() {
            return Err(CoreError::refused(
                "nothing_to_send",
                "there is nobody to put on the list",
            ));
        }
        let (_, replaced) =
            self.store
                .payee_lists_mut()
                .save(name, &key_of(name), source, &rows)?;
        let (list, _) = self.list_rows(name)?;
        self.audit(
            "list.saved",
            Some(&list.name),
            serde_json::json!({"count": list.count, "total": list.total.0, "source": source}),
        )?;
        Ok(ListSaved {
            list: list_view(&list),
            replaced,
            repeated,
        })
    }

    /// `+2250707123456` for a number written on `line`, in the account's country.
    fn number_on_line(
        &self,
        line: u32,
        written: &str,
        country: guichet_types::Country,
    ) -> Result<String> {
        phone::normalize(written, country)
            .map(|n| n.e164())
            .map_err(|e| {
                CoreError::invalid(
                    "amounts",
                    Invalid::NotAPhoneOnLine {
                        line,
                        value: written.to_string(),
                    },
                    format!("line {line}: {e}"),
                )
            })
    }

    /// An amounts file keyed by phone (any spreadsheet with phone and amount columns, a name
    /// column for numbers not on the list), read by the batch reader: one edit per line.
    pub fn list_amounts_file(&self, path: &Path, account: &str) -> Result<Vec<AmountEdit>> {
        self.require(Action::Read)?;
        let file = BatchRequest::from_file(path, account, &ImportOptions::default(), false)?;
        Ok(file
            .lines
            .into_iter()
            .filter(|l| l.total_label.is_none())
            .map(|l| AmountEdit {
                phone: l.phone,
                amount: l.amount,
                name: l.name,
                line: l.line,
            })
            .collect())
    }

    /// A batch for `account` made from the list `name`: each person at their default amount
    /// unless `edits` gives another for their number; an edit of 0 leaves them out; an edit for
    /// a number not on the list adds it. Amounts are read by the batch's one amount reader at
    /// review, each row with its own error. The batch is the list's for the month: the same
    /// list with the same amounts paid twice in a month is refused as any file paid twice.
    pub fn batch_from_list(
        &self,
        name: &str,
        account: &str,
        edits: &[AmountEdit],
    ) -> Result<BatchRequest> {
        self.require(Action::Read)?;
        let row = self.account_row(account)?;
        let (list, people) = self.list_rows(name)?;
        // Each edit's number, once.
        let mut by_phone: HashMap<String, &AmountEdit> = HashMap::new();
        let mut order: Vec<String> = Vec::new();
        let mut first_line: HashMap<String, u32> = HashMap::new();
        for e in edits {
            let number = self.number_on_line(e.line, &e.phone, row.country)?;
            if let Some(first) = first_line.get(&number) {
                return Err(CoreError::invalid(
                    "amounts",
                    Invalid::PhoneTwice {
                        line: e.line,
                        first: *first,
                        phone: number.clone(),
                    },
                    format!("line {}: {number} is already on line {first}", e.line),
                ));
            }
            first_line.insert(number.clone(), e.line);
            order.push(number.clone());
            by_phone.insert(number, e);
        }
        let zero = |a: &AmountInput| Amount::read(a, row.currency).is_ok_and(|a| a.0 == 0);
        let mut lines = Vec::new();
        let mut changes = ListChanges {
            list: list.name.clone(),
            added: Vec::new(),
            removed: Vec::new(),
            amounts_changed: 0,
        };
        let mut on_list = std::collections::HashSet::new();
        for p in &people {
            // A list saved in another country's numbers still reads as written.
            let number = phone::normalize(&p.phone, row.country)
                .map(|n| n.e164())
                .unwrap_or_else(|_| p.phone.clone());
            on_list.insert(number.clone());
            // A name given with the amount is this month's (a number handed to someone else);
            // the review flags it against whom the number was paid before.
            let name = match by_phone.get(&number) {
                Some(e) if !e.name.trim().is_empty() => e.name.trim().to_string(),
                _ => p.name.clone(),
            };
            let amount = match by_phone.get(&number) {
                Some(e) if zero(&e.amount) => {
                    changes.removed.push(ListPerson {
                        phone: number,
                        name,
                    });
                    continue;
                }
                Some(e) => {
                    if Amount::read(&e.amount, row.currency).ok() != Some(p.amount) {
                        changes.amounts_changed += 1;
                    }
                    e.amount.clone()
                }
                None => AmountInput::Number(p.amount.0 as f64),
            };
            lines.push(BatchLine {
                line: lines.len() as u32 + 1,
                phone: number,
                amount,
                name,
                reason: p.reason.clone(),
                operator: p.operator.clone(),
                ..Default::default()
            });
        }
        for number in order.iter().filter(|n| !on_list.contains(*n)) {
            let e = by_phone[number];
            if zero(&e.amount) {
                continue;
            }
            changes.added.push(ListPerson {
                phone: number.clone(),
                name: e.name.trim().to_string(),
            });
            lines.push(BatchLine {
                line: lines.len() as u32 + 1,
                phone: number.clone(),
                amount: e.amount.clone(),
                name: e.name.trim().to_string(),
                ..Default::default()
            });
        }
        let month = guichet_store::now_utc()
            .get(..7)
            .unwrap_or_default()
            .to_string();
        let mut identity = format!("list:{}:{month}", key_of(&list.name));
        for l in &lines {
            identity.push_str(&format!(":{}={:?}", l.phone, l.amount));
        }
        Ok(BatchRequest {
            account: row.label.clone(),
            file_name: list.name.clone(),
            file_sha256: BatchRequest::sha256_of(identity.as_bytes()),
            lines,
            list: Some(changes),
            ..Default::default()
        })
    }
}
