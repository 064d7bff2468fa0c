//! The one way Guichet sends a request to a provider: connect and total timeouts, a per-provider
//! pace, retries with backoff and jitter for calls that are safe to repeat — never for a call that
//! moves money — and log lines that never carry a secret or a token.

use crate::{ErrorKind, ProviderError};
use rand::Rng;
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

#[derive(Debug, Clone)]
pub struct ExecutorConfig {
    pub connect_timeout: Duration,
    /// A whole call, answer included: a provider that hangs (My-CoolPay from an IP it does not
    /// know) must not hang Guichet.
    pub total_timeout: Duration,
    /// Attempts for calls that are safe to repeat.
    pub max_attempts: u32,
    pub base_backoff: Duration,
    /// Longest Retry-After Guichet waits for in a call; longer ones become `RateLimited`.
    pub max_retry_after: Duration,
    /// Minimum gap between two requests to the same provider.
    pub min_interval: Duration,
    /// Connect over IPv4 only (providers whitelist IPv4 addresses).
    pub ipv4_only: bool,
}

impl Default for ExecutorConfig {
    fn default() -> Self {
        ExecutorConfig {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(45),
            max_attempts: 4,
            base_backoff: Duration::from_millis(300),
            max_retry_after: Duration::from_secs(30),
            min_interval: Duration::from_millis(0),
            ipv4_only: false,
        }
    }
}

/// Whether a call may be sent again when its answer is lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Safety {
    /// Status, balance, login, history: repeating changes nothing.
    Idempotent,
    /// Sends money or creates a transaction: sent once, whatever happens.
    MovesMoney,
}

/// An HTTP answer, whatever its status: providers put business errors in 4xx bodies.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    pub body: String,
    pub retry_after: Option<u64>,
}

pub struct Executor {
    http: reqwest::Client,
    config: ExecutorConfig,
    next_slot: Mutex<Instant>,
}

impl Executor {
    pub fn new(config: ExecutorConfig) -> Executor {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.total_timeout)
            .user_agent(concat!("Guichet/", env!("CARGO_PKG_VERSION")))
            // A provider's API answers; it does not send us elsewhere. A redirect followed would
            // turn a payout's POST into a GET somewhere else, with its credentials: it is shown
            // as the answer it is.
            .redirect(reqwest::redirect::Policy::none());
        if config.ipv4_only {
            builder = builder.local_address(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        }
        let http = builder.build().expect("TLS backend available");
        Executor {
            http,
            config,
            next_slot: Mutex::new(Instant::now()),
        }
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Waits for this provider's next request slot.
    async fn pace(&self) {
        if self.config.min_interval.is_zero() {
            return;
        }
        let wait = {
            let mut slot = self.next_slot.lock().await;
            let now = Instant::now();
            let start = (*slot).max(now);
            *slot = start + self.config.min_interval;
            start - now
        };
        tokio::time::sleep(wait).await;
    }

    /// Sends the request `build` makes (built anew for each attempt), retrying only when
    /// `safety` allows. `what` names the call in logs; URLs are logged without their query.
    pub async fn send(
        &self,
        what: &str,
        safety: Safety,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<RawResponse, ProviderError> {
        let attempts = if safety == Safety::Idempotent {
            self.config.max_attempts.max(1)
        } else {
            1
        };
        let mut last = None;
        for attempt in 1..=attempts {
            self.pace().await;
            let request = match build(&self.http).build() {
                Ok(r) => r,
                Err(e) => {
                    return Err(ProviderError::new(
                        ErrorKind::Unknown,
                        format!("{what}: cannot build request: {}", e.without_url()),
                    ))
                }
            };
            tracing::debug!(call = what, target = %Target(&request), attempt, "provider request");
            let outcome = self.http.execute(request).await;
            let err = match outcome {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let retry_after = resp
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse().ok());
                    match resp.text().await {
                        Ok(body) => {
                            tracing::debug!(
                                call = what,
                                status,
                                bytes = body.len(),
                                "provider answer"
                            );
                            let retryable = status >= 500 || status == 429;
                            if !retryable || attempt == attempts {
                                return Ok(RawResponse {
                                    status,
                                    body,
                                    retry_after,
                                });
                            }
                            if status == 429 {
                                let wait = Duration::from_secs(retry_after.unwrap_or(1));
                                if wait > self.config.max_retry_after {
                                    return Ok(RawResponse {
                                        status,
                                        body,
                                        retry_after,
                                    });
                                }
                                tokio::time::sleep(wait).await;
                                continue;
                            }
                            ProviderError::new(
                                ErrorKind::Unavailable,
                                format!("{what}: provider answered HTTP {status}"),
                            )
                            .with_raw(body)
                        }
                        Err(e) => lost(what, safety, &e),
                    }
                }
                Err(e) => lost(what, safety, &e),
            };
            tracing::warn!(call = what, attempt, error = %err.message, "provider call failed");
            if safety == Safety::MovesMoney || attempt == attempts {
                return Err(err);
            }
            last = Some(err);
            let backoff = self.config.base_backoff * 2u32.pow(attempt - 1);
            let jitter = rand::rng().random_range(0..=backoff.as_millis() as u64 / 2);
            tokio::time::sleep(backoff + Duration::from_millis(jitter)).await;
        }
        Err(last.unwrap_or_else(|| {
            ProviderError::new(ErrorKind::Unavailable, format!("{what}: no attempt made"))
        }))
    }
}

/// A request as logged: `METHOD scheme://host:port/path`, without its query (it may carry a
/// token); written only when the line is.
struct Target<'a>(&'a reqwest::Request);

impl std::fmt::Display for Target<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = self.0.url();
        let origin = url.origin().ascii_serialization();
        write!(f, "{} {origin}{}", self.0.method(), url.path())
    }
}

/// A transport failure. Without a connection (refused, name not found, no socket left), not a
/// byte left: a call that moves money was not sent, any other finds the provider unavailable.
/// Once connected, a call that moves money has an unknown outcome.
fn lost(what: &str, safety: Safety, e: &reqwest::Error) -> ProviderError {
    // Never print the error itself: its URL may carry a token in the query string.
    let never_sent = e.is_connect() && !e.is_timeout();
    let kind = match (safety, never_sent) {
        (Safety::MovesMoney, true) => ErrorKind::NotSent,
        (Safety::MovesMoney, false) => ErrorKind::OutcomeUnknown,
        (Safety::Idempotent, _) => ErrorKind::Unavailable,
    };
    ProviderError::new(kind, format!("{what}: {}", describe(e)))
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "no answer before the timeout".into()
    } else if e.is_connect() {
        "cannot connect to the provider".into()
    } else {
        "the connection was cut before the answer arrived".into()
    }
}
