//! `guichet batch retry-failed ID [--amounts FILE]`: the failures of a finished batch paid
//! again as a new batch, reviewed and confirmed as any batch.

use super::batch::{review, summary};
use crate::output::{confirm, Output};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum BatchCmd {
    /// Pay again, as a new batch under new references, the payouts of a finished batch that
    /// ended failed or rejected (never those whose outcome is unknown); each is linked to the
    /// one it replaces. The new batch is reviewed, then sent after confirmation (--yes confirms).
    RetryFailed {
        /// The finished batch.
        id: i64,
        /// Corrected amounts: a spreadsheet (CSV, XLSX…) with phone and amount columns.
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
        BatchCmd::RetryFailed {
            id,
            amounts,
            dry_run,
            yes,
        } => {
            let req = g
                .retry_failed(id, amounts.as_deref())
                .map_err(super::file_hint)?;
            let preview = crate::block_on(g.preview_batch(&req))?;
            if dry_run {
                return out.print(&preview, || review(&preview));
            }
            if !out.json {
                println!("{}", review(&preview));
            }
            if let Some(b) = preview.blockers.first() {
                anyhow::bail!("nothing was sent: {}", b.message);
            }
            if !yes {
                confirm(&format!(
                    "Pay again {} payout(s) totalling {} from `{}`?",
                    preview.count,
                    preview.total.with_currency(preview.currency),
                    preview.account,
                ))?;
            }
            let batch = crate::block_on(g.confirm_batch(&req, &preview.file_sha256))?;
            let report = crate::block_on(g.send_batch(batch.id))?;
            out.print(&report, || {
                format!(
                    "{}\nTrack it to the end with: guichet sync --until-final",
                    summary(&report)
                )
            })
        }
    }
}
