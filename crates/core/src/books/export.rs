//! Exports of payouts, collections, contacts, balance history and the event log to CSV or XLSX,
//! filtered by days, account, provider and status, streamed row by row from a read-only
//! connection (bounded memory whatever the size), with progress events.
//!
//! Secrets are in the keyring, never in the database, so no export can contain one.

use super::{status_words, DateStyle, Lang};
use crate::{CoreError, CoreEvent, EventSink, Guichet, Result};
use guichet_store::books::Filter;
use guichet_tabular::export::{self as tab, dates, Cell, Format, Options, RowWriter, Zone};
use guichet_types::{Provider, UnifiedStatus};
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Dataset {
    Payouts,
    Collections,
    Contacts,
    Balances,
    Events,
}

impl Dataset {
    pub fn parse(s: &str) -> Option<Dataset> {
        use Dataset::*;
        [Payouts, Collections, Contacts, Balances, Events]
            .into_iter()
            .find(|d| d.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Dataset::Payouts => "payouts",
            Dataset::Collections => "collections",
            Dataset::Contacts => "contacts",
            Dataset::Balances => "balances",
            Dataset::Events => "events",
        }
    }

    fn sheet(self, lang: Lang) -> &'static str {
        match self {
            Dataset::Payouts => lang.pick("Paiements", "Payouts"),
            Dataset::Collections => lang.pick("Encaissements", "Collections"),
            Dataset::Contacts => lang.pick("Contacts", "Contacts"),
            Dataset::Balances => lang.pick("Soldes", "Balances"),
            Dataset::Events => lang.pick("Journal", "Event log"),
        }
    }

    /// Column headers, French then English.
    fn headers(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Dataset::Payouts => &[
                ("N°", "No."),
                ("Date", "Date"),
                ("Compte", "Account"),
                ("Fournisseur", "Provider"),
                ("Référence", "Reference"),
                ("Réf. fournisseur", "Provider ref."),
                ("Lot", "Lot"),
                ("Téléphone", "Phone"),
                ("Nom", "Name"),
                ("Opérateur", "Operator"),
                ("Motif", "Reason"),
                ("Montant", "Amount"),
                ("Devise", "Currency"),
                ("Statut", "Status"),
                ("Statut fournisseur", "Provider status"),
                ("Détail", "Detail"),
                ("Envoyé le", "Sent at"),
                ("Final le", "Final at"),
            ],
            Dataset::Collections => &[
                ("N°", "No."),
                ("Date", "Date"),
                ("Compte", "Account"),
                ("Fournisseur", "Provider"),
                ("Type", "Kind"),
                ("Référence", "Reference"),
                ("Réf. fournisseur", "Provider ref."),
                ("Téléphone", "Phone"),
                ("Nom", "Name"),
                ("E-mail", "Email"),
                ("Motif", "Reason"),
                ("Montant", "Amount"),
                ("Devise", "Currency"),
                ("Statut", "Status"),
                ("Statut fournisseur", "Provider status"),
                ("Final le", "Final at"),
            ],
            Dataset::Contacts => &[
                ("N°", "No."),
                ("Créé le", "Created at"),
                ("Modifié le", "Updated at"),
                ("Compte", "Account"),
                ("Fournisseur", "Provider"),
                ("Téléphone", "Phone"),
                ("Nom", "Name"),
                ("Prénom", "Surname"),
                ("E-mail", "Email"),
                ("Opérateur", "Operator"),
                ("État chez le fournisseur", "Provider state"),
                ("Code fournisseur", "Provider code"),
                ("Message fournisseur", "Provider message"),
                ("Lot", "Lot"),
            ],
            Dataset::Balances => &[
                ("N°", "No."),
                ("Date", "Date"),
                ("Compte", "Account"),
                ("Fournisseur", "Provider"),
                ("Solde", "Balance"),
                ("Montant", "Amount"),
                ("Disponible", "Available"),
                ("Engagé", "In use"),
                ("Devise", "Currency"),
            ],
            Dataset::Events => &[
                ("N°", "No."),
                ("Date", "Date"),
                ("Événement", "Event"),
                ("Compte", "Account"),
                ("Fournisseur", "Provider"),
                ("Objet", "Subject"),
                ("Détail", "Detail"),
            ],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum FileFormat {
    #[default]
    Csv,
    Xlsx,
}

impl FileFormat {
    /// `xlsx` for a `.xlsx` path, CSV otherwise.
    pub fn from_path(path: &Path) -> FileFormat {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("xlsx") => FileFormat::Xlsx,
            _ => FileFormat::Csv,
        }
    }
}

/// What to export and how. Days are the merchant's local days, both inclusive.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportRequest {
    pub dataset: Option<Dataset>,
    pub format: FileFormat,
    /// CSV separator: `;` when empty.
    pub delimiter: Option<String>,
    pub date_style: DateStyle,
    pub lang: Lang,
    /// First day, `2026-11-23` or `23/11/2026`.
    pub from: Option<String>,
    /// Last day, included.
    pub to: Option<String>,
    /// Account label.
    pub account: Option<String>,
    pub provider: Option<Provider>,
    /// Payouts and collections: a status (`succeeded`…); contacts: `local`, `added`,
    /// `present` or `failed`; balances: a kind (`transfer`…); events: a kind.
    pub status: Option<String>,
    /// Minutes east of UTC for dates; the computer's time zone when absent.
    pub utc_offset_minutes: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportSummary {
    pub path: String,
    pub dataset: Dataset,
    pub rows: u64,
}

/// The progress task name of exports.
pub const TASK: &str = "export";

const CONTACT_STATES: &[&str] = &["local", "added", "present", "failed"];

impl Guichet {
    /// Writes the rows `req` asks for to `path` (created or replaced when complete).
    pub fn export(&self, req: &ExportRequest, path: &Path) -> Result<ExportSummary> {
        let dataset = req
            .dataset
            .ok_or_else(|| CoreError::invalid("dataset", "choose what to export"))?;
        let zone = match req.utc_offset_minutes {
            Some(m) if m.abs() <= 14 * 60 => Zone::Fixed(m * 60),
            Some(m) => {
                return Err(CoreError::invalid(
                    "utc_offset_minutes",
                    format!("{m} minutes is not an offset from UTC"),
                ))
            }
            None => Zone::Local,
        };
        let filter = self.books_filter(dataset, req, zone)?;
        let format = match req.format {
            FileFormat::Csv => {
                let d = req
                    .delimiter
                    .as_deref()
                    .filter(|d| !d.is_empty())
                    .unwrap_or(";");
                Format::Csv {
                    delimiter: tab::parse_delimiter(d)
                        .map_err(|e| CoreError::invalid("delimiter", e.to_string()))?,
                }
            }
            FileFormat::Xlsx => Format::Xlsx,
        };
        let options = Options {
            format,
            date_style: req.date_style.into(),
            zone,
        };
        let lang = req.lang;
        let headers: Vec<&str> = dataset
            .headers()
            .iter()
            .map(|(fr, en)| lang.pick(fr, en))
            .collect();

        let db = self.store.snapshot()?;
        let total = match dataset {
            Dataset::Payouts => db.books().count_payouts(&filter)?,
            Dataset::Collections => db.books().count_collections(&filter)?,
            Dataset::Contacts => db.books().count_contacts(&filter)?,
            Dataset::Balances => db.books().count_balances(&filter)?,
            Dataset::Events => db.books().count_events(&filter)?,
        };
        let mut out = tab::create(path, &headers, dataset.sheet(lang), options)?;
        let mut progress = Progress::new(&*self.events, total);
        let mut phone = String::with_capacity(20);
        let w = &mut out;
        match dataset {
            Dataset::Payouts => db.books().each_payout(&filter, |p| {
                e164(&mut phone, p.prefix, p.phone);
                row(
                    w,
                    &mut progress,
                    &[
                        Cell::Int(p.id),
                        Cell::Time(p.created_at),
                        Cell::Text(p.account),
                        Cell::Text(provider_name(p.provider)),
                        Cell::Text(p.reference),
                        text(p.provider_ref),
                        text(p.lot),
                        Cell::Phone(&phone),
                        Cell::Text(p.name),
                        text(p.operator),
                        Cell::Text(p.reason),
                        Cell::Amount(p.amount),
                        Cell::Text(p.currency),
                        Cell::Text(status_words(p.status, lang)),
                        text(p.provider_status),
                        text(p.status_detail),
                        time(p.submitted_at),
                        time(p.final_at),
                    ],
                )
            })?,
            Dataset::Collections => db.books().each_collection(&filter, |c| {
                row(
                    w,
                    &mut progress,
                    &[
                        Cell::Int(c.id),
                        Cell::Time(c.created_at),
                        Cell::Text(c.account),
                        Cell::Text(provider_name(c.provider)),
                        Cell::Text(c.kind),
                        Cell::Text(c.reference),
                        text(c.provider_ref),
                        c.phone.map_or(Cell::Empty, Cell::Phone),
                        text(c.name),
                        text(c.email),
                        Cell::Text(c.reason),
                        Cell::Amount(c.amount),
                        Cell::Text(c.currency),
                        Cell::Text(status_words(c.status, lang)),
                        text(c.provider_status),
                        time(c.final_at),
                    ],
                )
            })?,
            Dataset::Contacts => db.books().each_contact(&filter, |c| {
                e164(&mut phone, c.prefix, c.phone);
                row(
                    w,
                    &mut progress,
                    &[
                        Cell::Int(c.id),
                        Cell::Time(c.created_at),
                        Cell::Time(c.updated_at),
                        Cell::Text(c.account),
                        Cell::Text(provider_name(c.provider)),
                        Cell::Phone(&phone),
                        Cell::Text(c.name),
                        Cell::Text(c.surname),
                        Cell::Text(c.email),
                        text(c.operator),
                        Cell::Text(c.provider_state),
                        text(c.provider_code),
                        text(c.provider_message),
                        text(c.lot),
                    ],
                )
            })?,
            Dataset::Balances => db.books().each_balance(&filter, |b| {
                row(
                    w,
                    &mut progress,
                    &[
                        Cell::Int(b.id),
                        Cell::Time(b.taken_at),
                        Cell::Text(b.account),
                        Cell::Text(provider_name(b.provider)),
                        Cell::Text(b.kind),
                        Cell::Decimal(b.amount),
                        b.available.map_or(Cell::Empty, Cell::Decimal),
                        b.in_use.map_or(Cell::Empty, Cell::Decimal),
                        Cell::Text(b.currency),
                    ],
                )
            })?,
            Dataset::Events => db.books().each_event(&filter, |e| {
                row(
                    w,
                    &mut progress,
                    &[
                        Cell::Int(e.id),
                        Cell::Time(e.at),
                        Cell::Text(e.kind),
                        text(e.account),
                        Cell::Text(e.provider.map_or("", provider_name)),
                        text(e.subject),
                        Cell::Text(e.detail),
                    ],
                )
            })?,
        }
        out.finish()?;
        progress.finish();
        Ok(ExportSummary {
            path: path.display().to_string(),
            dataset,
            rows: progress.done,
        })
    }

    /// Turns the request's filters into store terms, refusing what cannot match anything.
    fn books_filter(&self, dataset: Dataset, req: &ExportRequest, zone: Zone) -> Result<Filter> {
        let day = |field: &str, text: &Option<String>| -> Result<Option<chrono::NaiveDate>> {
            match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                None => Ok(None),
                Some(t) => dates::parse_day(t).map(Some).ok_or_else(|| {
                    CoreError::invalid(
                        field,
                        format!("`{t}` is not a day: write 2026-11-23 or 23/11/2026"),
                    )
                }),
            }
        };
        let from = day("from", &req.from)?;
        let to = day("to", &req.to)?;
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(CoreError::invalid(
                    "to",
                    format!("the last day ({t}) is before the first ({f})"),
                ));
            }
        }
        let account_id = match req.account.as_deref().filter(|a| !a.is_empty()) {
            Some(label) => Some(self.account_row(label)?.id),
            None => None,
        };
        let status = match req
            .status
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => {
                let known = match dataset {
                    Dataset::Payouts | Dataset::Collections => UnifiedStatus::parse(s).is_some(),
                    Dataset::Contacts => CONTACT_STATES.contains(&s),
                    Dataset::Balances | Dataset::Events => true,
                };
                if !known {
                    let allowed = match dataset {
                        Dataset::Contacts => CONTACT_STATES.join(", "),
                        _ => "queued, submitting, pending, awaiting_confirmation, \
                              awaiting_customer, succeeded, failed, rejected, cancelled, \
                              outcome_unknown"
                            .into(),
                    };
                    return Err(CoreError::invalid(
                        "status",
                        format!(
                            "`{s}` is not a status of {}: use one of {allowed}",
                            dataset.as_str()
                        ),
                    ));
                }
                Some(s.to_string())
            }
        };
        Ok(Filter {
            from: from.map(|d| zone.day_start_utc(d)),
            until: to.and_then(|d| d.succ_opt()).map(|d| zone.day_start_utc(d)),
            account_id,
            provider: req.provider.map(|p| p.as_str().to_string()),
            status,
        })
    }
}

fn row(w: &mut Box<dyn RowWriter>, progress: &mut Progress, cells: &[Cell]) -> Result<()> {
    w.write_row(cells)?;
    progress.tick();
    Ok(())
}

fn text(s: Option<&str>) -> Cell<'_> {
    s.map_or(Cell::Empty, Cell::Text)
}

fn time(s: Option<&str>) -> Cell<'_> {
    s.map_or(Cell::Empty, Cell::Time)
}

/// `+2250707123456` from the stored prefix and national number.
fn e164(out: &mut String, prefix: &str, national: &str) {
    out.clear();
    if !prefix.is_empty() {
        out.push('+');
        out.push_str(prefix);
    }
    out.push_str(national);
}

fn provider_name(stored: &str) -> &str {
    stored
        .parse::<Provider>()
        .map(|p| p.display_name())
        .unwrap_or(stored)
}

/// Progress events at each whole percent, not at each row.
struct Progress<'a> {
    sink: &'a dyn EventSink,
    total: u64,
    done: u64,
    next: u64,
}

impl<'a> Progress<'a> {
    fn new(sink: &'a dyn EventSink, total: u64) -> Progress<'a> {
        let p = Progress {
            sink,
            total,
            done: 0,
            next: (total / 100).max(1),
        };
        p.emit();
        p
    }

    fn tick(&mut self) {
        self.done += 1;
        if self.done >= self.next {
            self.next = self.done + (self.total / 100).max(1);
            if self.done < self.total {
                self.emit();
            }
        }
    }

    fn finish(&self) {
        self.emit();
    }

    fn emit(&self) {
        self.sink.emit(CoreEvent::Progress {
            task: TASK.to_string(),
            done: self.done,
            total: self.total.max(self.done),
        });
    }
}
