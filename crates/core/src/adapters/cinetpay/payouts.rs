//! CinetPay transfers (document 004): contacts first, orders sent 50 to a request, looked at lot
//! by lot (one send request) and matched by `client_transaction_id`, never by position; a lost
//! answer is looked up by Guichet's own reference.

use crate::adapters::clients::explain;
use crate::adapters::{
    after_answer, on_own_task, Announce, GroupLook, LookUp, Move, PayoutCalls, Resend, Seen, Sent,
    WAVE,
};
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use guichet_providers::cinetpay_transfer::{
    Client, ContactItem, ContactOutcome, SendItem, SendOutcome, TransferInfo,
};
use guichet_providers::{ErrorKind, ProviderError};
use guichet_store::payouts::PayoutRow;
use guichet_types::UnifiedStatus;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;

/// CinetPay documents no maximum per request; integrators send 50 at a time.
pub(crate) const CHUNK: usize = 50;

/// A CinetPay refusal of this kind (of a whole send, or of one order in it) is documented to
/// execute nothing. Anything else — an unknown code, 715, an empty status, a failure to execute
/// — leaves the order's fate open: it is looked up, never taken for failed.
fn refused_as_a_whole(kind: &ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::InsufficientBalance | ErrorKind::Credentials | ErrorKind::InvalidField(_)
    )
}

impl From<&TransferInfo> for Seen {
    fn from(i: &TransferInfo) -> Seen {
        Seen {
            status: i.status(),
            provider_status: i.treatment_status.to_string(),
            comment: i.comment.clone(),
            detail: json!(i),
            // CinetPay's transfer answers carry no fee (documents 001/002).
            fee: None,
        }
    }
}

/// A number must be a contact before money is sent to it (724): every number of the payouts
/// is added first, in chunks sent in parallel (726, already a contact, is fine). Payouts whose
/// contact CinetPay refuses fail here, before any money leaves: their moves.
async fn add_contacts_first(c: &Arc<Client>, rows: &[PayoutRow], in_flight: usize) -> Vec<Move> {
    use futures_util::StreamExt;
    let mut seen = std::collections::HashSet::new();
    let contacts: Vec<ContactItem> = rows
        .iter()
        .filter(|r| seen.insert((r.prefix.clone(), r.phone.clone())))
        .map(contact_of)
        .collect();
    let answers: Vec<_> = futures_util::stream::iter(contacts.chunks(CHUNK).map(<[_]>::to_vec))
        .map(|chunk| {
            let c = c.clone();
            on_own_task(async move { c.add_contacts(&chunk).await })
        })
        .buffer_unordered(crate::open_files::requests_at_once(in_flight))
        .collect()
        .await;
    let mut refused = BTreeMap::new();
    for answer in answers {
        match answer {
            Ok(results) => {
                for (item, outcome) in results {
                    if let ContactOutcome::Refused { code, message } = outcome {
                        refused.insert((item.prefix, item.phone), (code, message));
                    }
                }
            }
            // Not fatal: the send says 724 for a number that is not a contact.
            Err(e) => tracing::warn!(error = %e.message, "adding CinetPay contacts failed"),
        }
    }
    rows.iter()
        .filter_map(|r| {
            let (code, message) = refused.get(&(r.prefix.clone(), r.phone.clone()))?;
            Some(Move {
                provider_status: Some(code.clone()),
                detail_text: Some(format!("CinetPay refused the contact: {message}")),
                detail: json!({"code": code}),
                ..Move::to(r.id, UnifiedStatus::Failed, "contact_refused")
            })
        })
        .collect()
}

fn order_of(r: &PayoutRow, notify_url: &str) -> SendItem {
    SendItem {
        prefix: r.prefix.clone(),
        phone: r.phone.clone(),
        amount: r.amount.0,
        notify_url: notify_url.to_string(),
        client_transaction_id: r.reference.clone(),
    }
}

/// One send request: the moves its answer calls for, and the payouts to look up by their
/// reference because the answer leaves their fate open.
async fn send_chunk(c: &Arc<Client>, notify_url: &str, rows: &[PayoutRow]) -> Sent {
    let orders: Vec<SendItem> = rows.iter().map(|r| order_of(r, notify_url)).collect();
    let mut moves = Vec::new();
    let mut look_up = Vec::new();
    let sent = {
        let c = c.clone();
        on_own_task(async move { c.send(&orders).await }).await
    };
    match sent {
        Ok(results) => {
            let by_reference: std::collections::HashMap<&str, &PayoutRow> =
                rows.iter().map(|r| (r.reference.as_str(), r)).collect();
            for (order, outcome) in results {
                let Some(row) = by_reference.get(order.client_transaction_id.as_str()) else {
                    continue;
                };
                match outcome {
                    SendOutcome::Accepted {
                        transaction_id,
                        lot,
                    } => moves.push(Move {
                        detail: json!({"transaction_id": transaction_id}),
                        provider_ref: Some(transaction_id),
                        lot: Some(lot),
                        schedule_as: Some(0),
                        ..Move::to(row.id, UnifiedStatus::Pending, "accepted")
                    }),
                    // 805: an earlier attempt arrived. An unmentioned order, an unknown code
                    // or an empty status may have been taken too: looked up, never failed.
                    SendOutcome::AlreadyExists => look_up.push(row.id),
                    SendOutcome::Refused { kind, .. } if !refused_as_a_whole(&kind) => {
                        look_up.push(row.id)
                    }
                    SendOutcome::Refused { code, message, .. } => moves.push(Move {
                        detail_text: Some(format!("CinetPay {code}: {message}")),
                        detail: json!({"code": code}),
                        provider_status: Some(code),
                        ..Move::to(row.id, UnifiedStatus::Failed, "refused")
                    }),
                }
            }
        }
        // Refused as a whole: nothing was executed.
        Err(e) if refused_as_a_whole(&e.kind) => {
            let detail = explain(&e);
            moves = rows
                .iter()
                .map(|r| Move {
                    provider_status: e.code.clone(),
                    detail_text: Some(detail.clone()),
                    detail: json!({"code": e.code, "raw": e.raw}),
                    ..Move::to(r.id, UnifiedStatus::Failed, "refused")
                })
                .collect();
        }
        // Lost, unavailable or unreadable: each order may or may not have arrived. They stay
        // `submitting` and are looked up by their own reference.
        Err(_) => look_up = rows.iter().map(|r| r.id).collect(),
    }
    Sent { moves, look_up }
}

/// CinetPay payouts by lot (one send request), and those without a lot.
fn by_lot(rows: Vec<PayoutRow>) -> (BTreeMap<String, Vec<PayoutRow>>, Vec<PayoutRow>) {
    let mut by_lot: BTreeMap<String, Vec<PayoutRow>> = BTreeMap::new();
    let mut alone = Vec::new();
    for r in rows {
        match r.lot.clone().filter(|l| !l.is_empty()) {
            Some(lot) => by_lot.entry(lot).or_default().push(r),
            None => alone.push(r),
        }
    }
    (by_lot, alone)
}

/// Asks CinetPay about a lot's payouts in one call: the moves the answer calls for, and the
/// payouts missing from it (to be asked about on their own).
async fn look_at_lot(
    c: Arc<Client>,
    lot: String,
    rows: Vec<PayoutRow>,
) -> (Vec<Move>, Vec<PayoutRow>) {
    let answer = on_own_task(async move { c.check_lot(&lot).await }).await;
    let mut missing = Vec::new();
    let moves: Vec<Move> = rows
        .into_iter()
        .filter_map(|row| {
            let seen = match &answer {
                Ok(items) => match items
                    .iter()
                    .find(|i| i.client_transaction_id == row.reference)
                {
                    Some(info) => Ok(Some(Seen::from(info))),
                    None => {
                        missing.push(row);
                        return None;
                    }
                },
                Err(e) => Err(e.clone()),
            };
            Some(after_answer(&row, seen))
        })
        .collect();
    (moves, missing)
}

/// Asks CinetPay about one payout by its reference.
async fn look_at_one(c: Arc<Client>, row: PayoutRow) -> Move {
    let reference = row.reference.clone();
    let answer = on_own_task(async move { c.check(&reference).await }).await;
    let seen = answer.map(|i| i.as_ref().map(Seen::from));
    after_answer(&row, seen)
}

/// Looks up a payout whose answer is missing: what CinetPay says of it (as a move), or `None`
/// when it does not know it (723).
async fn look_up(c: &Client, row: &PayoutRow) -> Result<Option<Move>, ProviderError> {
    Ok(c.check(&row.reference).await?.map(|info| Move {
        provider_status: Some(info.treatment_status.to_string()),
        provider_ref: Some(info.transaction_id.clone()),
        lot: Some(info.lot.clone()),
        detail_text: Some(info.comment.clone()),
        detail: json!(info),
        ..Move::to(row.id, info.status(), "lookup")
    }))
}

/// Sends a payout CinetPay has not heard of again, under its own reference (CinetPay refuses a
/// reference twice with 805), to a number that must be a contact (the interruption may have
/// come before it was added). `announce` runs once the contact is there, before the order leaves.
async fn resend(
    c: &Client,
    row: &PayoutRow,
    notify_url: &str,
    announce: Announce<'_>,
) -> crate::Result<Resend> {
    if let Err(e) = c.add_contacts(&[contact_of(row)]).await {
        tracing::info!(reference = %row.reference, error = %e.message, "adding the contact failed; will retry");
        return Ok(Resend::NotSent);
    }
    announce()?;
    Ok(match c.send(&[order_of(row, notify_url)]).await {
        // Nothing was executed and it never will be.
        Err(e) if refused_as_a_whole(&e.kind) => Resend::Refused {
            code: e.code.clone(),
            detail: explain(&e),
            raw: json!({"code": e.code, "raw": e.raw}),
        },
        Ok(results) => match results.into_iter().next().map(|(_, o)| o) {
            Some(SendOutcome::Accepted {
                transaction_id,
                lot,
            }) => Resend::Accepted {
                provider_ref: transaction_id,
                lot,
            },
            Some(SendOutcome::Refused {
                code,
                message,
                kind,
            }) if refused_as_a_whole(&kind) => Resend::Refused {
                detail: format!("CinetPay {code}: {message}"),
                raw: json!({"code": code}),
                code: Some(code),
            },
            // 805, an unknown code, no answer for it: looked up after the settle delay.
            _ => Resend::Open,
        },
        Err(_) => Resend::Open,
    })
}

pub(crate) fn contact_of(r: &PayoutRow) -> ContactItem {
    let name = if r.name.is_empty() {
        r.phone.clone()
    } else {
        r.name.clone()
    };
    ContactItem {
        prefix: r.prefix.clone(),
        phone: r.phone.clone(),
        name: name.clone(),
        surname: name,
        email: String::new(),
    }
}

/// A CinetPay account's payout calls: its transfer client and where its transfers notify.
pub(crate) struct Payouts {
    pub client: Arc<Client>,
    pub notify_url: String,
}

impl PayoutCalls for Payouts {
    // 100 transfers of 50 (see `adapters::IN_FLIGHT`): a 5,000-row payroll is one wave, its
    // three round trips (contacts, transfers, first look) not repeated per thousand rows.
    fn in_flight(&self) -> usize {
        100
    }

    // As many payouts as its requests carry.
    fn wave(&self) -> usize {
        WAVE
    }

    fn prepare<'a>(&'a self, rows: &'a [PayoutRow]) -> BoxFuture<'a, Vec<Move>> {
        add_contacts_first(&self.client, rows, self.in_flight()).boxed()
    }

    fn requests(&self, rows: &[PayoutRow]) -> Vec<Vec<PayoutRow>> {
        rows.chunks(CHUNK).map(<[_]>::to_vec).collect()
    }

    fn send<'a>(&'a self, rows: &'a [PayoutRow]) -> BoxFuture<'a, Sent> {
        send_chunk(&self.client, &self.notify_url, rows).boxed()
    }

    // A payout accepted without a lot waits for the next pass.
    fn first_looks(&self, accepted: Vec<PayoutRow>) -> Vec<BoxFuture<'static, Vec<Move>>> {
        let (groups, _alone) = self.group_looks(accepted);
        groups
            .into_iter()
            .map(|f| f.map(|(m, _)| m).boxed())
            .collect()
    }

    fn group_looks(&self, rows: Vec<PayoutRow>) -> (Vec<GroupLook>, Vec<PayoutRow>) {
        let (by_lot, alone) = by_lot(rows);
        let looks = by_lot
            .into_iter()
            .map(|(lot, rows)| look_at_lot(self.client.clone(), lot, rows).boxed())
            .collect();
        (looks, alone)
    }

    fn look_at_one(&self, row: PayoutRow) -> BoxFuture<'static, Move> {
        look_at_one(self.client.clone(), row).boxed()
    }

    fn look_up<'a>(&'a self, row: &'a PayoutRow) -> BoxFuture<'a, LookUp> {
        async move {
            match look_up(&self.client, row).await {
                Ok(Some(found)) => LookUp::Found(found),
                Ok(None) => LookUp::NotFound,
                Err(e) => LookUp::Failed(e),
            }
        }
        .boxed()
    }

    fn resend<'a>(
        &'a self,
        row: &'a PayoutRow,
        announce: Announce<'a>,
    ) -> BoxFuture<'a, crate::Result<Resend>> {
        resend(&self.client, row, &self.notify_url, announce).boxed()
    }
}
