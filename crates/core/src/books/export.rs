//! Exports of payouts, collections, contacts, balance history and the event log to CSV or XLSX,
//! filtered by days, account, provider and status, streamed row by row from a read-only
//! connection (bounded memory whatever the size), with progress events.
//!
//! Secrets are in the keyring, never in the database, so no export can contain one.

use super::{status_words, DateStyle, Lang};
use crate::Invalid;
use crate::{CoreError, CoreEvent, EventSink, Guichet, Result};
use guichet_store::books::{
    BalanceLine, CollectionLine, ContactLine, EventLine, Filter, PayoutLine,
};
use guichet_store::contacts::ProviderState;
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

/// What a cell may need besides its row: the row's phone number written out (`+225…`, for the
/// datasets that have one) and the language of the file.
struct Ctx<'a> {
    phone: &'a str,
    lang: Lang,
}

/// A column of an export: its header in French and in English, and how its cell is read from a
/// row (`C`: a function of the dataset's line). Each dataset's columns are one list, so a header
/// and its cell cannot drift apart.
struct Column<C> {
    fr: &'static str,
    en: &'static str,
    cell: C,
}

const fn col<C>(fr: &'static str, en: &'static str, cell: C) -> Column<C> {
    Column { fr, en, cell }
}

impl<C> Column<C> {
    fn header(&self, lang: Lang) -> &'static str {
        lang.pick(self.fr, self.en)
    }
}

/// How a cell is read from each dataset's line.
type PayoutCell = for<'a> fn(&'a PayoutLine<'a>, &Ctx<'a>) -> Cell<'a>;
type CollectionCell = for<'a> fn(&'a CollectionLine<'a>, &Ctx<'a>) -> Cell<'a>;
type ContactCell = for<'a> fn(&'a ContactLine<'a>, &Ctx<'a>) -> Cell<'a>;
type BalanceCell = for<'a> fn(&'a BalanceLine<'a>, &Ctx<'a>) -> Cell<'a>;
type EventCell = for<'a> fn(&'a EventLine<'a>, &Ctx<'a>) -> Cell<'a>;

const PAYOUTS: &[Column<PayoutCell>] = &[
    col("N°", "No.", |p, _| Cell::Int(p.id)),
    col("Date", "Date", |p, _| Cell::Time(p.created_at)),
    col("Compte", "Account", |p, _| Cell::Text(p.account)),
    col("Fournisseur", "Provider", |p, _| {
        Cell::Text(provider_name(p.provider))
    }),
    col("Référence", "Reference", |p, _| Cell::Text(p.reference)),
    col("Réf. fournisseur", "Provider ref.", |p, _| {
        text(p.provider_ref)
    }),
    col("Lot", "Lot", |p, _| text(p.lot)),
    col("Téléphone", "Phone", |_, x| Cell::Phone(x.phone)),
    col("Nom", "Name", |p, _| Cell::Text(p.name)),
    col("Opérateur", "Operator", |p, _| {
        text(p.operator.map(guichet_types::operator_name))
    }),
    col("Motif", "Reason", |p, _| Cell::Text(p.reason)),
    col("Montant", "Amount", |p, _| Cell::Amount(p.amount)),
    col("Devise", "Currency", |p, _| Cell::Text(p.currency)),
    col("Statut", "Status", |p, x| {
        Cell::Text(status_words(p.status, x.lang))
    }),
    col("Statut fournisseur", "Provider status", |p, _| {
        text(p.provider_status)
    }),
    col("Détail", "Detail", |p, _| text(p.status_detail)),
    col("Envoyé le", "Sent at", |p, _| time(p.submitted_at)),
    col("Final le", "Final at", |p, _| time(p.final_at)),
    // Reported by My-CoolPay only; empty where the provider reported none.
    col("Frais", "Fees", |p, _| {
        p.fee.map_or(Cell::Empty, Cell::Amount)
    }),
];

const COLLECTIONS: &[Column<CollectionCell>] = &[
    col("N°", "No.", |c, _| Cell::Int(c.id)),
    col("Date", "Date", |c, _| Cell::Time(c.created_at)),
    col("Compte", "Account", |c, _| Cell::Text(c.account)),
    col("Fournisseur", "Provider", |c, _| {
        Cell::Text(provider_name(c.provider))
    }),
    col("Type", "Kind", |c, _| Cell::Text(c.kind)),
    col("Référence", "Reference", |c, _| Cell::Text(c.reference)),
    col("Réf. fournisseur", "Provider ref.", |c, _| {
        text(c.provider_ref)
    }),
    col("Téléphone", "Phone", |c, _| {
        c.phone.map_or(Cell::Empty, Cell::Phone)
    }),
    col("Nom", "Name", |c, _| text(c.name)),
    col("E-mail", "Email", |c, _| text(c.email)),
    col("Motif", "Reason", |c, _| Cell::Text(c.reason)),
    col("Montant", "Amount", |c, _| Cell::Amount(c.amount)),
    col("Devise", "Currency", |c, _| Cell::Text(c.currency)),
    col("Statut", "Status", |c, x| {
        Cell::Text(status_words(c.status, x.lang))
    }),
    col("Statut fournisseur", "Provider status", |c, _| {
        text(c.provider_status)
    }),
    col("Final le", "Final at", |c, _| time(c.final_at)),
];

const CONTACTS: &[Column<ContactCell>] = &[
    col("N°", "No.", |c, _| Cell::Int(c.id)),
    col("Créé le", "Created at", |c, _| Cell::Time(c.created_at)),
    col("Modifié le", "Updated at", |c, _| Cell::Time(c.updated_at)),
    col("Compte", "Account", |c, _| Cell::Text(c.account)),
    col("Fournisseur", "Provider", |c, _| {
        Cell::Text(provider_name(c.provider))
    }),
    col("Téléphone", "Phone", |_, x| Cell::Phone(x.phone)),
    col("Nom", "Name", |c, _| Cell::Text(c.name)),
    col("Prénom", "Surname", |c, _| Cell::Text(c.surname)),
    col("E-mail", "Email", |c, _| Cell::Text(c.email)),
    col("Opérateur", "Operator", |c, _| text(c.operator)),
    col("État chez le fournisseur", "Provider state", |c, _| {
        Cell::Text(c.provider_state)
    }),
    col("Code fournisseur", "Provider code", |c, _| {
        text(c.provider_code)
    }),
    col("Message fournisseur", "Provider message", |c, _| {
        text(c.provider_message)
    }),
    col("Lot", "Lot", |c, _| text(c.lot)),
];

const BALANCES: &[Column<BalanceCell>] = &[
    col("N°", "No.", |b, _| Cell::Int(b.id)),
    col("Date", "Date", |b, _| Cell::Time(b.taken_at)),
    col("Compte", "Account", |b, _| Cell::Text(b.account)),
    col("Fournisseur", "Provider", |b, _| {
        Cell::Text(provider_name(b.provider))
    }),
    col("Solde", "Balance", |b, _| Cell::Text(b.kind)),
    col("Montant", "Amount", |b, _| Cell::Decimal(b.amount)),
    col("Disponible", "Available", |b, _| {
        b.available.map_or(Cell::Empty, Cell::Decimal)
    }),
    col("Engagé", "In use", |b, _| {
        b.in_use.map_or(Cell::Empty, Cell::Decimal)
    }),
    col("Devise", "Currency", |b, _| Cell::Text(b.currency)),
];

const EVENTS: &[Column<EventCell>] = &[
    col("N°", "No.", |e, _| Cell::Int(e.id)),
    col("Date", "Date", |e, _| Cell::Time(e.at)),
    col("Événement", "Event", |e, _| Cell::Text(e.kind)),
    col("Compte", "Account", |e, _| text(e.account)),
    col("Fournisseur", "Provider", |e, _| {
        Cell::Text(e.provider.map_or("", provider_name))
    }),
    col("Objet", "Subject", |e, _| text(e.subject)),
    col("Détail", "Detail", |e, _| Cell::Text(e.detail)),
];

impl Guichet {
    /// Writes the rows `req` asks for to `path` (created or replaced when complete).
    pub fn export(&self, req: &ExportRequest, path: &Path) -> Result<ExportSummary> {
        self.require(crate::people::Action::Export)?;
        let dataset = req.dataset.ok_or_else(|| {
            CoreError::invalid("dataset", Invalid::Required, "choose what to export")
        })?;
        let zone = match req.utc_offset_minutes {
            Some(m) if m.abs() <= 14 * 60 => Zone::Fixed(m * 60),
            Some(m) => {
                return Err(CoreError::invalid(
                    "utc_offset_minutes",
                    Invalid::Range {
                        min: -14 * 60,
                        max: 14 * 60,
                    },
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
                    delimiter: tab::parse_delimiter(d).map_err(|e| {
                        CoreError::invalid(
                            "delimiter",
                            Invalid::NotAChoice {
                                value: String::new(),
                            },
                            e.to_string(),
                        )
                    })?,
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
        let headers: Vec<&str> = match dataset {
            Dataset::Payouts => PAYOUTS.iter().map(|c| c.header(lang)).collect(),
            Dataset::Collections => COLLECTIONS.iter().map(|c| c.header(lang)).collect(),
            Dataset::Contacts => CONTACTS.iter().map(|c| c.header(lang)).collect(),
            Dataset::Balances => BALANCES.iter().map(|c| c.header(lang)).collect(),
            Dataset::Events => EVENTS.iter().map(|c| c.header(lang)).collect(),
        };

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
                let x = Ctx {
                    phone: &phone,
                    lang,
                };
                row(
                    w,
                    &mut progress,
                    PAYOUTS.iter().map(|col| (col.cell)(p, &x)),
                )
            })?,
            Dataset::Collections => db.books().each_collection(&filter, |c| {
                let x = Ctx {
                    phone: &phone,
                    lang,
                };
                row(
                    w,
                    &mut progress,
                    COLLECTIONS.iter().map(|col| (col.cell)(c, &x)),
                )
            })?,
            Dataset::Contacts => db.books().each_contact(&filter, |c| {
                e164(&mut phone, c.prefix, c.phone);
                let x = Ctx {
                    phone: &phone,
                    lang,
                };
                row(
                    w,
                    &mut progress,
                    CONTACTS.iter().map(|col| (col.cell)(c, &x)),
                )
            })?,
            Dataset::Balances => db.books().each_balance(&filter, |b| {
                let x = Ctx {
                    phone: &phone,
                    lang,
                };
                row(
                    w,
                    &mut progress,
                    BALANCES.iter().map(|col| (col.cell)(b, &x)),
                )
            })?,
            Dataset::Events => db.books().each_event(&filter, |e| {
                let x = Ctx {
                    phone: &phone,
                    lang,
                };
                row(w, &mut progress, EVENTS.iter().map(|col| (col.cell)(e, &x)))
            })?,
        }
        out.finish()?;
        progress.finish();
        let file = path.file_name().map(|n| n.to_string_lossy().into_owned());
        self.audit(
            "export",
            Some(dataset.sheet(Lang::En)),
            serde_json::json!({"dataset": dataset, "count": progress.done, "file": file}),
        )?;
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
                        Invalid::NotDate {
                            value: t.to_string(),
                        },
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
                    Invalid::EndBeforeStart,
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
                    Dataset::Contacts => ProviderState::parse(s).is_some(),
                    Dataset::Balances | Dataset::Events => true,
                };
                if !known {
                    let allowed: Vec<&str> = match dataset {
                        Dataset::Contacts => ProviderState::ALL.map(ProviderState::as_str).to_vec(),
                        _ => UnifiedStatus::ALL.map(UnifiedStatus::as_str).to_vec(),
                    };
                    let allowed = allowed.join(", ");
                    return Err(CoreError::invalid(
                        "status",
                        Invalid::NotAChoice {
                            value: s.to_string(),
                        },
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

/// The most columns a dataset has: a row's cells are gathered on the stack.
const MOST_COLUMNS: usize = 24;

fn row<'a>(
    w: &mut Box<dyn RowWriter>,
    progress: &mut Progress,
    cells: impl Iterator<Item = Cell<'a>>,
) -> Result<()> {
    let mut row = [Cell::Empty; MOST_COLUMNS];
    let mut n = 0;
    for (slot, cell) in row.iter_mut().zip(cells) {
        *slot = cell;
        n += 1;
    }
    w.write_row(&row[..n])?;
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
