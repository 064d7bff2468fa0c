use crate::output::Output;
use std::path::PathBuf;

/// Fetches and records every balance (or shows the recorded history).
pub fn run(
    data_dir: Option<PathBuf>,
    out: &Output,
    account: Option<String>,
    history: bool,
) -> anyhow::Result<()> {
    let g = super::open(data_dir)?;
    if history {
        let Some(label) = account else {
            anyhow::bail!("--history needs --account")
        };
        let snaps = g.balance_history(&label, 1000)?;
        return out.print(&snaps, || {
            snaps
                .iter()
                .map(|s| format!("{}  {:<9} {} {}", s.taken_at, s.kind, s.amount, s.currency))
                .collect::<Vec<_>>()
                .join("\n")
        });
    }
    let all = crate::block_on(g.check_balances(account.as_deref()))?;
    out.print(&all, || {
        let mut lines = Vec::new();
        for a in &all {
            match &a.error {
                Some(e) => lines.push(format!("{:<24} unavailable: {e}", a.account)),
                None => {
                    for s in &a.snapshots {
                        let available = s
                            .available
                            .as_deref()
                            .map(|v| format!(" (available {v})"))
                            .unwrap_or_default();
                        lines.push(format!(
                            "{:<24} {:<9} {} {}{available}{}",
                            a.account,
                            s.kind,
                            s.amount,
                            s.currency,
                            if a.low { "  LOW" } else { "" }
                        ));
                    }
                }
            }
            lines.extend(super::plan::notices(&a.batches));
        }
        lines.join("\n")
    })?;
    if all.iter().all(|a| a.error.is_some()) && !all.is_empty() {
        anyhow::bail!("no balance could be read");
    }
    Ok(())
}
