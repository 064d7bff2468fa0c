//! Shapes the providers' answers share, read leniently where the providers are loose: a code
//! that is `0`, `"0"`, `602` or `"701"`; a text that may be a number; a list nested `[[…]]` or
//! flat `[…]` (or one object); a field that is missing or unreadable.

use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A provider's code as text, whether it was written as a number or a string (trimmed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Code(pub String);

impl Code {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `0`, `"0"`, `602`, `"701"` → `"0"`, `"602"`, `"701"`; anything else is no code.
    pub fn of(v: &Value) -> Option<Code> {
        match v {
            Value::Number(n) => Some(Code(n.to_string())),
            Value::String(s) => Some(Code(s.trim().to_string())),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        Code::of(&Value::deserialize(d)?)
            .ok_or_else(|| serde::de::Error::custom("a code is a number or a string"))
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A text field: a string (trimmed) or a number written as text; anything else is empty.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Code::of(&Value::deserialize(d)?)
        .map(|c| c.0)
        .unwrap_or_default())
}

/// A string field as written (not trimmed); anything that is not a string is empty.
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        _ => String::new(),
    })
}

/// A string field that may be absent or something else than a string (`None` then).
pub fn some_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        _ => None,
    })
}

/// A field of type `T`, or `None` when it does not read as one (the rest of the answer stands).
pub fn lenient<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Ok(T::deserialize(Value::deserialize(d)?).ok())
}

/// An object read as `T`; anything else (an array, which serde would read field by field, a
/// string, null) is no `T`.
pub fn object<T: DeserializeOwned>(v: &Value) -> Option<T> {
    match v {
        Value::Object(_) => T::deserialize(v).ok(),
        _ => None,
    }
}

/// The items of a list answer, whether nested (`[[…]]`), flat (`[…]`) or one object; elements
/// that are not items are skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Items<T>(pub Vec<T>);

impl<T> Default for Items<T> {
    fn default() -> Items<T> {
        Items(Vec::new())
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Items<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Items<T>, D::Error> {
        let mut out = Vec::new();
        match Value::deserialize(d)? {
            Value::Array(outer) => {
                for v in outer {
                    // One level of nesting, as CinetPay writes it.
                    match v {
                        Value::Array(inner) => {
                            out.extend(inner.iter().filter_map(|v| object::<T>(v)))
                        }
                        other => out.extend(object::<T>(&other)),
                    }
                }
            }
            v @ Value::Object(_) => out.extend(object::<T>(&v)),
            _ => {}
        }
        Ok(Items(out))
    }
}

/// A string as written, or a number as text; anything else is empty.
pub fn raw_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    })
}

/// A provider's status enum (with `parse(&str)` and `as_str()`) read from its text and written
/// back as that text, so that what is kept for audit carries the provider's own words.
macro_rules! status_text {
    // A status missing from an answer reads as `Unknown("")`: never a meaning it does not have.
    ($t:ty, unknown_by_default) => {
        $crate::wire::status_text!($t);
        impl Default for $t {
            fn default() -> Self {
                Self::Unknown(String::new())
            }
        }
    };
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$t, D::Error> {
                Ok(<$t>::parse(&$crate::wire::raw_text(d)?))
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use status_text;
