//! The shell's side of the automatic work: the daily balance check (at start, then every day at
//! the merchant's hour) and the callback receiver started or stopped by the Settings switch.

use crate::state::AppState;
use guichet_core::automation::{Automation, AutomationState};
use guichet_core::callbacks::{CallbackServer, ServeOptions};
use guichet_core::Guichet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, Notify};

#[derive(Default)]
pub struct Automations {
    /// Wakes the balance-check loop when the hour changes.
    wake: Arc<Notify>,
    receiver: Mutex<Option<CallbackServer>>,
    receiver_error: Mutex<Option<String>>,
}

/// Checks every balance now, then every day at the chosen hour.
pub fn spawn_balance_checks(state: &AppState) {
    let wake = state.automations.wake.clone();
    // The app's own work: it runs whoever signs in or out.
    let g: Guichet = state.guichet.background();
    tauri::async_runtime::spawn(async move {
        if let Err(e) = g.scheduled_balance_check().await {
            tracing::warn!(error = %e, "balance check at start failed");
        }
        loop {
            let next = g
                .next_balance_check(time::OffsetDateTime::now_utc())
                .ok()
                .flatten();
            let wait = next
                .and_then(|at| Duration::try_from(at - time::OffsetDateTime::now_utc()).ok())
                // No hour chosen: wait for the merchant to choose one.
                .unwrap_or(Duration::from_secs(24 * 3600));
            tokio::select! {
                _ = tokio::time::sleep(wait) => {
                    if next.is_some() {
                        if let Err(e) = g.scheduled_balance_check().await {
                            tracing::warn!(error = %e, "daily balance check failed");
                        }
                    }
                }
                _ = wake.notified() => {}
            }
        }
    });
}

/// Starts or stops the receiver to match the settings, and says how things stand.
pub async fn apply(state: &AppState, settings: Automation) -> AutomationState {
    state.automations.wake.notify_one();
    {
        let mut slot = state.automations.receiver.lock().await;
        let mut error = state.automations.receiver_error.lock().await;
        let wanted = settings
            .callback_receiver
            .then_some((settings.callback_port, settings.trusted_proxy()));
        let running = slot.as_ref().map(|s| (s.addr().port(), s.trust_proxy()));
        if wanted != running {
            if let Some(server) = slot.take() {
                server.stop().await;
            }
            *error = None;
            if let Some((port, trust_proxy)) = wanted {
                // The receiver runs as the app's own work, whoever signs in or out.
                match state
                    .guichet
                    .background()
                    .serve_callbacks(ServeOptions {
                        trust_proxy,
                        ..ServeOptions::new(std::net::Ipv4Addr::LOCALHOST.into(), port)
                    })
                    .await
                {
                    Ok(server) => *slot = Some(server),
                    Err(e) => *error = Some(e.to_string()),
                }
            }
        }
    }
    describe(state, settings).await
}

pub async fn describe(state: &AppState, settings: Automation) -> AutomationState {
    let mut error = state.automations.receiver_error.lock().await.clone();
    let callback_path = state
        .guichet
        .background()
        .callback_path()
        .unwrap_or_else(|e| {
            error.get_or_insert(e.to_string());
            String::new()
        });
    AutomationState {
        settings,
        receiver: state
            .automations
            .receiver
            .lock()
            .await
            .as_ref()
            .map(|s| s.url()),
        error,
        callback_path,
    }
}
