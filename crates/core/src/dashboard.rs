//! The dashboard's figures: each account's balances and their history, what is still open
//! (payouts, collections), and what was paid out and collected since the start of the
//! merchant's day, per currency. SQLite computes them (`guichet_store::summary`).

use crate::{CoreError, Guichet, Result};
use guichet_types::{Amount, Currency, Provider};
use serde::Serialize;
use std::collections::BTreeMap;

/// Readings per balance kind kept for the small charts.
const CHART_POINTS: u32 = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Dashboard {
    pub accounts: Vec<AccountSummary>,
    /// Since `since`, per currency; a currency with nothing done is absent.
    pub today: Vec<DayTotals>,
    pub since: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccountSummary {
    pub label: String,
    pub provider: Provider,
    pub currency: Currency,
    pub sandbox: bool,
    /// Each balance kind with its latest readings, oldest first.
    pub balances: Vec<BalanceSeries>,
    pub open_payouts: i64,
    pub open_payouts_total: Amount,
    pub open_collections: i64,
    pub open_collections_total: Amount,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BalanceSeries {
    /// `transfer`, `account`, `service` (CinetPay), `wallet` (My-CoolPay).
    pub kind: String,
    pub points: Vec<BalancePoint>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BalancePoint {
    pub taken_at: String,
    /// Exactly as the provider wrote it (`"865.4"`).
    pub amount: String,
    /// Whole francs of `amount` (decimals dropped), for drawing.
    pub francs: Amount,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DayTotals {
    pub currency: String,
    pub paid_out: Amount,
    pub payouts: i64,
    pub collected: Amount,
    pub collections: i64,
}

/// The whole francs of a provider's decimal text; `None` if it is not a number.
fn whole_francs(amount: &str) -> Option<i64> {
    let whole = amount.trim().split(['.', ',']).next()?;
    match whole {
        "" | "-" => Some(0),
        w => w.parse().ok(),
    }
}

/// A moment given by the UI, in the store's text form (which sorts as time).
fn stored_time(at: &str) -> Result<String> {
    time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
        .map(guichet_store::format_ts)
        .map_err(|e| CoreError::invalid("since", format!("`{at}` is not an RFC 3339 time: {e}")))
}

impl Guichet {
    /// The dashboard as of now; `since` is the start of the merchant's day as RFC 3339 UTC (the
    /// UI knows the local time zone).
    pub fn dashboard(&self, since: &str) -> Result<Dashboard> {
        let since = stored_time(since)?;
        let db = self.store.lock();
        let open_p = db.summary().open_payouts()?;
        let open_c = db.summary().open_collections()?;
        let mut accounts = Vec::new();
        for a in db.accounts().list()? {
            let mut balances: Vec<BalanceSeries> = Vec::new();
            for r in db.summary().balance_series(a.id, CHART_POINTS)? {
                let point = BalancePoint {
                    francs: Amount(whole_francs(&r.amount).unwrap_or(0)),
                    taken_at: r.taken_at,
                    amount: r.amount,
                };
                match balances.last_mut() {
                    Some(s) if s.kind == r.kind => s.points.push(point),
                    _ => balances.push(BalanceSeries {
                        kind: r.kind,
                        points: vec![point],
                    }),
                }
            }
            let p = open_p.iter().find(|o| o.account_id == a.id);
            let c = open_c.iter().find(|o| o.account_id == a.id);
            accounts.push(AccountSummary {
                open_payouts: p.map_or(0, |o| o.count),
                open_payouts_total: p.map_or(Amount(0), |o| o.total),
                open_collections: c.map_or(0, |o| o.count),
                open_collections_total: c.map_or(Amount(0), |o| o.total),
                label: a.fields.label,
                provider: a.fields.provider,
                currency: a.fields.currency,
                sandbox: a.fields.sandbox,
                balances,
            });
        }
        let mut today: BTreeMap<String, DayTotals> = BTreeMap::new();
        for (d, is_payout) in db
            .summary()
            .paid_out_since(&since)?
            .into_iter()
            .map(|d| (d, true))
            .chain(
                db.summary()
                    .collected_since(&since)?
                    .into_iter()
                    .map(|d| (d, false)),
            )
        {
            let t = today.entry(d.currency.clone()).or_insert(DayTotals {
                currency: d.currency,
                paid_out: Amount(0),
                payouts: 0,
                collected: Amount(0),
                collections: 0,
            });
            if is_payout {
                (t.paid_out, t.payouts) = (d.total, d.count);
            } else {
                (t.collected, t.collections) = (d.total, d.count);
            }
        }
        Ok(Dashboard {
            accounts,
            today: today.into_values().collect(),
            since,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::whole_francs;

    #[test]
    fn balances_are_drawn_from_their_whole_francs() {
        assert_eq!(whole_francs("865.4"), Some(865));
        assert_eq!(whole_francs("2000000"), Some(2_000_000));
        assert_eq!(whole_francs("-12,5"), Some(-12));
        assert_eq!(whole_francs(".5"), Some(0));
        assert_eq!(whole_francs("n/a"), None);
    }
}
