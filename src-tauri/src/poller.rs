//! The app's poller: the core's (`guichet_core::poller`), run on the app's runtime.

use guichet_core::Guichet;

#[derive(Clone, Default)]
pub struct Poller(guichet_core::poller::Poller);

impl Poller {
    /// Asks for a pass now (after queuing payouts).
    pub fn wake(&self) {
        self.0.wake();
    }

    pub fn spawn(&self, guichet: Guichet) {
        let poller = self.0.clone();
        tauri::async_runtime::spawn(poller.run(guichet));
    }
}
