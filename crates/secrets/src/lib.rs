//! Secrets (API keys, passwords, private keys, tokens) live only in the OS keyring: Secret
//! Service on Linux, Keychain on macOS, Credential Manager on Windows. There is no plaintext
//! fallback: without a keyring, storing a secret fails with a message that says how to fix it.
//!
//! For headless automation a secret may instead come from the environment at run time,
//! `GUICHET_SECRET_<LABEL>_<NAME>`, which is read and never stored.

mod secret;
mod store;

pub use secret::Secret;
pub use store::{env_label, env_override, env_var_name, Inventory, SecretError, SecretStore};
