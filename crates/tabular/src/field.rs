//! What a column can mean to Guichet, and how a header's words name it (French and English,
//! case- and accent-insensitive).

use guichet_types::text::folded;
use serde::{Deserialize, Serialize};

/// What a column can mean to Guichet. Contacts use phone, prefix, name, surname, email; payout
/// batches use phone, amount, name, reference, reason, operator; the corrections of payouts
/// paid again use phone, amount and new phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Field {
    Phone,
    /// The country calling code when it has a column of its own (`225`, `+237`).
    Prefix,
    /// Family name (`nom`).
    Name,
    /// Given name (`prénom`); CinetPay calls it `surname`.
    Surname,
    Email,
    Operator,
    Amount,
    Reference,
    Reason,
    /// The number to pay instead of the one in the phone column (`nouveau numéro`).
    NewPhone,
}

impl Field {
    pub const ALL: [Field; 10] = [
        Field::Phone,
        Field::Prefix,
        Field::Name,
        Field::Surname,
        Field::Email,
        Field::Operator,
        Field::Amount,
        Field::Reference,
        Field::Reason,
        Field::NewPhone,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Phone => "phone",
            Field::Prefix => "prefix",
            Field::Name => "name",
            Field::Surname => "surname",
            Field::Email => "email",
            Field::Operator => "operator",
            Field::Amount => "amount",
            Field::Reference => "reference",
            Field::Reason => "reason",
            Field::NewPhone => "new_phone",
        }
    }

    /// Accepts the English name and the usual French and English header words (`téléphone`).
    pub fn parse(s: &str) -> Option<Field> {
        let n = normalize(s);
        Field::ALL
            .into_iter()
            .find(|f| f.as_str() == n)
            .or_else(|| recognise(&n))
    }

    /// Header words, normalised, checked in this order: more specific fields first, so that
    /// `numéro de référence` is a reference and `first name` is not a family name.
    pub(crate) fn words(self) -> &'static [&'static str] {
        match self {
            Field::NewPhone => &[
                "nouveau numero",
                "nouveau telephone",
                "nouveau tel",
                "numero corrige",
                "telephone corrige",
                "bon numero",
                "new phone",
                "new number",
                "corrected phone",
                "corrected number",
            ],
            Field::Prefix => &[
                "indicatif",
                "prefix",
                "prefixe",
                "code pays",
                "country code",
                "dial code",
            ],
            Field::Email => &["email", "e mail", "courriel", "mail", "adresse mail"],
            Field::Operator => &["operateur", "operator", "reseau", "network", "wallet"],
            Field::Amount => &[
                "montant",
                "amount",
                "somme",
                "valeur",
                "prix",
                "net a payer",
                "net a percevoir",
                "salaire net",
                "net",
            ],
            Field::Reference => &["reference", "ref", "transaction id", "id transaction"],
            Field::Reason => &[
                "motif",
                "reason",
                "objet",
                "libelle",
                "description",
                "commentaire",
            ],
            Field::Surname => &[
                "prenom",
                "prenoms",
                "surname",
                "first name",
                "firstname",
                "given name",
            ],
            Field::Name => &[
                "nom",
                "name",
                "last name",
                "lastname",
                "nom complet",
                "full name",
                "beneficiaire",
                "beneficiary",
                "nom et prenoms",
                "nom prenoms",
            ],
            Field::Phone => &[
                "telephone",
                "tel",
                "phone",
                "numero",
                "mobile",
                "portable",
                "cellulaire",
                "gsm",
                "msisdn",
                "contact",
            ],
        }
    }
}

/// The order in which header words are tried (see [`Field::words`]).
const PRECEDENCE: [Field; 10] = [
    Field::NewPhone,
    Field::Prefix,
    Field::Email,
    Field::Operator,
    Field::Amount,
    Field::Reference,
    Field::Reason,
    Field::Surname,
    Field::Name,
    Field::Phone,
];

/// Lower case, accents and punctuation removed, single spaces: `Téléphone (Mobile)` →
/// `telephone mobile`, `N°` → `n`, `E-mail` → `e mail`.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars().flat_map(folded) {
        // `Nº` is a number sign, not the letter o.
        if c.is_alphanumeric() && c != 'º' {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The field a normalised header names: the whole header equals one of a field's words, or
/// contains one of them as whole words (`numero de telephone`, `montant fcfa`).
pub(crate) fn recognise(n: &str) -> Option<Field> {
    if n.is_empty() {
        return None;
    }
    for f in PRECEDENCE {
        if f.words().contains(&n) {
            return Some(f);
        }
    }
    let padded = format!(" {n} ");
    // One-letter words (`n` for `N°`) only count when they are the whole header.
    PRECEDENCE.into_iter().find(|f| {
        f.words()
            .iter()
            .filter(|w| w.len() > 2)
            .any(|w| padded.contains(&format!(" {w} ")))
    })
}
