use crate::events::{EventSink, NoEvents};
use crate::{CoreError, Result};
use guichet_secrets::SecretStore;
use guichet_store::Store;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Overrides the data directory, like `--data-dir`.
pub const DATA_DIR_ENV: &str = "GUICHET_DATA_DIR";

/// Everything a use case needs: the store, the keyring and whoever listens to events.
#[derive(Clone)]
pub struct Guichet {
    data_dir: PathBuf,
    pub store: Arc<Store>,
    pub secrets: SecretStore,
    pub events: Arc<dyn EventSink>,
    pub(crate) clients: Arc<crate::clients::Clients>,
    /// This start of this process, as the holder of the payouts it is sending (their leases).
    pub(crate) instance: Arc<str>,
    pub(crate) patience: Arc<crate::payouts::Patience>,
    /// Whether a thread is filling the contact search index (one at a time is enough).
    pub(crate) indexing_contacts: Arc<std::sync::atomic::AtomicBool>,
    /// Who is acting (see `crate::people`).
    pub(crate) acting: Arc<crate::people::Session>,
}

/// The platform data directory (`~/.local/share/guichet` on Linux), or `GUICHET_DATA_DIR`.
pub fn default_data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("ci", "Guichet", "guichet")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| {
            CoreError::Io(format!(
                "no home directory: set {DATA_DIR_ENV} or pass --data-dir"
            ))
        })
}

impl Guichet {
    /// Opens (creating if needed) the data directory and its database. The folder is the
    /// merchant's alone (`0700`, its files `0600`; see `guichet_store::private`).
    pub fn open(data_dir: &Path) -> Result<Guichet> {
        guichet_store::private::create_dir(data_dir).map_err(|e| {
            CoreError::Io(format!(
                "cannot create data directory {}: {e}",
                data_dir.display()
            ))
        })?;
        let store = Store::open(data_dir.join("guichet.db"))?;
        let acting = Arc::new(crate::people::Session::at_open(&store)?);
        Ok(Guichet {
            data_dir: data_dir.to_path_buf(),
            store: Arc::new(store),
            secrets: SecretStore::for_data_dir(data_dir),
            events: Arc::new(NoEvents),
            clients: Arc::default(),
            instance: crate::payouts::lease::new_instance_id().into(),
            patience: Arc::default(),
            indexing_contacts: Arc::default(),
            acting,
        })
    }

    pub fn with_events(mut self, events: Arc<dyn EventSink>) -> Guichet {
        self.events = events;
        self
    }

    /// Other figures for leases and look-ups (simulations run them in milliseconds).
    pub fn with_patience(mut self, patience: crate::payouts::Patience) -> Guichet {
        self.patience = Arc::new(patience);
        self
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }
}
