//! My-CoolPay payouts (document 000): one request per payout; each is looked up by the reference
//! My-CoolPay answered with, so a payout whose answer is lost has an unknown outcome.

use super::operator_for;
use crate::adapters::clients::explain;
use crate::adapters::{
    after_answer, on_own_task, Announce, LookUp, Move, PayoutCalls, Resend, Seen, Sent, IN_FLIGHT,
    WAVE,
};
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use guichet_providers::mycoolpay::{self, Client};
use guichet_providers::{ErrorKind, ProviderError};
use guichet_store::payouts::PayoutRow;
use guichet_types::UnifiedStatus;
use serde_json::json;
use std::sync::Arc;

/// What Guichet says of a payout it was sending when it stopped: My-CoolPay cannot be asked.
const INTERRUPTED: &str = "Guichet stopped while this payout was being sent: it may or may not have been made. Check it in your My-CoolPay back-office before paying again.";

/// Sends one payout; the move its answer (or its absence) calls for.
async fn send(c: &Arc<Client>, row: &PayoutRow) -> Sent {
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
async fn look_at(c: Arc<Client>, row: PayoutRow) -> Move {
    let answer = match row.provider_ref.clone() {
        Some(reference) => on_own_task(async move { c.check_status(&reference).await })
            .await
            .map(|s| {
                Some(Seen {
                    status: s.unified(),
                    provider_status: s.status.to_string(),
                    comment: s.message.clone(),
                    detail: json!(s),
                    fee: s.fees.as_ref().and_then(|f| f.whole_francs()),
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
        // Refused, or not a byte left (nothing happened at My-CoolPay): either way it can be
        // paid again.
        Err(e) => Move {
            detail_text: Some(explain(&e)),
            detail: json!({"error": e.message, "raw": e.raw}),
            ..Move::to(
                row.id,
                UnifiedStatus::Failed,
                if e.kind == ErrorKind::NotSent {
                    "not_sent"
                } else {
                    "refused"
                },
            )
        },
    }
}

/// A My-CoolPay account's payout calls.
pub(crate) struct Payouts {
    pub client: Arc<Client>,
}

impl PayoutCalls for Payouts {
    fn in_flight(&self) -> usize {
        IN_FLIGHT
    }

    // One payout per request; the next request leaves as soon as one answers, so a wave of
    // several thousand does not wait for the slowest of each thousand.
    fn wave(&self) -> usize {
        WAVE
    }

    fn requests(&self, rows: &[PayoutRow]) -> Vec<Vec<PayoutRow>> {
        rows.iter().map(|r| vec![r.clone()]).collect()
    }

    fn send<'a>(&'a self, rows: &'a [PayoutRow]) -> BoxFuture<'a, Sent> {
        async move {
            let mut sent = Sent {
                moves: Vec::new(),
                look_up: Vec::new(),
            };
            for row in rows {
                let one = send(&self.client, row).await;
                sent.moves.extend(one.moves);
                sent.look_up.extend(one.look_up);
            }
            sent
        }
        .boxed()
    }

    fn first_looks(&self, accepted: Vec<PayoutRow>) -> Vec<BoxFuture<'static, Vec<Move>>> {
        accepted
            .into_iter()
            .map(|row| self.look_at_one(row).map(|m| vec![m]).boxed())
            .collect()
    }

    fn look_at_one(&self, row: PayoutRow) -> BoxFuture<'static, Move> {
        look_at(self.client.clone(), row).boxed()
    }

    fn look_up<'a>(&'a self, _row: &'a PayoutRow) -> BoxFuture<'a, LookUp> {
        async { LookUp::Impossible(INTERRUPTED) }.boxed()
    }

    // Never looked up by our reference, so never found missing.
    fn resend<'a>(
        &'a self,
        _row: &'a PayoutRow,
        _announce: Announce<'a>,
    ) -> BoxFuture<'a, crate::Result<Resend>> {
        async { Ok(Resend::Open) }.boxed()
    }
}
