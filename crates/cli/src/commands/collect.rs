use crate::output::{history_line, Output};
use clap::{Args, Subcommand};
use guichet_core::collections::CollectionRow;
use guichet_core::collections::{CollectionDetail, CollectionInput};
use guichet_core::Guichet;
use guichet_types::UnifiedStatus;
use std::path::PathBuf;

/// What every collection asks for.
#[derive(Args)]
pub struct Ask {
    #[arg(long)]
    account: String,
    /// Whole francs, written as in a spreadsheet (`15000`, `15 000`, `15.000 FCFA`).
    #[arg(long)]
    amount: String,
    /// What the payment is for (the customer sees it).
    #[arg(long, default_value = "")]
    reason: String,
}

#[derive(Subcommand)]
pub enum CollectCmd {
    /// A My-CoolPay payment link for the customer (prints the link).
    Paylink {
        #[command(flatten)]
        ask: Ask,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        email: Option<String>,
    },
    /// A My-CoolPay payin: prints the USSD code the customer dials, or asks for the SMS code
    /// (then `guichet collect authorize`).
    Payin {
        #[command(flatten)]
        ask: Ask,
        #[arg(long)]
        phone: String,
        #[arg(long)]
        name: Option<String>,
    },
    /// Sends the code the customer received by SMS, for a payin that asked for one.
    Authorize {
        id: i64,
        #[arg(long)]
        code: String,
    },
    /// A SOFTSYSTEM payment request (prints the link for the customer).
    Softsystem {
        #[command(flatten)]
        ask: Ask,
        #[arg(long)]
        phone: String,
        /// Wave, Moov, MTN or Orange (told from the number when absent, except Wave).
        #[arg(long)]
        channel: Option<String>,
    },
    /// A CinetPay hosted payment: prints the local page that takes the customer to CinetPay.
    Cinetpay {
        #[command(flatten)]
        ask: Ask,
        #[arg(long)]
        phone: Option<String>,
        /// Open the payment page in the browser now.
        #[arg(long)]
        open: bool,
    },
    /// Asks the provider where a collection stands, and shows its history.
    Status { id: i64 },
    /// Collections, newest first.
    List {
        #[arg(long)]
        status: Option<UnifiedStatus>,
        #[arg(long)]
        account: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Stops tracking a pending collection.
    Cancel { id: i64 },
    /// Opens a collection's link in the browser.
    Open { id: i64 },
    /// Reads a CinetPay account's transaction history into Guichet (dates YYYY-MM-DD, inclusive;
    /// the last 30 days by default).
    History {
        #[arg(long)]
        account: String,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
    },
}

/// What the collection asks for, its amount read as every amount is.
fn input(
    g: &Guichet,
    ask: &Ask,
    phone: Option<String>,
    name: Option<String>,
) -> anyhow::Result<CollectionInput> {
    Ok(CollectionInput {
        amount: g.amount_or_error(&ask.account, &ask.amount)?,
        reason: ask.reason.clone(),
        phone,
        name,
        ..Default::default()
    })
}

fn date(text: Option<&str>, default: time::Date, flag: &str) -> anyhow::Result<time::Date> {
    match text {
        None => Ok(default),
        Some(t) => Ok(guichet_core::collections::parse_day(t, flag)?),
    }
}

pub fn run(data_dir: Option<PathBuf>, out: &Output, cmd: CollectCmd) -> anyhow::Result<()> {
    let g = super::open(data_dir)?;
    match cmd {
        CollectCmd::Paylink {
            ask,
            phone,
            name,
            email,
        } => {
            let mut i = input(&g, &ask, phone, name)?;
            i.email = email;
            let row = crate::block_on(g.collect_paylink(&ask.account, i))?;
            created(&g, out, row)
        }
        CollectCmd::Payin { ask, phone, name } => {
            let row = crate::block_on(
                g.collect_payin(&ask.account, input(&g, &ask, Some(phone), name)?),
            )?;
            created(&g, out, row)
        }
        CollectCmd::Authorize { id, code } => {
            let row = crate::block_on(g.authorize_payin(id, &code))?;
            created(&g, out, row)
        }
        CollectCmd::Softsystem {
            ask,
            phone,
            channel,
        } => {
            let mut i = input(&g, &ask, Some(phone), None)?;
            i.channel = channel;
            let row = crate::block_on(g.collect_softsystem(&ask.account, i))?;
            created(&g, out, row)
        }
        CollectCmd::Cinetpay { ask, phone, open } => {
            let row =
                crate::block_on(g.collect_cinetpay(&ask.account, input(&g, &ask, phone, None)?))?;
            if open && row.link.is_some() {
                g.open_collection(row.id)?;
            }
            created(&g, out, row)
        }
        CollectCmd::Status { id } => {
            let d = crate::block_on(g.refresh_collection_now(id))?;
            out.print(&d, || detail(&d))
        }
        CollectCmd::List {
            status,
            account,
            limit,
        } => {
            let rows = g.list_collections(account.as_deref(), status, None, limit)?;
            out.print_lines(&rows, "No collection.", line)
        }
        CollectCmd::Cancel { id } => {
            let row = g.cancel_collection(id)?;
            out.print(&row, || line(&row))
        }
        CollectCmd::Open { id } => {
            let link = g.open_collection(id)?;
            out.print(&serde_json::json!({"opened": link}), || link.clone())
        }
        CollectCmd::History { account, from, to } => {
            let today = time::OffsetDateTime::now_utc().date();
            let to = date(to.as_deref(), today, "--to")?;
            let from = date(from.as_deref(), to - time::Duration::days(30), "--from")?;
            let report = crate::block_on(g.sync_cinetpay_history(&account, from, to))?;
            out.print(&report, || {
                format!(
                    "{}: {} transaction(s) listed by CinetPay from {from} to {to}; {} added, {} updated",
                    report.account, report.fetched, report.imported, report.updated
                )
            })
        }
    }
}

/// Prints a new collection with what to give the customer; a failure exits non-zero.
fn created(g: &Guichet, out: &Output, row: CollectionRow) -> anyhow::Result<()> {
    let d = g.collection(row.id)?;
    out.print(&d, || {
        let c = &d.collection;
        let mut lines = vec![line(c)];
        if c.provider_status.as_deref() == Some("REQUIRE_OTP") {
            lines.push(format!(
                "The customer receives a code by SMS: guichet collect authorize {} --code CODE",
                c.id
            ));
        }
        if let Some(ussd) = &c.ussd {
            lines.push(format!("USSD code for the customer: {ussd}"));
        }
        if let Some(link) = &c.link {
            lines.push(link.clone());
        }
        if let Some(text) = &d.share_text {
            lines.push(format!("To send the customer: {text}"));
        }
        lines.join("\n")
    })?;
    match d.collection.status {
        UnifiedStatus::Failed | UnifiedStatus::OutcomeUnknown => {
            let why = d
                .history
                .last()
                .map(|h| h.detail.clone())
                .unwrap_or_default();
            anyhow::bail!(
                "collection {} {}: {why}",
                d.collection.reference,
                meaning(d.collection.status)
            )
        }
        _ => Ok(()),
    }
}

fn meaning(s: UnifiedStatus) -> &'static str {
    match s {
        UnifiedStatus::AwaitingCustomer | UnifiedStatus::Pending => "waiting for the customer",
        UnifiedStatus::OutcomeUnknown => {
            "OUTCOME UNKNOWN: check the provider's back-office before asking again"
        }
        other => crate::output::meaning(other),
    }
}

fn line(c: &CollectionRow) -> String {
    format!(
        "#{:<6} {}  {:<10} {:>12} {}  {}  {}{}",
        c.id,
        c.created_at.get(..16).unwrap_or(&c.created_at),
        c.kind.as_str(),
        c.amount.grouped(),
        c.currency,
        c.reference,
        meaning(c.status),
        if c.imported {
            "  (from the history)"
        } else {
            ""
        }
    )
}

fn detail(d: &CollectionDetail) -> String {
    let mut lines = vec![line(&d.collection)];
    if let Some(link) = &d.collection.link {
        lines.push(format!("  link: {link}"));
    }
    if let Some(ussd) = &d.collection.ussd {
        lines.push(format!("  USSD: {ussd}"));
    }
    lines.extend(d.history.iter().map(|h| history_line(h)));
    lines.join("\n")
}
