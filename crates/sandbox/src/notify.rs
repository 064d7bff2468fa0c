//! Notifications the providers send to merchants (CinetPay transfer notify_url, My-CoolPay
//! callbacks), delivered by a background task; copies and reordering can be turned on.

use crate::world::World;
use rand::seq::SliceRandom;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Notification {
    pub url: String,
    /// Form fields, POSTed as application/x-www-form-urlencoded…
    pub form: Vec<(String, String)>,
    /// …or a JSON body instead (SOFTSYSTEM).
    pub json: Option<serde_json::Value>,
}

/// Takes what is queued, applying the world's duplicate and reorder settings.
pub fn drain(world: &mut World) -> Vec<Notification> {
    let mut out = Vec::new();
    for n in world.outbox.drain(..).collect::<Vec<_>>() {
        for _ in 0..world.notification_copies.max(1) {
            out.push(n.clone());
        }
    }
    if world.reorder_notifications {
        out.shuffle(&mut world.rng);
    }
    out
}

/// Sends queued notifications; failures are ignored, as the providers do (a notification is
/// only a hint: merchants must re-query).
pub async fn deliver(http: &reqwest::Client, batch: Vec<Notification>) {
    for n in batch {
        let request = http.post(&n.url).timeout(Duration::from_secs(5));
        let request = match &n.json {
            Some(body) => request.json(body),
            None => request.form(&n.form),
        };
        let _ = request.send().await;
    }
}

pub fn spawn_ticker(
    world: Arc<Mutex<World>>,
    tick: impl Fn(&mut World) + Send + 'static,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let http = reqwest::Client::new();
        loop {
            let batch = {
                let mut w = world.lock().unwrap_or_else(|e| e.into_inner());
                tick(&mut w);
                drain(&mut w)
            };
            if !batch.is_empty() {
                deliver(&http, batch).await;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
}
