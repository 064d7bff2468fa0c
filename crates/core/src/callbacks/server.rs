//! The optional local receiver (`guichet callback serve`, the app's switch): any POST is a
//! delivery, answered `OK` or `KO`. Merchants expose it through a tunnel or reverse proxy; when
//! the request comes from this machine, the sender is the last address the proxy appended to
//! `X-Forwarded-For` (the only one a remote sender cannot forge).

use super::MAX_BODY;
use crate::{CoreError, Guichet, Result};
use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;
use std::net::{IpAddr, SocketAddr};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// `127.0.0.1` unless the receiver must listen on every interface.
    pub bind: IpAddr,
    pub port: u16,
}

/// A running receiver; dropping it stops it.
pub struct CallbackServer {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl CallbackServer {
    pub fn addr(&self) -> SocketAddr {
        self.addr
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

fn sender(peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    if !peer.ip().is_loopback() {
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
    State(g): State<Guichet>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: String,
) -> impl IntoResponse {
    let source = sender(peer, &headers);
    match g.receive_callback(&body, source).await {
        Ok(o) => (StatusCode::OK, o.answer),
        Err(e) => {
            tracing::warn!(error = %e, "callback not processed");
            (StatusCode::INTERNAL_SERVER_ERROR, "KO".to_string())
        }
    }
}

async fn hello() -> &'static str {
    "Guichet callback receiver"
}

impl Guichet {
    /// Starts the receiver and returns once it listens.
    pub async fn serve_callbacks(&self, opts: ServeOptions) -> Result<CallbackServer> {
        let listener = tokio::net::TcpListener::bind((opts.bind, opts.port))
            .await
            .map_err(|e| {
                CoreError::Io(format!("cannot listen on {}:{}: {e}", opts.bind, opts.port))
            })?;
        let addr = listener
            .local_addr()
            .map_err(|e| CoreError::Io(e.to_string()))?;
        let app = Router::new()
            .route("/", post(deliver).get(hello))
            .route("/{*path}", post(deliver).get(hello))
            .layer(DefaultBodyLimit::max(MAX_BODY))
            .with_state(self.clone());
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
            stop: Some(stop),
            task,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::sender;
    use axum::http::HeaderMap;

    #[test]
    fn the_sender_behind_a_local_proxy_is_the_last_forwarded_address() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "15.236.140.89, 10.0.0.7".parse().unwrap(),
        );
        assert_eq!(
            sender("127.0.0.1:5000".parse().unwrap(), &h).to_string(),
            "10.0.0.7"
        );
        // A remote sender's own header counts for nothing.
        assert_eq!(
            sender("10.9.9.9:5000".parse().unwrap(), &h).to_string(),
            "10.9.9.9"
        );
        assert_eq!(
            sender("127.0.0.1:5000".parse().unwrap(), &HeaderMap::new()).to_string(),
            "127.0.0.1"
        );
    }
}
