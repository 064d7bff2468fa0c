//! An account's payout calls: the one place the neutral orchestration (`payouts::submit`,
//! `payouts::track`, `payouts::resolve`) meets a provider (each provider's `payouts.rs`
//! implements [`PayoutCalls`]). Every call returns moves; none writes.

use super::Move;
use crate::Result;
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use guichet_providers::ProviderError;
use guichet_store::payouts::PayoutRow;

/// One send request's answer: the moves it calls for, and the payouts whose fate it leaves open
/// (to be looked up by their own reference once the provider has had time to settle).
pub(crate) struct Sent {
    pub moves: Vec<Move>,
    pub look_up: Vec<i64>,
}

/// What became of sending a payout again under its own reference.
pub(crate) enum Resend {
    /// It did not leave (its number could not be made a contact): look it up later.
    NotSent,
    Accepted {
        provider_ref: String,
        lot: String,
    },
    /// Refused as a whole: nothing was executed and nothing will be.
    Refused {
        code: Option<String>,
        detail: String,
        raw: serde_json::Value,
    },
    /// Its fate is open: looked up after the settle delay.
    Open,
}

/// What a look-up by Guichet's own reference found.
pub(crate) enum LookUp {
    /// The provider knows the payout: the move its status calls for.
    Found(Move),
    /// The provider does not know it (yet).
    NotFound,
    /// No answer: asked again later.
    Failed(ProviderError),
    /// The provider can only be asked with its own reference, never received: the payout's
    /// outcome is unknown, in these words.
    Impossible(&'static str),
}

/// A first look, or a look at a group of payouts: its moves, and the payouts its answer did not
/// mention (to be asked about one by one).
pub(crate) type GroupLook = BoxFuture<'static, (Vec<Move>, Vec<PayoutRow>)>;

/// What runs once a payout about to be sent again is ready to leave (its history says so).
pub(crate) type Announce<'a> = Box<dyn FnOnce() -> Result<()> + Send + 'a>;

/// An account's payout calls, as its adapter makes them.
pub(crate) type Payouts = Box<dyn PayoutCalls>;

/// What the orchestration asks of an account's provider about payouts.
pub(crate) trait PayoutCalls: Send + Sync {
    /// Requests in flight at once; the next one leaves as soon as one answers.
    fn in_flight(&self) -> usize;

    /// Payouts claimed together, in one transaction, before their requests leave.
    fn wave(&self) -> usize;

    /// What must happen before a wave's money leaves (CinetPay: its numbers made contacts): the
    /// moves of the payouts that fail there.
    fn prepare<'a>(&'a self, _rows: &'a [PayoutRow]) -> BoxFuture<'a, Vec<Move>> {
        async { Vec::new() }.boxed()
    }

    /// The payouts of a claimed wave, grouped by request.
    fn requests(&self, rows: &[PayoutRow]) -> Vec<Vec<PayoutRow>>;

    /// Sends one request's payouts (all `submitting`, committed).
    fn send<'a>(&'a self, rows: &'a [PayoutRow]) -> BoxFuture<'a, Sent>;

    /// The first looks at payouts just accepted, made without waiting for their acceptance to
    /// be written.
    fn first_looks(&self, accepted: Vec<PayoutRow>) -> Vec<BoxFuture<'static, Vec<Move>>>;

    /// Looks that answer for several payouts at once (CinetPay: a lot), and the payouts to be
    /// asked about one by one.
    fn group_looks(&self, rows: Vec<PayoutRow>) -> (Vec<GroupLook>, Vec<PayoutRow>) {
        (Vec::new(), rows)
    }

    fn look_at_one(&self, row: PayoutRow) -> BoxFuture<'static, Move>;

    /// Looks up a payout whose answer is missing, by Guichet's own reference.
    fn look_up<'a>(&'a self, row: &'a PayoutRow) -> BoxFuture<'a, LookUp>;

    /// Sends again, under its own reference, a payout the provider does not know.
    fn resend<'a>(
        &'a self,
        row: &'a PayoutRow,
        announce: Announce<'a>,
    ) -> BoxFuture<'a, Result<Resend>>;
}
