//! `guichet users`: the people of the data folder and their roles.

use crate::output::Output;
use anyhow::{bail, Context};
use clap::Subcommand;
use guichet_core::people::{Role, UserRow};
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum UsersCmd {
    /// Add a person. Their PIN is asked for, or read as one line of standard input
    /// (--pin-stdin). The first person of a folder becomes its owner.
    Add {
        name: String,
        /// owner, preparer, approver or viewer.
        #[arg(long, default_value = "preparer")]
        role: Role,
        #[arg(long)]
        pin_stdin: bool,
    },
    /// Everyone who works in this folder (never their PINs).
    List,
    /// Remove a person; they stay named in the audit log.
    Remove { name: String },
}

pub fn run(data_dir: Option<PathBuf>, out: &Output, cmd: UsersCmd) -> anyhow::Result<()> {
    let g = super::open(data_dir)?;
    match cmd {
        UsersCmd::Add {
            name,
            role,
            pin_stdin,
        } => {
            let pin = new_pin(&name, pin_stdin)?;
            let first = g.users()?.is_empty();
            let user = g.add_user(&name, role, &pin)?;
            out.print(&user, || {
                if first && role != user.role {
                    format!(
                        "{} added as owner: the first person of a folder owns it.",
                        user.name
                    )
                } else {
                    format!("{} added as {}.", user.name, user.role.as_str())
                }
            })
        }
        UsersCmd::List => {
            let users = g.users()?;
            out.print_lines(
                &users,
                "Nobody yet: this folder is the merchant's alone.",
                line,
            )
        }
        UsersCmd::Remove { name } => {
            let user = g.remove_user(&name)?;
            out.print(&user, || format!("{} removed.", user.name))
        }
    }
}

fn line(u: &UserRow) -> String {
    format!(
        "{:<20} {:<9} since {}",
        u.name,
        u.role.as_str(),
        u.created_at.get(..10).unwrap_or(&u.created_at)
    )
}

/// The new person's PIN: one line of standard input, or typed twice without echo.
fn new_pin(name: &str, from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the PIN")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    if !std::io::stdin().is_terminal() {
        bail!("{name}'s PIN: type it when asked, or give it as one line with --pin-stdin");
    }
    let pin = rpassword::prompt_password(format!("PIN for {name}: "))?;
    if rpassword::prompt_password("Again: ")? != pin {
        bail!("the two PINs differ: nobody was added");
    }
    Ok(pin)
}
