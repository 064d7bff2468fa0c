//! The event log as the merchant reads it: what Guichet did and saw, newest first, a page at a
//! time.

use crate::{Guichet, Result};
use guichet_store::events::{self as table, EventRow};
use guichet_store::page::{Page, PageRequest};

impl Guichet {
    pub fn event_page(&self, req: PageRequest) -> Result<Page<EventRow>> {
        Ok(table::page(&self.store.conn(), req)?)
    }
}
