//! `guichet audit`: the tamper-evident log of who did what.

use crate::output::Output;
use clap::Subcommand;
use guichet_core::people::{AuditEntry, AuditFilter, Break};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum AuditCmd {
    /// Entries, newest first.
    List {
        /// Only this person's actions.
        #[arg(long)]
        user: Option<String>,
        /// Only this kind of action: batch, payout, user, signin, policy, account, export…
        #[arg(long)]
        action: Option<String>,
        /// First day, 2026-12-07 (UTC).
        #[arg(long)]
        from: Option<String>,
        /// Last day, included.
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Recompute the chain of hashes and name the first entry that was changed or removed.
    Verify,
}

pub fn run(data_dir: Option<PathBuf>, out: &Output, cmd: AuditCmd) -> anyhow::Result<()> {
    let g = super::open(data_dir)?;
    match cmd {
        AuditCmd::List {
            user,
            action,
            from,
            to,
            limit,
        } => {
            let filter = AuditFilter {
                user,
                action,
                from,
                to,
            };
            let rows = g.audit_entries(&filter, limit)?;
            out.print_lines(&rows, "The audit log is empty.", line)
        }
        AuditCmd::Verify => {
            let v = g.verify_audit()?;
            out.print(&v, || match &v.broken {
                None => format!("audit log intact: {} entries, every hash holds", v.entries),
                Some(_) => String::new(),
            })?;
            if let Some(b) = &v.broken {
                let what = match b.what {
                    Break::Changed => "was changed after it was written",
                    Break::Deleted => "was deleted",
                    Break::Unchained => {
                        "does not follow the entry before it (that one was changed or removed)"
                    }
                };
                let about = b
                    .entry
                    .as_ref()
                    .map(|e| {
                        format!(
                            " ({} {} {})",
                            e.at,
                            e.user_name.as_deref().unwrap_or("-"),
                            e.action
                        )
                    })
                    .unwrap_or_default();
                anyhow::bail!("audit log broken at entry #{}{about}: it {what}", b.id);
            }
            Ok(())
        }
    }
}

fn line(e: &AuditEntry) -> String {
    format!(
        "#{:<5} {}  {:<12} {}",
        e.row.id,
        e.row.at.get(..19).unwrap_or(&e.row.at),
        e.row.user_name.as_deref().unwrap_or("-"),
        e.sentence_en
    )
}
