//! Who runs a command: `--as NAME` (or `GUICHET_USER`) and the PIN from a prompt or
//! `GUICHET_PIN` (read, never stored, never an argument). Each command's action is checked
//! against that person's role before it runs (core checks again in each use case, and writes
//! the audit entries).

use super::account::AccountCmd;
use super::approvals::BatchCmd;
use super::audit::AuditCmd;
use super::callback::CallbackCmd;
use super::collect::CollectCmd;
use super::contacts::ContactsCmd;
use super::list::ListCmd;
use super::payout::PayoutCmd;
use super::users::UsersCmd;
use crate::Command;
use guichet_core::people::Action;
use guichet_core::Guichet;
use std::io::IsTerminal;
use std::sync::OnceLock;

/// Read when several people share the folder and no prompt is possible (scripts).
pub const PIN_ENV: &str = "GUICHET_PIN";

struct Context {
    acting: Option<String>,
    action: Action,
}

static CONTEXT: OnceLock<Context> = OnceLock::new();

/// Remembers who acts and what the command does (`main` calls it once, after parsing).
pub fn set(acting: Option<String>, command: &Command) {
    let _ = CONTEXT.set(Context {
        acting,
        action: action(command),
    });
}

/// What a command does, as far as roles go. Every command is named, with no default: a new
/// command does not compile until it says what it needs.
pub fn action(command: &Command) -> Action {
    match command {
        Command::Account(cmd) => match cmd {
            AccountCmd::Add { .. } | AccountCmd::Edit { .. } | AccountCmd::Remove { .. } => {
                Action::ManageAccounts
            }
            AccountCmd::List | AccountCmd::Show { .. } | AccountCmd::Test { .. } => Action::Read,
        },
        Command::Balance { .. } => Action::Read,
        Command::Contacts(cmd) => match cmd {
            ContactsCmd::Import { sheet } if sheet.dry_run => Action::Read,
            ContactsCmd::Import { .. } | ContactsCmd::Edit { .. } | ContactsCmd::Delete { .. } => {
                Action::Import
            }
            ContactsCmd::List { .. } | ContactsCmd::Sheets { .. } => Action::Read,
        },
        Command::Payout(cmd) => match cmd {
            PayoutCmd::Batch { sheet, .. } if sheet.dry_run => Action::Read,
            PayoutCmd::Send { .. } | PayoutCmd::Batch { .. } => Action::Prepare,
            PayoutCmd::Approve { .. } | PayoutCmd::Reject { .. } | PayoutCmd::Resend { .. } => {
                Action::Approve
            }
            PayoutCmd::Batches { .. }
            | PayoutCmd::List { .. }
            | PayoutCmd::Show { .. }
            | PayoutCmd::Awaiting => Action::Read,
        },
        Command::Collect(cmd) => match cmd {
            CollectCmd::Paylink { .. }
            | CollectCmd::Payin { .. }
            | CollectCmd::Authorize { .. }
            | CollectCmd::Softsystem { .. }
            | CollectCmd::Cinetpay { .. }
            | CollectCmd::Cancel { .. } => Action::Collect,
            CollectCmd::History { .. } => Action::Sync,
            CollectCmd::Status { .. } | CollectCmd::List { .. } | CollectCmd::Open { .. } => {
                Action::Read
            }
        },
        Command::Callback(cmd) => match cmd {
            CallbackCmd::Verify { .. } | CallbackCmd::Serve { .. } => Action::Sync,
        },
        Command::Sync { .. } | Command::Reconcile(_) => Action::Sync,
        Command::Export(_) => Action::Export,
        // The first person of a folder is added with nobody signed in; core checks the rest.
        Command::Users(cmd) => match cmd {
            UsersCmd::Add { .. } | UsersCmd::List | UsersCmd::Remove { .. } => Action::Read,
        },
        Command::Batch(cmd) => match cmd {
            BatchCmd::RetryFailed { dry_run: true, .. } => Action::Read,
            BatchCmd::RetryFailed { .. } => Action::Prepare,
            BatchCmd::Approve { .. } | BatchCmd::Reject { .. } | BatchCmd::Resend { .. } => {
                Action::Approve
            }
            BatchCmd::Schedule { .. } | BatchCmd::Cancel { .. } => Action::Prepare,
            BatchCmd::List { .. } | BatchCmd::Show { .. } => Action::Read,
        },
        Command::List { cmd } => match cmd {
            Some(ListCmd::Save { .. } | ListCmd::Remove { .. }) => Action::Prepare,
            Some(ListCmd::Show { .. } | ListCmd::List) | None => Action::Read,
        },
        Command::Audit(cmd) => match cmd {
            AuditCmd::List { .. } | AuditCmd::Verify => Action::Read,
        },
        // The simulator opens no data folder.
        Command::Sandbox { .. } => Action::Read,
    }
}

/// Signs in the person running the command and checks that their role allows it.
pub fn sign_in(g: &Guichet) -> anyhow::Result<()> {
    let ctx = CONTEXT.get();
    let acting = ctx.and_then(|c| c.acting.as_deref());
    let pin = if g.several_people()? {
        match std::env::var(PIN_ENV).ok().filter(|p| !p.is_empty()) {
            Some(p) => Some(p),
            None if acting.is_some() && std::io::stdin().is_terminal() => Some(
                rpassword::prompt_password(format!("PIN for {}: ", acting.unwrap_or_default()))?,
            ),
            None => None,
        }
    } else {
        None
    };
    g.sign_in(acting, pin.as_deref())?;
    if let Some(c) = ctx {
        g.require(c.action)?;
    }
    Ok(())
}
