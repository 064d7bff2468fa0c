//! `guichet payout batch`: a spreadsheet reviewed row by row, then paid after confirmation.

use crate::output::{confirm, meaning, Output};
use guichet_core::contacts::{Field, ImportOptions};
use guichet_core::payouts::{
    future_local, BatchDetail, BatchPreview, BatchRequest, PlanState, SendPlan, WhenShort,
};
use guichet_core::{CoreEvent, EventSink, Guichet};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// Progress of the sending, on standard error.
struct ProgressLines;

impl EventSink for ProgressLines {
    fn emit(&self, event: CoreEvent) {
        if let CoreEvent::Progress { done, total, .. } = event {
            eprint!("\rsent {done}/{total}");
            if done == total {
                eprintln!();
            }
            let _ = std::io::stderr().flush();
        }
    }
}

/// The fields a payout list's columns can hold.
pub const FIELDS: &[Field] = &[
    Field::Phone,
    Field::Amount,
    Field::Name,
    Field::Reference,
    Field::Reason,
    Field::Operator,
];

/// `flags`: `--dry-run`, `--yes`, `--again`.
pub fn run(
    g: Guichet,
    out: &Output,
    file: &Path,
    account: &str,
    options: &ImportOptions,
    (dry_run, yes, again): (bool, bool, bool),
    plan: &SendPlan,
) -> anyhow::Result<()> {
    let g = if out.json {
        g
    } else {
        g.with_events(Arc::new(ProgressLines))
    };
    let req = g
        .read_batch(file, account, options, again)
        .map_err(super::file_hint)?;
    review_and_send(&g, out, &req, dry_run, yes, plan)
}

/// A batch started from the payee list `list` for `account`, amounts changed by the
/// `amounts` file; reviewed and sent as any batch.
#[allow(clippy::too_many_arguments)]
pub fn from_list(
    g: &Guichet,
    out: &Output,
    list: &str,
    account: &str,
    amounts: Option<&Path>,
    (dry_run, yes, again): (bool, bool, bool),
    plan: &SendPlan,
) -> anyhow::Result<()> {
    let edits = match amounts {
        Some(path) => g
            .list_amounts_file(path, account)
            .map_err(super::file_hint)?,
        None => Vec::new(),
    };
    let mut req = g.batch_from_list(list, account, &edits)?;
    req.again = again;
    let g = if out.json {
        g.clone()
    } else {
        g.clone().with_events(Arc::new(ProgressLines))
    };
    review_and_send(&g, out, &req, dry_run, yes, plan)
}

/// A batch request reviewed (only reviewed with `dry_run`), then queued and sent once
/// confirmed (`yes` confirms): a file's batch and a re-payment of failures alike.
pub fn review_and_send(
    g: &Guichet,
    out: &Output,
    req: &BatchRequest,
    dry_run: bool,
    yes: bool,
    plan: &SendPlan,
) -> anyhow::Result<()> {
    // A time past or not a time is refused before anything is read.
    if let Some(at) = &plan.at {
        future_local(at)?;
    }
    let preview = crate::block_on(g.preview_batch(req))?;
    if dry_run {
        return out.print(&preview, || review(&preview));
    }
    if !out.json {
        println!("{}", review(&preview));
    }
    if let Some(e) = plan.blocked(&preview) {
        anyhow::bail!("nothing was sent: {e}");
    }
    if !yes {
        let what = format!(
            "{} payout(s) totalling {} from `{}`",
            preview.count,
            preview.total.with_currency(preview.currency),
            preview.account,
        );
        confirm(&match (&plan.at, plan.when_short) {
            (Some(at), WhenShort::Hold) => format!(
                "Schedule {what} for {at} (this machine's time), waiting for funds if the balance is short then?"
            ),
            (Some(at), WhenShort::Refuse) => {
                format!("Schedule {what} for {at} (this machine's time)?")
            }
            (None, WhenShort::Hold) => {
                format!("Send {what}, or wait for funds if the balance is short?")
            }
            (None, WhenShort::Refuse) => format!("Send {what}?"),
        })?;
    }
    let done = crate::block_on(g.prepare_batch_planned(req, &preview, plan))?;
    super::approvals::print(out, &done, |report| match &report.batch_plan_line() {
        Some(line) => format!("{}\n{line}", summary(report)),
        None => format!(
            "{}\nTrack it to the end with: guichet sync --until-final",
            summary(report)
        ),
    })
}

/// What a batch leaving later says after its confirmation.
trait PlanLine {
    fn batch_plan_line(&self) -> Option<String>;
}

impl PlanLine for BatchDetail {
    fn batch_plan_line(&self) -> Option<String> {
        let plan = self.plan.as_ref().filter(|p| p.state.waiting())?;
        let id = self.batch.id;
        Some(match plan.state {
            PlanState::Held => format!(
                "Nothing was sent: it leaves once a balance reading covers it (guichet balance, guichet sync, or the app). Cancel it with: guichet batch cancel {id}"
            ),
            _ => format!(
                "Nothing was sent now: it leaves with guichet sync (cron or a systemd timer, see docs/payouts.md) or the app's poller. Cancel it with: guichet batch cancel {id}"
            ),
        })
    }
}

/// The review: rows with errors (left out) and warnings, then the totals and the balance.
pub fn review(p: &BatchPreview) -> String {
    let mut lines = vec![format!(
        "{}{} for `{}`",
        p.file_name,
        p.sheet
            .as_deref()
            .map(|s| if p.sheet_found {
                format!(" (sheet {s}, the one whose columns are recognised)")
            } else {
                format!(" (sheet {s})")
            })
            .unwrap_or_default(),
        p.account
    )];
    if let Some(r) = &p.remembered {
        lines.push(format!(
            "columns as chosen on {} for this layout of headers: {}",
            r.chosen_at.get(..10).unwrap_or(&r.chosen_at),
            r.columns
                .iter()
                .map(|c| format!("{}={}", c.field.as_str(), c.column))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(c) = &p.list {
        lines.extend(super::list::changes_lines(c));
    }
    for row in &p.rows {
        if let Some(r) = &row.retry_of {
            lines.push(format!(
                "  line {:<5} RE-PAYS payout #{} of batch #{} ({}, {} {}): {}",
                row.line,
                r.payout_id,
                r.batch_id,
                r.reference,
                r.amount.with_currency(p.currency),
                r.status.as_str(),
                r.why
            ));
            if row.phone != r.phone {
                lines.push(format!(
                    "  line {:<5} NUMBER  corrected: {} instead of {}",
                    row.line, row.phone, r.phone
                ));
            }
        }
        for e in &row.errors {
            lines.push(format!(
                "  line {:<5} ERROR   {}: {} — left out",
                row.line, e.column, e.message
            ));
        }
        for w in &row.warnings {
            lines.push(format!(
                "  line {:<5} WARNING {}: {}",
                row.line, w.column, w.message
            ));
        }
    }
    for t in &p.file_totals {
        lines.push(format!(
            "  line {:<5} {:<7} {}: {}",
            t.line,
            if t.matches { "TOTAL" } else { "CHECK" },
            t.label,
            t.message
        ));
    }
    lines.push(format!(
        "{} payout(s), {}; {} row(s) left out for errors, {} with warnings",
        p.count,
        p.total.with_currency(p.currency),
        p.skipped,
        p.warned
    ));
    if p.new_beneficiaries + p.names_changed > 0 {
        lines.push(format!(
            "{} number(s) never paid from this account, {} paid before under another name: check them before sending",
            p.new_beneficiaries, p.names_changed
        ));
    }
    for o in &p.per_operator {
        lines.push(format!(
            "  {:<12} {:>6} payout(s) {:>18}",
            super::list::operator(&o.operator),
            o.count,
            o.total.with_currency(p.currency),
        ));
    }
    if p.contacts_to_add > 0 {
        lines.push(format!(
            "{} number(s) are not CinetPay contacts yet: they are added first, before any payout",
            p.contacts_to_add
        ));
    }
    if let (Some(available), Some(after)) = (&p.balance_available, p.balance_after) {
        lines.push(format!(
            "balance available {available} {}, after the batch {}",
            p.currency,
            after.with_currency(p.currency),
        ));
    }
    for b in &p.blockers {
        lines.push(format!("CANNOT SEND: {}", b.message));
    }
    lines.join("\n")
}

pub fn summary(d: &BatchDetail) -> String {
    let b = &d.batch;
    let counts = d
        .counts
        .iter()
        .map(|c| format!("{} {}", c.count, meaning(c.status)))
        .collect::<Vec<_>>()
        .join(", ");
    let mut text = format!(
        "batch #{} {} ({}): {} payout(s), {}, {} row(s) left out — {counts}",
        b.id,
        b.file_name,
        d.account,
        b.row_count,
        b.total.with_currency(&d.currency),
        b.skipped
    );
    if let Some(line) = super::plan::line(d) {
        text.push_str(&format!("\n  {line}"));
    }
    if let Some(before) = &b.balance_before {
        text.push_str(&format!(
            "\n  balance before {before} {cur}, after {} {cur}",
            b.balance_after.as_deref().unwrap_or("-"),
            cur = d.currency
        ));
    }
    if d.fees_reported > 0 {
        text.push_str(&format!(
            "\n  fees {} (reported for {} payout(s))",
            d.fees.with_currency(&d.currency),
            d.fees_reported
        ));
    }
    text
}
