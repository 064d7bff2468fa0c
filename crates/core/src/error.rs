use guichet_secrets::SecretError;
use guichet_store::StoreError;

pub type Result<T> = std::result::Result<T, CoreError>;

/// Every failure the UI and the CLI show. `code()` is stable: the UI branches on it and
/// translates it; `to_string()` is the English explanation with the specifics.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// Bad input from the merchant; `field` names what to fix.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{what} `{key}` not found")]
    NotFound { what: &'static str, key: String },
    #[error("{what} `{key}` already exists")]
    Duplicate { what: &'static str, key: String },
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error(transparent)]
    Store(StoreError),
    #[error("{0}")]
    Io(String),
    /// A spreadsheet that can't be read; nothing was changed.
    #[error(transparent)]
    File(#[from] guichet_tabular::TabularError),
    /// A provider refused or could not be reached, in words.
    #[error("{0}")]
    Provider(String),
}

impl CoreError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> CoreError {
        CoreError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Invalid { .. } => "invalid_input",
            CoreError::NotFound { .. } => "not_found",
            CoreError::Duplicate { .. } => "duplicate",
            CoreError::Secret(SecretError::Unavailable(..)) => "keyring_unavailable",
            CoreError::Secret(SecretError::Denied(_)) => "keyring_locked",
            CoreError::Secret(SecretError::Missing { .. }) => "secret_missing",
            CoreError::Secret(SecretError::Other(_)) => "keyring_error",
            CoreError::Store(StoreError::Corrupt { .. }) => "database_corrupt",
            CoreError::Store(StoreError::NewerSchema { .. }) => "database_too_new",
            CoreError::Store(_) => "database_error",
            CoreError::Io(_) => "io_error",
            CoreError::File(e) => e.code(),
            CoreError::Provider(_) => "provider_error",
        }
    }

    /// The field at fault, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            CoreError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl From<StoreError> for CoreError {
    fn from(e: StoreError) -> CoreError {
        match e {
            StoreError::NotFound { what, key } => CoreError::NotFound { what, key },
            StoreError::Duplicate { what, key } => CoreError::Duplicate { what, key },
            other => CoreError::Store(other),
        }
    }
}

impl From<guichet_tabular::export::ExportError> for CoreError {
    fn from(e: guichet_tabular::export::ExportError) -> CoreError {
        match e {
            guichet_tabular::export::ExportError::Delimiter(_) => {
                CoreError::invalid("delimiter", e.to_string())
            }
            other => CoreError::Io(other.to_string()),
        }
    }
}
