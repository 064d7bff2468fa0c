//! What must hold after every step, checked against the sandbox's ledger (what the providers
//! really executed) and the database file, read with plain SQL rather than Guichet's own code.

use guichet_sandbox::LedgerEntry;
use guichet_types::UnifiedStatus;
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
    // One snapshot: a write of a process still finishing (a commit started before a kill) must
    // not land between reading the statuses and reading their histories.
    conn.execute_batch("BEGIN")
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

/// Whether a status may follow another in a history: the one list of moves Guichet keeps
/// (`UnifiedStatus::may_move_to`) — forwards, an answer never unlearned, a final status final.
fn may_follow(from: &str, to: &str) -> bool {
    match (UnifiedStatus::parse(from), UnifiedStatus::parse(to)) {
        (Some(f), Some(t)) => f.may_move_to(t),
        _ => false,
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
        for pair in p.history.windows(2) {
            if !may_follow(&pair[0], &pair[1]) {
                v.push(format!(
                    "{}: moved from {} to {} ({:?})",
                    p.reference, pair[0], pair[1], p.history
                ));
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

/// What the merchant meant to pay: each (number, amount) as many times as the scenario asked
/// for it, whatever the references. More executed than meant is a double payment even when
/// every reference was executed once (a re-send under a new reference, a file paid twice).
pub fn per_intent(intents: &[(String, i64)], ledger: &[LedgerEntry]) -> Vec<String> {
    let mut meant: BTreeMap<(String, i64), usize> = BTreeMap::new();
    for (phone, amount) in intents {
        *meant.entry((phone.clone(), *amount)).or_default() += 1;
    }
    let mut done: BTreeMap<(String, i64), usize> = BTreeMap::new();
    for e in ledger.iter().filter(|e| e.kind != "mycoolpay_payin") {
        let key = meant
            .keys()
            .find(|(phone, amount)| {
                *amount == e.amount
                    && (e.phone.ends_with(phone.as_str()) || phone.ends_with(e.phone.as_str()))
            })
            .cloned();
        match key {
            Some(k) => *done.entry(k).or_default() += 1,
            None => {
                return vec![format!(
                    "executed without being meant: {} to {}",
                    e.amount, e.phone
                )]
            }
        }
    }
    done.into_iter()
        .filter(|(k, n)| *n > meant[k])
        .map(|((phone, amount), n)| {
            format!(
                "PAID TWICE: {amount} to {phone} executed {n} times, meant {}",
                meant[&(phone.clone(), amount)]
            )
        })
        .collect()
}
