//! What a Journal entry keeps of a single payout, a collection or a contact import: the
//! figures the screen words in a sentence (amount, to or from whom, how many). Identifiers and
//! outcomes only, never a secret.

use crate::contacts::ContactImport;
use guichet_store::collections::CollectionRow;
use guichet_store::payouts::PayoutRow;
use serde_json::{json, Value};

pub fn payout(p: &PayoutRow) -> Value {
    json!({
        "amount": p.amount.0,
        "name": p.name,
        "phone": format!("+{}{}", p.prefix, p.phone),
        "status": p.status,
    })
}

pub fn collection(c: &CollectionRow) -> Value {
    json!({
        "amount": c.amount.0,
        "name": c.name,
        "phone": c.phone,
        "kind": c.kind,
    })
}

pub fn contacts(i: &ContactImport) -> Value {
    json!({
        "rows": i.totals.rows,
        "new": i.totals.new,
        "added": i.totals.added,
        "invalid": i.totals.invalid,
    })
}
