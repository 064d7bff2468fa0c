//! PINs: kept as Argon2id hashes (PHC strings, salt inside), checked in constant time by the
//! `argon2` crate; wrong ones earn a delay that grows with each failure in a row.

use crate::Invalid;
use crate::{CoreError, Result};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::time::Duration;

pub const MIN_PIN_LEN: usize = 4;

pub(crate) fn check_new(pin: &str) -> Result<()> {
    if pin.chars().count() < MIN_PIN_LEN {
        return Err(CoreError::invalid(
            "pin",
            Invalid::TooShort {
                min: MIN_PIN_LEN as u32,
            },
            format!("a PIN has at least {MIN_PIN_LEN} characters"),
        ));
    }
    Ok(())
}

pub(crate) fn hash(pin: &str) -> Result<String> {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let salt = SaltString::encode_b64(&bytes)
        .map_err(|e| CoreError::Io(format!("PIN hashing failed: {e}")))?;
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CoreError::Io(format!("PIN hashing failed: {e}")))
}

pub(crate) fn matches(pin: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(pin.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// How long to wait after `failures` wrong PINs in a row before the next try: none after the
/// first, then 2 s, 4 s, 8 s… up to 5 minutes.
pub fn delay_after(failures: u32) -> Duration {
    match failures {
        0 | 1 => Duration::ZERO,
        n => Duration::from_secs((1u64 << (n - 1).min(16)).min(300)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_checks_against_its_hash_only() {
        let h = hash("4821").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(!h.contains("4821"));
        assert!(matches("4821", &h));
        assert!(!matches("4822", &h));
        assert!(!matches("4821", "not a hash"));
        assert_ne!(hash("4821").unwrap(), h, "salted");
    }

    #[test]
    fn the_delay_grows_and_stops_growing() {
        let d: Vec<u64> = (0..12).map(|n| delay_after(n).as_secs()).collect();
        assert_eq!(&d[..6], &[0, 0, 2, 4, 8, 16]);
        assert_eq!(delay_after(40).as_secs(), 300);
        assert!(check_new("12").is_err());
        assert!(check_new("1234").is_ok());
    }
}
