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
    /// Whether the notification plugin is there (not in the command tests' mock runtime).
    pub notify: bool,
    pub english: Arc<AtomicBool>,
}

impl<R: Runtime> EventSink for WebviewSink<R> {
    fn emit(&self, event: CoreEvent) {
        let english = self.english.load(Ordering::Relaxed);
        // One notification per payout sent alone, one per batch when all of it is final.
        let text = match &event {
            CoreEvent::PayoutStatus {
                reference,
                status,
                is_final: true,
                batch_id: None,
                ..
            } => Some(notification_text(*status, reference, english)),
            CoreEvent::BatchFinished {
                batch_id,
                succeeded,
                failed,
                outcome_unknown,
            } => Some(batch_text(
                *batch_id,
                *succeeded,
                *failed,
                *outcome_unknown,
                english,
            )),
            _ => None,
        };
        if let (true, Some((title, body))) = (self.notify, text) {
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

fn batch_text(
    batch_id: i64,
    succeeded: u64,
    failed: u64,
    unknown: u64,
    english: bool,
) -> (String, String) {
    if english {
        let mut body = format!("Batch #{batch_id}: {succeeded} paid, {failed} failed");
        if unknown > 0 {
            body.push_str(&format!(", {unknown} with an unknown outcome"));
        }
        ("Guichet — batch".into(), body)
    } else {
        let mut body = format!("Lot n° {batch_id} : {succeeded} payé(s), {failed} échoué(s)");
        if unknown > 0 {
            body.push_str(&format!(", {unknown} au résultat inconnu"));
        }
        ("Guichet — lot de paiements".into(), body)
    }
}
