//! Forwards core events to the webview as the `guichet://event` Tauri event, and turns final
//! payout and collection outcomes and low balances into desktop notifications in the UI's
//! language: one per payout sent alone, one per batch once all of it is final.

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
        let english = self.english.load(Ordering::Relaxed);
        let text = match (&event, notify) {
            (
                CoreEvent::PayoutStatus {
                    reference,
                    status,
                    is_final: true,
                    batch_id: None,
                    ..
                },
                true,
            ) => Some(notification_text(*status, reference, english)),
            (
                CoreEvent::BatchFinished {
                    batch_id,
                    succeeded,
                    failed,
                    outcome_unknown,
                },
                true,
            ) => Some(batch_text(
                *batch_id,
                *succeeded,
                *failed,
                *outcome_unknown,
                english,
            )),
            (
                CoreEvent::CollectionStatus {
                    reference,
                    status,
                    is_final: true,
                    ..
                },
                true,
            ) => Some(collection_text(*status, reference, english)),
            (
                CoreEvent::LowBalance {
                    account,
                    amount,
                    threshold,
                    ..
                },
                true,
            ) => Some(low_balance_text(account, amount, *threshold, english)),
            _ => None,
        };
        if let Some((title, body)) = text {
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

fn collection_text(status: UnifiedStatus, reference: &str, english: bool) -> (String, String) {
    let what = match (status, english) {
        (UnifiedStatus::Succeeded, false) => "payé",
        (UnifiedStatus::Succeeded, true) => "paid",
        (UnifiedStatus::Cancelled, false) => "annulé",
        (UnifiedStatus::Cancelled, true) => "cancelled",
        (_, false) => "non payé",
        (_, true) => "not paid",
    };
    if english {
        (
            "Guichet — collection".into(),
            format!("Collection {reference}: {what}"),
        )
    } else {
        (
            "Guichet — encaissement".into(),
            format!("Encaissement {reference} : {what}"),
        )
    }
}

fn low_balance_text(
    account: &str,
    amount: &str,
    threshold: i64,
    english: bool,
) -> (String, String) {
    let threshold = guichet_types::Amount(threshold).grouped();
    if english {
        (
            "Guichet — low balance".into(),
            format!("{account}: {amount} F CFA, below {threshold} F CFA"),
        )
    } else {
        (
            "Guichet — solde bas".into(),
            format!("{account} : {amount} F CFA, sous le seuil de {threshold} F CFA"),
        )
    }
}
