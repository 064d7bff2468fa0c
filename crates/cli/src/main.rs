//! `guichet`: the same core as the desktop app, for scripts and cron.
//! Every command prints people-readable text, or JSON on stdout with `--json`; any failure exits
//! non-zero with the reason on stderr.

mod commands;
mod output;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

// A batch's thousand requests and answers allocate and free a great deal: mimalloc does it with
// less CPU than the system allocator (docs/payouts.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "guichet",
    version,
    about = "Guichet: mobile-money back-office (CinetPay, My-CoolPay, SOFTSYSTEM)"
)]
struct Cli {
    /// Data directory (default: the platform data directory, or GUICHET_DATA_DIR).
    #[arg(long, global = true, env = guichet_core::DATA_DIR_ENV)]
    data_dir: Option<PathBuf>,
    /// Machine-readable output on stdout.
    #[arg(long, global = true)]
    json: bool,
    /// Who is working, when several people share the data folder; their PIN is asked for,
    /// or read from GUICHET_PIN.
    #[arg(long = "as", global = true, env = "GUICHET_USER", value_name = "NAME")]
    acting: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Manage accounts at providers.
    #[command(subcommand)]
    Account(commands::account::AccountCmd),
    /// Fetch and record every balance of every account (or one).
    Balance {
        #[arg(long)]
        account: Option<String>,
        /// Show the recorded history instead of fetching.
        #[arg(long)]
        history: bool,
    },
    /// Import, list, edit and delete transfer contacts.
    #[command(subcommand)]
    Contacts(commands::contacts::ContactsCmd),
    /// Send and track payouts.
    #[command(subcommand)]
    Payout(commands::payout::PayoutCmd),
    /// Collect money from customers: payins, payment links, hosted payments.
    #[command(subcommand)]
    Collect(commands::collect::CollectCmd),
    /// Check provider callbacks, or receive them.
    #[command(subcommand)]
    Callback(commands::callback::CallbackCmd),
    /// Send queued payouts, resolve interrupted ones, refresh pending payouts and collections.
    Sync {
        /// Keep going until every payout and collection is final.
        #[arg(long)]
        until_final: bool,
        /// With --until-final: give up after this many seconds.
        #[arg(long, default_value_t = 600)]
        timeout: u64,
    },
    /// Export payouts, collections, contacts, balances or the event log to CSV or XLSX.
    Export(commands::books::ExportArgs),
    /// Check a CinetPay transfer statement against the payouts, recording final statuses.
    Reconcile(commands::books::ReconcileArgs),
    /// The people of the data folder and their roles.
    #[command(subcommand)]
    Users(commands::users::UsersCmd),
    /// Batches: those waiting for approval approved or rejected, failures paid again.
    #[command(subcommand)]
    Batch(commands::approvals::BatchCmd),
    /// Payee lists: the people paid every month, saved from a batch or a file (`guichet list`
    /// alone shows them); `payout batch --list NAME` starts a batch from one.
    List {
        #[command(subcommand)]
        cmd: Option<commands::list::ListCmd>,
    },
    /// The tamper-evident log of who did what.
    #[command(subcommand)]
    Audit(commands::audit::AuditCmd),
    /// Run the provider simulator (no real money) and print its demo credentials.
    Sandbox {
        /// Port on 127.0.0.1 (a free one by default).
        #[arg(long)]
        port: Option<u16>,
        /// Seed for identifiers and injected faults.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// The process's one async runtime, started on first use (most commands need none).
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME
        .get_or_init(|| tokio::runtime::Runtime::new().expect("the async runtime could not start"))
        .block_on(f)
}

fn main() {
    // A payroll's requests in flight each hold a socket (and `guichet sandbox` the other end).
    guichet_core::open_files::raise();
    let matches = <Cli as clap::CommandFactory>::command().get_matches();
    let cli =
        <Cli as clap::FromArgMatches>::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    commands::people::set(cli.acting.clone(), &cli.command);
    let out = output::Output { json: cli.json };
    let result = match cli.command {
        Command::Account(cmd) => commands::account::run(cli.data_dir, &out, cmd),
        Command::Balance { account, history } => {
            commands::balance::run(cli.data_dir, &out, account, history)
        }
        Command::Contacts(cmd) => commands::contacts::run(cli.data_dir, &out, cmd),
        Command::Payout(cmd) => commands::payout::run(cli.data_dir, &out, cmd),
        Command::Collect(cmd) => commands::collect::run(cli.data_dir, &out, cmd),
        Command::Callback(cmd) => commands::callback::run(cli.data_dir, &out, cmd),
        Command::Sync {
            until_final,
            timeout,
        } => commands::sync::run(cli.data_dir, &out, until_final, timeout),
        Command::Export(args) => commands::books::export(cli.data_dir, &out, args),
        Command::Reconcile(args) => commands::books::reconcile(cli.data_dir, &out, args),
        Command::Users(cmd) => commands::users::run(cli.data_dir, &out, cmd),
        Command::Batch(cmd) => commands::approvals::run(cli.data_dir, &out, cmd),
        Command::List { cmd } => commands::list::run(cli.data_dir, &out, cmd),
        Command::Audit(cmd) => commands::audit::run(cli.data_dir, &out, cmd),
        Command::Sandbox { port, seed } => commands::sandbox::run(&out, port, seed),
    };
    if let Err(e) = result {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}
