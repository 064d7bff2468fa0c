//! Asking the providers where pending payouts stand, whatever the provider: the looks that
//! answer for several payouts at once first (CinetPay: a lot, matched by `client_transaction_id`,
//! never by position), then one look per payout for the rest (My-CoolPay: every payout), all
//! concurrently; answers are recorded as they come in.

use super::record::Answered;
use crate::adapters::{adapter, GroupLook};
use crate::{Guichet, Result};
use guichet_store::payouts::PayoutRow;
use std::collections::BTreeMap;

impl Guichet {
    /// Checks the given pending payouts with their providers and records what changed.
    pub(crate) async fn refresh(&self, rows: Vec<PayoutRow>) -> Result<()> {
        let mut by_account: BTreeMap<i64, Vec<PayoutRow>> = BTreeMap::new();
        for r in rows {
            by_account.entry(r.account_id).or_default().push(r);
        }
        for (account_id, rows) in by_account {
            let account = self.store.accounts().get(account_id)?;
            let payouts = adapter(account.provider).payouts(self, &account).await?;
            let (groups, mut alone) = payouts.group_looks(rows);
            // Collected first: a lazy map over boxed futures trips the compiler's proof that
            // this future is `Send`.
            let calls: Vec<_> = groups.into_iter().map(answered).collect();
            let missing = self
                .record_as_answered(calls, payouts.in_flight(), None)
                .await?;
            alone.extend(missing.into_iter().flatten());
            let calls = alone.into_iter().map(|row| {
                let look = payouts.look_at_one(row);
                async move { Answered::new(vec![look.await], ()) }
            });
            self.record_as_answered(calls, payouts.in_flight(), None)
                .await?;
        }
        Ok(())
    }
}

/// A group look's answer: its moves, and the payouts it did not mention.
async fn answered(look: GroupLook) -> Answered<'static, Vec<PayoutRow>> {
    let (moves, missing) = look.await;
    Answered::new(moves, missing)
}
