//! Pre-flight of a payout batch, before anything is sent: every row checked against the
//! provider's rules, duplicates flagged (in the file, and against the last 24 hours), the file
//! compared with the batches already paid, the numbers that must first become CinetPay contacts
//! counted, and the total compared with the balance read live.

use super::rules::{self, RowIssue};
use super::totals::FileTotal;
use crate::{CoreError, Guichet, Result};
use guichet_store::batches::BatchRow;
use guichet_types::{Amount, AmountInput, Currency, Provider};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// One row of a payout spreadsheet, its cells as text (columns phone, amount, name, reference,
/// reason, operator; currency when the file has one), the amount as the number the spreadsheet
/// stored when it stored one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchLine {
    /// The row's number as the spreadsheet shows it.
    pub line: u32,
    pub phone: String,
    pub amount: AmountInput,
    pub name: String,
    pub reference: String,
    pub reason: String,
    pub operator: String,
    pub currency: String,
    /// Cells that could not give a value (a formula error…), as the reader described them.
    #[serde(default)]
    pub problems: Vec<RowIssue>,
    /// The row is the file's own total (`TOTAL`, `Sous-total`, `Total général`, no phone):
    /// its label. It is set aside and compared with the rows, never paid.
    #[serde(default)]
    pub total_label: Option<String>,
    /// A failed payout this row pays again (see `retry.rs`): linked to it when queued.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub retry_of: Option<super::retry::RetryOf>,
}

/// A batch as read from a file, for one account.
#[derive(Debug, Clone, Default)]
pub struct BatchRequest {
    pub account: String,
    pub file_name: String,
    pub sheet: Option<String>,
    /// No sheet was asked: this one was found as the one whose columns are recognised.
    pub sheet_found: bool,
    /// SHA-256 of the file's bytes: the same file paid twice is refused unless `again`.
    pub file_sha256: String,
    pub lines: Vec<BatchLine>,
    /// The merchant says paying a file identical to an earlier batch is meant.
    pub again: bool,
    /// The columns were read as chosen before for this header layout.
    pub remembered: Option<super::RememberedColumns>,
    /// Made from a payee list: who was added and left out against it.
    pub list: Option<super::ListChanges>,
    /// The rows are those of this batch, confirmed earlier and checked again before it
    /// leaves: its own payouts are not duplicates, nor its file one already paid.
    pub own_batch: Option<i64>,
}

impl BatchRequest {
    pub fn sha256_of(bytes: &[u8]) -> String {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(bytes))
    }

    /// Reads a payout spreadsheet (CSV, XLSX, XLS, ODS; columns phone, amount, name, reference,
    /// reason, operator — French or English headers, or the columns the merchant chose in
    /// `options`) for `account`. The file's identity is the SHA-256 of its bytes, and of the
    /// sheet read for a workbook (two sheets of one workbook are two batches).
    pub fn from_file(
        path: &std::path::Path,
        account: &str,
        options: &crate::contacts::ImportOptions,
        again: bool,
    ) -> Result<BatchRequest> {
        use guichet_tabular::Field;
        let mut read = options.read_options(vec![Field::Phone, Field::Amount]);
        // A `TOTAL` label may sit in a column no field is read from.
        read.every_column = true;
        let table = guichet_tabular::open(path, &read)?;
        let read_sheet = table.info().sheet.clone();
        let sheet_found = table.info().sheet_found;
        let mut lines = Vec::new();
        table.for_each(|row| {
            let blank = |field: Field| {
                row.text(field).is_empty() && row.get(field).is_some_and(|c| c.is_ok())
            };
            let total_label =
                if blank(Field::Phone) || super::totals::is_label(row.text(Field::Phone)) {
                    [
                        Field::Phone,
                        Field::Name,
                        Field::Reference,
                        Field::Reason,
                        Field::Operator,
                    ]
                    .into_iter()
                    .map(|f| row.text(f))
                    .chain(row.others())
                    .find(|t| super::totals::is_label(t))
                    .map(String::from)
                } else {
                    None
                };
            // Notes below the list (a signature, the amount in words) are not rows.
            if total_label.is_none() && blank(Field::Phone) && blank(Field::Amount) {
                return std::ops::ControlFlow::Continue(());
            }
            let mut problems = Vec::new();
            let mut cell = |field: Field| match row.get(field) {
                Some(Ok(text)) => text.to_string(),
                Some(Err(why)) => {
                    let column = row.column(field).map(|c| c.describe()).unwrap_or_default();
                    problems.push(RowIssue::new(
                        field.as_str(),
                        "cell",
                        format!("column {column}: {why}"),
                    ));
                    String::new()
                }
                None => String::new(),
            };
            let line = BatchLine {
                line: u32::try_from(row.line).unwrap_or(u32::MAX),
                phone: cell(Field::Phone),
                amount: match row.number(Field::Amount) {
                    Some(number) => AmountInput::Number(number),
                    None => AmountInput::Text(cell(Field::Amount)),
                },
                name: cell(Field::Name),
                reference: cell(Field::Reference),
                reason: cell(Field::Reason),
                operator: cell(Field::Operator),
                currency: String::new(),
                problems,
                total_label,
                retry_of: None,
            };
            lines.push(line);
            std::ops::ControlFlow::Continue(())
        })?;
        let bytes = std::fs::read(path)
            .map_err(|e| CoreError::Io(format!("cannot read {}: {e}", path.display())))?;
        let mut identity = bytes;
        if let Some(s) = &read_sheet {
            identity.extend_from_slice(b"\0sheet:");
            identity.extend_from_slice(s.as_bytes());
        }
        Ok(BatchRequest {
            account: account.to_string(),
            file_name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            sheet: read_sheet,
            sheet_found,
            file_sha256: BatchRequest::sha256_of(&identity),
            lines,
            again,
            remembered: None,
            list: None,
            own_batch: None,
        })
    }
}

/// One row as it will be sent, or why it will not be.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PreviewRow {
    pub line: u32,
    /// `+2250707123456` when the number is valid, else as written.
    pub phone: String,
    pub amount: Option<Amount>,
    pub name: String,
    pub reference: String,
    pub reason: String,
    /// The operator the money goes to (`OM`, `MOMO`, `FLOOZ`; `MCP`, `CM_MOMO`, `CM_OM`).
    pub operator: String,
    /// The row is left out while it has errors.
    pub errors: Vec<RowIssue>,
    pub warnings: Vec<RowIssue>,
    /// CinetPay: the number is not a contact of the account yet; it is added before the payout
    /// is sent (a payout to a number that is not a contact is refused).
    pub new_contact: bool,
    /// The failed payout this row pays again, and why it failed.
    pub retry_of: Option<super::retry::RetryOf>,
    #[serde(skip)]
    pub(crate) ready: Option<Ready>,
}

/// What is queued for a valid row.
#[derive(Debug, Clone)]
pub(crate) struct Ready {
    pub prefix: String,
    pub national: String,
    pub amount: i64,
    pub stored_operator: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OperatorTotal {
    pub operator: String,
    pub count: u32,
    pub total: Amount,
}

/// Why the batch cannot be sent as it is.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchBlocker {
    /// `nothing_to_send`, `batch_already_sent`, `insufficient_balance`, `balance_unavailable`.
    pub code: String,
    pub message: String,
}

/// What the merchant reviews before confirming.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchPreview {
    pub account: String,
    pub provider: Provider,
    pub currency: Currency,
    pub file_name: String,
    pub sheet: Option<String>,
    /// No sheet was asked: this one was found as the one whose columns are recognised.
    pub sheet_found: bool,
    pub file_sha256: String,
    pub rows: Vec<PreviewRow>,
    /// The file's own total rows, set aside and compared with its rows.
    pub file_totals: Vec<super::totals::FileTotal>,
    /// The columns were read as chosen before for this header layout.
    pub remembered: Option<super::RememberedColumns>,
    /// Made from a payee list: who was added and left out against it.
    pub list: Option<super::ListChanges>,
    /// Payouts that will be sent, and their total.
    pub count: u32,
    pub total: Amount,
    /// Rows left out because of errors.
    pub skipped: u32,
    /// Rows sent but worth a look (possible duplicates, a number paid before under another
    /// name).
    pub warned: u32,
    /// Rows to numbers this account never paid, and to numbers paid before under another name.
    pub new_beneficiaries: u32,
    pub names_changed: u32,
    pub per_operator: Vec<OperatorTotal>,
    /// CinetPay: numbers of the batch to add as contacts before anything is sent.
    pub contacts_to_add: u32,
    /// The balance payouts are paid from, read just now, as the provider wrote it.
    pub balance_available: Option<String>,
    /// What should remain once the batch is paid.
    pub balance_after: Option<Amount>,
    /// An earlier batch made from a file with the same content.
    pub earlier_batch: Option<BatchRow>,
    pub blockers: Vec<BatchBlocker>,
}

impl BatchPreview {
    pub(crate) fn blocked(&self) -> Option<CoreError> {
        self.blockers.first().map(|b| {
            let code = match b.code.as_str() {
                "nothing_to_send" => "nothing_to_send",
                "batch_already_sent" => "batch_already_sent",
                "insufficient_balance" => "insufficient_balance",
                "total_too_large" => "total_too_large",
                _ => "balance_unavailable",
            };
            CoreError::refused(code, b.message.clone())
        })
    }
}

/// Why a file already paid from this account is refused (unless meant again).
pub(crate) fn already_paid(b: &BatchRow, currency: Currency) -> String {
    format!(
        "a file with exactly this content was already paid as batch #{} on {} ({} payouts, {}); say it is meant to pay it again (--again)",
        b.id,
        b.confirmed_at.as_deref().unwrap_or(&b.created_at).get(..16).unwrap_or_default(),
        b.row_count,
        b.total.with_currency(currency),
    )
}

fn blocker(code: &str, message: String) -> BatchBlocker {
    BatchBlocker {
        code: code.into(),
        message,
    }
}

impl Guichet {
    /// Checks a batch and reads the balance; sends nothing and queues nothing.
    pub async fn preview_batch(&self, req: &BatchRequest) -> Result<BatchPreview> {
        self.require(crate::people::Action::Read)?;
        let account = self.account_row(&req.account)?;
        if let Some(e) = rules::account_problem(&account) {
            return Err(e);
        }
        let (total_lines, lines): (Vec<&BatchLine>, Vec<&BatchLine>) =
            req.lines.iter().partition(|l| l.total_label.is_some());
        let mut rows: Vec<PreviewRow> =
            lines.into_iter().map(|l| check_line(&account, l)).collect();
        let file_totals = compare_totals(&total_lines, &rows, account.currency);

        // The same number and amount twice in the file.
        let mut first_seen: HashMap<(String, i64), u32> = HashMap::new();
        for row in rows.iter_mut() {
            let Some(ready) = &row.ready else { continue };
            let key = (ready.national.clone(), ready.amount);
            match first_seen.get(&key) {
                Some(first) => row.warnings.push(RowIssue::new(
                    "phone",
                    "duplicate_in_file",
                    format!("same number and amount as line {first}"),
                )),
                None => {
                    first_seen.insert(key, row.line);
                }
            }
        }
        // …or paid in the last 24 hours.
        let since =
            guichet_store::format_ts(time::OffsetDateTime::now_utc() - time::Duration::hours(24));
        {
            // One read for the batch: the latest payout of each number and amount.
            let recent: HashMap<(String, i64), guichet_store::payouts::PayoutRow> = self
                .store
                .payouts()
                .not_unpaid_since(&since)?
                .into_iter()
                .filter(|p| req.own_batch.is_none() || p.batch_id != req.own_batch)
                .map(|p| ((p.phone.clone(), p.amount.0), p))
                .collect();
            for row in rows.iter_mut() {
                let Some(ready) = &row.ready else { continue };
                if let Some(p) = recent.get(&(ready.national.clone(), ready.amount)) {
                    row.warnings.push(RowIssue::new(
                        "phone",
                        "duplicate_recent",
                        format!(
                            "{} was already paid {} on {} (payout #{}, {})",
                            row.phone,
                            p.amount.with_currency(&p.currency),
                            p.created_at.get(..16).unwrap_or(&p.created_at),
                            p.id,
                            p.status.as_str()
                        ),
                    ));
                }
            }
        }

        // Numbers never paid before, or paid under another name: one read for the batch.
        let paid = self.store.beneficiaries().paid(account.id)?;
        super::beneficiaries::flag_rows(&mut rows, &paid);

        // CinetPay pays contacts only: numbers it does not have yet (neither imported as
        // contacts nor reached by an earlier transfer) are added first.
        if crate::adapters::capabilities(account.provider).contacts {
            let db = self.store.lock();
            let contacts = db.contacts().states(account.id)?;
            let reached = db.payouts().numbers_reached(account.id)?;
            for row in rows.iter_mut() {
                let Some(ready) = &row.ready else { continue };
                let number = (ready.prefix.clone(), ready.national.clone());
                row.new_contact = !reached.contains(&number)
                    && !contacts.get(&number).is_some_and(|s| s.is_at_provider());
            }
        }
        let mut new_contacts = std::collections::HashSet::new();
        for row in rows.iter().filter(|r| r.new_contact) {
            if let Some(ready) = &row.ready {
                new_contacts.insert((&ready.prefix, &ready.national));
            }
        }
        let contacts_to_add = new_contacts.len() as u32;

        let mut count = 0u32;
        let mut per_operator: BTreeMap<String, (u32, i64)> = BTreeMap::new();
        for row in &rows {
            if let Some(ready) = &row.ready {
                count += 1;
                let e = per_operator.entry(row.operator.clone()).or_default();
                e.0 += 1;
                e.1 = e.1.saturating_add(ready.amount);
            }
        }
        // Each amount is at most 10^12 francs; their sum is checked all the same.
        let sum = Amount::checked_sum(
            rows.iter()
                .filter_map(|r| r.ready.as_ref().map(|r| Amount(r.amount))),
        );
        let total = sum.map_or(i64::MAX, |a| a.0);
        let skipped = rows.iter().filter(|r| r.ready.is_none()).count() as u32;
        // A number never paid is told apart (`new_beneficiaries`), not a row to look at.
        let warned = rows
            .iter()
            .filter(|r| r.ready.is_some() && r.warnings.iter().any(|w| w.code != "new_beneficiary"))
            .count() as u32;

        let flagged = |code: &str| {
            rows.iter()
                .filter(|r| r.ready.is_some() && r.warnings.iter().any(|w| w.code == code))
                .count() as u32
        };
        let (new_beneficiaries, names_changed) =
            (flagged("new_beneficiary"), flagged("name_changed"));

        let mut blockers = Vec::new();
        let earlier_batch = self
            .store
            .batches()
            .same_file(account.id, &req.file_sha256)?
            .filter(|b| Some(b.id) != req.own_batch);
        if let (Some(b), false) = (&earlier_batch, req.again) {
            blockers.push(blocker(
                "batch_already_sent",
                already_paid(b, account.currency),
            ));
        }
        let (mut balance_available, mut balance_after) = (None, None);
        if sum.is_none() {
            blockers.push(blocker(
                "total_too_large",
                format!(
                    "the rows add up to more than {}: split the file",
                    Amount(guichet_types::money::MAX_FRANCS).with_currency(account.currency)
                ),
            ));
        } else if count == 0 {
            blockers.push(blocker(
                "nothing_to_send",
                "no row of the file can be sent: fix the errors shown and try again".into(),
            ));
        } else {
            match self.payout_balance(&account).await {
                Ok((text, whole)) => {
                    balance_available = Some(text.clone());
                    balance_after = Amount(whole).checked_sub(Amount(total));
                    if total > whole {
                        blockers.push(blocker(
                            "insufficient_balance",
                            format!(
                                "the batch totals {} but only {} is available at {}: {} missing",
                                Amount(total).with_currency(account.currency),
                                Amount(whole).with_currency(account.currency),
                                account.provider.display_name(),
                                Amount(total.saturating_sub(whole)).with_currency(account.currency),
                            ),
                        ));
                    }
                }
                Err(e) => blockers.push(blocker("balance_unavailable", e.to_string())),
            }
        }

        Ok(BatchPreview {
            account: account.label.clone(),
            provider: account.provider,
            currency: account.currency,
            file_name: req.file_name.clone(),
            sheet: req.sheet.clone(),
            sheet_found: req.sheet_found,
            file_sha256: req.file_sha256.clone(),
            rows,
            file_totals,
            remembered: req.remembered.clone(),
            list: req.list.clone(),
            count,
            total: Amount(total),
            skipped,
            warned,
            new_beneficiaries,
            names_changed,
            per_operator: per_operator
                .into_iter()
                .map(|(operator, (count, total))| OperatorTotal {
                    operator,
                    count,
                    total: Amount(total),
                })
                .collect(),
            contacts_to_add,
            balance_available,
            balance_after,
            earlier_batch,
            blockers,
        })
    }
}

fn check_line(account: &guichet_store::accounts::AccountRow, l: &BatchLine) -> PreviewRow {
    let mut errors = l.problems.clone();
    let amount = match rules::parse_amount(&l.amount, &l.currency, account.currency) {
        Ok(a) => Some(a),
        Err(issues) => {
            errors.extend(issues);
            None
        }
    };
    let operator = Some(l.operator.as_str()).filter(|o| !o.trim().is_empty());
    let checked = match rules::check(account, &l.phone, amount, operator) {
        Ok(c) => Some(c),
        Err(issues) => {
            errors.extend(issues);
            None
        }
    };
    let ready = match (&checked, amount) {
        (Some(c), Some(amount)) if errors.is_empty() => Some(Ready {
            prefix: c.number.prefix.clone(),
            national: c.number.national.clone(),
            amount,
            stored_operator: c.stored_operator.clone(),
        }),
        _ => None,
    };
    PreviewRow {
        line: l.line,
        phone: checked
            .as_ref()
            .map(|c| c.number.e164())
            .unwrap_or_else(|| l.phone.trim().to_string()),
        amount: amount.map(Amount),
        name: l.name.trim().to_string(),
        reference: l.reference.trim().to_string(),
        reason: l.reason.trim().to_string(),
        operator: checked
            .map(|c| c.operator_label)
            .unwrap_or_else(|| l.operator.trim().to_string()),
        errors,
        warnings: Vec::new(),
        new_contact: false,
        retry_of: l.retry_of.clone(),
        ready,
    }
}

/// Each total row against the rows it covers: a `Sous-total` those since the previous
/// sub-total, any other total every row above it.
fn compare_totals(
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
