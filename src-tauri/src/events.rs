//! Forwards core events to the webview as the `guichet://event` Tauri event, and turns final
//! payout outcomes into desktop notifications in the UI's language.

use guichet_core::{CoreEvent, EventSink};
use guichet_types::UnifiedStatus;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tauri::{AppHandle, Emitter, Runtime};

pub const EVENT: &str = "guichet://event";

pub struct WebviewSink<R: Runtime> {
    pub app: AppHandle<R>,
    /// The merchant's notifications switch, when the notification plugin is there (not in the
    /// command tests' mock runtime).
    pub notify: Option<Arc<AtomicBool>>,
    pub english: Arc<AtomicBool>,
}

impl<R: Runtime> EventSink for WebviewSink<R> {
    fn emit(&self, event: CoreEvent) {
        let notify = self
            .notify
            .as_ref()
            .is_some_and(|on| on.load(Ordering::Relaxed));
        if let (
            true,
            CoreEvent::PayoutStatus {
                reference,
                status,
                is_final: true,
                ..
            },
        ) = (notify, &event)
        {
            let (title, body) =
                notification_text(*status, reference, self.english.load(Ordering::Relaxed));
            use tauri_plugin_notification::NotificationExt;
            if let Err(e) = self
                .app
                .notification()
                .builder()
                .title(title)
                .body(body)
                .show()
            {
                tracing::warn!(error = %e, "desktop notification failed");
            }
        }
        // A closed window is not an error for the core.
        let _ = self.app.emit(EVENT, &event);
    }
}

fn notification_text(status: UnifiedStatus, reference: &str, english: bool) -> (String, String) {
    let what = match (status, english) {
        (UnifiedStatus::Succeeded, false) => "payé",
        (UnifiedStatus::Succeeded, true) => "paid",
        (UnifiedStatus::Rejected, false) => "rejeté",
        (UnifiedStatus::Rejected, true) => "rejected",
        (_, false) => "échoué",
        (_, true) => "failed",
    };
    if english {
        (
            "Guichet — payout".into(),
            format!("Payout {reference}: {what}"),
        )
    } else {
        (
            "Guichet — paiement".into(),
            format!("Paiement {reference} : {what}"),
        )
    }
}
