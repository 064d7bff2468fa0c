//! An account's payout adapter: the one place the neutral orchestration (`payouts::submit`,
//! `payouts::track`, `payouts::resolve`) meets a provider. Every call returns moves; none writes.

use super::clients::AccountClient;
use super::{cinetpay, mycoolpay, Move, WAVE};
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use guichet_providers::ProviderError;
use guichet_store::accounts::AccountRow;
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

/// An account's client and what its payout requests carry.
pub(crate) struct Payouts {
    client: AccountClient,
    notify_url: String,
}

/// A first look, or a look at a group of payouts: its moves, and the payouts its answer did not
/// mention (to be asked about one by one).
pub(crate) type GroupLook = BoxFuture<'static, (Vec<Move>, Vec<PayoutRow>)>;

impl Payouts {
    pub fn new(client: AccountClient, account: &AccountRow) -> Payouts {
        Payouts {
            client,
            notify_url: account.notify_url.clone().unwrap_or_default(),
        }
    }

    /// Requests in flight at once: every request of a wave.
    pub fn in_flight(&self) -> usize {
        match &self.client {
            AccountClient::Cinetpay(_) => WAVE / cinetpay::CHUNK,
            AccountClient::Mycoolpay(_) => WAVE,
        }
    }

    /// What must happen before a wave's money leaves (CinetPay: its numbers made contacts): the
    /// moves of the payouts that fail there.
    pub async fn prepare(&self, rows: &[PayoutRow]) -> Vec<Move> {
        match &self.client {
            AccountClient::Cinetpay(c) => {
                cinetpay::add_contacts_first(c, rows, self.in_flight()).await
            }
            AccountClient::Mycoolpay(_) => Vec::new(),
        }
    }

    /// The payouts of a claimed wave, grouped by request.
    pub fn requests(&self, rows: &[PayoutRow]) -> Vec<Vec<PayoutRow>> {
        match &self.client {
            AccountClient::Cinetpay(_) => rows.chunks(cinetpay::CHUNK).map(<[_]>::to_vec).collect(),
            AccountClient::Mycoolpay(_) => rows.iter().map(|r| vec![r.clone()]).collect(),
        }
    }

    /// Sends one request's payouts (all `submitting`, committed).
    pub async fn send(&self, rows: &[PayoutRow]) -> Sent {
        match &self.client {
            AccountClient::Cinetpay(c) => cinetpay::send_chunk(c, &self.notify_url, rows).await,
            AccountClient::Mycoolpay(c) => {
                let mut sent = Sent {
                    moves: Vec::new(),
                    look_up: Vec::new(),
                };
                for row in rows {
                    let one = mycoolpay::send(c, row).await;
                    sent.moves.extend(one.moves);
                    sent.look_up.extend(one.look_up);
                }
                sent
            }
        }
    }

    /// The first looks at payouts just accepted (CinetPay one per lot, My-CoolPay one per
    /// payout), made without waiting for their acceptance to be written.
    pub fn first_looks(&self, accepted: Vec<PayoutRow>) -> Vec<BoxFuture<'static, Vec<Move>>> {
        let (groups, alone) = self.group_looks(accepted);
        match &self.client {
            // A payout accepted without a lot waits for the next pass.
            AccountClient::Cinetpay(_) => groups
                .into_iter()
                .map(|f| f.map(|(m, _)| m).boxed())
                .collect(),
            AccountClient::Mycoolpay(_) => alone
                .into_iter()
                .map(|row| self.look_at_one(row).map(|m| vec![m]).boxed())
                .collect(),
        }
    }

    /// Looks that answer for several payouts at once (CinetPay: a lot), and the payouts to be
    /// asked about one by one.
    pub fn group_looks(&self, rows: Vec<PayoutRow>) -> (Vec<GroupLook>, Vec<PayoutRow>) {
        match &self.client {
            AccountClient::Cinetpay(c) => {
                let (by_lot, alone) = cinetpay::by_lot(rows);
                let looks = by_lot
                    .into_iter()
                    .map(|(lot, rows)| cinetpay::look_at_lot(c.clone(), lot, rows).boxed())
                    .collect();
                (looks, alone)
            }
            AccountClient::Mycoolpay(_) => (Vec::new(), rows),
        }
    }

    pub fn look_at_one(&self, row: PayoutRow) -> BoxFuture<'static, Move> {
        match &self.client {
            AccountClient::Cinetpay(c) => cinetpay::look_at_one(c.clone(), row).boxed(),
            AccountClient::Mycoolpay(c) => mycoolpay::look_at(c.clone(), row).boxed(),
        }
    }

    /// Looks up a payout whose answer is missing, by Guichet's own reference.
    pub async fn look_up(&self, row: &PayoutRow) -> LookUp {
        match &self.client {
            AccountClient::Cinetpay(c) => match cinetpay::look_up(c, row).await {
                Ok(Some(found)) => LookUp::Found(found),
                Ok(None) => LookUp::NotFound,
                Err(e) => LookUp::Failed(e),
            },
            AccountClient::Mycoolpay(_) => LookUp::Impossible(mycoolpay::INTERRUPTED),
        }
    }

    /// Sends again, under its own reference, a payout the provider does not know.
    pub async fn resend<E>(
        &self,
        row: &PayoutRow,
        announce: impl FnOnce() -> Result<(), E>,
    ) -> Result<Resend, E> {
        match &self.client {
            AccountClient::Cinetpay(c) => {
                cinetpay::resend(c, row, &self.notify_url, announce).await
            }
            // Never looked up by our reference, so never found missing.
            AccountClient::Mycoolpay(_) => Ok(Resend::Open),
        }
    }
}
