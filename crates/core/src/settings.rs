//! The merchant's preferences, kept in the database so the app, the CLI and the next start agree.
//!
//! Each preference is one key in the store's `settings` table with a JSON value. To add one:
//! a field in [`Settings`], its key and default in [`Guichet::settings`], and a setter that
//! validates it (see [`Guichet::set_language`]).

use crate::Invalid;
use crate::{CoreError, Guichet, Result};
use serde::{de::DeserializeOwned, Serialize};

pub const LANGUAGE: &str = "language";
pub const NOTIFICATIONS: &str = "notifications";

/// What the Settings screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Settings {
    /// `fr` (default) or `en`.
    pub language: String,
    /// Desktop notifications for final payout outcomes (on by default).
    pub notifications: bool,
    /// Where the database lives (shown, and opened in the file manager).
    pub data_dir: String,
}

impl Guichet {
    pub fn settings(&self) -> Result<Settings> {
        Ok(Settings {
            language: self.setting(LANGUAGE, "fr".to_string())?,
            notifications: self.setting(NOTIFICATIONS, true)?,
            data_dir: self.data_dir().display().to_string(),
        })
    }

    /// The screens' language: chosen by whoever sits in front of them, signed in or not (the
    /// sign-in screen speaks it too), so no role is asked.
    pub fn set_language(&self, lang: &str) -> Result<Settings> {
        if !matches!(lang, "fr" | "en") {
            return Err(CoreError::invalid(
                "language",
                Invalid::NotAChoice {
                    value: lang.to_string(),
                },
                format!("`{lang}` is not a language Guichet speaks: choose fr or en"),
            ));
        }
        self.store
            .settings_mut()
            .set(LANGUAGE, &serde_json::json!(lang).to_string())?;
        self.settings()
    }

    pub fn set_notifications(&self, on: bool) -> Result<Settings> {
        self.require(crate::people::Action::Settings)?;
        self.set_setting(NOTIFICATIONS, &on)?;
        self.audit(
            "settings.changed",
            Some("notifications"),
            serde_json::json!({ "notifications": on }),
        )?;
        self.settings()
    }

    /// A stored preference, or `default` when it was never set. A value that no longer reads
    /// as `T` (written by another version) counts as unset rather than blocking the app.
    pub fn setting<T: DeserializeOwned>(&self, key: &str, default: T) -> Result<T> {
        let stored = self.store.settings().get(key)?;
        Ok(stored
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or(default))
    }

    pub fn set_setting<T: Serialize + ?Sized>(&self, key: &str, value: &T) -> Result<()> {
        self.require(crate::people::Action::Settings)?;
        let json = serde_json::to_string(value).map_err(|e| CoreError::Io(e.to_string()))?;
        Ok(self.store.settings_mut().set(key, &json)?)
    }
}
