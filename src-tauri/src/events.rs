//! Forwards core events to the webview as the `guichet://event` Tauri event.

use guichet_core::{CoreEvent, EventSink};
use tauri::{AppHandle, Emitter, Runtime};

pub const EVENT: &str = "guichet://event";

pub struct WebviewSink<R: Runtime>(pub AppHandle<R>);

impl<R: Runtime> EventSink for WebviewSink<R> {
    fn emit(&self, event: CoreEvent) {
        // A closed window is not an error for the core.
        let _ = self.0.emit(EVENT, &event);
    }
}
