use crate::output::Output;
use std::path::PathBuf;
use std::time::Duration;

/// Sends what is queued, resolves what was interrupted, refreshes pending payouts and collections.
pub fn run(
    data_dir: Option<PathBuf>,
    out: &Output,
    until_final: bool,
    timeout_s: u64,
) -> anyhow::Result<()> {
    let g = super::open(data_dir)?;
    let report = crate::block_on(async {
        if until_final {
            g.sync_until_final(Duration::from_secs(timeout_s)).await
        } else {
            g.sync_once().await
        }
    })?;
    out.print(&report, || {
        let mut text = format!(
            "payouts: sent {}, resolved {}, checked {}; {} still pending\ncollections: checked {}; {} waiting for the customer",
            report.submitted,
            report.resolved,
            report.checked,
            report.pending,
            report.collections_checked,
            report.collections_pending
        );
        for line in super::plan::notices(&report.batches) {
            text.push_str(&format!("\n{line}"));
        }
        if report.outcome_unknown > 0 {
            text.push_str(&format!("\n{} payout(s) with an UNKNOWN outcome: check them with the provider (guichet payout list --status outcome_unknown)", report.outcome_unknown));
        }
        text
    })?;
    if until_final && report.anything_pending() {
        anyhow::bail!(
            "{} payout(s) and {} collection(s) still pending after {timeout_s} s",
            report.pending,
            report.collections_pending
        );
    }
    Ok(())
}
