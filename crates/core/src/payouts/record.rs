//! Writing what happened to many payouts at once: one transaction (one disk sync) per group of
//! answers instead of one per payout, then the events. Exactly-once does not depend on this —
//! each payout is already `submitting`, committed, before its request leaves. A payout just
//! accepted gets its first look at once, while its acceptance is being written.

use super::progress::Progress;
use super::schedule;
use crate::adapters::Move;
use crate::{CoreEvent, Guichet, Result};
use futures_util::future::BoxFuture;
use futures_util::stream::FuturesUnordered;
use futures_util::{FutureExt, StreamExt};
use guichet_store::payouts::{Change, PayoutRow};
use guichet_types::UnifiedStatus;
use std::future::Future;

/// What a call answers: the moves it calls for, what the caller keeps, and the calls its answer
/// makes possible right away — the first looks at the payouts it accepted (CinetPay one per lot,
/// My-CoolPay one per payout). A look is a read: it leaves without waiting for the acceptance to
/// be written, and its own moves are written after it (in the same group or a later one).
pub(crate) struct Answered<'a, T> {
    pub moves: Vec<Move>,
    pub rest: T,
    pub then: Vec<BoxFuture<'a, Vec<Move>>>,
}

impl<'a, T> Answered<'a, T> {
    pub fn new(moves: Vec<Move>, rest: T) -> Answered<'a, T> {
        Answered {
            moves,
            rest,
            then: Vec::new(),
        }
    }
}

/// A call's answer, in a pipeline of sends and first looks.
enum Answer<'a, T> {
    Sent(Answered<'a, T>),
    Looked(Vec<Move>),
}

/// A group of answers written: how many of them were sends.
type Written = Result<usize>;

type Running<'a, T> = FuturesUnordered<BoxFuture<'a, Answer<'a, T>>>;

/// Adds an answer to those waiting to be written, and starts the calls it brings. Whether it
/// answered a send (which frees its place in flight).
fn take<'a, T: Send + 'a>(
    answer: Answer<'a, T>,
    running: &mut Running<'a, T>,
    answered: &mut Vec<Move>,
    sent: &mut usize,
    rest: &mut Vec<T>,
) -> bool {
    match answer {
        Answer::Sent(a) => {
            *sent += a.moves.iter().filter(|m| m.to.is_some()).count();
            answered.extend(a.moves);
            rest.push(a.rest);
            running.extend(a.then.into_iter().map(|f| f.map(Answer::Looked).boxed()));
            true
        }
        Answer::Looked(m) => {
            answered.extend(m);
            false
        }
    }
}

/// The payout as it stands once `m` is written, when `m` accepts it (moves it to a status that is
/// not final and schedules its first check at once): it is looked at without waiting for that.
pub(crate) fn accepted(row: &PayoutRow, m: &Move) -> Option<PayoutRow> {
    let to = m.to?;
    if to.is_final() || m.schedule_as != Some(0) || m.id != row.id {
        return None;
    }
    let or = |new: &Option<String>, old: &Option<String>| new.clone().or_else(|| old.clone());
    Some(PayoutRow {
        status: to,
        provider_status: or(&m.provider_status, &row.provider_status),
        provider_ref: or(&m.provider_ref, &row.provider_ref),
        lot: or(&m.lot, &row.lot),
        status_detail: or(&m.detail_text, &row.status_detail),
        // Scheduling the first check counts it, as `payouts::transition_in` does.
        checks: row.checks + 1,
        ..row.clone()
    })
}

impl Guichet {
    /// Runs `calls`, at most `in_flight` at once, each answering with the moves it calls for (and
    /// something else for the caller), and records the moves of whatever answers are in each
    /// time the previous commit is done: one disk sync per group of answers rather than per
    /// answer, without waiting for the slowest one. The calls an answer brings (first looks)
    /// start at once, beyond `in_flight`; their answers are recorded the same way. A payout
    /// whose look is lost is still due for the next sync pass.
    pub(crate) async fn record_as_answered<'a, T: Send + 'a>(
        &self,
        calls: impl IntoIterator<Item = impl Future<Output = Answered<'a, T>> + Send + 'a>,
        in_flight: usize,
        progress: Option<&Progress<'_>>,
    ) -> Result<Vec<T>> {
        let in_flight = crate::open_files::requests_at_once(in_flight);
        let mut calls = calls.into_iter();
        let mut running: Running<'a, T> = FuturesUnordered::new();
        // Sends among `running`: the looks they bring do not hold a send back.
        let mut sending = 0;
        let mut rest = Vec::new();
        // Answers not written yet, and how many of them are sends (for the progress).
        let (mut answered, mut sent) = (Vec::new(), 0);
        // The commit under way, off the runtime's threads, so that answers keep being read
        // (and the next group formed) while it waits for the disk.
        let mut writing: Option<tokio::task::JoinHandle<Written>> = None;
        loop {
            while sending < in_flight {
                let Some(call) = calls.next() else { break };
                running.push(call.map(Answer::Sent).boxed());
                sending += 1;
            }
            if writing.is_none() && !answered.is_empty() {
                let (g, moves, n) = (self.clone(), std::mem::take(&mut answered), sent);
                sent = 0;
                writing = Some(tokio::task::spawn_blocking(move || {
                    g.record(&moves)?;
                    Ok(n)
                }));
            }
            let Some(commit) = writing.as_mut() else {
                match running.next().await {
                    Some(answer) => {
                        if take(answer, &mut running, &mut answered, &mut sent, &mut rest) {
                            sending -= 1;
                        }
                    }
                    None => break,
                }
                continue;
            };
            tokio::select! {
                biased;
                done = commit => {
                    writing = None;
                    let n = done.map_err(|e| crate::CoreError::Io(e.to_string()))??;
                    if let Some(p) = progress {
                        p.add(n);
                    }
                }
                Some(answer) = running.next(), if !running.is_empty() => {
                    if take(answer, &mut running, &mut answered, &mut sent, &mut rest) {
                        sending -= 1;
                    }
                }
            }
        }
        Ok(rest)
    }

    /// Records moves in one transaction, then tells whoever listens. Returns the moved rows.
    pub(crate) fn record(&self, moves: &[Move]) -> Result<Vec<PayoutRow>> {
        if moves.is_empty() {
            return Ok(Vec::new());
        }
        let started = std::time::Instant::now();
        let (moved, commit) = {
            let tx = self.store.write()?;
            let mut moved = Vec::new();
            for m in moves {
                let next_check = m
                    .schedule_as
                    .map(|n| schedule::at(schedule::next_check_after(n)));
                match m.to {
                    Some(to) => {
                        let change = Change {
                            provider_status: m.provider_status.as_deref(),
                            provider_ref: m.provider_ref.as_deref(),
                            lot: m.lot.as_deref(),
                            detail_text: m.detail_text.as_deref(),
                            event: m.event,
                            detail: m.detail.clone(),
                        };
                        if let Some(fee) = m.fee {
                            tx.fees_mut().record(m.id, guichet_types::Amount(fee))?;
                        }
                        if let Some(row) = tx.payouts_mut().transition_in(
                            m.id,
                            to,
                            &change,
                            next_check.as_deref(),
                        )? {
                            moved.push(row);
                        }
                    }
                    None => {
                        if let Some(at) = &next_check {
                            tx.payouts_mut().schedule_check(m.id, at)?;
                        }
                    }
                }
            }
            let commit = std::time::Instant::now();
            tx.commit()?;
            (moved, commit.elapsed())
        };
        tracing::debug!(
            moves = moves.len(),
            elapsed_ms = started.elapsed().as_secs_f64() * 1e3,
            commit_ms = commit.as_secs_f64() * 1e3,
            "recorded"
        );
        self.announce(&moved)?;
        Ok(moved)
    }

    /// Events for moved payouts, and one `BatchFinished` for each batch that has just ended.
    pub(crate) fn announce(&self, moved: &[PayoutRow]) -> Result<()> {
        let mut ended_batches = std::collections::BTreeSet::new();
        for row in moved {
            self.events.emit(CoreEvent::PayoutStatus {
                id: row.id,
                reference: row.reference.clone(),
                status: row.status,
                is_final: row.status.is_final(),
                batch_id: row.batch_id,
                amount: row.amount,
                name: row.name.clone(),
                phone: format!("+{}{}", row.prefix, row.phone),
            });
            if let (Some(b), true) = (
                row.batch_id,
                row.status.is_final() || row.status == UnifiedStatus::OutcomeUnknown,
            ) {
                ended_batches.insert(b);
            }
        }
        for batch_id in ended_batches {
            if self.store.batches().still_open(batch_id)? {
                continue;
            }
            let counts = self.store.batches().status_counts(batch_id)?;
            let mut done = (0u64, 0u64, 0u64);
            let mut open = false;
            for (status, n) in counts {
                let n = n as u64;
                match UnifiedStatus::parse(&status) {
                    Some(UnifiedStatus::Succeeded) => done.0 += n,
                    Some(UnifiedStatus::OutcomeUnknown) => done.2 += n,
                    Some(s) if s.is_final() => done.1 += n,
                    _ => open = true,
                }
            }
            if !open {
                self.events.emit(CoreEvent::BatchFinished {
                    batch_id,
                    succeeded: done.0,
                    failed: done.1,
                    outcome_unknown: done.2,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Answered;
    use crate::Guichet;
    use futures_util::FutureExt;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    /// The looks an answer starts do not take a send's place: with two sends allowed in flight
    /// and the first two sends' looks still out, the next two sends leave. (Counted together,
    /// a batch past its first thousand went at half the pace.)
    #[tokio::test]
    async fn looks_still_out_do_not_hold_the_next_sends_back() {
        let dir = tempfile::tempdir().unwrap();
        let g = Guichet::open(dir.path()).unwrap();
        let started = Arc::new(AtomicUsize::new(0));
        let calls = (0..4).map(|_| {
            let started = started.clone();
            async move {
                started.fetch_add(1, Ordering::SeqCst);
                let look = async move {
                    // Out until every send has left, or given up on after 2 s.
                    let every_send_left = async {
                        while started.load(Ordering::SeqCst) < 4 {
                            tokio::time::sleep(Duration::from_millis(5)).await;
                        }
                    };
                    let _ = tokio::time::timeout(Duration::from_secs(2), every_send_left).await;
                    Vec::new()
                };
                Answered {
                    moves: Vec::new(),
                    rest: (),
                    then: vec![look.boxed()],
                }
            }
        });
        let looks_done = g.record_as_answered(calls, 2, None);
        let all_sent = tokio::time::timeout(Duration::from_secs(1), async {
            while started.load(Ordering::SeqCst) < 4 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        });
        let (done, all_sent) = futures_util::future::join(looks_done, all_sent).await;
        assert_eq!(done.unwrap().len(), 4);
        assert!(
            all_sent.is_ok(),
            "the third and fourth sends waited for the first looks"
        );
    }
}
