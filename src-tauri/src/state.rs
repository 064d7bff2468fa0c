use crate::poller::Poller;
use guichet_core::Guichet;
use guichet_sandbox::SandboxHandle;

/// What every command reaches: the core context, the poller, and the demo simulator if running.
pub struct AppState {
    pub guichet: Guichet,
    pub poller: Poller,
    pub sandbox: tokio::sync::Mutex<Option<SandboxHandle>>,
    /// The UI speaks English (French otherwise).
    pub english: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Desktop notifications are on (the merchant's setting).
    pub notifications: std::sync::Arc<std::sync::atomic::AtomicBool>,
}
