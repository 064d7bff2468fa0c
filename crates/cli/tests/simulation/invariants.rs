//! What must hold after every step, checked against the sandbox's ledger (what the providers
//! really executed) and the database file, read with plain SQL rather than Guichet's own code.

use guichet_sandbox::LedgerEntry;
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct LocalPayout {
    pub reference: String,
    pub phone: String,
    pub amount: i64,
    pub status: String,
    pub history: Vec<String>,
}

/// Reads every payout and its history; fails if the file does not open or is not sound.
pub fn read_db(db: &Path) -> Result<Vec<LocalPayout>, String> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| format!("the database does not open: {e}"))?;
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| format!("integrity_check failed to run: {e}"))?;
    if check != "ok" {
        return Err(format!("integrity_check: {check}"));
    }
    let mut stmt = conn
        .prepare("SELECT id, reference, phone, amount, status FROM payouts ORDER BY id")
        .map_err(|e| e.to_string())?;
    let rows: Vec<(i64, LocalPayout)> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                LocalPayout {
                    reference: r.get(1)?,
                    phone: r.get(2)?,
                    amount: r.get(3)?,
                    status: r.get(4)?,
                    history: Vec::new(),
                },
            ))
        })
        .map_err(|e| e.to_string())?
        .collect::<rusqlite::Result<_>>()
        .map_err(|e| e.to_string())?;
    let mut hist = conn
        .prepare("SELECT status FROM payout_history WHERE payout_id = ?1 ORDER BY id")
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for (id, mut p) in rows {
        p.history = hist
            .query_map([id], |r| r.get(0))
            .map_err(|e| e.to_string())?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| e.to_string())?;
        out.push(p);
    }
    Ok(out)
}

pub fn is_final(status: &str) -> bool {
    matches!(status, "succeeded" | "failed" | "rejected" | "cancelled")
}

/// How far along a status is, as the merchant reads it: never lower later.
fn rank(status: &str) -> u8 {
    match status {
        "queued" => 0,
        "submitting" => 1,
        s if is_final(s) => 3,
        _ => 2,
    }
}

/// The safety properties, true at every instant: each is a way to lose money or pay twice.
pub fn safety(ledger: &[LedgerEntry], local: &[LocalPayout]) -> Vec<String> {
    let mut v = Vec::new();
    let mut executed: BTreeMap<&str, Vec<&LedgerEntry>> = BTreeMap::new();
    for e in ledger.iter().filter(|e| e.kind != "mycoolpay_payin") {
        executed.entry(e.reference.as_str()).or_default().push(e);
    }
    let by_ref: BTreeMap<&str, &LocalPayout> =
        local.iter().map(|p| (p.reference.as_str(), p)).collect();
    for (reference, entries) in &executed {
        if entries.len() > 1 {
            v.push(format!(
                "PAID TWICE: {reference} executed {} times",
                entries.len()
            ));
        }
        let Some(p) = by_ref.get(reference) else {
            v.push(format!("executed but recorded nowhere: {reference}"));
            continue;
        };
        let e = entries[0];
        if e.amount != p.amount || !e.phone.ends_with(&p.phone) && !p.phone.ends_with(&e.phone) {
            v.push(format!(
                "{reference}: executed {} to {}, recorded {} to {}",
                e.amount, e.phone, p.amount, p.phone
            ));
        }
        if p.status == "queued" {
            v.push(format!(
                "{reference}: executed while recorded as never sent"
            ));
        }
        let paid = entries.iter().any(|e| e.outcome == "succeeded");
        if paid && matches!(p.status.as_str(), "failed" | "rejected" | "cancelled") {
            v.push(format!(
                "LOST: {reference} was paid but is shown {} (the merchant would pay again)",
                p.status
            ));
        }
        if matches!(p.status.as_str(), "failed" | "cancelled") && e.outcome == "pending" {
            v.push(format!(
                "{reference}: shown {} while the provider is paying it",
                p.status
            ));
        }
        if e.outcome == "failed" && p.status == "succeeded" {
            v.push(format!("{reference}: shown paid, the provider failed it"));
        }
    }
    for p in local {
        if p.status == "succeeded"
            && !executed
                .get(p.reference.as_str())
                .is_some_and(|es| es.iter().any(|e| e.outcome == "succeeded"))
        {
            v.push(format!("{}: shown paid, never executed", p.reference));
        }
        let mut last = 0u8;
        let mut final_seen: Option<&str> = None;
        for s in &p.history {
            if let Some(f) = final_seen {
                if s != f {
                    v.push(format!("{}: moved from final {f} to {s}", p.reference));
                }
            }
            if rank(s) < last {
                v.push(format!(
                    "{}: moved backwards to {s} ({:?})",
                    p.reference, p.history
                ));
            }
            last = last.max(rank(s));
            if is_final(s) {
                final_seen = Some(s);
            }
        }
        if p.history.last().map(String::as_str) != Some(p.status.as_str()) {
            v.push(format!(
                "{}: status {} but history ends {:?}",
                p.reference,
                p.status,
                p.history.last()
            ));
        }
    }
    v
}

/// Once the run has settled: every payout is final or flagged, and the books match the ledger.
pub fn settled(ledger: &[LedgerEntry], local: &[LocalPayout]) -> Vec<String> {
    let mut v = Vec::new();
    for p in local {
        if !is_final(&p.status) && p.status != "outcome_unknown" {
            v.push(format!(
                "{} never settled: still {} (history {:?})",
                p.reference, p.status, p.history
            ));
        }
    }
    let paid_locally: i64 = local
        .iter()
        .filter(|p| p.status == "succeeded")
        .map(|p| p.amount)
        .sum();
    let paid_known: i64 = ledger
        .iter()
        .filter(|e| e.kind != "mycoolpay_payin" && e.outcome == "succeeded")
        .filter(|e| {
            local
                .iter()
                .any(|p| p.reference == e.reference && p.status != "outcome_unknown")
        })
        .map(|e| e.amount)
        .sum();
    if paid_locally != paid_known {
        v.push(format!(
            "totals differ: Guichet shows {paid_locally} paid, the providers executed {paid_known}"
        ));
    }
    v
}
