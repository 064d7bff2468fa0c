pub mod account;
pub mod balance;
pub mod books;
pub mod callback;
pub mod collect;
pub mod contacts;
pub mod payout;
pub mod sandbox;
pub mod sync;

use guichet_core::Guichet;
use std::path::PathBuf;

/// Opens the data directory given by `--data-dir`, `GUICHET_DATA_DIR` or the platform default.
pub fn open(data_dir: Option<PathBuf>) -> anyhow::Result<Guichet> {
    let dir = match data_dir {
        Some(d) => d,
        None => guichet_core::default_data_dir()?,
    };
    Ok(Guichet::open(&dir)?)
}
