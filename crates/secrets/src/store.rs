use crate::Secret;
use md5::{Digest, Md5};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error(
        "no OS keyring is reachable ({0}). Guichet keeps secrets only in the keyring: on Linux start a \
         Secret Service (GNOME Keyring or KeePassXC) in your session; for scripts, set the secret in \
         the environment variable {1} instead"
    )]
    Unavailable(String, String),
    #[error("the keyring is locked or refused access ({0}); unlock it and try again")]
    Denied(String),
    #[error("secret `{name}` is not set for account `{account}` (set it again, or export {var})")]
    Missing {
        account: String,
        name: String,
        var: String,
    },
    #[error("keyring error: {0}")]
    Other(String),
}

/// The keyring, namespaced by data directory: two data directories never share secrets.
#[derive(Debug, Clone)]
pub struct SecretStore {
    service: String,
}

/// The environment variable that may supply `name` for the account labelled `label`:
/// `GUICHET_SECRET_<LABEL>_<NAME>`, upper-cased, anything but letters and digits as `_`.
pub fn env_var_name(label: &str, name: &str) -> String {
    format!("GUICHET_SECRET_{}_{}", env_label(label), env_label(name))
}

/// A label as it appears in the variable names: "Shop-CI", "shop ci" and "SHOP_CI" all give
/// `SHOP_CI`, so two accounts with such labels would read the same variables.
pub fn env_label(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// The variable that supplies `name` for `label` right now (set and not empty), if any: it
/// wins over the keyring, so the CLI and `account test` say when one is used.
pub fn env_override(label: &str, name: &str) -> Option<String> {
    let var = env_var_name(label, name);
    std::env::var(&var)
        .is_ok_and(|v| !v.is_empty())
        .then_some(var)
}

impl SecretStore {
    pub fn for_data_dir(data_dir: &Path) -> SecretStore {
        let canonical = data_dir
            .canonicalize()
            .unwrap_or_else(|_| data_dir.to_path_buf());
        let digest = Md5::digest(canonical.to_string_lossy().as_bytes());
        SecretStore {
            service: format!("guichet:{}", &hex::encode(digest)[..12]),
        }
    }

    /// The keyring service name (for diagnostics and tests; not secret).
    pub fn service(&self) -> &str {
        &self.service
    }

    fn entry(&self, account_id: i64, name: &str) -> Result<keyring::Entry, keyring::Error> {
        keyring::Entry::new(&self.service, &format!("{account_id}/{name}"))
    }

    /// Runs one keyring call at a time in this process. Each call opens a Secret Service session
    /// of its own; several at once from one process intermittently lose theirs ("the session
    /// wrapping the secret does not exist", "unlock prompt was dismissed"). The calls are short.
    fn one_at_a_time<T>(call: impl FnOnce() -> T) -> T {
        static KEYRING: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _held = KEYRING.lock().unwrap_or_else(|e| e.into_inner());
        call()
    }

    /// Stores a secret. Blocking (D-Bus): call from a blocking context.
    pub fn set(
        &self,
        account_id: i64,
        label: &str,
        name: &str,
        value: &Secret,
    ) -> Result<(), SecretError> {
        Self::one_at_a_time(|| {
            self.entry(account_id, name)
                .and_then(|e| e.set_password(value.expose()))
        })
        .map_err(|e| classify(e, label, name))
    }

    /// Reads a secret: the environment override first, then the keyring.
    pub fn get(&self, account_id: i64, label: &str, name: &str) -> Result<Secret, SecretError> {
        if let Ok(v) = std::env::var(env_var_name(label, name)) {
            if !v.is_empty() {
                return Ok(Secret::new(v));
            }
        }
        match Self::one_at_a_time(|| self.entry(account_id, name).and_then(|e| e.get_password())) {
            Ok(v) => Ok(Secret::new(v)),
            Err(keyring::Error::NoEntry) => Err(SecretError::Missing {
                account: label.to_string(),
                name: name.to_string(),
                var: env_var_name(label, name),
            }),
            Err(e) => Err(classify(e, label, name)),
        }
    }

    /// Whether the keyring (or the environment) holds this secret.
    pub fn has(&self, account_id: i64, label: &str, name: &str) -> Result<bool, SecretError> {
        match self.get(account_id, label, name) {
            Ok(_) => Ok(true),
            Err(SecretError::Missing { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// What this data directory keeps in the keyring, to ask `has` of many secrets at once (the
    /// account list). On Linux one Secret Service search lists them, without reading or
    /// decrypting any secret: a lookup per secret opened a D-Bus session (and a key exchange)
    /// each time, tens of milliseconds apiece on the first screen. Elsewhere, or if that search
    /// fails, each secret is looked up as `has` does (and says what went wrong).
    pub fn inventory(&self) -> Inventory<'_> {
        #[cfg(target_os = "linux")]
        if let Ok(stored) = secret_service_users(&self.service) {
            return Inventory::Listed(stored);
        }
        Inventory::PerSecret(self)
    }

    /// Deletes a secret; deleting one that is not there is fine.
    pub fn delete(&self, account_id: i64, label: &str, name: &str) -> Result<(), SecretError> {
        match Self::one_at_a_time(|| {
            self.entry(account_id, name)
                .and_then(|e| e.delete_credential())
        }) {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(classify(e, label, name)),
        }
    }
}

/// The secrets of a data directory known at one moment (`SecretStore::inventory`).
pub enum Inventory<'a> {
    /// The keyring's `username` attributes (`<account id>/<name>`) under the service.
    Listed(std::collections::HashSet<String>),
    PerSecret(&'a SecretStore),
}

impl Inventory<'_> {
    /// Whether the environment or the keyring holds this secret, as `SecretStore::has`.
    pub fn has(&self, account_id: i64, label: &str, name: &str) -> Result<bool, SecretError> {
        match self {
            Inventory::Listed(stored) => Ok(std::env::var(env_var_name(label, name))
                .is_ok_and(|v| !v.is_empty())
                || stored.contains(&format!("{account_id}/{name}"))),
            Inventory::PerSecret(store) => store.has(account_id, label, name),
        }
    }
}

/// The `username` of every Secret Service item of `service`, locked or not (attributes are
/// readable without unlocking). Plain session: no secret crosses it.
#[cfg(target_os = "linux")]
fn secret_service_users(
    service: &str,
) -> Result<std::collections::HashSet<String>, dbus_secret_service::Error> {
    use dbus_secret_service::{EncryptionType, SecretService};
    let ss = SecretService::connect(EncryptionType::Plain)?;
    let found = ss.search_items([("service", service)].into())?;
    let mut users = std::collections::HashSet::new();
    for item in found.unlocked.iter().chain(found.locked.iter()) {
        if let Some(user) = item.get_attributes()?.remove("username") {
            users.insert(user);
        }
    }
    Ok(users)
}

fn classify(e: keyring::Error, label: &str, name: &str) -> SecretError {
    match e {
        keyring::Error::PlatformFailure(inner) | keyring::Error::NoStorageAccess(inner) => {
            let text = inner.to_string();
            if text.to_ascii_lowercase().contains("lock")
                || text.to_ascii_lowercase().contains("denied")
            {
                SecretError::Denied(text)
            } else {
                SecretError::Unavailable(text, env_var_name(label, name))
            }
        }
        other => SecretError::Other(other.to_string()),
    }
}
