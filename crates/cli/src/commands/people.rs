//! Who runs a command: `--as NAME` (or `GUICHET_USER`) and the PIN from a prompt or
//! `GUICHET_PIN` (read, never stored, never an argument). Each command's action is checked
//! against that person's role in core before it runs, and written to the audit log after it
//! succeeded (the commands whose core functions write their own entries excepted).

use guichet_core::people::Action;
use guichet_core::Guichet;
use std::io::IsTerminal;
use std::sync::OnceLock;

/// Read when several people share the folder and no prompt is possible (scripts).
pub const PIN_ENV: &str = "GUICHET_PIN";

struct Context {
    acting: Option<String>,
    /// The command's words, `account edit`.
    path: String,
    /// Its arguments after the command's words, for the audit entry.
    args: Vec<String>,
}

static CONTEXT: OnceLock<Context> = OnceLock::new();
static OPENED: OnceLock<Guichet> = OnceLock::new();

/// Remembers who acts and what the command is (`main` calls it once, after parsing).
pub fn set(acting: Option<String>, matches: &clap::ArgMatches) {
    let mut path = Vec::new();
    let mut m = matches;
    while let Some((name, sub)) = m.subcommand() {
        path.push(name.to_string());
        m = sub;
    }
    // The arguments as typed, the folder and the command's words left out; values that are
    // codes a customer received are not kept.
    let mut args = Vec::new();
    let mut skip = false;
    let mut redact = false;
    for a in std::env::args().skip(1) {
        if skip {
            skip = false;
            continue;
        }
        if redact {
            args.push("…".to_string());
            redact = false;
            continue;
        }
        match a.as_str() {
            "--data-dir" | "--as" => skip = true,
            "--code" => {
                redact = true;
                args.push(a);
            }
            _ if a.starts_with("--data-dir=") || a.starts_with("--as=") || a == "--json" => {}
            _ if path.contains(&a) && args.is_empty() => {}
            _ => args.push(a),
        }
    }
    let _ = CONTEXT.set(Context {
        acting,
        path: path.join(" "),
        args,
    });
}

/// What a command does, as far as roles go, and whether core writes its audit entry itself.
fn action(path: &str, args: &[String]) -> (Action, bool) {
    let dry_run = args.iter().any(|a| a == "--dry-run");
    match path {
        "account add" | "account edit" | "account remove" => (Action::ManageAccounts, false),
        "contacts import" if dry_run => (Action::Read, false),
        "contacts import" | "contacts edit" | "contacts delete" => (Action::Import, false),
        "payout batch" | "batch retry-failed" if dry_run => (Action::Read, false),
        "payout send" | "payout batch" | "batch retry-failed" => (Action::Prepare, true),
        "payout approve" | "payout reject" | "batch approve" | "batch reject" => {
            (Action::Approve, true)
        }
        "collect status" | "collect list" => (Action::Read, false),
        p if p.starts_with("collect ") => (Action::Collect, false),
        "callback serve" | "sync" | "reconcile" => (Action::Sync, false),
        "export" if args.first().is_some_and(|a| a == "audit") => (Action::Export, true),
        "export" => (Action::Export, false),
        "users add" | "users remove" => (Action::Read, true),
        _ => (Action::Read, false),
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
        g.require(action(&c.path, &c.args).0)?;
    }
    let _ = OPENED.set(g.clone());
    Ok(())
}

/// After a command succeeded: its audit entry, unless it only read or core wrote it.
pub fn done() -> anyhow::Result<()> {
    let (Some(c), Some(g)) = (CONTEXT.get(), OPENED.get()) else {
        return Ok(());
    };
    let (act, own_entry) = action(&c.path, &c.args);
    if act == Action::Read || own_entry {
        return Ok(());
    }
    g.audit(
        &c.path.replace(' ', "."),
        None,
        serde_json::json!({ "args": c.args }),
    )?;
    Ok(())
}
