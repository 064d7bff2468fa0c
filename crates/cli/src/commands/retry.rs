//! `guichet batch retry-failed ID [--amounts FILE]`: the failures of a finished batch paid
//! again as a new batch, reviewed and confirmed as any batch.

use crate::output::Output;
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
            super::batch::review_and_send(&g, out, &req, dry_run, yes)
        }
    }
}
