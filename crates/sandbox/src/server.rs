use crate::faults::{Fault, FaultRule};
use crate::ledger::LedgerEntry;
use crate::world::{CinetpayMerchant, McpMerchant, ReturnUrls, Timings, Variants, World};
use crate::{cinetpay_payment, cinetpay_transfer, control, mycoolpay, notify, softsystem};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use rand::Rng;
use serde::Serialize;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// What a route answers: its response, or the error response of a check that stopped it early
/// (with `?`). Either goes out as it is.
pub type Reply = Result<Response, Response>;

/// The state every route shares.
#[derive(Clone)]
pub struct Shared(pub Arc<Mutex<World>>);

impl Shared {
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Port on 127.0.0.1; a free one when `None`.
    pub port: Option<u16>,
    pub seed: u64,
    pub timings: Timings,
    /// Seed the demo merchants (see [`DemoCredentials`]).
    pub demo: bool,
    /// CinetPay transfers wait for the merchant's confirmation (NOS) until confirmed through the
    /// control API.
    pub cinetpay_requires_confirmation: bool,
    /// Which of the real services' several answers the sandbox gives (seeded).
    pub variants: Variants,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            port: None,
            seed: 1,
            timings: Timings::default(),
            demo: true,
            cinetpay_requires_confirmation: false,
            variants: Variants::default(),
        }
    }
}

/// The demo merchants' credentials: what a person types into Guichet to try it on the sandbox.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DemoCredentials {
    pub base_url: String,
    pub cinetpay_site_id: String,
    pub cinetpay_api_key: String,
    pub cinetpay_transfer_password: String,
    pub cinetpay_balance: i64,
    pub mycoolpay_public_key: String,
    pub mycoolpay_private_key: String,
    pub mycoolpay_balance: i64,
    pub softsystem_client_reference: String,
    pub softsystem_access_token: String,
}

const DEMO_CINETPAY_KEY: &str = "demo-cinetpay-apikey";
const DEMO_CINETPAY_PASSWORD: &str = "demo-transfer-password";
const DEMO_CINETPAY_SITE: &str = "445160";
const DEMO_MCP_PUBLIC: &str = "demo-mcp-public";
const DEMO_MCP_PRIVATE: &str = "demo-mcp-private";
const DEMO_SOFTSYSTEM_TOKEN: &str = "demo-softsystem-token";
const DEMO_SOFTSYSTEM_REFERENCE: &str = "DEMO-SOFTSYSTEM";
const DEMO_CINETPAY_BALANCE: i64 = 5_000_000;
const DEMO_MCP_BALANCE: i64 = 2_000_000;

pub struct Sandbox;

pub struct SandboxHandle {
    addr: SocketAddr,
    shared: Shared,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Sandbox {
    /// Starts the simulator on 127.0.0.1 and returns once it accepts connections.
    pub async fn start(config: SandboxConfig) -> std::io::Result<SandboxHandle> {
        let listener =
            tokio::net::TcpListener::bind(("127.0.0.1", config.port.unwrap_or(0))).await?;
        let addr = listener.local_addr()?;
        let mut world = World::new(config.seed, config.timings);
        world.base_url = format!("http://{addr}");
        world.variants = config.variants;
        let shared = Shared(Arc::new(Mutex::new(world)));
        if config.demo {
            seed_cinetpay(
                &shared,
                DEMO_CINETPAY_KEY,
                DEMO_CINETPAY_PASSWORD,
                DEMO_CINETPAY_SITE,
                DEMO_CINETPAY_BALANCE,
                config.cinetpay_requires_confirmation,
            );
            seed_mycoolpay(
                &shared,
                DEMO_MCP_PUBLIC,
                DEMO_MCP_PRIVATE,
                DEMO_MCP_BALANCE,
                None,
            );
            shared
                .world()
                .softsystem_tokens
                .insert(DEMO_SOFTSYSTEM_TOKEN.into());
        }
        // A service made once: serving the router itself rebuilds every route's state for each
        // new connection.
        let app = router(shared.clone()).into_make_service();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
        });
        let ticker = notify::spawn_ticker(shared.0.clone(), |w| {
            cinetpay_transfer::advance(w);
            mycoolpay::advance(w);
        });
        Ok(SandboxHandle {
            addr,
            shared,
            stop: Some(stop),
            tasks: vec![server, ticker],
        })
    }
}

pub fn seed_cinetpay(
    s: &Shared,
    apikey: &str,
    password: &str,
    site_id: &str,
    balance: i64,
    require_confirmation: bool,
) {
    s.world().cinetpay.insert(
        apikey.into(),
        CinetpayMerchant {
            apikey: apikey.into(),
            password: password.into(),
            site_id: site_id.into(),
            balance,
            in_using: 0,
            require_confirmation,
            contacts: Default::default(),
            transfers: Vec::new(),
            by_client_id: Default::default(),
            by_id: Default::default(),
            by_lot: Default::default(),
            open: Default::default(),
            reject_phones: Default::default(),
            odd_items: Default::default(),
            refuse_contacts: Default::default(),
            login_times: Vec::new(),
        },
    );
}

pub fn seed_mycoolpay(
    s: &Shared,
    public_key: &str,
    private_key: &str,
    balance: i64,
    callback_url: Option<String>,
) {
    s.world().mycoolpay.insert(
        public_key.into(),
        McpMerchant {
            public_key: public_key.into(),
            private_key: private_key.into(),
            balance,
            callback_url,
            transactions: Vec::new(),
            open: Default::default(),
            by_ref: Default::default(),
            app_refs: Default::default(),
            authenticated_phones: Default::default(),
            fail_phones: Default::default(),
            return_urls: Default::default(),
        },
    );
}

fn router(shared: Shared) -> Router {
    Router::new()
        .merge(cinetpay_transfer::routes())
        .merge(mycoolpay::routes())
        .merge(softsystem::routes())
        .merge(cinetpay_payment::routes())
        .merge(control::routes())
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            inject_faults,
        ))
        .with_state(shared)
}

/// A response whose body fails at once: the client sees the connection cut without an answer.
fn cut_connection() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<axum::body::Bytes, std::io::Error>(std::io::Error::other("connection reset"))
    });
    Response::new(Body::from_stream(stream))
}

async fn inject_faults(State(s): State<Shared>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path.starts_with("/_sandbox") {
        return next.run(req).await;
    }
    let fault = {
        let mut w = s.world();
        let World { faults, rng, .. } = &mut *w;
        faults.decide(req.method().as_str(), path, |p| {
            p >= 1.0 || (p > 0.0 && rng.random_bool(p))
        })
    };
    match fault {
        None => next.run(req).await,
        Some(Fault::Latency { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(req).await
        }
        Some(Fault::Hang) => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
        Some(Fault::Status { code }) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (
                status,
                "<html><body><h1>Service indisponible</h1></body></html>",
            )
                .into_response()
        }
        Some(Fault::Reset) => cut_connection(),
        Some(Fault::HangAfterApply) => {
            let _ = next.run(req).await;
            tokio::time::sleep(Duration::from_secs(3600)).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
        Some(Fault::DropResponse) => {
            let _ = next.run(req).await;
            cut_connection()
        }
        Some(Fault::ApplyLater { ms }) => {
            // The whole request is read first: the connection is about to be cut.
            let (parts, body) = req.into_parts();
            let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
                return cut_connection();
            };
            let req = Request::from_parts(parts, Body::from(bytes));
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                let _ = next.run(req).await;
            });
            cut_connection()
        }
        Some(Fault::Malformed) => {
            let done = next.run(req).await;
            (
                done.status(),
                [("content-type", "application/json")],
                "{\"code\": 0, \"message\": \"OPERATION_SUC",
            )
                .into_response()
        }
        Some(Fault::RateLimit { retry_after_s }) => (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", retry_after_s.to_string())],
            "Too Many Requests",
        )
            .into_response(),
        Some(Fault::ExpireTokens) => {
            s.world().tokens.clear();
            next.run(req).await
        }
    }
}

impl SandboxHandle {
    /// `http://127.0.0.1:PORT`: the host override for any provider.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn demo_credentials(&self) -> DemoCredentials {
        DemoCredentials {
            base_url: self.base_url(),
            cinetpay_site_id: DEMO_CINETPAY_SITE.into(),
            cinetpay_api_key: DEMO_CINETPAY_KEY.into(),
            cinetpay_transfer_password: DEMO_CINETPAY_PASSWORD.into(),
            cinetpay_balance: DEMO_CINETPAY_BALANCE,
            mycoolpay_public_key: DEMO_MCP_PUBLIC.into(),
            mycoolpay_private_key: DEMO_MCP_PRIVATE.into(),
            mycoolpay_balance: DEMO_MCP_BALANCE,
            softsystem_client_reference: DEMO_SOFTSYSTEM_REFERENCE.into(),
            softsystem_access_token: DEMO_SOFTSYSTEM_TOKEN.into(),
        }
    }

    pub fn shared(&self) -> Shared {
        self.shared.clone()
    }

    /// Everything executed so far.
    pub fn ledger(&self) -> Vec<LedgerEntry> {
        let mut w = self.shared.world();
        cinetpay_transfer::advance(&mut w);
        mycoolpay::advance(&mut w);
        w.ledger.clone()
    }

    pub fn set_faults(&self, rules: Vec<FaultRule>) {
        self.shared.world().faults.set(rules);
    }

    /// Faults injected so far, by type.
    pub fn faults_injected(&self) -> std::collections::BTreeMap<String, u64> {
        self.shared.world().faults.injected.clone()
    }

    /// Moves the virtual clock forward.
    pub fn advance(&self, ms: i64) {
        let mut w = self.shared.world();
        w.offset_ms += ms;
        cinetpay_transfer::advance(&mut w);
        mycoolpay::advance(&mut w);
    }

    pub fn set_timings(&self, timings: Timings) {
        self.shared.world().timings = timings;
    }

    pub fn set_variants(&self, variants: Variants) {
        self.shared.world().variants = variants;
    }

    /// Where a My-CoolPay application's checkout page sends the customer back.
    pub fn set_mycoolpay_return_urls(&self, public_key: &str, urls: ReturnUrls) {
        if let Some(m) = self.shared.world().mycoolpay.get_mut(public_key) {
            m.return_urls = urls;
        }
    }

    /// Confirms (or rejects) held CinetPay transfers: one by reference, or all when `None`.
    pub fn confirm_transfers(&self, reference: Option<&str>, reject: bool) -> usize {
        cinetpay_transfer::confirm(&mut self.shared.world(), reference, reject)
    }

    pub fn seed_cinetpay(
        &self,
        apikey: &str,
        password: &str,
        site_id: &str,
        balance: i64,
        require_confirmation: bool,
    ) {
        seed_cinetpay(
            &self.shared,
            apikey,
            password,
            site_id,
            balance,
            require_confirmation,
        )
    }

    pub fn seed_mycoolpay(
        &self,
        public_key: &str,
        private_key: &str,
        balance: i64,
        callback_url: Option<String>,
    ) {
        seed_mycoolpay(&self.shared, public_key, private_key, balance, callback_url)
    }

    /// Transfers to this number end rejected by the operator (CinetPay) or failed (My-CoolPay).
    pub fn fail_phone(&self, phone: &str) {
        let mut w = self.shared.world();
        for m in w.cinetpay.values_mut() {
            m.reject_phones.insert(phone.into());
        }
        for m in w.mycoolpay.values_mut() {
            m.fail_phones.insert(phone.into());
        }
    }

    /// Puts a number in every CinetPay merchant's contact list, as if added on CinetPay's site.
    pub fn seed_contact(&self, prefix: &str, phone: &str, name: &str) {
        for m in self.shared.world().cinetpay.values_mut() {
            m.contacts.insert(
                (prefix.into(), phone.into()),
                crate::world::CinetpayContact {
                    prefix: prefix.into(),
                    phone: phone.into(),
                    name: name.into(),
                    surname: name.into(),
                    email: String::new(),
                    lot: String::new(),
                },
            );
        }
    }

    /// CinetPay refuses this number as a contact (804, operator not supported).
    pub fn refuse_contact(&self, phone: &str) {
        for m in self.shared.world().cinetpay.values_mut() {
            m.refuse_contacts.insert(phone.into());
        }
    }

    /// Settles a CinetPay hosted payment as the customer would (`00` paid, `627` cancelled).
    pub fn finish_cinetpay_payment(&self, trans_id: &str, result: &str) -> bool {
        cinetpay_payment::finish(&mut self.shared.world(), trans_id, result)
    }

    /// Settles a SOFTSYSTEM payment request as the customer would (`Accepte` or `Refuse`).
    pub fn finish_softsystem(&self, order_id: &str, status: &str) -> bool {
        softsystem::finish(&mut self.shared.world(), order_id, status)
    }

    /// CinetPay answer lists in a shuffled (seeded) order.
    /// CinetPay answers transfer orders to `phone` oddly (see [`crate::world::OddItem`]).
    pub fn odd_item(&self, phone: &str, code: Option<&str>, executed: bool) {
        let mut w = self.shared.world();
        for m in w.cinetpay.values_mut() {
            m.odd_items.insert(
                phone.into(),
                crate::world::OddItem {
                    code: code.map(str::to_string),
                    executed,
                },
            );
        }
    }

    /// My-CoolPay executes a reused `app_transaction_ref` again (see [`World`]).
    pub fn set_mycoolpay_executes_reused_refs(&self, on: bool) {
        self.shared.world().mycoolpay_executes_reused_refs = on;
    }

    pub fn set_shuffle_answers(&self, on: bool) {
        self.shared.world().shuffle_answers = on;
    }

    /// Sends every notification `copies` times, shuffled when `reorder`.
    pub fn set_notification_faults(&self, copies: u32, reorder: bool) {
        let mut w = self.shared.world();
        w.notification_copies = copies.max(1);
        w.reorder_notifications = reorder;
    }

    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        for t in self.tasks.drain(..) {
            t.abort();
        }
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        for t in &self.tasks {
            t.abort();
        }
    }
}
