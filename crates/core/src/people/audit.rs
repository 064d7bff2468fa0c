//! The audit log as core writes and reads it: every action with the acting person, chained
//! (see `guichet_store::audit`), listed, verified, exported, and told in sentences.

use super::{Action, Actor};
use crate::{CoreError, Guichet, Result};
use guichet_store::audit::{AuditRow, NewAudit, Verdict};
use guichet_tabular::export::{self as tab, Cell, DateStyle, Format, Options, Zone};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// An entry as the screens and the command line show it: the stored entry, what it is about
/// in typed fields (for a sentence the screens build themselves), and its sentences.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditEntry {
    #[serde(flatten)]
    pub row: AuditRow,
    /// What the action is about: the part of the action before the dot (`batch`, `payout`,
    /// `account`, `contact`, `collection`, `user`, `settings`, `export`…).
    pub object: String,
    /// Which one: a number (batch, payout, collection, contact) or a name (account, person).
    pub object_id: Option<String>,
    /// How many payments (or rows) it counts, when it counts any.
    pub count: Option<i64>,
    /// Its total in whole francs, when it has one.
    pub total: Option<guichet_types::Amount>,
    /// French, as the Journal shows it.
    pub sentence_fr: String,
    pub sentence_en: String,
    /// The details, typed: the app words its sentences from these.
    pub facts: AuditFacts,
}

/// What an entry's details say, as far as a sentence needs it; absent when the action does not
/// carry it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct AuditFacts {
    /// Payments in a batch.
    pub count: Option<i64>,
    /// A batch's total.
    pub total: Option<guichet_types::Amount>,
    /// A single payout's amount.
    pub amount: Option<guichet_types::Amount>,
    /// The payee of a payout, or the person added or removed.
    pub name: Option<String>,
    /// Why a payout or batch was rejected.
    pub reason: Option<String>,
    pub role: Option<super::Role>,
    /// Wrong PINs in a row.
    pub failures: Option<i64>,
    /// Rows exported.
    pub rows: Option<i64>,
    /// An approval policy as it was set.
    pub approve_above: Option<guichet_types::Amount>,
    pub batch_approve_above: Option<guichet_types::Amount>,
    pub approvals: Option<i64>,
}

impl AuditFacts {
    fn of(details: &str) -> AuditFacts {
        serde_json::from_str(details).unwrap_or_default()
    }
}

/// Which entries to show; `None` means any.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct AuditFilter {
    #[serde(default)]
    pub user: Option<String>,
    /// The part of the action before the dot: `batch`, `payout`, `user`, `signin`, `account`…
    #[serde(default)]
    pub action: Option<String>,
    /// First and last day (`2026-12-07`, UTC), both included.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

impl AuditEntry {
    pub fn of(row: AuditRow) -> AuditEntry {
        let d: serde_json::Value = serde_json::from_str(&row.details).unwrap_or_default();
        let total = d["total"].as_i64().or_else(|| d["amount"].as_i64());
        AuditEntry {
            object: row.action.split('.').next().unwrap_or("").to_string(),
            object_id: row.subject.clone(),
            count: d["count"].as_i64(),
            total: total.map(guichet_types::Amount),
            sentence_fr: sentence(&row, true),
            sentence_en: sentence(&row, false),
            facts: AuditFacts::of(&row.details),
            row,
        }
    }
}

impl Guichet {
    /// Appends an action of the acting person to the audit log.
    pub fn audit(
        &self,
        action: &str,
        subject: Option<&str>,
        details: serde_json::Value,
    ) -> Result<()> {
        let nobody = Actor {
            id: None,
            name: None,
            role: super::Role::Viewer,
        };
        self.audit_as(&self.actor().unwrap_or(nobody), action, subject, details)
    }

    pub(crate) fn audit_as(
        &self,
        actor: &Actor,
        action: &str,
        subject: Option<&str>,
        details: serde_json::Value,
    ) -> Result<()> {
        self.store.audit_mut().append(&NewAudit {
            user_id: actor.id,
            user_name: actor.name.as_deref(),
            action,
            subject,
            details: &details,
        })?;
        Ok(())
    }

    /// Entries newest first, `limit` at most, those `filter` keeps.
    pub fn audit_entries(&self, filter: &AuditFilter, limit: u32) -> Result<Vec<AuditEntry>> {
        self.require(Action::Read)?;
        let user_id = match filter.user.as_deref() {
            Some(name) => Some(
                self.store
                    .users()
                    .by_name(name)?
                    .ok_or_else(|| CoreError::NotFound {
                        what: "person",
                        key: name.to_string(),
                    })?
                    .id,
            ),
            None => None,
        };
        let mut out = Vec::new();
        let mut before = None;
        loop {
            let page = self.store.audit().list(user_id, before, 500)?;
            let Some(last) = page.last() else { break };
            before = Some(last.id);
            for row in page {
                let day = row.at.get(..10).unwrap_or("");
                let head = row.action.split('.').next().unwrap_or("");
                if filter.action.as_deref().is_some_and(|a| a != head)
                    || filter.from.as_deref().is_some_and(|f| day < f)
                    || filter.to.as_deref().is_some_and(|t| day > t)
                {
                    continue;
                }
                out.push(AuditEntry::of(row));
                if out.len() as u32 >= limit {
                    return Ok(out);
                }
            }
        }
        Ok(out)
    }

    /// Recomputes the chain and names the first entry that does not hold.
    pub fn verify_audit(&self) -> Result<Verdict> {
        self.require(Action::Read)?;
        Ok(self.store.audit().verify()?)
    }

    /// Writes the whole log, oldest first, to CSV or XLSX (from the extension), with each
    /// entry's hash so that a copy can be checked later.
    pub fn export_audit(&self, path: &Path) -> Result<u64> {
        self.require(Action::Export)?;
        let format = match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("xlsx") => Format::Xlsx,
            _ => Format::Csv { delimiter: b';' },
        };
        let mut w = tab::create(
            path,
            &[
                "id",
                "at",
                "user",
                "action",
                "subject",
                "sentence",
                "details",
                "prev_hash",
                "hash",
            ],
            "audit",
            Options {
                format,
                date_style: DateStyle::Iso,
                zone: Zone::Fixed(0),
            },
        )?;
        let mut rows = 0u64;
        let snapshot = self.store.snapshot()?;
        snapshot.audit().each(&mut |e| {
            let text = sentence(&e, true);
            w.write_row(&[
                Cell::Int(e.id),
                Cell::Time(&e.at),
                Cell::Text(e.user_name.as_deref().unwrap_or("")),
                Cell::Text(&e.action),
                Cell::Text(e.subject.as_deref().unwrap_or("")),
                Cell::Text(&text),
                Cell::Text(&e.details),
                Cell::Text(&e.prev_hash),
                Cell::Text(&e.hash),
            ])
            .map_err(|e| guichet_store::StoreError::Io(std::io::Error::other(e.to_string())))?;
            rows += 1;
            Ok(())
        })?;
        w.finish()?;
        self.audit(
            "export.audit",
            Some(&path.display().to_string()),
            serde_json::json!({"rows": rows}),
        )?;
        Ok(rows)
    }
}

/// Seconds since a stored UTC time (0 when it does not read).
pub(crate) fn seconds_since(stored: &str) -> f64 {
    time::OffsetDateTime::parse(stored, &time::format_description::well_known::Rfc3339)
        .map(|t| (time::OffsetDateTime::now_utc() - t).as_seconds_f64())
        .unwrap_or(f64::MAX)
}

/// Whole francs as every screen writes them, `1 250 000 FCFA`.
fn francs(n: i64) -> String {
    format!("{} FCFA", guichet_types::Amount(n).grouped())
}

/// An entry in a sentence a merchant reads: "Awa a préparé le lot n° 12 : 48 paiements,
/// 1 250 000 FCFA". Actions without their own words are named as they are.
pub fn sentence(e: &AuditRow, french: bool) -> String {
    let d: serde_json::Value = serde_json::from_str(&e.details).unwrap_or_default();
    let who = e.user_name.clone().unwrap_or_else(|| {
        if french {
            "Le propriétaire"
        } else {
            "The owner"
        }
        .into()
    });
    let subject = e.subject.clone().unwrap_or_default();
    let n = |k: &str| d[k].as_i64().unwrap_or(0);
    let s = |k: &str| d[k].as_str().unwrap_or("").to_string();
    let amount = francs(n("total").max(n("amount")));
    let payments = |count: i64| {
        if french {
            format!("{count} paiement{}", if count > 1 { "s" } else { "" })
        } else {
            format!("{count} payment{}", if count > 1 { "s" } else { "" })
        }
    };
    let (fr, en) = match e.action.as_str() {
        "batch.prepared" => (
            format!(
                "{who} a préparé le lot n° {subject} : {}, {amount}",
                payments(n("count"))
            ),
            format!(
                "{who} prepared batch #{subject}: {}, {amount}",
                payments(n("count"))
            ),
        ),
        "batch.approved" => (
            format!("{who} a approuvé le lot n° {subject} ({amount})"),
            format!("{who} approved batch #{subject} ({amount})"),
        ),
        "batch.rejected" => (
            format!("{who} a refusé le lot n° {subject} : « {} »", s("reason")),
            format!("{who} rejected batch #{subject}: \"{}\"", s("reason")),
        ),
        // A batch held for approval is numbered as a request until it leaves: the sentence
        // names both, so "lot n° 1" prepared and approved is found again as it left.
        "batch.sent" if n("request") > 0 => (
            format!(
                "Le lot n° {} approuvé est parti sous le n° {subject} : {}, {amount}",
                n("request"),
                payments(n("count"))
            ),
            format!(
                "Approved batch #{} was sent as batch #{subject}: {}, {amount}",
                n("request"),
                payments(n("count"))
            ),
        ),
        "batch.sent" => (
            format!(
                "Le lot n° {subject} est parti : {}, {amount}",
                payments(n("count"))
            ),
            format!(
                "Batch #{subject} was sent: {}, {amount}",
                payments(n("count"))
            ),
        ),
        "payout.prepared" => (
            format!(
                "{who} a préparé le paiement n° {subject} : {amount} à {}",
                s("name")
            ),
            format!(
                "{who} prepared payout #{subject}: {amount} to {}",
                s("name")
            ),
        ),
        "payout.approved" => (
            format!("{who} a approuvé le paiement n° {subject} ({amount})"),
            format!("{who} approved payout #{subject} ({amount})"),
        ),
        "payout.rejected" => (
            format!(
                "{who} a refusé le paiement n° {subject} : « {} »",
                s("reason")
            ),
            format!("{who} rejected payout #{subject}: \"{}\"", s("reason")),
        ),
        "payout.sent" => (
            format!("{who} a envoyé {amount} à {}", s("name")),
            format!("{who} sent {amount} to {}", s("name")),
        ),
        "signin" => (
            format!("{who} s'est identifié·e"),
            format!("{who} signed in"),
        ),
        "signin.failed" => (
            format!("PIN erroné pour {subject} ({} à la suite)", n("failures")),
            format!("Wrong PIN for {subject} ({} in a row)", n("failures")),
        ),
        "signin.too_soon" => (
            format!("{subject} a réessayé trop tôt après des PIN erronés"),
            format!("{subject} tried again too soon after wrong PINs"),
        ),
        "user.added" => (
            format!("{who} a ajouté {subject} ({})", role_fr(&s("role"))),
            format!("{who} added {subject} ({})", s("role")),
        ),
        "user.removed" => (
            format!("{who} a retiré {subject}"),
            format!("{who} removed {subject}"),
        ),
        "policy.changed" => (
            format!("{who} a changé la règle d'approbation du compte {subject}"),
            format!("{who} changed the approval policy of account {subject}"),
        ),
        "export.audit" => (
            format!("{who} a exporté le journal d'audit"),
            format!("{who} exported the audit log"),
        ),
        "export" => (
            format!(
                "{who} a exporté {} ({} lignes)",
                dataset_fr(&s("dataset")),
                n("count")
            ),
            format!("{who} exported {} ({} rows)", s("dataset"), n("count")),
        ),
        "batch.send_failed" | "payout.send_failed" => {
            let (fr, en) = if e.action.starts_with("batch") {
                ("Le lot", "Batch")
            } else {
                ("Le paiement", "Payout")
            };
            (
                format!(
                    "{fr} n° {subject}, approuvé, n'est pas parti : {}",
                    s("error")
                ),
                format!("{en} #{subject}, approved, was not sent: {}", s("error")),
            )
        }
        "batch.resent" => (
            format!("{who} a renvoyé le lot n° {subject} ({amount})"),
            format!("{who} sent batch #{subject} again ({amount})"),
        ),
        "payout.resent" => (
            format!("{who} a renvoyé le paiement n° {subject} ({amount})"),
            format!("{who} sent payout #{subject} again ({amount})"),
        ),
        "list.saved" => (
            format!(
                "{who} a enregistré la liste « {subject} » : {}, {amount}",
                payments(n("count"))
            ),
            format!(
                "{who} saved the list \"{subject}\": {}, {amount}",
                payments(n("count"))
            ),
        ),
        "list.removed" => (
            format!("{who} a supprimé la liste « {subject} »"),
            format!("{who} removed the list \"{subject}\""),
        ),
        "account.added" => (
            format!("{who} a ajouté le compte {subject}"),
            format!("{who} added account {subject}"),
        ),
        "account.changed" => (
            format!("{who} a modifié le compte {subject}"),
            format!("{who} changed account {subject}"),
        ),
        "account.removed" => (
            format!("{who} a supprimé le compte {subject}"),
            format!("{who} removed account {subject}"),
        ),
        "contacts.imported" => (
            format!("{who} a importé {} contacts sur {subject}", n("count")),
            format!("{who} imported {} contacts into {subject}", n("count")),
        ),
        "contact.changed" => (
            format!("{who} a modifié le contact n° {subject}"),
            format!("{who} changed contact #{subject}"),
        ),
        "contact.removed" => (
            format!("{who} a supprimé le contact n° {subject}"),
            format!("{who} removed contact #{subject}"),
        ),
        "collection.asked" => (
            format!("{who} a demandé {amount} (encaissement n° {subject})"),
            format!("{who} asked for {amount} (collection #{subject})"),
        ),
        "collection.authorized" => (
            format!("{who} a validé le code de l'encaissement n° {subject}"),
            format!("{who} confirmed the code of collection #{subject}"),
        ),
        "collection.cancelled" => (
            format!("{who} a annulé l'encaissement n° {subject}"),
            format!("{who} cancelled collection #{subject}"),
        ),
        "reconcile" => (
            format!(
                "{who} a rapproché un relevé du compte {subject} ({} lignes)",
                n("count")
            ),
            format!(
                "{who} reconciled a statement of account {subject} ({} lines)",
                n("count")
            ),
        ),
        "settings.changed" => (
            format!("{who} a changé les réglages ({subject})"),
            format!("{who} changed the settings ({subject})"),
        ),
        other => (
            format!("{who} : {other} {subject}"),
            format!("{who}: {other} {subject}"),
        ),
    };
    if french {
        fr.trim_end().to_string()
    } else {
        en.trim_end().to_string()
    }
}

fn dataset_fr(dataset: &str) -> &'static str {
    match dataset {
        "payouts" => "les paiements",
        "collections" => "les encaissements",
        "contacts" => "les contacts",
        "balances" => "les soldes",
        "events" => "le journal",
        "reconciliation" => "un rapprochement",
        _ => "des données",
    }
}

fn role_fr(role: &str) -> &'static str {
    match role {
        "owner" => "propriétaire",
        "preparer" => "préparateur",
        "approver" => "approbateur",
        _ => "lecteur",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_journal_words_a_prepared_batch() {
        let row = AuditRow {
            id: 1,
            at: "2026-12-07T00:00:00.000Z".into(),
            user_id: Some(2),
            user_name: Some("Awa".into()),
            action: "batch.prepared".into(),
            subject: Some("12".into()),
            details: r#"{"count":48,"total":1250000}"#.into(),
            prev_hash: String::new(),
            hash: String::new(),
        };
        assert_eq!(
            sentence(&row, true),
            "Awa a préparé le lot n° 12 : 48 paiements, 1\u{202f}250\u{202f}000 FCFA"
        );
        assert_eq!(
            sentence(&row, false),
            "Awa prepared batch #12: 48 payments, 1\u{202f}250\u{202f}000 FCFA"
        );
    }

    #[test]
    fn a_batch_sent_after_approval_is_named_by_both_its_numbers() {
        let row = AuditRow {
            id: 3,
            at: "2026-12-07T00:00:00.000Z".into(),
            user_id: Some(1),
            user_name: Some("Moussa".into()),
            action: "batch.sent".into(),
            subject: Some("5".into()),
            details: r#"{"request":1,"count":2,"total":9000}"#.into(),
            prev_hash: String::new(),
            hash: String::new(),
        };
        assert_eq!(
            sentence(&row, true),
            "Le lot n° 1 approuvé est parti sous le n° 5 : 2 paiements, 9\u{202f}000 FCFA"
        );
    }
}
