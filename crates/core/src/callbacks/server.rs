//! The optional local receiver (`guichet callback serve`, the app's switch). It answers only on
//! the data folder's own hard-to-guess path (document 000 §III.3; [`Guichet::callback_path`]):
//! any POST there is a delivery, answered `OK` or `KO`; every other path is a bare 404.
//!
//! Merchants expose it through a tunnel or reverse proxy. The sender is the address that
//! connected, unless the merchant named a reverse proxy (`--trust-proxy`, the Settings switch):
//! then, for connections from that one address only, the sender is the last address the proxy
//! appended to `X-Forwarded-For` (the only one a remote sender cannot forge). A plain tunnel
//! (`ssh -R`, socat) appends nothing, and anything on the machine could write the header, so it
//! is believed from nobody by default.
//!
//! Each sender has its own allowance of deliveries ([`Limits`]): a flood from one address is
//! answered 429 unread, and My-CoolPay's own address is never held back. Rejected bodies are
//! stored truncated, and only so many a minute; the rest are counted in the log.

use super::MAX_BODY;
use crate::{CoreError, Guichet, Result};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// `127.0.0.1` unless the receiver must listen on every interface.
    pub bind: IpAddr,
    pub port: u16,
    /// The reverse proxy whose `X-Forwarded-For` is believed; `None` (the default): nobody's.
    pub trust_proxy: Option<IpAddr>,
    pub limits: Limits,
}

impl ServeOptions {
    /// Listening on `bind:port`, trusting no proxy, with the default limits.
    pub fn new(bind: IpAddr, port: u16) -> ServeOptions {
        ServeOptions {
            bind,
            port,
            trust_proxy: None,
            limits: Limits::default(),
        }
    }
}

/// How much the receiver takes. A provider sends one notification per transaction change (a
/// few a minute for a busy shop); the defaults leave it far more than that.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Deliveries one sender may make at once…
    pub burst: f64,
    /// …and per second after that.
    pub per_second: f64,
    /// Rejected deliveries stored at once, all senders together…
    pub rejected_stored_burst: f64,
    /// …and per minute after that (the rest are counted in the log, not stored). Each stored
    /// one is a synchronous write: a flood must not queue genuine deliveries behind them.
    pub rejected_stored_per_minute: f64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            burst: 30.0,
            per_second: 5.0,
            rejected_stored_burst: 10.0,
            rejected_stored_per_minute: 60.0,
        }
    }
}

/// A token bucket: `capacity` at once, refilled at `rate` per second.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(capacity: f64, now: Instant) -> Bucket {
        Bucket {
            tokens: capacity,
            at: now,
        }
    }

    fn refill(&mut self, capacity: f64, rate: f64, now: Instant) {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate).min(capacity);
        self.at = now;
    }

    fn take(&mut self, capacity: f64, rate: f64, now: Instant) -> bool {
        self.refill(capacity, rate, now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Senders tracked at most; beyond, the ones back to a full allowance are forgotten.
const MAX_TRACKED: usize = 10_000;

/// The receiver's allowances. Kept in the process: they protect this receiver's resources,
/// not the books' correctness.
struct Allowances {
    limits: Limits,
    senders: HashMap<IpAddr, Bucket>,
    rejected: Bucket,
    refused: u64,
    not_stored: u64,
    last_report: Instant,
}

impl Allowances {
    fn new(limits: Limits) -> Allowances {
        let now = Instant::now();
        Allowances {
            limits,
            senders: HashMap::new(),
            rejected: Bucket::full(limits.rejected_stored_burst, now),
            refused: 0,
            not_stored: 0,
            last_report: now,
        }
    }

    fn admit(&mut self, sender: IpAddr) -> bool {
        // My-CoolPay's own address cannot be borrowed over TCP (nor through the trusted proxy,
        // which appends the real one), and a batch's callbacks come in bursts, each sent once.
        if crate::adapters::callbacks::known_sender(sender) {
            return true;
        }
        let now = Instant::now();
        let Limits {
            burst, per_second, ..
        } = self.limits;
        if self.senders.len() >= MAX_TRACKED && !self.senders.contains_key(&sender) {
            self.senders.retain(|_, b| {
                b.refill(burst, per_second, now);
                b.tokens < burst
            });
        }
        let admitted = self
            .senders
            .entry(sender)
            .or_insert_with(|| Bucket::full(burst, now))
            .take(burst, per_second, now);
        if !admitted {
            self.refused += 1;
            self.report(now);
        }
        admitted
    }

    fn store_rejected(&mut self) -> bool {
        let now = Instant::now();
        let Limits {
            rejected_stored_burst: burst,
            rejected_stored_per_minute: per_minute,
            ..
        } = self.limits;
        let stored = self.rejected.take(burst, per_minute / 60.0, now);
        if !stored {
            self.not_stored += 1;
            self.report(now);
        }
        stored
    }

    /// At most one line a minute about what the limits turned away.
    fn report(&mut self, now: Instant) {
        if now.saturating_duration_since(self.last_report).as_secs() >= 60 {
            tracing::warn!(
                refused = self.refused,
                rejected_not_stored = self.not_stored,
                "callback receiver: deliveries over the limits in the last minute"
            );
            self.refused = 0;
            self.not_stored = 0;
            self.last_report = now;
        }
    }
}

#[derive(Clone)]
struct Receiver {
    g: Guichet,
    trust_proxy: Option<IpAddr>,
    allowances: Arc<Mutex<Allowances>>,
}

impl Receiver {
    fn allowances(&self) -> std::sync::MutexGuard<'_, Allowances> {
        self.allowances.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running receiver; dropping it stops it.
pub struct CallbackServer {
    addr: SocketAddr,
    path: String,
    trust_proxy: Option<IpAddr>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl CallbackServer {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The data folder's callback path, without its leading `/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The proxy whose `X-Forwarded-For` this receiver believes.
    pub fn trust_proxy(&self) -> Option<IpAddr> {
        self.trust_proxy
    }

    /// The address providers must be given (behind the tunnel's or proxy's own host):
    /// `http://<addr>/<path>`.
    pub fn url(&self) -> String {
        format!("http://{}/{}", self.addr, self.path)
    }

    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }

    /// Waits until the receiver stops (it runs until stopped).
    pub async fn wait(mut self) {
        let _ = (&mut self.task).await;
    }
}

impl Drop for CallbackServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Who sent a delivery: the connecting address, or — only when it is the trusted proxy — the
/// last address that proxy appended to `X-Forwarded-For`.
fn sender(peer: SocketAddr, headers: &HeaderMap, trust_proxy: Option<IpAddr>) -> IpAddr {
    if trust_proxy != Some(peer.ip()) {
        return peer.ip();
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .next_back()
        .unwrap_or(peer.ip())
}

async fn deliver(
    State(r): State<Receiver>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> impl IntoResponse {
    let source = sender(peer, &headers, r.trust_proxy);
    // Over its allowance, a sender's body is not even read.
    if !r.allowances().admit(source) {
        return (StatusCode::TOO_MANY_REQUESTS, "KO".to_string());
    }
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "KO".to_string()),
    };
    let handled = match r.g.handle_callback(&body, source).await {
        Ok(h) => h,
        Err(e) => {
            tracing::warn!(error = %e, "callback not processed");
            return (StatusCode::INTERNAL_SERVER_ERROR, "KO".to_string());
        }
    };
    let store = handled.outcome.ok() || r.allowances().store_rejected();
    if store {
        if let Err(e) = r.g.record_callback(&handled, &body, source) {
            tracing::warn!(error = %e, "callback not recorded");
        }
    }
    (StatusCode::OK, handled.outcome.answer)
}

async fn hello() -> &'static str {
    "Guichet callback receiver"
}

/// Every other path: nothing read, nothing stored.
async fn elsewhere() -> StatusCode {
    StatusCode::NOT_FOUND
}

impl Guichet {
    /// Starts the receiver and returns once it listens.
    pub async fn serve_callbacks(&self, opts: ServeOptions) -> Result<CallbackServer> {
        self.require(crate::people::Action::Sync)?;
        let path = self.callback_path()?;
        let listener = tokio::net::TcpListener::bind((opts.bind, opts.port))
            .await
            .map_err(|e| {
                CoreError::Io(format!("cannot listen on {}:{}: {e}", opts.bind, opts.port))
            })?;
        let addr = listener
            .local_addr()
            .map_err(|e| CoreError::Io(e.to_string()))?;
        let receiver = Receiver {
            // Providers' deliveries are tracked whoever signs in or out meanwhile.
            g: self.background(),
            trust_proxy: opts.trust_proxy,
            allowances: Arc::new(Mutex::new(Allowances::new(opts.limits))),
        };
        let app = Router::new()
            .route(&format!("/{path}"), post(deliver).get(hello))
            .route(&format!("/{path}/{{*rest}}"), post(deliver).get(hello))
            .fallback(elsewhere)
            .with_state(receiver);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await;
        });
        Ok(CallbackServer {
            addr,
            path,
            trust_proxy: opts.trust_proxy,
            stop: Some(stop),
            task,
        })
    }

    /// This data folder's callback path: 32 random letters and digits, made once and kept in
    /// the database, so every receiver started on this folder (CLI or app) answers on it and
    /// the address given to the providers stays valid.
    pub fn callback_path(&self) -> Result<String> {
        self.require(crate::people::Action::Read)?;
        use rand::Rng;
        let unreadable = |e: serde_json::Error| {
            CoreError::Io(format!("the stored callback path is unreadable: {e}"))
        };
        if let Some(stored) = self.store.settings().get(CALLBACK_PATH)? {
            return serde_json::from_str(&stored).map_err(unreadable);
        }
        const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let mut rng = rand::rng();
        let fresh: String = (0..32)
            .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
            .collect();
        let stored = self.store.settings_mut().get_or_insert(
            CALLBACK_PATH,
            &serde_json::to_string(&fresh).map_err(|e| CoreError::Io(e.to_string()))?,
        )?;
        serde_json::from_str(&stored).map_err(unreadable)
    }
}

const CALLBACK_PATH: &str = "callback_receiver.path";

#[cfg(test)]
mod tests {
    use super::{sender, Allowances, Limits};
    use axum::http::HeaderMap;
    use std::net::IpAddr;

    #[test]
    fn a_forwarded_address_is_believed_only_from_the_configured_proxy() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "15.236.140.89, 10.0.0.7".parse().unwrap(),
        );
        let local = "127.0.0.1:5000".parse().unwrap();
        let proxy: IpAddr = "127.0.0.1".parse().unwrap();
        // No proxy configured: the header counts for nothing, even from this machine.
        assert_eq!(sender(local, &h, None).to_string(), "127.0.0.1");
        // The configured proxy: the last address it appended.
        assert_eq!(sender(local, &h, Some(proxy)).to_string(), "10.0.0.7");
        // Another local address than the proxy's: not believed.
        assert_eq!(
            sender("127.0.0.2:5000".parse().unwrap(), &h, Some(proxy)).to_string(),
            "127.0.0.2"
        );
        // A remote sender's own header counts for nothing.
        assert_eq!(
            sender("10.9.9.9:5000".parse().unwrap(), &h, Some(proxy)).to_string(),
            "10.9.9.9"
        );
        assert_eq!(
            sender(local, &HeaderMap::new(), Some(proxy)).to_string(),
            "127.0.0.1"
        );
    }

    #[test]
    fn each_sender_has_its_own_allowance() {
        let mut a = Allowances::new(Limits {
            burst: 3.0,
            per_second: 0.001,
            rejected_stored_burst: 2.0,
            rejected_stored_per_minute: 0.001,
        });
        let flood: IpAddr = "10.0.0.1".parse().unwrap();
        let mycoolpay: IpAddr = "15.236.140.89".parse().unwrap();
        let admitted = (0..100).filter(|_| a.admit(flood)).count();
        assert_eq!(admitted, 3);
        assert!(a.admit(mycoolpay));
        assert!(
            (0..100).all(|_| a.admit(mycoolpay)),
            "My-CoolPay is never held back"
        );
        let stored = (0..100).filter(|_| a.store_rejected()).count();
        assert_eq!(stored, 2);
    }
}
