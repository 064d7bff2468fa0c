//! `guichet export` and `guichet reconcile`: the accountant's files and the check against the
//! provider's statement.

use crate::output::Output;
use anyhow::Context;
use guichet_core::books::export::{Dataset, ExportRequest, FileFormat};
use guichet_core::books::reconcile::{Category, ReconcileReport};
use guichet_core::books::{DateStyle, Lang};
use guichet_core::{CoreEvent, EventSink};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct ExportArgs {
    /// What to export.
    #[arg(value_parser = ["payouts", "collections", "contacts", "balances", "events", "audit"])]
    dataset: String,
    /// The file to write (replaced once complete).
    #[arg(long, short)]
    output: PathBuf,
    /// csv or xlsx (default: from the file's extension).
    #[arg(long, value_parser = ["csv", "xlsx"])]
    format: Option<String>,
    /// CSV separator: ';' (what French Excel expects), ',', 'tab'…
    #[arg(long, default_value = ";")]
    delimiter: String,
    /// First day, 2026-11-23 or 23/11/2026 (local time).
    #[arg(long)]
    from: Option<String>,
    /// Last day, included.
    #[arg(long)]
    to: Option<String>,
    /// Only this account (label).
    #[arg(long)]
    account: Option<String>,
    /// Only this provider: cinetpay, mycoolpay, softsystem.
    #[arg(long)]
    provider: Option<String>,
    /// Only this status (payouts, collections), state (contacts) or kind (balances, events).
    #[arg(long)]
    status: Option<String>,
    /// Dates as 23/11/2026 14:05 (fr) or 2026-11-23T14:05:00+00:00 (iso).
    #[arg(long, default_value = "fr", value_parser = ["fr", "iso"])]
    date_style: String,
    /// Language of headers and statuses.
    #[arg(long, default_value = "fr", value_parser = ["fr", "en"])]
    lang: String,
}

#[derive(clap::Args)]
pub struct ReconcileArgs {
    /// CinetPay's transfer statement (CSV from the back-office).
    file: PathBuf,
    /// The CinetPay account it belongs to.
    #[arg(long)]
    account: String,
    /// Also write the report to this file (CSV, or XLSX for .xlsx).
    #[arg(long)]
    report: Option<PathBuf>,
    /// Language of the report file.
    #[arg(long, default_value = "fr", value_parser = ["fr", "en"])]
    lang: String,
}

fn lang(s: &str) -> Lang {
    if s == "en" {
        Lang::En
    } else {
        Lang::Fr
    }
}

/// Shows export progress on a terminal's stderr, as a percentage on one line.
struct TerminalProgress;

impl EventSink for TerminalProgress {
    fn emit(&self, event: CoreEvent) {
        if let CoreEvent::Progress { done, total, .. } = event {
            let pct = (done * 100).checked_div(total).unwrap_or(100);
            let mut err = std::io::stderr();
            let _ = write!(err, "\r{done}/{total} ({pct} %)");
            if done >= total {
                let _ = writeln!(err);
            }
        }
    }
}

pub fn export(data_dir: Option<PathBuf>, out: &Output, a: ExportArgs) -> anyhow::Result<()> {
    let mut g = super::open(data_dir)?;
    if a.dataset == "audit" {
        let rows = g.export_audit(&a.output)?;
        let path = a.output.display().to_string();
        return out.print(&serde_json::json!({"rows": rows, "path": path}), || {
            format!("{rows} audit entries written to {path}")
        });
    }
    if std::io::stderr().is_terminal() {
        g = g.with_events(Arc::new(TerminalProgress));
    }
    let format = match a.format.as_deref() {
        Some("xlsx") => FileFormat::Xlsx,
        Some(_) => FileFormat::Csv,
        None => FileFormat::from_path(&a.output),
    };
    let req = ExportRequest {
        dataset: Dataset::parse(&a.dataset),
        format,
        delimiter: Some(a.delimiter),
        date_style: if a.date_style == "iso" {
            DateStyle::Iso
        } else {
            DateStyle::Fr
        },
        lang: lang(&a.lang),
        from: a.from,
        to: a.to,
        account: a.account,
        provider: a
            .provider
            .map(|p| p.parse())
            .transpose()
            .context("--provider")?,
        status: a.status,
        utc_offset_minutes: None,
    };
    let summary = g.export(&req, &a.output)?;
    out.print(&summary, || {
        format!("{} rows written to {}", summary.rows, summary.path)
    })
}

pub fn reconcile(data_dir: Option<PathBuf>, out: &Output, a: ReconcileArgs) -> anyhow::Result<()> {
    let g = super::open(data_dir)?;
    let report = g.reconcile(&a.file, &a.account)?;
    if let Some(path) = &a.report {
        g.write_reconcile_report(&report, path, lang(&a.lang))?;
    }
    out.print(&report, || human(&report, a.report.as_ref()))
}

fn human(r: &ReconcileReport, report_file: Option<&PathBuf>) -> String {
    let c = &r.counts;
    let mut lines = vec![
        format!("{} against {}", r.file, r.account),
        format!(
            "matched {}  updated {}  missing locally {}  missing at provider {}  status differs {}  amount differs {}  unreadable {}",
            c.matched, c.updated, c.missing_locally, c.missing_at_provider, c.status_differs, c.amount_differs, c.unreadable
        ),
    ];
    for l in r.lines.iter().filter(|l| l.category != Category::Matched) {
        let opt = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
        let amount = |a: Option<guichet_types::Amount>| a.map_or("-".into(), |a| a.0.to_string());
        lines.push(format!(
            "{:<20} line {:<5} {:<24} {:<24} local {} {} / provider {} {}{}",
            format!("{:?}", l.category),
            l.line.map_or("-".into(), |n| n.to_string()),
            opt(&l.reference),
            opt(&l.cinetpay_id),
            amount(l.local_amount),
            l.local_status.map_or("-", |s| s.as_str()),
            amount(l.provider_amount),
            opt(&l.provider_status),
            l.problem
                .as_ref()
                .map(|p| format!("  ({p})"))
                .unwrap_or_default(),
        ));
    }
    if let Some(p) = report_file {
        lines.push(format!("report written to {}", p.display()));
    }
    lines.join("\n")
}
