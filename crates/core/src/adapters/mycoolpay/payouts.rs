//! My-CoolPay payouts (document 000): one request per payout; each is looked up by the reference
//! My-CoolPay answered with, so a payout whose answer is lost has an unknown outcome.

use super::operator_for;
use crate::adapters::clients::explain;
use crate::adapters::{after_answer, on_own_task, Move, Seen, Sent};
use guichet_providers::mycoolpay::{self, Client};
use guichet_providers::{ErrorKind, ProviderError};
use guichet_store::payouts::PayoutRow;
use guichet_types::UnifiedStatus;
use serde_json::json;
use std::sync::Arc;

/// What Guichet says of a payout it was sending when it stopped: My-CoolPay cannot be asked.
pub(crate) const INTERRUPTED: &str = "Guichet stopped while this payout was being sent: it may or may not have been made. Check it in your My-CoolPay back-office before paying again.";

/// Sends one payout; the move its answer (or its absence) calls for.
pub(crate) async fn send(c: &Arc<Client>, row: &PayoutRow) -> Sent {
    let request = payout_request(row);
    let answer = {
        let c = c.clone();
        on_own_task(async move { c.payout(&request).await }).await
    };
    Sent {
        moves: vec![after_payout(row, answer)],
        look_up: Vec::new(),
    }
}

/// Asks My-CoolPay about one payout (by the reference its payout answered with).
pub(crate) async fn look_at(c: Arc<Client>, row: PayoutRow) -> Move {
    let answer = match row.provider_ref.clone() {
        Some(reference) => on_own_task(async move { c.check_status(&reference).await })
            .await
            .map(|s| {
                Some(Seen {
                    status: s.unified(),
                    provider_status: s.status.to_string(),
                    comment: s.message.clone(),
                    detail: json!(s),
                })
            }),
        None => Ok(None),
    };
    after_answer(&row, answer)
}

fn payout_request(row: &PayoutRow) -> mycoolpay::PayoutRequest {
    mycoolpay::PayoutRequest {
        amount: row.amount.0,
        reason: if row.reason.is_empty() {
            "Paiement".into()
        } else {
            row.reason.clone()
        },
        operator: match row.operator.as_deref() {
            Some("MCP") => mycoolpay::Operator::Mcp,
            Some("CM_OM") => mycoolpay::Operator::CmOm,
            Some("CM_MOMO") => mycoolpay::Operator::CmMomo,
            _ => operator_for(&row.phone),
        },
        app_transaction_ref: row.reference.clone(),
        customer_name: (!row.name.is_empty()).then(|| row.name.clone()),
        customer_phone_number: Some(row.phone.clone()),
    }
}

/// What a My-CoolPay payout's answer (or its absence) makes of it.
fn after_payout(row: &PayoutRow, answer: Result<String, ProviderError>) -> Move {
    match answer {
        Ok(reference) => Move {
            detail: json!({"transaction_ref": reference}),
            provider_ref: Some(reference),
            schedule_as: Some(0),
            ..Move::to(row.id, UnifiedStatus::Pending, "accepted")
        },
        Err(e)
            if matches!(
                e.kind,
                ErrorKind::OutcomeUnknown
                    | ErrorKind::DuplicateReference
                    | ErrorKind::Unavailable
                    | ErrorKind::Unknown
            ) =>
        {
            // My-CoolPay can only be asked with its own reference, which we never got.
            Move {
                detail_text: Some("No answer from My-CoolPay: this payout may or may not have been made. Check it in your My-CoolPay back-office (reference shown here) before paying again.".into()),
                detail: json!({"error": e.message, "raw": e.raw}),
                ..Move::to(row.id, UnifiedStatus::OutcomeUnknown, "lost")
            }
        }
        Err(e) => Move {
            detail_text: Some(explain(&e)),
            detail: json!({"error": e.message, "raw": e.raw}),
            ..Move::to(row.id, UnifiedStatus::Failed, "refused")
        },
    }
}
