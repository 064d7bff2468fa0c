use crate::output::Output;
use anyhow::anyhow;
use clap::Subcommand;
use guichet_core::contacts::ContactRow;
use guichet_core::contacts::{
    ContactCursor, ContactEdit, ContactImport, ContactPageRequest, Field, PushOutcome, RowState,
    PUSH_TASK,
};
use guichet_core::{CoreEvent, EventSink};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Subcommand)]
pub enum ContactsCmd {
    /// Import contacts from a CSV, XLSX, XLS or ODS file: a preview of every row, then (after
    /// confirmation; --yes confirms) the new ones are pushed to the account's CinetPay list.
    /// Columns: phone, prefix, name, surname, email.
    Import {
        #[command(flatten)]
        sheet: super::SheetArgs,
    },
    /// List contacts, by name.
    List {
        #[arg(long)]
        account: Option<String>,
        /// Part of a name, e-mail or number.
        #[arg(long)]
        search: Option<String>,
        #[arg(long, default_value_t = 200)]
        limit: u32,
        /// The next page: the `next` cursor the previous page printed (JSON).
        #[arg(long, value_name = "CURSOR")]
        after: Option<String>,
    },
    /// The sheets of a workbook.
    Sheets { file: PathBuf },
    /// Change a contact in Guichet (a new number is pushed again by the next import).
    Edit {
        id: i64,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        surname: Option<String>,
        #[arg(long)]
        email: Option<String>,
    },
    /// Remove a contact from Guichet (CinetPay keeps its own list).
    Delete {
        id: i64,
        #[arg(long)]
        yes: bool,
    },
}

/// Push progress on stderr.
struct Progress;

impl EventSink for Progress {
    fn emit(&self, event: CoreEvent) {
        if let CoreEvent::Progress { task, done, total } = event {
            if task == PUSH_TASK {
                eprintln!("pushed {done}/{total}");
            }
        }
    }
}

/// The fields a contact list's columns can hold.
const CONTACT_FIELDS: &[Field] = &[
    Field::Phone,
    Field::Prefix,
    Field::Name,
    Field::Surname,
    Field::Email,
];

pub fn run(data_dir: Option<PathBuf>, out: &Output, cmd: ContactsCmd) -> anyhow::Result<()> {
    let g = super::open(data_dir)?;
    match cmd {
        ContactsCmd::Import { sheet } => {
            let options = sheet.options(CONTACT_FIELDS)?;
            let (account, file) = (&sheet.account, sheet.file()?);
            let preview = g
                .preview_contacts(account, file, &options)
                .map_err(super::file_hint)?;
            if sheet.dry_run || preview.totals.new == 0 {
                return out.print(&preview, || {
                    let mut text = describe(&preview);
                    if !sheet.dry_run {
                        text.push_str("\nNothing new to push.");
                    }
                    text
                });
            }
            if !out.json {
                println!("{}", describe(&preview));
            }
            if !sheet.yes {
                crate::output::confirm(&format!(
                    "Push {} new contacts to the CinetPay list of `{account}`?",
                    preview.totals.new
                ))?;
            }
            let g = if out.json {
                g
            } else {
                g.with_events(Arc::new(Progress))
            };
            let done = crate::block_on(g.import_contacts(account, file, &options))?;
            out.print(&done, || outcomes(&done))
        }
        ContactsCmd::List {
            account,
            search,
            limit,
            after,
        } => {
            let after = match after {
                Some(a) => Some(serde_json::from_str::<ContactCursor>(&a).map_err(|e| {
                    anyhow!("--after: `{a}` is not a cursor printed by `contacts list` ({e})")
                })?),
                None => None,
            };
            let page = g.contact_page(
                account.as_deref(),
                search.as_deref(),
                &ContactPageRequest { after, limit },
            )?;
            out.print(&page, || {
                let mut lines: Vec<String> = page.rows.iter().map(line).collect();
                if lines.is_empty() {
                    lines.push("No contact.".into());
                }
                if let Some(next) = &page.next {
                    let cursor = serde_json::to_string(next).expect("a cursor serialises");
                    lines.push(format!(
                        "More: add --after '{}'",
                        cursor.replace('\'', "'\\''")
                    ));
                }
                lines.join("\n")
            })
        }
        ContactsCmd::Sheets { file } => {
            let list = guichet_core::contacts::sheets(&file)?;
            let (format, sheets) = (list.format, &list.sheets);
            out.print(&list, || {
                if sheets.is_empty() {
                    format!("{format:?} file: no sheets")
                } else {
                    sheets
                        .iter()
                        .enumerate()
                        .map(|(i, s)| format!("{}  {s}", i + 1))
                        .collect::<Vec<_>>()
                        .join("\n")
                }
            })
        }
        ContactsCmd::Edit {
            id,
            phone,
            name,
            surname,
            email,
        } => {
            let c = g.contact(id)?;
            let edited = g.edit_contact(
                id,
                &ContactEdit {
                    phone: phone.unwrap_or_else(|| format!("+{}{}", c.prefix, c.phone)),
                    name: name.unwrap_or(c.name),
                    surname: surname.unwrap_or(c.surname),
                    email: email.unwrap_or(c.email),
                },
            )?;
            out.print(&edited, || line(&edited))
        }
        ContactsCmd::Delete { id, yes } => {
            let c = g.contact(id)?;
            if !yes {
                crate::output::confirm(&format!(
                    "Remove {} {} (+{}{}) from Guichet?",
                    c.name, c.surname, c.prefix, c.phone
                ))?;
            }
            g.delete_contact(id)?;
            out.print(&serde_json::json!({"deleted": id}), || {
                format!("Removed #{id}. CinetPay keeps it in its own list.")
            })
        }
    }
}

fn state_word(s: RowState) -> &'static str {
    match s {
        RowState::New => "new",
        RowState::Existing => "existing",
        RowState::Duplicate => "duplicate",
        RowState::Invalid => "invalid",
    }
}

fn describe(p: &ContactImport) -> String {
    let f = &p.file;
    let mut lines = Vec::new();
    let mut what = format!("{:?}", f.format).to_uppercase();
    if let Some(s) = &f.sheet {
        what.push_str(&format!(", sheet `{s}`"));
    }
    if let (Some(e), Some(s)) = (&f.encoding, &f.separator) {
        what.push_str(&format!(", {e}, separator `{s}`"));
    }
    match f.header_line {
        Some(l) => what.push_str(&format!(", headers on row {l}")),
        None => what.push_str(", no header row"),
    }
    lines.push(what);
    lines.push(format!(
        "Columns: {}",
        f.columns
            .iter()
            .map(|c| format!("{} = {}", c.field.as_str(), c.describe()))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    for r in p.rows.iter().filter(|r| r.state != RowState::New) {
        lines.push(format!(
            "row {:<6} {:<9} {:<18} {}",
            r.line,
            state_word(r.state),
            r.phone,
            r.reason.as_deref().unwrap_or("")
        ));
    }
    let t = &p.totals;
    lines.push(format!(
        "{} rows: {} new, {} already contacts, {} duplicates in the file, {} invalid",
        t.rows, t.new, t.existing, t.duplicate, t.invalid
    ));
    lines.join("\n")
}

fn outcomes(p: &ContactImport) -> String {
    let mut lines = Vec::new();
    for r in &p.rows {
        let word = match r.outcome {
            Some(PushOutcome::Failed) => "refused",
            Some(PushOutcome::NotSent) => "not sent",
            _ => continue,
        };
        lines.push(format!(
            "row {:<6} {:<9} {:<18} {}{}",
            r.line,
            word,
            r.e164.as_deref().unwrap_or(&r.phone),
            r.provider_code
                .as_deref()
                .map(|c| format!("[{c}] "))
                .unwrap_or_default(),
            r.provider_message.as_deref().unwrap_or("")
        ));
    }
    let t = &p.totals;
    lines.push(format!(
        "{} added, {} already in the CinetPay list, {} refused, {} not sent (pushed on the next import)",
        t.added, t.present, t.failed, t.not_sent
    ));
    lines.join("\n")
}

fn line(c: &ContactRow) -> String {
    format!(
        "#{:<6} +{}{}  {:<30} {:<9} {}",
        c.id,
        c.prefix,
        c.phone,
        format!("{} {}", c.name, c.surname).trim(),
        c.provider_state.as_str(),
        c.provider_message.as_deref().unwrap_or("")
    )
}
