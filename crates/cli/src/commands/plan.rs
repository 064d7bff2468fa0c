//! When a batch leaves: `--at` and `--when-short` on `guichet payout batch`, `guichet batch
//! schedule`, `guichet batch cancel`, and the lines that say a batch is scheduled, waiting for
//! funds, or left late.

use guichet_core::payouts::{local_text, BatchDetail, BatchNotice, PlanState, SendPlan, WhenShort};
use guichet_types::Amount;

#[derive(clap::Args)]
pub struct PlanArgs {
    /// Leave at this date and time of this machine's clock (`2026-12-25 08:00`) instead of
    /// now: sent then by `guichet sync` (cron, systemd timer) or the app.
    #[arg(long, value_name = "DATE TIME")]
    at: Option<String>,
    /// When the balance does not cover the batch: refuse (default), or hold it until a
    /// balance reading covers it.
    #[arg(long, value_enum, default_value_t = Short::Refuse)]
    when_short: Short,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Short {
    Refuse,
    Hold,
}

impl PlanArgs {
    pub fn plan(&self) -> SendPlan {
        SendPlan {
            at: self.at.clone(),
            when_short: match self.when_short {
                Short::Refuse => WhenShort::Refuse,
                Short::Hold => WhenShort::Hold,
            },
        }
    }
}

/// `scheduled for 25/12/2026 08:00`, `waiting for funds: 85 000 XOF missing`, `cancelled: …`.
pub fn line(d: &BatchDetail) -> Option<String> {
    let p = d.plan.as_ref()?;
    let note = p
        .note
        .as_deref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    Some(match p.state {
        PlanState::Scheduled => format!(
            "scheduled for {} (this machine's time){}{note}",
            p.send_at.as_deref().map(local_text).unwrap_or_default(),
            match p.when_short {
                WhenShort::Hold => ", waiting for funds if the balance is short then",
                WhenShort::Refuse => "",
            }
        ),
        PlanState::Held => match p.missing {
            Some(m) => format!(
                "waiting for funds: {} missing{note}",
                Amount(m).with_currency(&d.currency)
            ),
            None => format!("waiting for funds{note}"),
        },
        PlanState::Released => format!(
            "left on {}{}",
            p.released_at.as_deref().map(local_text).unwrap_or_default(),
            p.send_at
                .as_deref()
                .map(|at| format!(" (scheduled for {})", local_text(at)))
                .unwrap_or_default()
        ),
        PlanState::Cancelled => format!(
            "cancelled on {}, nothing sent{note}",
            p.cancelled_at
                .as_deref()
                .map(local_text)
                .unwrap_or_default()
        ),
    })
}

/// The lines of a run about batches that were to leave later.
pub fn notices(notices: &[BatchNotice]) -> Vec<String> {
    notices
        .iter()
        .map(|n| format!("{} ({}): {}", label(n), n.account, n.message))
        .collect()
}

fn label(n: &BatchNotice) -> &'static str {
    use guichet_core::payouts::NoticeKind;
    match n.kind {
        NoticeKind::Sent if n.late_minutes.is_some() => "SENT LATE",
        NoticeKind::Sent => "SENT",
        NoticeKind::Held => "WAITING FOR FUNDS",
        NoticeKind::Waiting => "WAITING",
        NoticeKind::Cancelled => "NOT SENT",
    }
}
