//! Reconciliation: does CinetPay's own record of the day's transfers agree with Guichet's?
//!
//! Each row of the provider's statement is matched to a local payout by `ID Marchand` (our
//! reference, sent as `client_transaction_id`), then by `ID CinetPay`. Every row lands in one
//! category: matched, updated, missing locally, status differing, amount differing, unreadable;
//! and every local payout of the statement's days that the statement does not list is missing at
//! the provider.
//!
//! What changes the ledger: only a final status the provider shows (VAL / REJ, or their words)
//! for a payout Guichet still has in progress, and only when the amounts agree. It goes through
//! the payout's append-only history as a `reconciliation` event. A final status is never
//! changed, and an amount is never "fixed": both are reported for the merchant to look into.

use super::export::FileFormat;
use super::{status_words, Lang};
use crate::Invalid;
use crate::{CoreError, Guichet, Result};
use guichet_store::payouts::{Change, PayoutRow};
use guichet_tabular::export::{self as tab, Cell, DateStyle, Format, Options, Zone};
use guichet_tabular::statement::{self, TransferLine};
use guichet_types::{Amount, Provider, UnifiedStatus};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Category {
    /// Same payout, same amount, statuses agree.
    Matched,
    /// The provider showed a final status for a payout still in progress here: recorded.
    Updated,
    /// The provider lists a transfer Guichet has no payout for (on this account).
    MissingLocally,
    /// Guichet sent a payout on the statement's days that the statement does not list.
    MissingAtProvider,
    /// Statuses contradict and Guichet did not change anything (a final status is final).
    StatusDiffers,
    /// Amounts differ: reported, never changed.
    AmountDiffers,
    /// A row of the file that could not be read.
    Unreadable,
}

impl Category {
    fn words(self, lang: Lang) -> &'static str {
        match self {
            Category::Matched => lang.pick("concordant", "matched"),
            Category::Updated => lang.pick("mis à jour", "updated"),
            Category::MissingLocally => lang.pick("absent de Guichet", "missing locally"),
            Category::MissingAtProvider => {
                lang.pick("absent chez le fournisseur", "missing at provider")
            }
            Category::StatusDiffers => lang.pick("statut différent", "status differs"),
            Category::AmountDiffers => lang.pick("montant différent", "amount differs"),
            Category::Unreadable => lang.pick("ligne illisible", "unreadable row"),
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReconLine {
    pub category: Category,
    /// Line of the provider's file; none for a payout missing at the provider.
    pub line: Option<u32>,
    pub payout_id: Option<i64>,
    /// Our reference (`ID Marchand`).
    pub reference: Option<String>,
    pub cinetpay_id: Option<String>,
    pub phone: String,
    pub local_amount: Option<Amount>,
    pub provider_amount: Option<Amount>,
    pub local_status: Option<UnifiedStatus>,
    /// `Statut` as the provider wrote it.
    pub provider_status: Option<String>,
    /// The status recorded by this reconciliation (category `updated`).
    pub new_status: Option<UnifiedStatus>,
    /// Why a row was unreadable.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReconCounts {
    pub matched: u32,
    pub updated: u32,
    pub missing_locally: u32,
    pub missing_at_provider: u32,
    pub status_differs: u32,
    pub amount_differs: u32,
    pub unreadable: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReconcileReport {
    pub account: String,
    pub file: String,
    /// The UTC days the statement covers (from its creation dates), both included; payouts of
    /// those days are expected in it.
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    pub counts: ReconCounts,
    pub lines: Vec<ReconLine>,
}

/// The status a provider's `Statut` means, when it is final: `VAL` and `REJ` (CinetPay's codes,
/// document 004 §6) or the words its back-office and spreadsheets use. `None` while in progress
/// (NEW, REC, NOS) or unknown: never read as final.
pub fn final_status(provider_status: &str) -> Option<UnifiedStatus> {
    match statement::fold(provider_status).as_str() {
        "val" | "valide" | "validee" | "effectue" | "effectuee" | "succes" | "success"
        | "successful" | "reussi" | "reussie" | "paye" | "payee" => Some(UnifiedStatus::Succeeded),
        "rej" | "rejete" | "rejetee" | "refuse" | "refusee" | "rejected" | "echec" | "echoue"
        | "echouee" | "failed" => Some(UnifiedStatus::Rejected),
        _ => None,
    }
}

impl Guichet {
    /// Reads a CinetPay transfer statement and reconciles it with `account`'s payouts, recording
    /// the final statuses it brings (see the module's rules).
    pub fn reconcile(&self, file: &Path, account_label: &str) -> Result<ReconcileReport> {
        self.require(crate::people::Action::Sync)?;
        let account = self.account_row(account_label)?;
        if account.provider != Provider::Cinetpay {
            return Err(CoreError::invalid(
                "account",
                Invalid::WrongProvider {
                    account: account.label.clone(),
                },
                format!(
                    "`{}` is a {} account; reconciliation reads CinetPay transfer statements",
                    account.label,
                    account.provider.display_name()
                ),
            ));
        }
        let bytes = std::fs::read(file)
            .map_err(|e| CoreError::Io(format!("cannot read {}: {e}", file.display())))?;
        let st = statement::read_cinetpay(&bytes).map_err(|e| {
            CoreError::invalid(
                "file",
                Invalid::Unreadable,
                format!("{}: {e}", file.display()),
            )
        })?;
        let file_name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();

        let mut lines = Vec::new();
        let mut seen = HashSet::new();
        for row in &st.lines {
            let local = self.find_payout(account.id, row)?;
            if let Some(p) = &local {
                seen.insert(p.id);
            }
            lines.push(self.reconcile_row(&file_name, row, local)?);
        }
        for e in &st.errors {
            lines.push(ReconLine {
                category: Category::Unreadable,
                line: Some(e.line as u32),
                payout_id: None,
                reference: None,
                cinetpay_id: None,
                phone: String::new(),
                local_amount: None,
                provider_amount: None,
                local_status: None,
                provider_status: None,
                new_status: None,
                problem: Some(if e.column.is_empty() {
                    e.message.clone()
                } else {
                    format!("{}: {}", e.column, e.message)
                }),
            });
        }

        let days = st
            .lines
            .iter()
            .filter_map(|l| l.created_utc.map(|t| t.date()));
        let (first, last) = (days.clone().min(), days.max());
        if let (Some(first), Some(last)) = (first, last) {
            let utc = Zone::Fixed(0);
            let until = last.succ_opt().unwrap_or(last);
            let ids = self.store.books().payouts_sent_between(
                account.id,
                &utc.day_start_utc(first),
                &utc.day_start_utc(until),
            )?;
            for id in ids.into_iter().filter(|id| !seen.contains(id)) {
                let p = self.store.payouts().get(id)?;
                lines.push(ReconLine {
                    local_amount: Some(p.amount),
                    local_status: Some(p.status),
                    ..line_for(Category::MissingAtProvider, None, Some(&p))
                });
            }
        }

        let mut counts = ReconCounts::default();
        for l in &lines {
            *match l.category {
                Category::Matched => &mut counts.matched,
                Category::Updated => &mut counts.updated,
                Category::MissingLocally => &mut counts.missing_locally,
                Category::MissingAtProvider => &mut counts.missing_at_provider,
                Category::StatusDiffers => &mut counts.status_differs,
                Category::AmountDiffers => &mut counts.amount_differs,
                Category::Unreadable => &mut counts.unreadable,
            } += 1;
        }
        self.store.events_mut().append(
            "reconciliation",
            Some(account.id),
            Some(&file_name),
            &serde_json::to_value(&counts).unwrap_or_default(),
        )?;
        self.audit(
            "reconcile",
            Some(&account.fields.label),
            serde_json::json!({"file": file_name, "count": lines.len(), "updated": counts.updated}),
        )?;
        Ok(ReconcileReport {
            account: account.fields.label,
            file: file_name,
            first_day: first.map(|d| d.to_string()),
            last_day: last.map(|d| d.to_string()),
            counts,
            lines,
        })
    }

    /// By `ID Marchand` (our reference) on this account, then by `ID CinetPay`.
    fn find_payout(&self, account_id: i64, row: &TransferLine) -> Result<Option<PayoutRow>> {
        let db = self.store.lock();
        if !row.merchant_id.is_empty() {
            if let Some(p) = db.payouts().by_reference(&row.merchant_id)? {
                if p.account_id == account_id {
                    return Ok(Some(p));
                }
            }
        }
        if !row.cinetpay_id.is_empty() {
            if let Some(id) = db
                .books()
                .payout_by_provider_ref(account_id, &row.cinetpay_id)?
            {
                return Ok(Some(db.payouts().get(id)?));
            }
        }
        Ok(None)
    }

    fn reconcile_row(
        &self,
        file_name: &str,
        row: &TransferLine,
        local: Option<PayoutRow>,
    ) -> Result<ReconLine> {
        let Some(p) = local else {
            return Ok(line_for(Category::MissingLocally, Some(row), None));
        };
        let seen = |category| ReconLine {
            local_amount: Some(p.amount),
            local_status: Some(p.status),
            ..line_for(category, Some(row), Some(&p))
        };
        if p.amount != row.amount {
            return Ok(seen(Category::AmountDiffers));
        }
        let Some(verdict) = final_status(&row.status) else {
            // In progress at the provider: agreeing unless Guichet already holds a final status.
            return Ok(seen(if p.status.is_final() {
                Category::StatusDiffers
            } else {
                Category::Matched
            }));
        };
        if p.status.is_final() {
            return Ok(seen(if p.status == verdict {
                Category::Matched
            } else {
                Category::StatusDiffers
            }));
        }
        let change = Change {
            provider_status: Some(&row.status),
            provider_ref: (!row.cinetpay_id.is_empty() && p.provider_ref.is_none())
                .then_some(row.cinetpay_id.as_str()),
            detail_text: (!row.comment.is_empty()).then_some(row.comment.as_str()),
            event: "reconciliation",
            detail: serde_json::json!({
                "file": file_name,
                "line": row.line,
                "statut": row.status,
                "id_cinetpay": row.cinetpay_id,
                "commentaire": row.comment,
            }),
            ..Default::default()
        };
        Ok(match self.move_payout(p.id, verdict, &change)? {
            Some(_) => ReconLine {
                new_status: Some(verdict),
                ..seen(Category::Updated)
            },
            None => seen(Category::StatusDiffers),
        })
    }

    /// Writes `report` as CSV (or XLSX for a `.xlsx` path), one finding per row.
    pub fn write_reconcile_report(
        &self,
        report: &ReconcileReport,
        path: &Path,
        lang: Lang,
    ) -> Result<()> {
        self.require(crate::people::Action::Export)?;
        let headers: Vec<&str> = [
            ("Résultat", "Result"),
            ("Ligne", "Line"),
            ("Référence", "Reference"),
            ("ID CinetPay", "CinetPay ID"),
            ("Téléphone", "Phone"),
            ("Montant Guichet", "Guichet amount"),
            ("Montant fournisseur", "Provider amount"),
            ("Statut Guichet", "Guichet status"),
            ("Statut fournisseur", "Provider status"),
            ("Nouveau statut", "New status"),
            ("Problème", "Problem"),
        ]
        .iter()
        .map(|(fr, en)| lang.pick(fr, en))
        .collect();
        let format = match FileFormat::from_path(path) {
            FileFormat::Csv => Format::Csv { delimiter: b';' },
            FileFormat::Xlsx => Format::Xlsx,
        };
        let options = Options {
            format,
            date_style: DateStyle::Fr,
            zone: Zone::Local,
        };
        let sheet = lang.pick("Rapprochement", "Reconciliation");
        let mut w = tab::create(path, &headers, sheet, options)?;
        let amount = |a: Option<Amount>| a.map_or(Cell::Empty, |a| Cell::Amount(a.0));
        let status = |s: Option<UnifiedStatus>| {
            s.map_or(Cell::Empty, |s| Cell::Text(status_words(s.as_str(), lang)))
        };
        for l in &report.lines {
            w.write_row(&[
                Cell::Text(l.category.words(lang)),
                l.line.map_or(Cell::Empty, |n| Cell::Int(n.into())),
                text(&l.reference),
                text(&l.cinetpay_id),
                Cell::Phone(&l.phone),
                amount(l.local_amount),
                amount(l.provider_amount),
                status(l.local_status),
                text(&l.provider_status),
                status(l.new_status),
                text(&l.problem),
            ])?;
        }
        w.finish()?;
        let file = path.file_name().map(|n| n.to_string_lossy().into_owned());
        self.audit(
            "export",
            Some("reconciliation"),
            serde_json::json!({"dataset": "reconciliation", "count": report.lines.len(),
                               "file": file, "account": report.account}),
        )?;
        Ok(())
    }
}

fn text(s: &Option<String>) -> Cell<'_> {
    s.as_deref().map_or(Cell::Empty, Cell::Text)
}

/// A finding from what the file row and the local payout say (either may be absent).
fn line_for(category: Category, row: Option<&TransferLine>, p: Option<&PayoutRow>) -> ReconLine {
    let nonempty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    ReconLine {
        category,
        line: row.map(|r| r.line as u32),
        payout_id: p.map(|p| p.id),
        reference: p
            .map(|p| p.reference.clone())
            .or_else(|| row.and_then(|r| nonempty(&r.merchant_id))),
        cinetpay_id: row
            .and_then(|r| nonempty(&r.cinetpay_id))
            .or_else(|| p.and_then(|p| p.provider_ref.clone())),
        phone: match (row, p) {
            (Some(r), _) if !r.phone.is_empty() => r.phone.clone(),
            (_, Some(p)) => format!("+{}{}", p.prefix, p.phone),
            _ => String::new(),
        },
        local_amount: None,
        provider_amount: row.map(|r| r.amount),
        local_status: None,
        provider_status: row.map(|r| r.status.clone()),
        new_status: None,
        problem: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_val_rej_and_their_words_are_final() {
        for s in ["VAL", "val", "Validé", "Effectué", "SUCCES", "Réussi"] {
            assert_eq!(final_status(s), Some(UnifiedStatus::Succeeded), "{s}");
        }
        for s in ["REJ", "Rejeté", "Refusé", "Échec", "failed"] {
            assert_eq!(final_status(s), Some(UnifiedStatus::Rejected), "{s}");
        }
        for s in ["NEW", "REC", "NOS", "En attente", "En cours", "", "???"] {
            assert_eq!(final_status(s), None, "{s}");
        }
    }
}
