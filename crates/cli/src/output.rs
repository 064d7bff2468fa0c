use anyhow::bail;
use guichet_core::payouts::HistoryEntry;
use guichet_types::UnifiedStatus;
use serde::Serialize;
use std::io::{BufRead, IsTerminal, Write};

/// How results are printed: JSON on stdout, or text for people.
pub struct Output {
    pub json: bool,
}

impl Output {
    /// Prints `value` as JSON, or `human` as text.
    pub fn print<T: Serialize>(
        &self,
        value: &T,
        human: impl FnOnce() -> String,
    ) -> anyhow::Result<()> {
        if self.json {
            println!("{}", serde_json::to_string_pretty(value)?);
        } else {
            let text = human();
            if !text.is_empty() {
                println!("{text}");
            }
        }
        Ok(())
    }

    /// Prints `rows` as a JSON array, or a line each, or `none` when there are none.
    pub fn print_lines<T: Serialize>(
        &self,
        rows: &[T],
        none: &str,
        line: impl Fn(&T) -> String,
    ) -> anyhow::Result<()> {
        self.print(&rows, || {
            if rows.is_empty() {
                return none.into();
            }
            rows.iter().map(line).collect::<Vec<_>>().join("\n")
        })
    }
}

/// One step of a payout's or a collection's history, indented under it.
pub fn history_line(h: &HistoryEntry) -> String {
    format!(
        "  {}  {:<22} {:<11} {}",
        h.at,
        h.status.as_str(),
        h.event,
        h.provider_status.as_deref().unwrap_or("")
    )
}

/// What a payout's status means for the merchant.
pub fn meaning(s: UnifiedStatus) -> &'static str {
    match s {
        UnifiedStatus::Queued => "queued, not sent yet",
        UnifiedStatus::Submitting => "being sent",
        UnifiedStatus::Pending => "accepted, in progress",
        UnifiedStatus::AwaitingConfirmation => {
            "awaiting your confirmation in the CinetPay back-office"
        }
        UnifiedStatus::AwaitingCustomer => "waiting for the customer",
        UnifiedStatus::Succeeded => "paid",
        UnifiedStatus::Failed => "failed",
        UnifiedStatus::Rejected => "rejected",
        UnifiedStatus::Cancelled => "cancelled",
        UnifiedStatus::OutcomeUnknown => {
            "OUTCOME UNKNOWN: check with the provider before paying again"
        }
    }
}

/// Asks a yes/no question on the terminal; anything but yes (or no terminal) refuses.
pub fn confirm(question: &str) -> anyhow::Result<()> {
    if !std::io::stdin().is_terminal() {
        bail!("{question} — confirm with --yes (no terminal to ask)");
    }
    eprint!("{question} [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if !matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "o" | "oui"
    ) {
        bail!("cancelled: nothing was sent");
    }
    Ok(())
}
