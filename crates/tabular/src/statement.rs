//! A provider's statement, as downloaded from its back-office, read for reconciliation.
//!
//! CinetPay's daily transfer export is a `;`-separated, quoted CSV with the headers
//! `"Date Création (GMT)";"Date Modification";"Date de traitement";"ID CinetPay";"ID Marchand";
//! "ID Operateur";"Téléphone";"Opérateur";"Montant Envoyé";"Marchand verifié ?";"Statut";
//! "Commentaire"`. Once opened and saved by Excel it may be Windows-1252, carry a BOM, or use
//! `,`: all are read. Headers are found by name, whatever their order, case or accents.
//!
//! A row that cannot be read (an amount that is not whole francs, no identifier at all) is kept
//! as a [`LineError`] naming its line and column; the other rows are still read.

use chrono::NaiveDateTime;
use guichet_types::{Amount, AmountInput, Currency};

/// Largest statement read, in bytes: a day of transfers is far smaller.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferLine {
    /// Line in the file, the header being line 1.
    pub line: usize,
    /// `Date Création (GMT)`, when it could be read.
    pub created_utc: Option<NaiveDateTime>,
    pub cinetpay_id: String,
    /// `ID Marchand`: our `client_transaction_id`.
    pub merchant_id: String,
    pub phone: String,
    pub operator: String,
    pub amount: Amount,
    /// `Statut` as written (`VAL`, `REJ`, `Validé`…).
    pub status: String,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub column: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Statement {
    pub lines: Vec<TransferLine>,
    pub errors: Vec<LineError>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StatementError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {} MB; a daily statement is much smaller", MAX_BYTES / 1024 / 1024)]
    TooLarge,
    #[error("this is not a CinetPay transfer statement: no `{0}` column in the first line")]
    MissingColumn(&'static str),
    #[error("line {line}: {message}")]
    Unreadable { line: usize, message: String },
}

/// The columns read, by their normalised header names (French, then English variants).
const COLUMNS: &[(&str, &[&str])] = &[
    (
        "Date Création (GMT)",
        &[
            "datecreationgmt",
            "datecreation",
            "creationdate",
            "createdat",
        ],
    ),
    (
        "ID CinetPay",
        &["idcinetpay", "cinetpayid", "transactionid"],
    ),
    (
        "ID Marchand",
        &["idmarchand", "merchantid", "clienttransactionid"],
    ),
    ("Téléphone", &["telephone", "phone", "receiver"]),
    ("Opérateur", &["operateur", "operator"]),
    (
        "Montant Envoyé",
        &["montantenvoye", "montant", "amountsent", "amount"],
    ),
    ("Statut", &["statut", "status", "treatmentstatus"]),
    ("Commentaire", &["commentaire", "comment"]),
];
const REQUIRED: &[&str] = &["ID CinetPay", "ID Marchand", "Montant Envoyé", "Statut"];

/// Reads a CinetPay transfer statement from the file's bytes.
pub fn read_cinetpay(bytes: &[u8]) -> Result<Statement, StatementError> {
    if bytes.len() > MAX_BYTES {
        return Err(StatementError::TooLarge);
    }
    let text = decode(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("");
    if first.trim().is_empty() {
        return Err(StatementError::Empty);
    }
    let delimiter = crate::csv_source::detect_separator(text.as_bytes());
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut header = csv::StringRecord::new();
    match reader.read_record(&mut header) {
        Ok(true) => {}
        Ok(false) => return Err(StatementError::Empty),
        Err(e) => {
            return Err(StatementError::Unreadable {
                line: 1,
                message: e.to_string(),
            })
        }
    }
    let names: Vec<String> = header.iter().map(fold).collect();
    let position = |column: &str| -> Option<usize> {
        let (_, aliases) = COLUMNS.iter().find(|(c, _)| *c == column)?;
        aliases
            .iter()
            .find_map(|a| names.iter().position(|n| n == a))
    };
    for column in REQUIRED {
        if position(column).is_none() {
            return Err(StatementError::MissingColumn(column));
        }
    }
    let at = |c: &str| position(c);
    let (created, cinetpay, merchant, phone, operator, amount, status, comment) = (
        at("Date Création (GMT)"),
        at("ID CinetPay"),
        at("ID Marchand"),
        at("Téléphone"),
        at("Opérateur"),
        at("Montant Envoyé"),
        at("Statut"),
        at("Commentaire"),
    );

    let mut out = Statement::default();
    let mut record = csv::StringRecord::new();
    loop {
        // The reader stops on the record's last line, so this names the line people see (for a
        // quoted value spanning lines, its last one).
        let read = reader.read_record(&mut record);
        let line = reader.position().line() as usize;
        match read {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                out.errors.push(LineError {
                    line,
                    column: String::new(),
                    message: e.to_string(),
                });
                continue;
            }
        }
        let get = |i: Option<usize>| -> String {
            i.and_then(|i| record.get(i))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let (cinetpay_id, merchant_id) = (get(cinetpay), get(merchant));
        if cinetpay_id.is_empty() && merchant_id.is_empty() {
            out.errors.push(LineError {
                line,
                column: "ID Marchand".into(),
                message: "neither ID Marchand nor ID CinetPay: the row cannot be matched".into(),
            });
            continue;
        }
        let amount_text = get(amount);
        // CinetPay transfers are in francs CFA of Côte d'Ivoire (XOF).
        let amount = match Amount::read(&AmountInput::Text(amount_text), Currency::XOF) {
            Ok(a) => a,
            Err(e) => {
                out.errors.push(LineError {
                    line,
                    column: "Montant Envoyé".into(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        out.lines.push(TransferLine {
            line,
            created_utc: parse_time(&get(created)),
            cinetpay_id,
            merchant_id,
            phone: get(phone),
            operator: get(operator),
            amount,
            status: get(status),
            comment: get(comment),
        });
    }
    Ok(out)
}

/// UTF-8 (with or without BOM), UTF-16 with a BOM, otherwise Windows-1252 — what Excel saves
/// on a French Windows.
fn decode(bytes: &[u8]) -> String {
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc.decode_with_bom_removal(bytes).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// `Date Création (GMT)` → `datecreationgmt`: the reader's header normalisation, without the
/// spaces.
pub fn fold(h: &str) -> String {
    crate::header::normalize(h).replace(' ', "")
}

/// The dates back-offices write: `2026-11-23 14:05:09`, `23/11/2026 14:05:09`, without seconds.
fn parse_time(s: &str) -> Option<NaiveDateTime> {
    [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%d-%m-%Y %H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .or_else(|| {
        ["%Y-%m-%d", "%d/%m/%Y"].iter().find_map(|f| {
            chrono::NaiveDate::parse_from_str(s, f)
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "\"Date Création (GMT)\";\"Date Modification\";\"Date de traitement\";\"ID CinetPay\";\"ID Marchand\";\"ID Operateur\";\"Téléphone\";\"Opérateur\";\"Montant Envoyé\";\"Marchand verifié ?\";\"Statut\";\"Commentaire\"";

    #[test]
    fn reads_a_windows_1252_statement_with_french_amounts() {
        let text = format!(
            "{HEADER}\r\n\"2026-11-23 09:12:44\";\"\";\"\";\"EA261123.0912.A1\";\"GCH1\";\"OP1\";\"+2250707123456\";\"OM\";\"1 500\";\"Oui\";\"VAL\";\"Transfert effectué\"\r\n\"23/11/2026 10:00\";\"\";\"\";\"EA2\";\"\";\"\";\"0505\";\"MOMO\";\"200,00\";\"\";\"REJ\";\"\"\r\n\"\";\"\";\"\";\"EA3\";\"GCH3\";\"\";\"\";\"\";\"12,5\";\"\";\"VAL\";\"\"\r\n"
        );
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
        assert!(std::str::from_utf8(&bytes).is_err(), "really Windows-1252");
        let s = read_cinetpay(&bytes).unwrap();
        assert_eq!(s.lines.len(), 2);
        let a = &s.lines[0];
        assert_eq!(a.line, 2);
        assert_eq!(a.merchant_id, "GCH1");
        assert_eq!(a.cinetpay_id, "EA261123.0912.A1");
        assert_eq!(a.amount, Amount(1500));
        assert_eq!(a.comment, "Transfert effectué");
        assert_eq!(a.created_utc.unwrap().to_string(), "2026-11-23 09:12:44");
        assert_eq!(s.lines[1].amount, Amount(200));
        assert_eq!(s.lines[1].merchant_id, "");
        assert_eq!(s.errors.len(), 1);
        assert_eq!(s.errors[0].line, 4);
        assert_eq!(s.errors[0].column, "Montant Envoyé");
    }

    #[test]
    fn utf8_with_bom_and_commas() {
        let text = "\u{feff}ID CinetPay,ID Marchand,Montant Envoyé,Statut\nEA1,GCH1,500,VAL\n";
        let s = read_cinetpay(text.as_bytes()).unwrap();
        assert_eq!(s.lines.len(), 1);
        assert_eq!(s.lines[0].status, "VAL");
    }

    #[test]
    fn refuses_what_is_not_a_statement() {
        assert_eq!(read_cinetpay(b""), Err(StatementError::Empty));
        assert_eq!(
            read_cinetpay(b"nom;telephone;montant\nAwa;0707;500\n"),
            Err(StatementError::MissingColumn("ID CinetPay"))
        );
    }
}
