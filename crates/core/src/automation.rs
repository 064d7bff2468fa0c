//! What Guichet does by itself while the app runs: a snapshot of every balance when it starts
//! and every day at the hour the merchant chose, and the optional callback receiver. The
//! choices live in the database so the next start agrees.

use crate::balances::AccountBalances;
use crate::Invalid;
use crate::{CoreError, Guichet, Result};
use serde::{Deserialize, Serialize};

const BALANCE_CHECK_HOUR: &str = "balance_check.hour";
const UTC_OFFSET: &str = "balance_check.utc_offset_minutes";
const BALANCE_CHECK_LAST: &str = "balance_check.last_at";
const CALLBACK_RECEIVER: &str = "callback_receiver.enabled";
const CALLBACK_PORT: &str = "callback_receiver.port";
const TRUST_PROXY: &str = "callback_receiver.trust_proxy";

pub const DEFAULT_CALLBACK_PORT: u16 = 8787;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Automation {
    /// The hour (0–23, the merchant's own time) of the daily balance check; `None`: only when
    /// Guichet starts.
    pub balance_check_hour: Option<u8>,
    /// The merchant's offset from UTC, in minutes, when the hour was chosen.
    pub utc_offset_minutes: i32,
    /// Run the local callback receiver.
    pub callback_receiver: bool,
    pub callback_port: u16,
    /// The address of the reverse proxy in front of the receiver, whose `X-Forwarded-For` is
    /// then believed (from that address only); `None`: no proxy is trusted.
    #[serde(default)]
    pub trust_proxy: Option<String>,
}

impl Automation {
    /// The trusted proxy's address (validated when saved).
    pub fn trusted_proxy(&self) -> Option<std::net::IpAddr> {
        self.trust_proxy.as_deref().and_then(|a| a.parse().ok())
    }
}

/// The settings and what the shell made of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AutomationState {
    pub settings: Automation,
    /// Where the receiver listens, when it runs.
    pub receiver: Option<String>,
    /// Why the receiver could not start.
    pub error: Option<String>,
    /// This data folder's hard-to-guess callback path (`/<path>` after the tunnel's address).
    pub callback_path: String,
}

/// The next time it is `hour` o'clock at `offset_minutes` from UTC, strictly after `now`.
pub fn next_occurrence(
    now: time::OffsetDateTime,
    hour: u8,
    offset_minutes: i32,
) -> time::OffsetDateTime {
    let offset =
        time::UtcOffset::from_whole_seconds(offset_minutes * 60).unwrap_or(time::UtcOffset::UTC);
    let local = now.to_offset(offset);
    let at = time::Time::from_hms(hour.min(23), 0, 0).unwrap_or(time::Time::MIDNIGHT);
    let today = local.replace_time(at);
    let next = if today > local {
        today
    } else {
        today + time::Duration::days(1)
    };
    next.to_offset(time::UtcOffset::UTC)
}

impl Guichet {
    fn get<T: serde::de::DeserializeOwned>(&self, key: &str, default: T) -> Result<T> {
        Ok(self
            .store
            .settings()
            .get(key)?
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or(default))
    }

    fn put<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        let json = serde_json::to_string(value).map_err(|e| CoreError::Io(e.to_string()))?;
        Ok(self.store.settings_mut().set(key, &json)?)
    }

    pub fn automation(&self) -> Result<Automation> {
        self.require(crate::people::Action::Read)?;
        Ok(Automation {
            balance_check_hour: self.get(BALANCE_CHECK_HOUR, None)?,
            utc_offset_minutes: self.get(UTC_OFFSET, 0)?,
            callback_receiver: self.get(CALLBACK_RECEIVER, false)?,
            callback_port: self.get(CALLBACK_PORT, DEFAULT_CALLBACK_PORT)?,
            trust_proxy: self.get(TRUST_PROXY, None)?,
        })
    }

    pub fn set_automation(&self, a: &Automation) -> Result<Automation> {
        self.require(crate::people::Action::Settings)?;
        if a.balance_check_hour.is_some_and(|h| h > 23) {
            return Err(CoreError::invalid(
                "balance_check_hour",
                Invalid::Range { min: 0, max: 23 },
                "the hour is between 0 and 23",
            ));
        }
        if !(-14 * 60..=14 * 60).contains(&a.utc_offset_minutes) {
            return Err(CoreError::invalid(
                "utc_offset_minutes",
                Invalid::Range {
                    min: -14 * 60,
                    max: 14 * 60,
                },
                "an offset from UTC is at most 14 hours",
            ));
        }
        if a.callback_port < 1024 {
            return Err(CoreError::invalid(
                "callback_port",
                Invalid::Range {
                    min: 1024,
                    max: 65535,
                },
                "choose a port from 1024 to 65535",
            ));
        }
        let trust_proxy = match a.trust_proxy.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(
                text.parse::<std::net::IpAddr>()
                    .map_err(|_| {
                        CoreError::invalid(
                            "trust_proxy",
                            Invalid::NotIpAddress {
                                value: text.to_string(),
                            },
                            format!(
                                "`{text}` is not an IP address (the proxy's, such as 127.0.0.1)"
                            ),
                        )
                    })?
                    .to_string(),
            ),
        };
        self.put(BALANCE_CHECK_HOUR, &a.balance_check_hour)?;
        self.put(TRUST_PROXY, &trust_proxy)?;
        self.put(UTC_OFFSET, &a.utc_offset_minutes)?;
        self.put(CALLBACK_RECEIVER, &a.callback_receiver)?;
        self.put(CALLBACK_PORT, &a.callback_port)?;
        let now = self.automation()?;
        self.audit(
            "settings.changed",
            Some("automation"),
            serde_json::to_value(&now).unwrap_or_default(),
        )?;
        Ok(now)
    }

    /// When the next daily balance check is due, if the merchant chose an hour.
    pub fn next_balance_check(
        &self,
        now: time::OffsetDateTime,
    ) -> Result<Option<time::OffsetDateTime>> {
        let a = self.automation()?;
        Ok(a.balance_check_hour
            .map(|h| next_occurrence(now, h, a.utc_offset_minutes)))
    }

    /// Takes a snapshot of every account's balances (low ones raise `LowBalance` events) and
    /// remembers when.
    pub async fn scheduled_balance_check(&self) -> Result<Vec<AccountBalances>> {
        self.require(crate::people::Action::Read)?;
        let all = self.check_balances(None).await?;
        self.put(BALANCE_CHECK_LAST, &guichet_store::now_utc())?;
        Ok(all)
    }

    /// When the last automatic check ran.
    pub fn last_balance_check(&self) -> Result<Option<String>> {
        self.require(crate::people::Action::Read)?;
        self.get(BALANCE_CHECK_LAST, None)
    }
}

#[cfg(test)]
mod tests {
    use super::next_occurrence;
    use time::macros::datetime;

    #[test]
    fn the_next_check_is_the_next_time_the_merchants_clock_shows_the_hour() {
        // Douala is UTC+1: 07:00 there is 06:00 UTC.
        assert_eq!(
            next_occurrence(datetime!(2026-03-10 05:30 UTC), 7, 60),
            datetime!(2026-03-10 06:00 UTC)
        );
        // Already past today: tomorrow.
        assert_eq!(
            next_occurrence(datetime!(2026-03-10 06:00 UTC), 7, 60),
            datetime!(2026-03-11 06:00 UTC)
        );
        // Abidjan is UTC: 23:00 on the last day of the month rolls over.
        assert_eq!(
            next_occurrence(datetime!(2026-03-31 23:10 UTC), 23, 0),
            datetime!(2026-04-01 23:00 UTC)
        );
    }
}
