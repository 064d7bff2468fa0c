use crate::output::Output;
use anyhow::{bail, Context};
use clap::{Args, Subcommand};
use guichet_core::accounts::{market, secret_names, AccountInput, AccountView};
use guichet_secrets::Secret;
use guichet_types::{Amount, AmountInput, Country, Currency, Provider};
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum AccountCmd {
    /// Add an account. Secrets come from --secrets-stdin (`name=value` lines) or are prompted for.
    Add {
        #[arg(long)]
        provider: Provider,
        #[arg(long)]
        label: String,
        #[command(flatten)]
        fields: FieldArgs,
        /// Read secrets as `name=value` lines on standard input.
        #[arg(long)]
        secrets_stdin: bool,
    },
    /// List accounts (never their secrets).
    List,
    /// Show one account.
    Show { label: String },
    /// Change an account; only the options given change. An empty value clears an optional URL.
    Edit {
        label: String,
        #[arg(long = "new-label")]
        new_label: Option<String>,
        #[command(flatten)]
        fields: FieldArgs,
        /// Replace secrets, read as `name=value` lines on standard input.
        #[arg(long)]
        secrets_stdin: bool,
        #[command(flatten)]
        policy: super::approvals::PolicyArgs,
    },
    /// Remove an account and its secrets.
    Remove { label: String },
    /// Check an account's credentials with the provider's lightest call.
    Test { label: String },
}

#[derive(Args)]
pub struct FieldArgs {
    /// Replaces scheme, host and port of every endpoint of the provider (e.g. a sandbox).
    #[arg(long)]
    base_url: Option<String>,
    /// CinetPay site id.
    #[arg(long)]
    site_id: Option<String>,
    /// My-CoolPay public key.
    #[arg(long)]
    public_key: Option<String>,
    /// SOFTSYSTEM client reference.
    #[arg(long)]
    client_reference: Option<String>,
    #[arg(long)]
    currency: Option<Currency>,
    /// Default country for phone numbers.
    #[arg(long)]
    country: Option<Country>,
    /// Where the provider should send notifications.
    #[arg(long)]
    notify_url: Option<String>,
    /// Warn when a balance falls below this many francs (`50000`, `50 000`, `50.000 FCFA`);
    /// on edit, `-1` removes the warning.
    #[arg(long, allow_hyphen_values = true)]
    low_balance: Option<String>,
}

impl FieldArgs {
    /// The account's fields as given (a threshold read in `currency`); the rest left unset.
    fn input(self, currency: Currency) -> anyhow::Result<AccountInput> {
        Ok(AccountInput {
            currency: self.currency,
            country: self.country,
            site_id: self.site_id,
            public_key: self.public_key,
            client_reference: self.client_reference,
            notify_url: self.notify_url,
            base_url: self.base_url,
            low_balance_threshold: self
                .low_balance
                .as_deref()
                .map(|t| threshold(t, currency))
                .transpose()?
                .map(Some),
            ..Default::default()
        })
    }

    /// Whether any field is given.
    fn any(&self) -> bool {
        self.base_url.is_some()
            || self.site_id.is_some()
            || self.public_key.is_some()
            || self.client_reference.is_some()
            || self.currency.is_some()
            || self.country.is_some()
            || self.notify_url.is_some()
            || self.low_balance.is_some()
    }
}

pub fn run(data_dir: Option<PathBuf>, out: &Output, cmd: AccountCmd) -> anyhow::Result<()> {
    let g = super::open(data_dir)?;
    match cmd {
        AccountCmd::Add {
            provider,
            label,
            fields,
            secrets_stdin,
        } => {
            let secrets = read_secrets(provider, &label, secrets_stdin)?;
            let currency = fields.currency.unwrap_or(market(provider).0);
            let view = g.add_account(AccountInput {
                label: Some(label),
                provider: Some(provider),
                secrets,
                ..fields.input(currency)?
            })?;
            out.print(&view, || {
                format!(
                    "Account `{}` added.\n{}",
                    view.account.label,
                    describe(&view)
                )
            })
        }
        AccountCmd::List => {
            let all = g.list_accounts()?;
            out.print_lines(
                &all,
                "No account yet: add one with `guichet account add`.",
                |a| {
                    format!(
                        "{:<24} {:<11} {} {}",
                        a.account.label,
                        a.account.provider.display_name(),
                        a.account.currency,
                        a.account.country
                    )
                },
            )
        }
        AccountCmd::Show { label } => {
            let view = g.show_account(&label)?;
            out.print(&view, || describe(&view))
        }
        AccountCmd::Edit {
            label,
            new_label,
            fields,
            secrets_stdin,
            policy,
        } => {
            let row = g.account_row(&label)?;
            if let Some(change) = policy.change(row.currency)? {
                let p = g.set_approval_policy(&label, &change)?;
                if !fields.any() && new_label.is_none() && !secrets_stdin {
                    return out.print(&p, || super::approvals::policy_line(&label, &p));
                }
            }
            let provider = row.provider;
            let currency = fields.currency.unwrap_or(row.currency);
            let secrets = if secrets_stdin {
                read_secrets(provider, &label, true)?
            } else {
                Vec::new()
            };
            let mut input = fields.input(currency)?;
            // On edit, a negative threshold removes the warning.
            input.low_balance_threshold =
                input.low_balance_threshold.map(|t| t.filter(|t| *t >= 0));
            let view = g.edit_account(
                &label,
                AccountInput {
                    label: new_label,
                    secrets,
                    ..input
                },
            )?;
            out.print(&view, || {
                format!(
                    "Account `{}` updated.\n{}",
                    view.account.label,
                    describe(&view)
                )
            })
        }
        AccountCmd::Test { label } => {
            let result = crate::block_on(g.test_account(&label))?;
            out.print(&result, || {
                format!("{}\nChecked: {}.", result.message, result.checked)
            })?;
            if !result.ok {
                bail!("{}", result.message);
            }
            Ok(())
        }
        AccountCmd::Remove { label } => {
            g.remove_account(&label)?;
            out.print(&serde_json::json!({"removed": label}), || {
                format!("Account `{label}` removed.")
            })
        }
    }
}

fn describe(view: &AccountView) -> String {
    let a = &view.account;
    let mut lines = vec![
        format!("label:      {}", a.label),
        format!("provider:   {}", a.provider.display_name()),
        format!("currency:   {}   country: {}", a.currency, a.country),
    ];
    for (k, v) in [
        ("site id", &a.site_id),
        ("public key", &a.public_key),
        ("client ref", &a.client_reference),
        ("notify url", &a.notify_url),
        ("base url", &a.base_url),
    ] {
        if let Some(v) = v {
            lines.push(format!("{k:<11} {v}"));
        }
    }
    let secrets: Vec<String> = view
        .secrets
        .iter()
        .map(|s| match &s.environment {
            Some(var) => format!("{} from the environment ({var}, not the keyring)", s.name),
            None => format!("{} {}", s.name, if s.set { "set" } else { "MISSING" }),
        })
        .collect();
    lines.push(format!("secrets:    {}", secrets.join(", ")));
    lines.join("\n")
}

/// Secrets as `name=value` lines on stdin, or prompted for without echo on a terminal.
fn read_secrets(
    provider: Provider,
    label: &str,
    from_stdin: bool,
) -> anyhow::Result<Vec<(String, Secret)>> {
    let mut secrets = Vec::new();
    if from_stdin {
        for (i, line) in std::io::stdin().lock().lines().enumerate() {
            let line = line.context("reading secrets from standard input")?;
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let Some((name, value)) = line.split_once('=') else {
                // Never echo the line: it may be a secret typed without its name.
                bail!(
                    "standard input line {}: expected `name=value` (names: {})",
                    i + 1,
                    secret_names(provider).join(", ")
                );
            };
            secrets.push((name.trim().to_string(), Secret::new(value.to_string())));
        }
        return Ok(secrets);
    }
    if !std::io::stdin().is_terminal() {
        bail!("secrets are needed: pass --secrets-stdin with `name=value` lines, or run in a terminal to be asked");
    }
    for name in secret_names(provider) {
        let value = rpassword::prompt_password(format!("{name} for `{label}`: "))?;
        secrets.push((name.to_string(), Secret::new(value)));
    }
    Ok(secrets)
}

/// `--low-balance`, read as every amount is.
fn threshold(text: &str, currency: Currency) -> anyhow::Result<i64> {
    Amount::read(&AmountInput::Text(text.to_string()), currency)
        .map(|a| a.0)
        .map_err(|e| anyhow::anyhow!("--low-balance: {e}"))
}
