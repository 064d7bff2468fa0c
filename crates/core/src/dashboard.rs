//! The dashboard's figures: each account's balances and their history, what is still open
//! (payouts, collections), and what was paid out and collected since the start of the
//! merchant's day, per currency. SQLite computes them (`guichet_store::summary`).

use crate::Invalid;
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
    /// What needs the merchant, most urgent first ("À traiter").
    pub to_do: Vec<ToDo>,
}

/// One thing for the merchant to deal with, per account, with what it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ToDo {
    pub kind: ToDoKind,
    pub account: String,
    /// How many payouts or collections; 1 for a low balance.
    pub count: i64,
    /// Their total, or the balance that is low.
    pub amount: Amount,
    /// The threshold a low balance is under.
    pub threshold: Option<Amount>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ToDoKind {
    /// Payouts whose outcome the provider never told: check before paying again.
    UnknownPayouts,
    /// Payouts failed or rejected in the last 7 days.
    FailedPayouts,
    /// A balance payouts leave from is under its threshold.
    LowBalance,
    /// Collections still waiting for their customer after 24 hours.
    StaleCollections,
}

/// Failed payouts stay on the list this long.
const FAILED_FOR: time::Duration = time::Duration::days(7);
/// A collection is worth a reminder after this long.
const STALE_AFTER: time::Duration = time::Duration::hours(24);

fn to_do(
    db: &guichet_store::Db<'_>,
    rows: &[guichet_store::accounts::AccountRow],
    accounts: &[AccountSummary],
    now: time::OffsetDateTime,
) -> Result<Vec<ToDo>> {
    use guichet_types::UnifiedStatus as S;
    let label = |id: i64| rows.iter().find(|a| a.id == id).map(|a| a.label.clone());
    let mut out: BTreeMap<(ToDoKind, String), ToDo> = BTreeMap::new();
    let mut add = |kind: ToDoKind, account: String, amount: i64| {
        let t = out.entry((kind, account.clone())).or_insert(ToDo {
            kind,
            account,
            count: 0,
            amount: Amount(0),
            threshold: None,
        });
        t.count += 1;
        t.amount = Amount(t.amount.0 + amount);
    };
    for p in db.payouts().in_statuses(None, &[S::OutcomeUnknown])? {
        if let Some(l) = label(p.account_id) {
            add(ToDoKind::UnknownPayouts, l, p.amount.0);
        }
    }
    let recent = guichet_store::format_ts(now - FAILED_FOR);
    for p in db
        .payouts()
        .in_statuses_since(&[S::Failed, S::Rejected], &recent)?
    {
        if let Some(l) = label(p.account_id) {
            add(ToDoKind::FailedPayouts, l, p.amount.0);
        }
    }
    let stale = guichet_store::format_ts(now - STALE_AFTER);
    for c in db.collections().open()? {
        if let (Some(l), true) = (label(c.account_id), c.created_at < stale) {
            add(ToDoKind::StaleCollections, l, c.amount.0);
        }
    }
    let mut list: Vec<ToDo> = out.into_values().collect();
    for (a, row) in accounts.iter().zip(rows) {
        let Some(threshold) = row.low_balance_threshold else {
            continue;
        };
        let watched = a
            .balances
            .iter()
            .filter(|s| matches!(s.kind.as_str(), "transfer" | "wallet"))
            .filter_map(|s| s.points.last());
        for last in watched {
            if last.francs.0 < threshold {
                list.push(ToDo {
                    kind: ToDoKind::LowBalance,
                    account: a.label.clone(),
                    count: 1,
                    amount: last.francs,
                    threshold: Some(Amount(threshold)),
                });
            }
        }
    }
    list.sort_by(|a, b| (a.kind, &a.account).cmp(&(b.kind, &b.account)));
    Ok(list)
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
        .map_err(|e| {
            CoreError::invalid(
                "since",
                Invalid::NotDate {
                    value: at.to_string(),
                },
                format!("`{at}` is not an RFC 3339 time: {e}"),
            )
        })
}

impl Guichet {
    /// The dashboard as of now; `since` is the start of the merchant's day as RFC 3339 UTC (the
    /// UI knows the local time zone).
    pub fn dashboard(&self, since: &str) -> Result<Dashboard> {
        self.require(crate::people::Action::Read)?;
        let since = stored_time(since)?;
        let db = self.store.lock();
        let open_p = db.summary().open_payouts()?;
        let open_c = db.summary().open_collections()?;
        let mut accounts = Vec::new();
        let rows = db.accounts().list()?;
        for a in rows.iter().cloned() {
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
        let to_do = to_do(&db, &rows, &accounts, time::OffsetDateTime::now_utc())?;
        Ok(Dashboard {
            accounts,
            today: today.into_values().collect(),
            since,
            to_do,
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
