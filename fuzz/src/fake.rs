//! A local "provider" that answers every request with the status and body under test (and the
//! CinetPay login with a token, so that the call behind it is reached), on one thread.

use super::Exec;
use guichet_providers::{Executor, ExecutorConfig};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Fake {
    rt: tokio::runtime::Runtime,
    base: String,
    exec: Exec,
    answer: Arc<Mutex<(u16, Vec<u8>)>>,
}

thread_local! {
    static FAKE: Fake = Fake::start();
}

const LOGIN: &[u8] = br#"{"code":0,"status":"OPERATION_SUCCES","message":"OPERATION_SUCCES","data":{"token":"fuzz-token"}}"#;

impl Fake {
    fn start() -> Fake {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let answer = Arc::new(Mutex::new((200, Vec::new())));
        let shared = answer.clone();
        rt.spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                tokio::spawn(reply(sock, shared.clone()));
            }
        });
        let exec = Arc::new(Executor::new(ExecutorConfig {
            connect_timeout: Duration::from_secs(5),
            total_timeout: Duration::from_secs(5),
            max_attempts: 1,
            base_backoff: Duration::ZERO,
            max_retry_after: Duration::ZERO,
            min_interval: Duration::ZERO,
            ipv4_only: false,
        }));
        Fake {
            rt,
            base,
            exec,
            answer,
        }
    }
}

async fn reply(mut sock: tokio::net::TcpStream, answer: Arc<Mutex<(u16, Vec<u8>)>>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let (head_end, length) = loop {
        match sock.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            break (end + 4, length);
        }
    };
    while buf.len() < head_end + length {
        match sock.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let login = buf.starts_with(b"POST /v1/auth/login");
    let (status, body) = if login {
        (200, LOGIN.to_vec())
    } else {
        answer.lock().unwrap_or_else(|e| e.into_inner()).clone()
    };
    let head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nretry-after: 0\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let _ = sock.write_all(head.as_bytes()).await;
    let _ = sock.write_all(&body).await;
    let _ = sock.shutdown().await;
}

/// Answers the next requests with `status` and `body`, and runs `call(base_url, executor)`.
pub fn answer<F, Fut>(status: u16, body: &[u8], call: F)
where
    F: FnOnce(String, Exec) -> Fut,
    Fut: Future<Output = ()>,
{
    FAKE.with(|f| {
        *f.answer.lock().unwrap_or_else(|e| e.into_inner()) = (status, body.to_vec());
        f.rt.block_on(call(f.base.clone(), f.exec.clone()));
    });
}

/// Writes `data` to this thread's scratch file (the spreadsheet reader opens paths).
pub fn scratch_file(data: &[u8]) -> std::path::PathBuf {
    let dir = if std::path::Path::new("/dev/shm").is_dir() {
        std::path::PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let path = dir.join(format!(
        "guichet-fuzz-{}-{:?}.bin",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&path, data).expect("scratch file");
    path
}

thread_local! {
    /// A data directory with one account per provider, renewed every few thousand callbacks so
    /// that the recorded deliveries do not fill the disk.
    static GUICHET: std::cell::RefCell<Option<(guichet_core::Guichet, tempfile::TempDir, u32)>> =
        const { std::cell::RefCell::new(None) };
}

/// The Guichet the callback target delivers to; its accounts point at this local server.
pub fn guichet(base: &str) -> guichet_core::Guichet {
    use guichet_store::accounts::{insert, AccountFields};
    use guichet_types::{Country, Currency, Provider};
    GUICHET.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|(_, _, n)| *n >= 5_000) {
            std::env::set_var("GUICHET_SECRET_DOUALA_PRIVATE_KEY", "fuzz-private");
            std::env::set_var("GUICHET_SECRET_ABIDJAN_API_KEY", "fuzz-key");
            std::env::set_var("GUICHET_SECRET_ABIDJAN_TRANSFER_PASSWORD", "fuzz-password");
            let scratch = if std::path::Path::new("/dev/shm").is_dir() {
                std::path::PathBuf::from("/dev/shm")
            } else {
                std::env::temp_dir()
            };
            let dir = tempfile::tempdir_in(scratch).expect("data directory");
            let g = guichet_core::Guichet::open(dir.path()).expect("database");
            for (label, provider, currency, country, site, key) in [
                (
                    "Douala",
                    Provider::Mycoolpay,
                    Currency::XAF,
                    Country::CM,
                    None,
                    Some("fuzz-public"),
                ),
                (
                    "Abidjan",
                    Provider::Cinetpay,
                    Currency::XOF,
                    Country::CI,
                    Some("445160"),
                    None,
                ),
                (
                    "Plateau",
                    Provider::Softsystem,
                    Currency::XOF,
                    Country::CI,
                    None,
                    None,
                ),
            ] {
                insert(
                    &g.store.conn(),
                    &AccountFields {
                        label: label.into(),
                        provider,
                        currency,
                        country,
                        site_id: site.map(String::from),
                        public_key: key.map(String::from),
                        client_reference: (provider == Provider::Softsystem).then(|| "FUZZ".into()),
                        notify_url: None,
                        base_url: Some(base.into()),
                        low_balance_threshold: None,
                        sandbox: true,
                    },
                )
                .expect("account");
            }
            *slot = Some((g, dir, 0));
        }
        let (g, _, n) = slot.as_mut().expect("set above");
        *n += 1;
        g.clone()
    })
}
