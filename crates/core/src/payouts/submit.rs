//! Sending payouts and learning what became of them.

use super::record::{accepted, Answered, Move};
use super::track::{by_lot, look_at_lot, look_at_mycoolpay};
use crate::clients::{explain, AccountClient};
use crate::{CoreEvent, Guichet, Result};
use futures_util::{FutureExt, StreamExt};
use guichet_providers::cinetpay_transfer::{
    self, ContactItem, ContactOutcome, SendItem, SendOutcome,
};
use guichet_providers::{mycoolpay, ErrorKind};
use guichet_store::payouts::{Change, PayoutRow};
use guichet_types::UnifiedStatus;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// CinetPay documents no maximum per request; integrators send 50 at a time.
pub(crate) const CHUNK: usize = 50;
/// Payouts in flight at once per account, claimed together (one transaction, one disk sync)
/// before any of their requests leaves. Neither provider documents or reports a limit on
/// requests in flight (the 429 integrators report from CinetPay is for logging in on every
/// call, and the token is shared), so a batch of up to 1,000 leaves in one wave: 20 CinetPay
/// requests, or 1,000 My-CoolPay requests. A larger batch goes in waves of this size.
pub(crate) const WAVE: usize = 1000;

/// A CinetPay refusal of this kind (of a whole send, or of one order in it) is documented to
/// execute nothing. Anything else — an unknown code, 715, an empty status, a failure to execute
/// — leaves the order's fate open: it is looked up, never taken for failed.
fn refused_as_a_whole(kind: &ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::InsufficientBalance | ErrorKind::Credentials | ErrorKind::InvalidField(_)
    )
}

fn change<'a>(event: &'a str, detail: serde_json::Value) -> Change<'a> {
    Change {
        event,
        detail,
        ..Default::default()
    }
}

/// Counts sent payouts for a progress bar.
pub(crate) struct Progress<'a> {
    g: &'a Guichet,
    task: String,
    total: u64,
    done: AtomicU64,
    /// Set once every payout has its answer (or sending is over).
    all_sent: tokio::sync::watch::Sender<bool>,
}

impl<'a> Progress<'a> {
    pub fn new(g: &'a Guichet, task: String, total: u64) -> Progress<'a> {
        g.events.emit(CoreEvent::Progress {
            task: task.clone(),
            done: 0,
            total,
        });
        Progress {
            g,
            task,
            total,
            done: AtomicU64::new(0),
            all_sent: tokio::sync::watch::Sender::new(total == 0),
        }
    }

    pub fn add(&self, n: usize) {
        let done = self.done.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
        self.g.events.emit(CoreEvent::Progress {
            task: self.task.clone(),
            done: done.min(self.total),
            total: self.total,
        });
        if done >= self.total {
            self.finish();
        }
    }

    /// Sending is over (some payouts may have been taken by another sender).
    pub fn finish(&self) {
        self.all_sent.send_replace(true);
    }

    /// Waits until every payout has its answer, or sending is over.
    pub async fn all_sent(&self) {
        let _ = self.all_sent.subscribe().wait_for(|sent| *sent).await;
    }
}

impl Guichet {
    /// Sends queued payouts (CinetPay: contacts first, then chunks in parallel; My-CoolPay:
    /// concurrent requests). Each is marked `submitting` — committed — before its request leaves.
    pub async fn submit(&self, ids: &[i64]) -> Result<()> {
        let rows = {
            let db = self.store.lock();
            ids.iter()
                .map(|id| db.payouts().get(*id))
                .collect::<std::result::Result<Vec<_>, _>>()?
        };
        self.submit_rows(rows, None).await
    }

    /// [`Guichet::submit`] for payouts already read (those no longer `queued` are left alone).
    pub(crate) async fn submit_rows(
        &self,
        rows: Vec<PayoutRow>,
        progress: Option<&Progress<'_>>,
    ) -> Result<()> {
        let mut by_account: BTreeMap<i64, Vec<PayoutRow>> = BTreeMap::new();
        for row in rows {
            if row.status == UnifiedStatus::Queued {
                by_account.entry(row.account_id).or_default().push(row);
            }
        }
        // Every payout claimed here stays held (its lease renewed) until its answer is recorded.
        self.holding(async {
            for (account_id, rows) in by_account {
                let account = self.store.accounts().get(account_id)?;
                // A missing secret or keyring problem: nothing left, the payouts stay queued.
                match self.client(&account).await? {
                    AccountClient::Cinetpay(c) => {
                        let notify_url = account.notify_url.as_deref().unwrap_or_default();
                        for wave in rows.chunks(WAVE) {
                            // The wave is claimed while its numbers are being added as contacts.
                            let (contacts, claim) = futures_util::future::join(
                                self.add_contacts_first(&c, wave, progress),
                                async { self.claim(wave) },
                            )
                            .await;
                            let claimed = claim?;
                            let refused = contacts?;
                            let rows: Vec<PayoutRow> = claimed
                                .into_iter()
                                .filter(|r| !refused.contains(&r.id))
                                .collect();
                            self.send_cinetpay(&c, notify_url, &rows, progress).await?;
                        }
                    }
                    AccountClient::Mycoolpay(c) => {
                        for wave in rows.chunks(WAVE) {
                            let rows = self.claim(wave)?;
                            self.send_mycoolpay(&c, rows, progress).await?;
                        }
                    }
                }
            }
            Ok(())
        })
        .await
    }

    /// Takes payouts for sending under this process's lease, in one transaction (one disk
    /// sync): only those still `queued` (another sender may have taken some) are returned.
    fn claim(&self, rows: &[PayoutRow]) -> Result<Vec<PayoutRow>> {
        let started = std::time::Instant::now();
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let ours: std::collections::HashSet<i64> = self
            .with_lease(|lease| self.store.payouts_mut().claim(&ids, lease))?
            .into_iter()
            .collect();
        let claimed: Vec<PayoutRow> = rows
            .iter()
            .filter(|r| ours.contains(&r.id))
            .cloned()
            .collect();
        tracing::debug!(
            claimed = claimed.len(),
            elapsed_ms = started.elapsed().as_secs_f64() * 1e3,
            "claimed"
        );
        let moved: Vec<PayoutRow> = claimed
            .iter()
            .map(|r| PayoutRow {
                status: UnifiedStatus::Submitting,
                ..r.clone()
            })
            .collect();
        self.announce(&moved)?;
        Ok(claimed)
    }

    /// A number must be a contact before money is sent to it (724): every number of the payouts
    /// is added first, in chunks sent in parallel (726, already a contact, is fine). Payouts whose
    /// contact CinetPay refuses fail here, before any money leaves; their ids are returned.
    async fn add_contacts_first(
        &self,
        c: &Arc<cinetpay_transfer::Client>,
        rows: &[PayoutRow],
        progress: Option<&Progress<'_>>,
    ) -> Result<std::collections::HashSet<i64>> {
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
            .buffer_unordered(WAVE / CHUNK)
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
        let moves: Vec<Move> = rows
            .iter()
            .filter_map(|r| {
                let (code, message) = refused.get(&(r.prefix.clone(), r.phone.clone()))?;
                Some(Move {
                    provider_status: Some(code.clone()),
                    detail_text: Some(format!("CinetPay refused the contact: {message}")),
                    detail: json!({"code": code}),
                    ..Move::to(r.id, UnifiedStatus::Failed, "contact_refused")
                })
            })
            .collect();
        self.record(&moves)?;
        if let Some(p) = progress {
            p.add(moves.len());
        }
        Ok(moves.iter().map(|m| m.id).collect())
    }

    /// Sends a claimed wave of CinetPay orders in chunks all in flight at once, each chunk's
    /// answers recorded as they come in and its lot looked at as soon as they are in.
    async fn send_cinetpay(
        &self,
        c: &Arc<cinetpay_transfer::Client>,
        notify_url: &str,
        rows: &[PayoutRow],
        progress: Option<&Progress<'_>>,
    ) -> Result<()> {
        let calls = rows
            .chunks(CHUNK)
            .map(<[_]>::to_vec)
            .map(|chunk| async move {
                let (moves, to_resolve) = self.send_cinetpay_chunk(c, notify_url, &chunk).await;
                // A lot (one send request) is asked about in one call.
                let accepted: Vec<PayoutRow> = chunk
                    .iter()
                    .filter_map(|r| accepted(r, moves.iter().find(|m| m.id == r.id)?))
                    .collect();
                let then = by_lot(accepted)
                    .0
                    .into_iter()
                    .map(|(lot, rows)| look_at_lot(c, lot, rows).map(|(m, _)| m).boxed())
                    .collect();
                Answered {
                    moves,
                    rest: to_resolve,
                    then,
                }
            });
        let to_resolve = self
            .record_as_answered(calls, WAVE / CHUNK, progress)
            .await?;
        // Their fate is open: looked up once CinetPay has had time to settle, by whichever
        // process runs then (this one's sync, the app's poller, a cron `guichet sync`).
        for id in to_resolve.into_iter().flatten() {
            self.look_up_later(id, 0)?;
            if let Some(p) = progress {
                p.add(1);
            }
        }
        Ok(())
    }

    /// One send request: the moves its answer calls for, and the payouts to look up by their
    /// reference because the answer leaves their fate open.
    async fn send_cinetpay_chunk(
        &self,
        c: &Arc<cinetpay_transfer::Client>,
        notify_url: &str,
        rows: &[PayoutRow],
    ) -> (Vec<Move>, Vec<i64>) {
        let orders: Vec<SendItem> = rows
            .iter()
            .map(|r| SendItem {
                prefix: r.prefix.clone(),
                phone: r.phone.clone(),
                amount: r.amount.0,
                notify_url: notify_url.to_string(),
                client_transaction_id: r.reference.clone(),
            })
            .collect();
        let mut moves = Vec::new();
        let mut to_resolve = Vec::new();
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
                        SendOutcome::AlreadyExists => to_resolve.push(row.id),
                        SendOutcome::Refused { kind, .. } if !refused_as_a_whole(&kind) => {
                            to_resolve.push(row.id)
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
            Err(_) => to_resolve = rows.iter().map(|r| r.id).collect(),
        }
        (moves, to_resolve)
    }

    /// Finds out what became of a CinetPay payout whose answer is missing (this process holds
    /// its lease): look it up by our reference. CinetPay answering 723 (unknown) may mean the
    /// order is still travelling, so the payout is sent again — under the *same* reference —
    /// only after several such answers spread over minutes, at most `max_resends` times; then
    /// it is "outcome unknown", with what to check. Nothing here re-sends at once.
    pub(crate) async fn resolve_cinetpay(
        &self,
        c: &Arc<cinetpay_transfer::Client>,
        row: &PayoutRow,
        notify_url: &str,
    ) -> Result<()> {
        let id = row.id;
        match c.check(&row.reference).await {
            Ok(Some(info)) => {
                let status = info.status();
                self.move_payout(
                    id,
                    status,
                    &Change {
                        provider_status: Some(&info.treatment_status),
                        provider_ref: Some(&info.transaction_id),
                        lot: Some(&info.lot),
                        detail_text: Some(&info.comment),
                        ..change("lookup", json!(info))
                    },
                )?;
                if !status.is_final() {
                    self.schedule(id, 0)?;
                }
            }
            Ok(None) => {
                let (before, resends) = self.store.payouts().since_last_send(id)?;
                let not_found = before + 1;
                self.move_payout(
                    id,
                    UnifiedStatus::Submitting,
                    &change("not_found", json!({"consecutive": not_found})),
                )?;
                if not_found < self.patience.not_found_before_resend {
                    return self.look_up_later(id, row.checks.max(1));
                }
                if resends >= self.patience.max_resends {
                    let detail = format!(
                        "CinetPay still does not know this payout after {} sends under reference {}: it was very probably never made, but check your CinetPay back-office (transfer history) before paying again.",
                        resends + 1,
                        row.reference
                    );
                    self.move_payout(
                        id,
                        UnifiedStatus::OutcomeUnknown,
                        &Change {
                            detail_text: Some(&detail),
                            ..change("gave_up", json!({"sends": resends + 1}))
                        },
                    )?;
                    return Ok(());
                }
                self.resend_cinetpay(c, row, notify_url).await?;
            }
            // Still no answer: asked again later, less and less often.
            Err(e) => {
                tracing::info!(reference = %row.reference, error = %e.message, "lookup failed; will retry");
                self.look_up_later(id, row.checks.max(1))?;
            }
        }
        Ok(())
    }

    /// Sends a payout CinetPay has not heard of again, under its own reference (CinetPay refuses
    /// a reference twice with 805), to a number that must be a contact (the interruption may
    /// have come before it was added).
    async fn resend_cinetpay(
        &self,
        c: &Arc<cinetpay_transfer::Client>,
        row: &PayoutRow,
        notify_url: &str,
    ) -> Result<()> {
        let id = row.id;
        if let Err(e) = c.add_contacts(&[contact_of(row)]).await {
            tracing::info!(reference = %row.reference, error = %e.message, "adding the contact failed; will retry");
            return self.look_up_later(id, row.checks.max(1));
        }
        let order = SendItem {
            prefix: row.prefix.clone(),
            phone: row.phone.clone(),
            amount: row.amount.0,
            notify_url: notify_url.to_string(),
            client_transaction_id: row.reference.clone(),
        };
        self.store.events_mut().append(
            "payout.resent",
            Some(row.account_id),
            Some(&row.reference),
            &json!({"reason": "unknown to CinetPay"}),
        )?;
        self.move_payout(
            id,
            UnifiedStatus::Submitting,
            &change("resent", json!({"reason": "unknown to CinetPay"})),
        )?;
        let refused = |code: Option<&str>, detail: &str, raw: serde_json::Value| {
            self.move_payout(
                id,
                UnifiedStatus::Failed,
                &Change {
                    provider_status: code,
                    detail_text: Some(detail),
                    ..change("refused", raw)
                },
            )
        };
        match c.send(&[order]).await {
            // Nothing was executed and it never will be: final, or it would sit "being sent"
            // and leave by itself whenever the balance allows.
            Err(e) if refused_as_a_whole(&e.kind) => {
                refused(
                    e.code.as_deref(),
                    &explain(&e),
                    json!({"code": e.code, "raw": e.raw}),
                )?;
            }
            Ok(results) => match results.into_iter().next().map(|(_, o)| o) {
                Some(SendOutcome::Accepted {
                    transaction_id,
                    lot,
                }) => {
                    self.move_payout(
                        id,
                        UnifiedStatus::Pending,
                        &Change {
                            provider_ref: Some(&transaction_id),
                            lot: Some(&lot),
                            ..change("accepted", json!({"transaction_id": transaction_id}))
                        },
                    )?;
                    self.schedule(id, 0)?;
                }
                Some(SendOutcome::Refused {
                    code,
                    message,
                    kind,
                }) if refused_as_a_whole(&kind) => {
                    refused(
                        Some(&code),
                        &format!("CinetPay {code}: {message}"),
                        json!({"code": code}),
                    )?;
                }
                // 805, an unknown code, no answer for it: looked up after the settle delay.
                _ => self.look_up_later(id, 0)?,
            },
            Err(_) => self.look_up_later(id, 0)?,
        }
        Ok(())
    }

    /// Sends a claimed wave of My-CoolPay payouts, one request each, all in flight at once;
    /// answers are recorded as they come in, and each accepted payout is asked about at once.
    async fn send_mycoolpay(
        &self,
        c: &Arc<mycoolpay::Client>,
        rows: Vec<PayoutRow>,
        progress: Option<&Progress<'_>>,
    ) -> Result<()> {
        let calls = rows.into_iter().map(|row| {
            let (c, request) = (c.clone(), payout_request(&row));
            async move {
                let answer = {
                    let c = c.clone();
                    on_own_task(async move { c.payout(&request).await }).await
                };
                let moved = after_payout(&row, answer);
                let then = accepted(&row, &moved)
                    .map(|row| look_at_mycoolpay(c, row).map(|m| vec![m]).boxed())
                    .into_iter()
                    .collect();
                Answered {
                    moves: vec![moved],
                    rest: (),
                    then,
                }
            }
        });
        self.record_as_answered(calls, WAVE, progress).await?;
        Ok(())
    }

    pub(crate) fn schedule(&self, id: i64, checks: i64) -> Result<()> {
        let at = super::schedule::at(super::schedule::next_check_after(checks));
        self.store.payouts_mut().schedule_check(id, &at)?;
        Ok(())
    }
}

/// Runs a provider call on a task of its own, so that building requests, connecting and reading
/// answers spread over every core instead of all running in the one task that records them.
/// Dropped, it cancels the call, as an unspawned call would be.
pub(crate) async fn on_own_task<T: Send + 'static>(
    call: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    struct Cancel<T>(tokio::task::JoinHandle<T>);
    impl<T> Drop for Cancel<T> {
        fn drop(&mut self) {
            self.0.abort();
        }
    }
    let mut task = Cancel(tokio::spawn(call));
    match (&mut task.0).await {
        Ok(v) => v,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("provider call cancelled: {e}"),
    }
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
            _ => mycoolpay::Operator::for_cameroon_number(&row.phone),
        },
        app_transaction_ref: row.reference.clone(),
        customer_name: (!row.name.is_empty()).then(|| row.name.clone()),
        customer_phone_number: Some(row.phone.clone()),
    }
}

/// What a My-CoolPay payout's answer (or its absence) makes of it.
fn after_payout(
    row: &PayoutRow,
    answer: std::result::Result<String, guichet_providers::ProviderError>,
) -> Move {
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
