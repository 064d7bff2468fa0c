use crate::output::{confirm, history_line, meaning, Output};
use clap::Subcommand;
use guichet_core::payouts::PayoutInput;
use guichet_core::payouts::PayoutRow;
use guichet_types::{Amount, UnifiedStatus};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum PayoutCmd {
    /// Send one payout (after confirmation; --yes confirms).
    Send {
        #[arg(long)]
        account: String,
        #[arg(long)]
        phone: String,
        /// Whole francs, written as in a spreadsheet (`15000`, `15 000`, `15.000 FCFA`).
        #[arg(long)]
        amount: String,
        #[arg(long, default_value = "")]
        name: String,
        #[arg(long, default_value = "")]
        reason: String,
        /// My-CoolPay: MCP, CM_MOMO or CM_OM (told from the number when absent).
        #[arg(long)]
        operator: Option<String>,
        #[arg(long)]
        yes: bool,
    },
    /// Pay everyone in a spreadsheet (columns phone, amount, name, reference, reason, operator):
    /// every row is checked and the batch reviewed, then sent after confirmation (--yes confirms).
    Batch {
        /// CSV, XLSX, XLS or ODS.
        file: PathBuf,
        #[arg(long)]
        account: String,
        /// The sheet to read (name or 1-based position); when absent, the one whose columns
        /// are recognised.
        #[arg(long)]
        sheet: Option<String>,
        /// Review only: nothing is sent.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        yes: bool,
        /// Pay a file identical to an earlier batch again, as meant.
        #[arg(long)]
        again: bool,
        /// Which column holds a field, when the headers don't say: `phone=C`, `amount=Net à
        /// payer` (fields: phone, amount, name, reference, reason, operator).
        #[arg(long = "column", value_name = "FIELD=HEADER|LETTER")]
        columns: Vec<String>,
    },
    /// Batches, newest first, with where their payouts stand.
    Batches {
        #[arg(long)]
        account: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// List payouts, newest first.
    List {
        #[arg(long)]
        status: Option<UnifiedStatus>,
        #[arg(long)]
        account: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// One payout and its full history.
    Show { id: i64 },
}

pub fn run(data_dir: Option<PathBuf>, out: &Output, cmd: PayoutCmd) -> anyhow::Result<()> {
    let g = super::open(data_dir)?;
    match cmd {
        PayoutCmd::Send {
            account,
            phone,
            amount,
            name,
            reason,
            operator,
            yes,
        } => {
            let amount = g.amount_or_error(&account, &amount)?;
            let input = PayoutInput {
                phone,
                amount,
                name,
                reason,
                operator,
            };
            let row = g.account_row(&account)?;
            let number = g.validate_payout(&row, &input)?;
            // A number never paid, or paid before under another name: said before it leaves.
            let draft = crate::block_on(g.check_payout_draft(
                &account,
                &number.e164(),
                &amount.to_string(),
                &input.name,
                false,
            ))?;
            for w in &draft.warnings {
                eprintln!("warning: {}", w.message);
            }
            if !yes {
                confirm(&format!(
                    "Send {} to {} ({}) from `{}`?",
                    Amount(amount).with_currency(row.currency),
                    number.e164(),
                    if input.name.is_empty() {
                        "-"
                    } else {
                        &input.name
                    },
                    account
                ))?;
            }
            let p = crate::block_on(g.send_payout(&account, input))?;
            out.print(&p, || line(&p))
        }
        PayoutCmd::Batch {
            file,
            account,
            sheet,
            dry_run,
            yes,
            again,
            columns,
        } => {
            let options = guichet_core::contacts::ImportOptions {
                sheet,
                columns: columns
                    .iter()
                    .map(|c| super::parse_column(c, super::batch::FIELDS))
                    .collect::<anyhow::Result<_>>()?,
            };
            super::batch::run(g, out, &file, &account, &options, dry_run, yes, again)
        }
        PayoutCmd::Batches { account, limit } => {
            let batches = g.list_batches(account.as_deref(), limit)?;
            out.print_lines(&batches, "No batch.", super::batch::summary)
        }
        PayoutCmd::List {
            status,
            account,
            limit,
        } => {
            let rows = g.list_payouts(account.as_deref(), status, None, limit)?;
            out.print_lines(&rows, "No payout.", line)
        }
        PayoutCmd::Show { id } => {
            let d = g.payout(id)?;
            out.print(&d, || {
                let mut lines = vec![line(&d.payout)];
                if let Some(detail) = &d.payout.status_detail {
                    lines.push(format!("  {detail}"));
                }
                for h in &d.history {
                    lines.push(history_line(
                        &h.at,
                        h.status.as_str(),
                        &h.event,
                        h.provider_status.as_deref(),
                    ));
                }
                lines.join("\n")
            })
        }
    }
}

fn line(p: &PayoutRow) -> String {
    format!(
        "#{:<6} {}  +{} {:<10} {:>12} {}  {}  {}",
        p.id,
        p.created_at.get(..16).unwrap_or(&p.created_at),
        p.prefix,
        p.phone,
        p.amount.grouped(),
        p.currency,
        p.reference,
        meaning(p.status)
    )
}
