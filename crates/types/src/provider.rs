use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The mobile-money aggregators Guichet speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Provider {
    Cinetpay,
    Mycoolpay,
    Softsystem,
}

impl Provider {
    pub const ALL: [Provider; 3] = [
        Provider::Cinetpay,
        Provider::Mycoolpay,
        Provider::Softsystem,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Cinetpay => "cinetpay",
            Provider::Mycoolpay => "mycoolpay",
            Provider::Softsystem => "softsystem",
        }
    }

    /// Name as merchants know it.
    pub fn display_name(self) -> &'static str {
        match self {
            Provider::Cinetpay => "CinetPay",
            Provider::Mycoolpay => "My-CoolPay",
            Provider::Softsystem => "SOFTSYSTEM",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown provider `{0}` (expected cinetpay, mycoolpay or softsystem)")]
pub struct UnknownProvider(pub String);

impl FromStr for Provider {
    type Err = UnknownProvider;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '_', ' '], "")
            .as_str()
        {
            "cinetpay" => Ok(Provider::Cinetpay),
            "mycoolpay" => Ok(Provider::Mycoolpay),
            "softsystem" => Ok(Provider::Softsystem),
            _ => Err(UnknownProvider(s.to_string())),
        }
    }
}

/// Countries whose phone numbers Guichet validates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Country {
    /// Côte d'Ivoire, +225, 10-digit national numbers since 2021.
    CI,
    /// Cameroon, +237, 9-digit national numbers starting with 6.
    CM,
}

impl Country {
    pub fn as_str(self) -> &'static str {
        match self {
            Country::CI => "CI",
            Country::CM => "CM",
        }
    }

    /// International dialling prefix without `+`.
    pub fn dial_prefix(self) -> &'static str {
        match self {
            Country::CI => "225",
            Country::CM => "237",
        }
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown country `{0}` (expected CI or CM)")]
pub struct UnknownCountry(pub String);

impl FromStr for Country {
    type Err = UnknownCountry;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "CI" => Ok(Country::CI),
            "CM" => Ok(Country::CM),
            _ => Err(UnknownCountry(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_parses_the_names_merchants_type() {
        assert_eq!("My-CoolPay".parse::<Provider>(), Ok(Provider::Mycoolpay));
        assert_eq!("CINETPAY".parse::<Provider>(), Ok(Provider::Cinetpay));
        assert!("orange".parse::<Provider>().is_err());
        assert_eq!(
            serde_json::to_string(&Provider::Softsystem).unwrap(),
            "\"softsystem\""
        );
    }
}
