//! The event log as the merchant reads it (the Journal): what Guichet did and saw, newest
//! first, a page at a time, filtered by kind, account and days.

use crate::page::{Page, PageRequest};
use crate::{Guichet, Result};
use guichet_store::events::EventQuery;
pub use guichet_store::events::EventRow;
use serde::Deserialize;

/// Which entries the Journal shows; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct EventFilter {
    /// The parts of the kind before the dot to keep (`payout`, `batch`, `collection`,
    /// `collections`, `contacts`, `account`, `reconciliation`); empty keeps every kind.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// An account's label.
    #[serde(default)]
    pub account: Option<String>,
    /// First and last day (`2026-12-06`, UTC), both included.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

impl Guichet {
    /// Writes a Journal entry for something already done: a failure to write it is logged,
    /// never turned into a failure of what was done (the money may have left).
    pub(crate) fn journal(
        &self,
        kind: &str,
        account_id: i64,
        subject: &str,
        detail: serde_json::Value,
    ) {
        let written =
            self.store
                .events_mut()
                .append(kind, Some(account_id), Some(subject), &detail);
        if let Err(e) = written {
            tracing::warn!(kind, error = %e, "journal entry not written");
        }
    }

    pub fn event_page(&self, req: PageRequest) -> Result<Page<EventRow>> {
        self.require(crate::people::Action::Read)?;
        self.journal_page(&EventFilter::default(), req)
    }

    /// One page of the entries `filter` keeps, newest first; `next` continues after the last
    /// one shown.
    pub fn journal_page(&self, filter: &EventFilter, req: PageRequest) -> Result<Page<EventRow>> {
        self.require(crate::people::Action::Read)?;
        if *filter == EventFilter::default() {
            return Ok(self.store.events().page(req)?);
        }
        let account_id = match &filter.account {
            Some(label) => Some(self.account_row(label)?.id),
            None => None,
        };
        let query = EventQuery {
            kinds: filter.kinds.clone(),
            account_id,
            from: filter.from.clone(),
            to: filter.to.clone(),
        };
        Ok(self.store.events().filtered_page(&query, req)?)
    }
}
