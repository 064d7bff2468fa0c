//! The merchant's accounts at each provider. Identifiers go to the store; secrets go to the OS
//! keyring and never come back out through these functions.

use crate::adapters::{self, Capabilities};
use crate::Invalid;
use crate::{CoreError, Guichet, Result};
use guichet_secrets::Secret;
use guichet_store::accounts::AccountFields;
pub use guichet_store::accounts::AccountRow;
use guichet_types::{Country, Currency, Provider};
use serde::{Deserialize, Serialize};

/// The secrets each provider needs, by the names the CLI and the UI use.
pub fn secret_names(provider: Provider) -> &'static [&'static str] {
    adapters::identity(provider).secrets
}

/// What the account forms and the screens need to know about a provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProviderInfo {
    pub provider: Provider,
    pub display_name: String,
    /// The identifier field this provider requires (`site_id`, `public_key`, `client_reference`).
    pub id_field: String,
    pub secrets: Vec<String>,
    pub default_currency: Currency,
    pub default_country: Country,
    /// What it can do: the screens decide by these, never by the provider's name.
    pub capabilities: Capabilities,
}

/// Every provider Guichet speaks to, for the account forms.
pub fn provider_catalog() -> Vec<ProviderInfo> {
    Provider::ALL
        .into_iter()
        .map(|p| {
            let identity = adapters::identity(p);
            ProviderInfo {
                provider: p,
                display_name: p.display_name().to_string(),
                id_field: identity.id_field.to_string(),
                secrets: identity.secrets.iter().map(|s| s.to_string()).collect(),
                default_currency: identity.currency,
                default_country: identity.country,
                capabilities: adapters::capabilities(p),
            }
        })
        .collect()
}

/// The currency and country an account of `p` has unless told otherwise.
pub fn market(p: Provider) -> (Currency, Country) {
    let identity = adapters::identity(p);
    (identity.currency, identity.country)
}

fn id_field(p: Provider) -> &'static str {
    adapters::identity(p).id_field
}

/// What the merchant gives for an account, to add it or to change it: one shape for the CLI,
/// the app's form (`AccountForm` in TypeScript) and the demo.
/// - Adding: `label` and `provider` are required; unset currency and country default to the
///   provider's market (XOF/CI for CinetPay and SOFTSYSTEM, XAF/CM for My-CoolPay).
/// - Changing: `None` keeps a value; for the optional texts and the threshold, `Some("")` /
///   `Some(None)` clears it; the provider cannot change and `sandbox` is kept.
///
/// From the form, secrets cross from the webview into the keyring once and never go back; an
/// empty secret field means "unchanged" when editing.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(optional_fields, rename = "AccountForm")
)]
pub struct AccountInput {
    pub label: Option<String>,
    pub provider: Option<Provider>,
    pub currency: Option<Currency>,
    pub country: Option<Country>,
    pub site_id: Option<String>,
    pub public_key: Option<String>,
    pub client_reference: Option<String>,
    pub notify_url: Option<String>,
    pub base_url: Option<String>,
    /// In an edit, a negative number clears it.
    #[serde(with = "form_threshold")]
    #[cfg_attr(feature = "ts", ts(as = "Option<i64>"))]
    pub low_balance_threshold: Option<Option<i64>>,
    /// Only the demo sets it; the form cannot.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub sandbox: bool,
    #[serde(with = "form_secrets")]
    #[cfg_attr(feature = "ts", ts(as = "std::collections::BTreeMap<String, String>"))]
    pub secrets: Vec<(String, Secret)>,
}

/// The form's add/edit payload: [`AccountInput`] as the webview sends it.
pub type AccountForm = AccountInput;

/// The form's threshold: a number, or nothing to keep (or leave unset).
mod form_threshold {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
        Ok(Option::<i64>::deserialize(d)?.map(Some))
    }
}

/// The secrets typed in the form; empty ones are left out.
mod form_secrets {
    use guichet_secrets::Secret;
    use serde::{Deserialize, Deserializer};
    use std::collections::BTreeMap;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, Secret)>, D::Error> {
        Ok(BTreeMap::<String, String>::deserialize(d)?
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k, Secret::new(v)))
            .collect())
    }
}

impl AccountInput {
    /// The form's input for a new account.
    pub fn into_new_account(self) -> AccountInput {
        self
    }

    /// The form's input for a change: an empty threshold field clears the warning (sent as a
    /// negative number).
    pub fn into_changes(mut self) -> Result<AccountInput> {
        self.low_balance_threshold = self.low_balance_threshold.map(|t| t.filter(|t| *t >= 0));
        Ok(self)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SecretState {
    pub name: String,
    pub set: bool,
    /// The environment variable this secret is read from right now (it wins over the keyring),
    /// if one is set.
    pub environment: Option<String>,
}

/// An account as shown to people: identifiers, and which secrets are set — never their values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccountView {
    #[serde(flatten)]
    pub account: AccountRow,
    pub secrets: Vec<SecretState>,
}

impl Guichet {
    pub fn add_account(&self, input: AccountInput) -> Result<AccountView> {
        self.require(crate::people::Action::ManageAccounts)?;
        let provider = input.provider.ok_or_else(|| {
            CoreError::invalid(
                "provider",
                Invalid::NotAChoice {
                    value: String::new(),
                },
                "choose cinetpay, mycoolpay or softsystem",
            )
        })?;
        let (currency, country) = market(provider);
        let fields = AccountFields {
            label: input.label.unwrap_or_default(),
            provider,
            currency: input.currency.unwrap_or(currency),
            country: input.country.unwrap_or(country),
            site_id: non_empty(input.site_id),
            public_key: non_empty(input.public_key),
            client_reference: non_empty(input.client_reference),
            notify_url: non_empty(input.notify_url),
            base_url: non_empty(input.base_url),
            low_balance_threshold: input.low_balance_threshold.flatten(),
            sandbox: input.sandbox,
        };
        let fields = validate(fields)?;
        validate_secret_names(provider, &input.secrets)?;
        self.refuse_shared_variables(&fields.label, None)?;
        for name in secret_names(provider) {
            let given = input.secrets.iter().any(|(n, _)| n == name);
            let from_env = std::env::var(guichet_secrets::env_var_name(&fields.label, name))
                .is_ok_and(|v| !v.is_empty());
            if !given && !from_env {
                return Err(CoreError::invalid(
                    *name,
                    Invalid::Required,
                    format!(
                        "the {} secret `{name}` is required",
                        provider.display_name()
                    ),
                ));
            }
        }

        let tx = self.store.write()?;
        let row = tx.accounts_mut().insert(&fields)?;
        // The row commits only once every secret is in the keyring, so a keyring failure leaves
        // nothing behind.
        if let Err(e) = self.store_secrets(&row, &input.secrets) {
            for (name, _) in &input.secrets {
                let _ = self.secrets.delete(row.id, &row.label, name);
            }
            return Err(e);
        }
        tx.events_mut().append(
            "account.added",
            Some(row.id),
            Some(&row.label),
            &serde_json::json!({"provider": provider}),
        )?;
        tx.commit()?;
        self.audit(
            "account.added",
            Some(&row.label),
            serde_json::json!({"provider": provider}),
        )?;
        self.events.emit(crate::CoreEvent::AccountsChanged);
        self.view(row)
    }

    pub fn edit_account(&self, label: &str, changes: AccountInput) -> Result<AccountView> {
        self.require(crate::people::Action::ManageAccounts)?;
        if changes.provider.is_some() {
            return Err(CoreError::invalid(
                "provider",
                Invalid::ProviderFixed,
                "an account's provider cannot change",
            ));
        }
        let current = self.account_row(label)?;
        validate_secret_names(current.provider, &changes.secrets)?;
        let keep = |new: Option<String>, old: Option<String>| match new {
            Some(v) if v.trim().is_empty() => None,
            Some(v) => Some(v.trim().to_string()),
            None => old,
        };
        let fields = AccountFields {
            label: changes.label.unwrap_or(current.label.clone()),
            provider: current.provider,
            currency: changes.currency.unwrap_or(current.currency),
            country: changes.country.unwrap_or(current.country),
            site_id: keep(changes.site_id, current.site_id.clone()),
            public_key: keep(changes.public_key, current.public_key.clone()),
            client_reference: keep(changes.client_reference, current.client_reference.clone()),
            notify_url: keep(changes.notify_url, current.notify_url.clone()),
            base_url: keep(changes.base_url, current.base_url.clone()),
            low_balance_threshold: changes
                .low_balance_threshold
                .unwrap_or(current.low_balance_threshold),
            sandbox: current.sandbox,
        };
        let fields = validate(fields)?;
        if fields.label != current.label {
            self.refuse_shared_variables(&fields.label, Some(current.id))?;
        }
        if fields.base_url != current.base_url {
            // The next call (an automatic balance check) would send the keys to the new host:
            // they are asked for again, so that only what the merchant gives for it goes there.
            let missing: Vec<&str> = secret_names(current.provider)
                .iter()
                .copied()
                .filter(|n| !changes.secrets.iter().any(|(given, _)| given == n))
                .collect();
            if !missing.is_empty() {
                return Err(CoreError::invalid(
                    "base_url", Invalid::SecretsAgain,
                    format!(
                        "changing the host of `{}` needs its secrets again ({}): the current ones are not sent to a new host",
                        current.label,
                        missing.join(", ")
                    ),
                ));
            }
        }
        let tx = self.store.write()?;
        let row = tx.accounts_mut().update(current.id, &fields)?;
        self.store_secrets(&row, &changes.secrets)?;
        let changed: Vec<&str> = changes.secrets.iter().map(|(n, _)| n.as_str()).collect();
        tx.events_mut().append(
            "account.edited",
            Some(row.id),
            Some(&row.label),
            &serde_json::json!({"secrets_replaced": changed}),
        )?;
        tx.commit()?;
        self.clients.forget(row.id);
        // Which secrets were replaced, never their values.
        self.audit(
            "account.changed",
            Some(&row.label),
            serde_json::json!({"secrets_replaced": changed}),
        )?;
        self.events.emit(crate::CoreEvent::AccountsChanged);
        self.view(row)
    }

    /// Removes an account and its secrets. Refused while payouts or collections refer to it:
    /// the books keep them.
    pub fn remove_account(&self, label: &str) -> Result<()> {
        self.require(crate::people::Action::ManageAccounts)?;
        let row = self.account_row(label)?;
        {
            let db = self.store.lock();
            db.accounts_mut().delete(row.id).map_err(|e| match e {
                guichet_store::StoreError::InUse { .. } => CoreError::coded(
                    crate::ErrorCode::AccountInUse {
                        label: label.to_string(),
                    },
                    format!("label: account `{label}` has payouts or collections; it is kept for the books"),
                ),
                other => other.into(),
            })?;
            db.events_mut().append(
                "account.removed",
                None,
                Some(&row.label),
                &serde_json::json!({"provider": row.provider}),
            )?;
        }
        for name in secret_names(row.provider) {
            self.secrets.delete(row.id, &row.label, name)?;
        }
        self.audit(
            "account.removed",
            Some(&row.label),
            serde_json::json!({"provider": row.provider}),
        )?;
        self.events.emit(crate::CoreEvent::AccountsChanged);
        Ok(())
    }

    pub fn list_accounts(&self) -> Result<Vec<AccountView>> {
        self.require(crate::people::Action::Read)?;
        let rows = self.store.accounts().list()?;
        let secrets = self.secrets.inventory();
        rows.into_iter().map(|r| view(r, &secrets)).collect()
    }

    pub fn show_account(&self, label: &str) -> Result<AccountView> {
        self.require(crate::people::Action::Read)?;
        let row = self.account_row(label)?;
        self.view(row)
    }

    /// The stored row, for other use cases.
    pub fn account_row(&self, label: &str) -> Result<AccountRow> {
        self.store.accounts().by_label(label).map_err(|e| match e {
            guichet_store::StoreError::NotFound { .. } => CoreError::NotFound {
                what: "account",
                key: label.to_string(),
            },
            other => other.into(),
        })
    }

    /// A secret of an account, from the environment override or the keyring.
    pub fn account_secret(&self, row: &AccountRow, name: &str) -> Result<Secret> {
        Ok(self.secrets.get(row.id, &row.label, name)?)
    }

    /// Refuses a label that names the same `GUICHET_SECRET_…` variables as another account's
    /// ("Shop-CI", "shop ci", "SHOP_CI"): one variable would hold the secrets of both.
    fn refuse_shared_variables(&self, label: &str, except: Option<i64>) -> Result<()> {
        let folded = guichet_secrets::env_label(label);
        let clash = self
            .store
            .accounts()
            .list()?
            .into_iter()
            // The very same label is a duplicate, which the store reports as such.
            .find(|a| {
                Some(a.id) != except
                    && a.label != label
                    && guichet_secrets::env_label(&a.label) == folded
            });
        match clash {
            Some(other) => Err(CoreError::invalid(
                "label", Invalid::LabelClash { other: other.label.clone() },
                format!(
                    "`{label}` and the account `{}` would share the environment variables GUICHET_SECRET_{folded}_…: choose a label that differs by a letter or digit",
                    other.label
                ),
            )),
            None => Ok(()),
        }
    }

    fn store_secrets(&self, row: &AccountRow, secrets: &[(String, Secret)]) -> Result<()> {
        for (name, value) in secrets {
            self.secrets.set(row.id, &row.label, name, value)?;
        }
        Ok(())
    }

    fn view(&self, r: AccountRow) -> Result<AccountView> {
        view(r, &self.secrets.inventory())
    }
}

/// An account as shown, with which of its secrets are set (from one look at the keyring).
fn view(r: AccountRow, stored: &guichet_secrets::Inventory) -> Result<AccountView> {
    let secrets = secret_names(r.provider)
        .iter()
        .map(|name| {
            Ok(SecretState {
                name: name.to_string(),
                set: stored.has(r.id, &r.label, name)?,
                environment: guichet_secrets::env_override(&r.label, name),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(AccountView {
        account: r,
        secrets,
    })
}

fn non_empty(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn validate_secret_names(provider: Provider, secrets: &[(String, Secret)]) -> Result<()> {
    let known = secret_names(provider);
    for (name, value) in secrets {
        if !known.contains(&name.as_str()) {
            return Err(CoreError::invalid(
                name.clone(),
                Invalid::NotAChoice {
                    value: name.clone(),
                },
                format!(
                    "{} accounts have no secret `{name}` (expected {})",
                    provider.display_name(),
                    known.join(", ")
                ),
            ));
        }
        if value.is_empty() {
            return Err(CoreError::invalid(
                name.clone(),
                Invalid::Required,
                "the secret is empty",
            ));
        }
    }
    Ok(())
}

fn validate(mut f: AccountFields) -> Result<AccountFields> {
    f.label = f.label.trim().to_string();
    if f.label.is_empty() {
        return Err(CoreError::invalid(
            "label",
            Invalid::Required,
            "a label is required",
        ));
    }
    if f.label.chars().count() > 64 {
        return Err(CoreError::invalid(
            "label",
            Invalid::TooLong { max: 64 },
            "at most 64 characters",
        ));
    }
    let field = id_field(f.provider);
    if f.identifier(field).is_none() {
        return Err(CoreError::invalid(
            field,
            Invalid::Required,
            format!("{} accounts need a {field}", f.provider.display_name()),
        ));
    }
    if let Some(url) = &f.base_url {
        f.base_url = Some(validate_base_url(url)?);
    }
    if let Some(url) = &f.notify_url {
        let parsed = url::Url::parse(url).map_err(|e| {
            CoreError::invalid(
                "notify_url",
                Invalid::NotUrl {
                    value: url.to_string(),
                },
                format!("`{url}` is not a URL ({e})"),
            )
        })?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(CoreError::invalid(
                "notify_url",
                Invalid::NotUrl {
                    value: url.to_string(),
                },
                format!("`{url}` must be an http(s) URL"),
            ));
        }
    }
    if let Some(t) = f.low_balance_threshold {
        if t < 0 {
            return Err(CoreError::invalid(
                "low_balance_threshold",
                Invalid::AtLeast { min: 0 },
                "must be zero or more francs",
            ));
        }
    }
    Ok(f)
}

/// Whether a URL's host is this machine: 127.0.0.0/8, ::1 or `localhost`.
pub fn is_loopback_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// A host override: scheme, host and optional port only — the documented paths are kept.
fn validate_base_url(url: &str) -> Result<String> {
    let bad = |why: &str| {
        CoreError::invalid(
            "base_url",
            Invalid::NotUrl {
                value: url.to_string(),
            },
            format!("`{url}` {why}"),
        )
    };
    let parsed = url::Url::parse(url).map_err(|e| bad(&format!("is not a URL ({e})")))?;
    let host = parsed.host_str().ok_or_else(|| bad("has no host"))?;
    // The keys travel to this host: encrypted, or not leaving the machine (a local proxy or
    // simulator).
    match parsed.scheme() {
        "https" => {}
        "http" if is_loopback_host(&parsed) => {}
        "http" => return Err(bad(
            "must start with https:// (http:// only for this machine: 127.0.0.1, ::1, localhost)",
        )),
        _ => return Err(bad("must start with https://")),
    }
    if parsed.path() != "/" || parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(bad(
            "must be only scheme, host and port (the provider's paths are added by Guichet)",
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad("must not contain credentials"));
    }
    Ok(match parsed.port() {
        Some(p) => format!("{}://{}:{}", parsed.scheme(), host, p),
        None => format!("{}://{}", parsed.scheme(), host),
    })
}

#[cfg(test)]
mod tests {
    use super::AccountForm;

    #[test]
    fn the_form_reads_as_the_account_input_and_an_edits_negative_threshold_clears_it() {
        let body = r#"{"label":"Shop","site_id":"123","low_balance_threshold":-1,
                       "secrets":{"api_key":"k-1","transfer_password":""}}"#;
        let form: AccountForm = serde_json::from_str(body).unwrap();
        let names: Vec<_> = form.secrets.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["api_key"], "an empty secret field is no secret");
        assert_eq!(form.secrets[0].1.expose(), "k-1");
        assert!(!form.sandbox, "the form cannot make a demo account");
        let added = form.clone().into_new_account();
        assert_eq!(
            added.low_balance_threshold,
            Some(Some(-1)),
            "refused when added"
        );
        let changed = form.into_changes().unwrap();
        assert_eq!(changed.low_balance_threshold, Some(None));
        let untouched: AccountForm = serde_json::from_str(r#"{"secrets":{}}"#).unwrap();
        assert_eq!(
            untouched.into_changes().unwrap().low_balance_threshold,
            None
        );
    }
}
