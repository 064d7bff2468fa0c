/// What the core acts on. Declines are data in the per-item results; these are failures of a
/// whole call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// Wrong API key, password, private key or token.
    Credentials,
    /// A field the provider refused, named.
    InvalidField(String),
    InsufficientBalance,
    /// The reference was already used: for a payout, the first attempt arrived.
    DuplicateReference,
    NotFound,
    RateLimited {
        retry_after_s: u64,
    },
    /// The provider could not be reached or failed (5xx, timeout before sending, bad gateway…).
    Unavailable,
    /// A call that moves money could not even connect (refused, no route, name not found, no
    /// socket left): not a byte of it left, so nothing happened at the provider.
    NotSent,
    /// The request may have reached the provider but no answer came back: for a call that moves
    /// money, the outcome is unknown and the call must not be repeated under a new reference.
    OutcomeUnknown,
    Unknown,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct ProviderError {
    pub kind: ErrorKind,
    /// The provider's own code (`"701"`, `602`…), when it gave one.
    pub code: Option<String>,
    pub message: String,
    /// The raw response body, for the audit log (never contains our secrets: they are sent, not
    /// echoed back).
    pub raw: Option<String>,
}

impl ProviderError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> ProviderError {
        ProviderError {
            kind,
            code: None,
            message: message.into(),
            raw: None,
        }
    }

    pub fn with_code(mut self, code: impl Into<String>) -> ProviderError {
        self.code = Some(code.into());
        self
    }

    pub fn with_raw(mut self, raw: impl Into<String>) -> ProviderError {
        self.raw = Some(raw.into());
        self
    }
}
