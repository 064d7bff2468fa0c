//! The books: clean files for the accountant ([`export`]) and the check that Guichet and the
//! provider agree ([`reconcile`]).

pub mod export;
pub mod reconcile;

use serde::{Deserialize, Serialize};

/// The language of headers and status words in files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    pub fn pick(self, fr: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }
}

/// How dates are written: French (`23/11/2026 14:05`, and decimal commas in CSV) or ISO 8601.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum DateStyle {
    #[default]
    Fr,
    Iso,
}

impl From<DateStyle> for guichet_tabular::export::DateStyle {
    fn from(d: DateStyle) -> Self {
        match d {
            DateStyle::Fr => guichet_tabular::export::DateStyle::Fr,
            DateStyle::Iso => guichet_tabular::export::DateStyle::Iso,
        }
    }
}

/// A status in the merchant's words, for files.
pub fn status_words(status: &str, lang: Lang) -> &str {
    let (fr, en) = match status {
        "queued" => ("en file", "queued"),
        "submitting" => ("en envoi", "sending"),
        "pending" => ("en cours", "pending"),
        "awaiting_confirmation" => ("à confirmer", "awaiting confirmation"),
        "awaiting_customer" => ("attente du client", "awaiting customer"),
        "succeeded" => ("réussi", "succeeded"),
        "failed" => ("échoué", "failed"),
        "rejected" => ("rejeté", "rejected"),
        "cancelled" => ("annulé", "cancelled"),
        "outcome_unknown" => ("issue inconnue", "outcome unknown"),
        other => return other,
    };
    lang.pick(fr, en)
}
