//! Guichet's use cases, free of Tauri: the desktop shell and the `guichet` command both call
//! these functions and render their results and events their own way.

pub mod accounts;
pub mod adapters;
pub mod automation;
pub mod balances;
pub mod books;
pub mod callbacks;
pub mod collections;
pub mod contacts;
mod context;
pub mod dashboard;
pub mod demo;
pub mod draft;
mod error;
pub mod events;
mod issue;
mod journal;
pub mod log;
pub mod open_files;
pub mod payouts;
pub mod people;
pub mod poller;
pub mod settings;

pub use adapters::clients;
/// Pages of the lists that grow (payouts, batches, the event log).
pub mod page {
    pub use guichet_store::page::{Page, PageRequest};
}

pub use context::{default_data_dir, Guichet, DATA_DIR_ENV};
pub use error::{CoreError, ErrorCode, Invalid, ProviderFailure, Result};
pub use events::{CoreEvent, EventSink, NoEvents};
