//! `guichet batch`: batches, and those waiting for approval approved or rejected. What a
//! payout or batch waiting for approval looks like in text.

use crate::output::Output;
use clap::Subcommand;
use guichet_core::people::{ApprovalView, Decision, Kind, Prepared};
use guichet_types::{Amount, AmountInput};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum BatchCmd {
    /// Batches, newest first; with --awaiting-approval, those waiting for approval (and those
    /// approved whose send failed).
    List {
        #[arg(long)]
        awaiting_approval: bool,
        #[arg(long)]
        account: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// One batch: where its payouts stand, its balance before and after, the fees reported, and
    /// when it leaves if it waits.
    Show { id: i64 },
    /// Set a batch that has not left yet (scheduled, or waiting for funds) to leave at this
    /// date and time of this machine's clock (`2026-12-25 08:00`).
    Schedule {
        id: i64,
        #[arg(long, value_name = "DATE TIME")]
        at: String,
    },
    /// Cancel a batch that has not left yet (scheduled, or waiting for funds): its payouts are
    /// cancelled, nothing is sent.
    Cancel { id: i64 },
    /// Approve a batch waiting for approval: its checks run again, and it is sent once it has
    /// every approval it needs.
    Approve { id: i64 },
    /// Reject a batch waiting for approval; nothing of it is sent.
    Reject {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// Send again an approved batch whose send failed (the provider down, the balance
    /// short…), under the same references: payouts already made are never made anew.
    Resend { id: i64 },
    /// Pay again, as a new batch under new references, the payouts of a finished batch that
    /// ended failed or rejected (never those whose outcome is unknown); each is linked to the
    /// one it replaces. The new batch is reviewed, then sent after confirmation (--yes confirms).
    RetryFailed {
        /// The finished batch.
        id: i64,
        /// Corrections: a spreadsheet (CSV, XLSX…) with the phone column (the number that
        /// failed) and an amount column, a new number column (« Nouveau numéro »), or both.
        #[arg(long)]
        amounts: Option<PathBuf>,
        /// Review only; send nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        yes: bool,
    },
}

pub fn run(data_dir: Option<PathBuf>, out: &Output, cmd: BatchCmd) -> anyhow::Result<()> {
    let g = super::open(data_dir)?;
    match cmd {
        BatchCmd::List {
            awaiting_approval: true,
            ..
        } => {
            let rows = g.awaiting_approval(Some(Kind::Batch))?;
            out.print_lines(&rows, "No batch awaiting approval.", waiting)
        }
        BatchCmd::List { account, limit, .. } => {
            let batches = g.list_batches(account.as_deref(), limit)?;
            out.print_lines(&batches, "No batch.", super::batch::summary)
        }
        BatchCmd::Show { id } => {
            let d = g.batch(id)?;
            out.print(&d, || super::batch::summary(&d))
        }
        BatchCmd::Schedule { id, at } => {
            g.schedule_batch(id, &at)?;
            let d = g.batch(id)?;
            out.print(&d, || super::batch::summary(&d))
        }
        BatchCmd::Cancel { id } => {
            g.cancel_batch(id)?;
            let d = g.batch(id)?;
            out.print(&d, || super::batch::summary(&d))
        }
        BatchCmd::Approve { id } => {
            let done = crate::block_on(g.approve_batch(id))?;
            print(out, &done, super::batch::summary)
        }
        BatchCmd::Reject { id, reason } => {
            let view = g.reject(Kind::Batch, id, &reason)?;
            out.print(&view, || waiting(&view))
        }
        BatchCmd::Resend { id } => {
            let view = crate::block_on(g.resend_approved(Kind::Batch, id))?;
            out.print(&view, || waiting(&view))
        }
        BatchCmd::RetryFailed {
            id,
            amounts,
            dry_run,
            yes,
        } => super::retry::retry_failed(&g, out, id, amounts.as_deref(), dry_run, yes),
    }
}

/// A sent result as it always was, or the request waiting for approval.
pub fn print<T: serde::Serialize>(
    out: &Output,
    p: &Prepared<T>,
    sent: impl FnOnce(&T) -> String,
) -> anyhow::Result<()> {
    out.print(p, || match p {
        Prepared::Sent(t) => sent(t),
        Prepared::AwaitingApproval(v) => format!("{}\nNothing was sent.", waiting(v)),
    })
}

/// `batch #3 paie.csv (Abidjan): 48 payout(s), 1 250 000 XOF, prepared by Awa — awaiting_approval (1 more)`.
pub fn waiting(v: &ApprovalView) -> String {
    let r = &v.request;
    let what = match r.kind {
        Kind::Batch => format!(
            "batch #{} {} ({}): {} payout(s)",
            r.id, r.label, v.account, r.count
        ),
        Kind::Payout => format!("payout #{} to {} ({})", r.id, r.label, v.account),
    };
    let mut text = format!(
        "{what}, {}, prepared by {} — {}",
        r.total.with_currency(&v.currency),
        v.prepared_by_name,
        r.status.as_str()
    );
    if v.approvals_missing > 0 && r.status.as_str() == "awaiting_approval" {
        text.push_str(&format!(" ({} approval(s) missing)", v.approvals_missing));
    }
    if v.unsent {
        let word = match r.kind {
            Kind::Batch => "batch",
            Kind::Payout => "payout",
        };
        text.push_str(&format!(
            " (its send failed: `guichet {word} resend {}` sends it again)",
            r.id
        ));
    }
    for d in &v.decisions {
        text.push_str(&format!(
            "\n  {} {} {}{}",
            d.at.get(..16).unwrap_or(&d.at),
            d.user,
            match d.decision {
                Decision::Approved => "approved",
                Decision::Rejected => "rejected",
            },
            d.reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        ));
    }
    text
}

/// `account edit LABEL --approve-above N --batch-approve-above M --approvals K`.
#[derive(clap::Args)]
pub struct PolicyArgs {
    /// A single payout above this many francs waits for approval (`-1` removes the rule).
    #[arg(long, allow_hyphen_values = true)]
    approve_above: Option<String>,
    /// A batch whose total is above this many francs waits for approval (`-1` removes it).
    #[arg(long, allow_hyphen_values = true)]
    batch_approve_above: Option<String>,
    /// Approvals needed, by people other than who prepared it: 1 or 2.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=2))]
    approvals: Option<u8>,
}

impl PolicyArgs {
    pub fn change(
        &self,
        currency: guichet_types::Currency,
    ) -> anyhow::Result<Option<guichet_core::people::PolicyChange>> {
        let read = |flag: &str, text: &Option<String>| -> anyhow::Result<Option<Option<Amount>>> {
            text.as_deref()
                .map(|t| {
                    if t.trim() == "-1" {
                        return Ok(None);
                    }
                    Amount::read(&AmountInput::Text(t.to_string()), currency)
                        .map(Some)
                        .map_err(|e| anyhow::anyhow!("--{flag}: {e}"))
                })
                .transpose()
        };
        let change = guichet_core::people::PolicyChange {
            approve_above: read("approve-above", &self.approve_above)?,
            batch_approve_above: read("batch-approve-above", &self.batch_approve_above)?,
            approvals: self.approvals,
        };
        Ok((change.approve_above.is_some()
            || change.batch_approve_above.is_some()
            || change.approvals.is_some())
        .then_some(change))
    }
}

pub fn policy_line(label: &str, p: &guichet_core::people::Policy) -> String {
    let above = |a: Option<Amount>| a.map_or("-".to_string(), |a| a.grouped());
    format!(
        "Account `{label}`: a payout above {} or a batch above {} waits for {} approval(s).",
        above(p.approve_above),
        above(p.batch_approve_above),
        p.approvals
    )
}
