//! The merchant's eye on a French screen: no English text of the app's own catalogue, and no
//! phone, amount or date cut by an ellipsis or clipped by its column.

use crate::Session;
use std::collections::BTreeSet;

const FR: &str = include_str!("../../../ui/src/lib/messages.fr.ts");
const EN: &str = include_str!("../../../ui/src/lib/messages.en.ts");

/// Words both languages write alike but that the French catalogue happens not to use, and
/// names: never a sign of English.
const SHARED: &[&str] = &[
    "guichet",
    "cinetpay",
    "coolpay",
    "softsystem",
    "orange",
    "money",
    "mobile",
    "moov",
    "wave",
    "fcfa",
    "excel",
    "xlsx",
    "json",
    "https",
    "http",
    "site",
    "contacts",
    "exports",
    "format",
    "total",
    "date",
    "dates",
    "type",
    "secrets",
    "mail",
    "back",
    "office",
    "proxy",
    "tunnel",
    "socat",
    "keepassxc",
    "gnome",
    "keyring",
    "forwarded",
    "iban",
    "ussd",
];

/// The texts of a catalogue file (`  "key": "text",`), their `{placeholders}` removed.
fn texts(src: &str) -> Vec<String> {
    src.lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l.strip_prefix('"')?;
            let (_, value) = rest.split_once("\": \"")?;
            let value = value.strip_suffix("\",")?;
            let mut out = String::new();
            let mut depth = 0;
            for c in value.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ if depth == 0 => out.push(c),
                    _ => {}
                }
            }
            Some(out)
        })
        .collect()
}

/// Lower-case words of at least four letters.
pub fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .collect()
}

/// The words of the English catalogue that no French text uses (`payout`, `balance`, `digits`…).
pub fn english_only() -> BTreeSet<String> {
    let fr: BTreeSet<String> = texts(FR).iter().flat_map(|t| words(t)).collect();
    texts(EN)
        .iter()
        .flat_map(|t| words(t))
        .filter(|w| !fr.contains(w) && !SHARED.contains(&w.as_str()))
        .collect()
}

/// Phones, amounts and dates that are cut: an ellipsis beside a digit, or a cell whose text
/// runs past its width.
const CUT_SCRIPT: &str = r#"
const key = /(\+\d{3}[\d ]*|\d[\d\u202f ]*\u00a0FCFA|\d{2}\/\d{2}\/\d{4}( \d{2}:\d{2})?)/;
const out = [];
const text = document.body.innerText;
for (const m of text.matchAll(/.{0,20}(\d…|…\d|\d\.\.\.).{0,20}/g)) out.push("ellipsis: " + m[0]);
for (const el of document.querySelectorAll("td, th, [role=gridcell], .amount, .num")) {
  const t = el.innerText.trim();
  if (!key.test(t)) continue;
  if (el.scrollWidth > el.clientWidth + 1) out.push("clipped: " + t);
}
return out;
"#;

impl Session {
    /// Fails when the screen shows an English word of the app's catalogue or a cut phone,
    /// amount or date; `screen` names it in the failure.
    pub fn assert_french(&self, screen: &str) {
        let english = english_only();
        let text = self
            .script("return document.body.innerText")
            .as_str()
            .unwrap_or_default()
            .to_string();
        let found: Vec<String> = words(&text)
            .into_iter()
            .filter(|w| english.contains(w))
            .collect();
        let cut: Vec<String> = self
            .script(CUT_SCRIPT)
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        if !found.is_empty() || !cut.is_empty() {
            self.screenshot(&format!("eye-{screen}"));
            panic!(
                "{screen}: English words {found:?}, cut values {cut:?}\n--- screen text ---\n{text}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The check knows the English it hunts for, and it finds the texts merchants reported.
    #[test]
    fn the_english_catalogue_gives_words_french_never_uses() {
        let english = english_only();
        for w in ["payout", "balance", "digits", "account"] {
            assert!(english.contains(w), "{w} missing from {english:?}");
        }
        for w in ["paiement", "solde", "compte", "guichet", "fcfa"] {
            assert!(!english.contains(w), "{w}");
        }
        // "phone: `07 08 12 34` has 8 digits" and "CinetPay transfers are between…" are caught.
        let seen =
            words("phone: `07 08 12 34` has 8 digits; transfers are between 200 and 1500000");
        assert!(seen.iter().any(|w| english.contains(w)));
    }
}
