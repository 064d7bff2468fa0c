//! `guichet list`: payee lists saved from a batch or a file, shown, removed; a batch is started
//! from one with `guichet payout batch --list NAME`.

use crate::output::Output;
use clap::Subcommand;
use guichet_core::payouts::{ListSaved, PayeeList};
use guichet_types::operator_name;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ListCmd {
    /// Save a batch's people (or a spreadsheet's rows, with --file) as a named list, with
    /// their amounts and reasons; a list of the same name is replaced.
    Save {
        /// The batch to save (`guichet payout batches` shows their numbers).
        batch_id: Option<i64>,
        #[arg(long)]
        name: String,
        /// A payout spreadsheet instead of a batch (read as `payout batch` reads it).
        #[arg(long, conflicts_with = "batch_id")]
        file: Option<PathBuf>,
        /// With --file: the account whose country and currency read the numbers and amounts.
        #[arg(long, requires = "file")]
        account: Option<String>,
        /// With --file: the sheet to read.
        #[arg(long, requires = "file")]
        sheet: Option<String>,
        /// With --file: which column holds a field (`phone=C`).
        #[arg(long = "column", value_name = "FIELD=HEADER|LETTER", requires = "file")]
        columns: Vec<String>,
    },
    /// One list and its people.
    Show { name: String },
    /// Every list, with how many people and their total.
    List,
    /// Remove a list (batches made from it are kept).
    Remove { name: String },
}

pub fn run(data_dir: Option<PathBuf>, out: &Output, cmd: Option<ListCmd>) -> anyhow::Result<()> {
    let g = super::open(data_dir)?;
    match cmd.unwrap_or(ListCmd::List) {
        ListCmd::Save {
            batch_id,
            name,
            file,
            account,
            sheet,
            columns,
        } => {
            let saved = match (batch_id, file) {
                (Some(id), None) => g.save_list_from_batch(id, &name)?,
                (None, Some(file)) => {
                    let account = account.ok_or_else(|| {
                        anyhow::anyhow!("--file needs --account: its country reads the numbers")
                    })?;
                    let options = guichet_core::contacts::ImportOptions {
                        sheet,
                        columns: columns
                            .iter()
                            .map(|c| super::parse_column(c, super::batch::FIELDS))
                            .collect::<anyhow::Result<_>>()?,
                    };
                    g.save_list_from_file(&file, &account, &options, &name)
                        .map_err(super::file_hint)?
                }
                _ => anyhow::bail!("say what to save: a batch number, or --file FILE"),
            };
            out.print(&saved, || saved_line(&saved))
        }
        ListCmd::Show { name } => {
            let detail = g.payee_list(&name)?;
            out.print(&detail, || {
                let mut lines = vec![list_line(&detail.list)];
                for (p, n) in detail.people.iter().zip(1..) {
                    lines.push(format!(
                        "  {n:>4}  {:<16} {:<28} {:>14}  {:<12} {}",
                        p.phone,
                        if p.name.is_empty() { "-" } else { &p.name },
                        p.amount.to_string(),
                        if p.operator_name.is_empty() {
                            "-"
                        } else {
                            &p.operator_name
                        },
                        p.reason
                    ));
                }
                lines.join("\n")
            })
        }
        ListCmd::List => {
            let lists = g.payee_lists()?;
            out.print_lines(&lists, "no list saved yet", list_line)
        }
        ListCmd::Remove { name } => {
            g.remove_payee_list(&name)?;
            out.print(&serde_json::json!({ "removed": name }), || {
                format!("list `{name}` removed")
            })
        }
    }
}

fn list_line(l: &PayeeList) -> String {
    format!(
        "{}: {} people, {} by default (from {}, saved {})",
        l.name,
        l.count,
        l.total,
        l.source,
        l.updated_at.get(..10).unwrap_or(&l.updated_at)
    )
}

fn saved_line(s: &ListSaved) -> String {
    let mut text = format!(
        "list `{}` {}: {} people, {} by default",
        s.list.name,
        if s.replaced { "replaced" } else { "saved" },
        s.list.count,
        s.list.total
    );
    if !s.repeated.is_empty() {
        text.push_str(&format!(
            "\n{} number(s) met twice, kept once (first row): {}",
            s.repeated.len(),
            s.repeated.join(", ")
        ));
    }
    text
}

/// The review's lines comparing a batch with the list it was started from.
pub fn changes_lines(c: &guichet_core::payouts::ListChanges) -> Vec<String> {
    let mut lines = vec![format!(
        "from list `{}`: {} added, {} left out, {} amount(s) changed",
        c.list,
        c.added.len(),
        c.removed.len(),
        c.amounts_changed
    )];
    for p in &c.added {
        lines.push(format!("  ADDED     {} {}", p.phone, p.name));
    }
    for p in &c.removed {
        lines.push(format!("  LEFT OUT  {} {}", p.phone, p.name));
    }
    lines
}

/// An operator code as the review prints it: its name.
pub fn operator(code: &str) -> &str {
    if code.is_empty() {
        "-"
    } else {
        operator_name(code)
    }
}
