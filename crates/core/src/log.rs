//! The event log as the merchant reads it: what Guichet did and saw, newest first, a page at a
//! time.

use crate::page::{Page, PageRequest};
use crate::{Guichet, Result};
pub use guichet_store::events::EventRow;

impl Guichet {
    pub fn event_page(&self, req: PageRequest) -> Result<Page<EventRow>> {
        Ok(self.store.events().page(req)?)
    }
}
