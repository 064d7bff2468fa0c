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
        #[command(flatten)]
        sheet: super::SheetArgs,
        /// Pay a file identical to an earlier batch again, as meant.
        #[arg(long)]
        again: bool,
        /// Start from a payee list (`guichet list`) instead of a file: everyone at their
        /// default amount, unless --amounts says otherwise.
        #[arg(long, conflicts_with = "file")]
        list: Option<String>,
        /// With --list: a spreadsheet of phone and amount columns (and name, for someone not
        /// on the list). A number not on the list is added; an amount of 0 leaves that person
        /// out of this batch; someone not in the file keeps their default amount.
        #[arg(long, requires = "list")]
        amounts: Option<PathBuf>,
        #[command(flatten)]
        plan: super::plan::PlanArgs,
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
    /// Single payouts waiting for approval.
    Awaiting,
    /// Approve a single payout waiting for approval: it is checked again, and sent once it
    /// has every approval it needs.
    Approve { id: i64 },
    /// Reject a single payout waiting for approval; it is not sent.
    Reject {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// Send again an approved payout whose send failed, under the same reference.
    Resend { id: i64 },
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
            let done = crate::block_on(g.prepare_payout(&account, input))?;
            super::approvals::print(out, &done, line)
        }
        PayoutCmd::Batch {
            sheet,
            again,
            list: Some(list),
            amounts,
            plan,
        } => super::batch::from_list(
            &g,
            out,
            &list,
            &sheet.account,
            amounts.as_deref(),
            (sheet.dry_run, sheet.yes, again),
            &plan.plan(),
        ),
        PayoutCmd::Batch {
            sheet, again, plan, ..
        } => {
            let options = sheet.options(super::batch::FIELDS)?;
            super::batch::run(
                g,
                out,
                sheet.file()?,
                &sheet.account,
                &options,
                (sheet.dry_run, sheet.yes, again),
                &plan.plan(),
            )
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
        PayoutCmd::Awaiting => {
            let rows = g.awaiting_approval(Some(guichet_core::people::Kind::Payout))?;
            out.print_lines(
                &rows,
                "No payout awaiting approval.",
                super::approvals::waiting,
            )
        }
        PayoutCmd::Approve { id } => {
            let done = crate::block_on(g.approve_payout(id))?;
            super::approvals::print(out, &done, line)
        }
        PayoutCmd::Reject { id, reason } => {
            let view = g.reject(guichet_core::people::Kind::Payout, id, &reason)?;
            out.print(&view, || super::approvals::waiting(&view))
        }
        PayoutCmd::Resend { id } => {
            let view = crate::block_on(g.resend_approved(guichet_core::people::Kind::Payout, id))?;
            out.print(&view, || super::approvals::waiting(&view))
        }
        PayoutCmd::Show { id } => {
            let d = g.payout(id)?;
            out.print(&d, || {
                let mut lines = vec![line(&d.payout)];
                if let Some(detail) = &d.payout.status_detail {
                    lines.push(format!("  {detail}"));
                }
                lines.extend(d.history.iter().map(|h| history_line(h)));
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
