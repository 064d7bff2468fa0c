use crate::poller::Poller;
use guichet_core::Guichet;
use guichet_sandbox::SandboxHandle;

/// What every command reaches: the core context, the poller, and the demo simulator if running.
pub struct AppState {
    pub guichet: Guichet,
    pub poller: Poller,
    pub sandbox: tokio::sync::Mutex<Option<SandboxHandle>>,
    /// The daily balance check and the callback receiver.
    pub automations: crate::automation::Automations,
    /// The UI speaks English (French otherwise).
    pub english: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Desktop notifications are on (the merchant's setting).
    pub notifications: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// The UI has drawn its first interactive screen (`ui_ready`): the start's background work
    /// waits for it, so the first screen does not share the CPU and the database with it.
    pub ui_ready: std::sync::Arc<tokio::sync::Notify>,
    /// Several people share the folder and nobody is signed in: commands other than the
    /// sign-in's are refused (see `with_commands`).
    pub nobody: std::sync::atomic::AtomicBool,
}
