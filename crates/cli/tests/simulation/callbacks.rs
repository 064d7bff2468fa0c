//! Notifications delivered for real: a `guichet callback serve` process on the data folder,
//! beside the batches and syncs, receives what the sandbox sends (CinetPay's transfer
//! notifications at the account's notify_url, My-CoolPay's one callback per transaction), with
//! copies and reordering from the seed, plus forgeries posted by a stranger while the payouts are
//! in flight (a few a second):
//! - My-CoolPay callbacks with a wrong signature or another merchant's `application`: must be
//!   answered `KO` and change nothing;
//! - My-CoolPay callbacks correctly signed but with the status turned around (the signature
//!   does not cover it): Guichet must believe checkStatus, not the claim;
//! - CinetPay notifications (unsigned) claiming our payouts succeeded: only a reason to look.
//!
//! What a forgery could wrongly change shows in the per-reference invariants against the
//! ledger; what is answered is checked here.

use crate::harness::SeedOutcome;
use guichet_sandbox::SandboxHandle;
use md5::{Digest, Md5};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The receiver process and what was forged against it.
pub struct Receiver {
    child: Child,
    pub url: String,
    forged: Arc<Forged>,
}

#[derive(Default)]
struct Forged {
    /// Forgeries that must be refused (`KO`), and how many were answered `OK`.
    refusable: AtomicU64,
    accepted: Mutex<Vec<String>>,
    /// Correctly signed callbacks with a status turned around, answered `OK` as authentic.
    signed: AtomicU64,
    /// Unsigned CinetPay notifications naming our references.
    unsigned: AtomicU64,
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

impl Receiver {
    /// Starts `guichet callback serve` and points both accounts' notifications at it.
    pub fn start(dir: &Path, sb: &SandboxHandle, mycoolpay_balance: i64) -> Receiver {
        let args = ["callback", "serve", "--port", &free_port().to_string()].map(String::from);
        let mut child = crate::processes::command(dir, &args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("guichet callback serve starts");
        // It prints where it listens once it does.
        let stdout = child.stdout.take().expect("stdout");
        let said: serde_json::Value = serde_json::Deserializer::from_reader(stdout)
            .into_iter()
            .next()
            .expect("the receiver says where it listens")
            .expect("JSON");
        let url = said["url"].as_str().expect("url").to_string();

        let conn = rusqlite::Connection::open(dir.join("guichet.db")).expect("db");
        conn.busy_timeout(Duration::from_secs(10)).unwrap();
        conn.execute(
            "UPDATE accounts SET notify_url = ?1 WHERE provider = 'cinetpay'",
            [&url],
        )
        .expect("notify_url");
        let demo = sb.demo_credentials();
        sb.seed_mycoolpay(
            &demo.mycoolpay_public_key,
            &demo.mycoolpay_private_key,
            mycoolpay_balance,
            Some(url.clone()),
        );
        Receiver {
            child,
            url,
            forged: Arc::default(),
        }
    }

    /// A stranger posting forgeries to this receiver, driven by the runner's loop.
    pub fn forger(&self, sb: &SandboxHandle, seed: u64) -> Forger {
        let demo = sb.demo_credentials();
        Forger {
            http: reqwest::Client::new(),
            rng: StdRng::seed_from_u64(seed ^ 0xF0F0),
            next: tokio::time::Instant::now(),
            url: self.url.clone(),
            public_key: demo.mycoolpay_public_key,
            private_key: demo.mycoolpay_private_key,
            forged: self.forged.clone(),
            posts: Vec::new(),
        }
    }

    /// Stops the receiver, once the last notifications of what finished had time to arrive, and
    /// adds what it saw to the outcome: deliveries it recorded, forgeries answered `OK`, and the
    /// genuine ones when the providers had reason to notify (CinetPay notifies a transfer from
    /// its acceptance on, My-CoolPay once a transaction is final).
    pub async fn finish(mut self, sb: &SandboxHandle, db: &Path, out: &mut SeedOutcome) {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let notified = sb
            .ledger()
            .iter()
            .any(|e| e.kind == "cinetpay_transfer" || e.outcome != "pending");
        let _ = self.child.kill();
        let _ = self.child.wait();
        for r in self.forged.accepted.lock().unwrap().iter() {
            out.violations
                .push(format!("a forged callback for {r} was answered OK"));
        }
        let conn = rusqlite::Connection::open(db).expect("db");
        let count = |sql: &str| -> u64 {
            conn.query_row(sql, [], |r| r.get::<_, i64>(0))
                .expect("count") as u64
        };
        let recorded = count("SELECT COUNT(*) FROM callbacks");
        let authentic = count(
            "SELECT COUNT(*) FROM callbacks WHERE provider IN ('mycoolpay', 'cinetpay_transfer')
             AND verdict NOT LIKE 'ko%'",
        );
        let forged_authentic = self.forged.signed.load(Ordering::Relaxed)
            + self.forged.unsigned.load(Ordering::Relaxed);
        // A delivery is recorded once handled, and handling asks the provider, which the fault
        // plan may hold up past the receiver's stop: one seed may record none. That they reach
        // the receiver at all is asked of the whole run (`main.rs`).
        if notified {
            out.notified_seeds += 1;
            out.genuine += authentic.saturating_sub(forged_authentic);
        }
        out.callbacks += recorded;
        out.forged += self.forged.refusable.load(Ordering::Relaxed) + forged_authentic;
    }
}

pub struct Forger {
    http: reqwest::Client,
    rng: StdRng,
    next: tokio::time::Instant,
    url: String,
    public_key: String,
    private_key: String,
    forged: Arc<Forged>,
    posts: Vec<tokio::task::JoinHandle<()>>,
}

impl Forger {
    /// When its time has come, forges a delivery about a transaction the providers executed and
    /// posts it in the background.
    pub fn tick(&mut self, sb: &SandboxHandle) {
        let now = tokio::time::Instant::now();
        if now < self.next {
            return;
        }
        // Slow enough to leave the genuine deliveries, from the same address, their allowance.
        self.next = now + Duration::from_millis(self.rng.random_range(300..900));
        let ledger = sb.ledger();
        if ledger.is_empty() {
            return;
        }
        let entry = ledger[self.rng.random_range(0..ledger.len())].clone();
        let turned = if entry.outcome == "succeeded" {
            "FAILED"
        } else {
            "SUCCESS"
        };
        let (form, must_refuse) = match entry.kind.as_str() {
            "mycoolpay_payout" => {
                let mut fields =
                    mycoolpay_callback(&entry, turned, &self.public_key, &self.private_key);
                match self.rng.random_range(0..3) {
                    0 => {
                        set(&mut fields, "signature", &"0".repeat(32));
                        (fields, true)
                    }
                    1 => {
                        set(&mut fields, "application", "not-our-public-key");
                        (fields, true)
                    }
                    _ => {
                        self.forged.signed.fetch_add(1, Ordering::Relaxed);
                        (fields, false)
                    }
                }
            }
            "cinetpay_transfer" => {
                self.forged.unsigned.fetch_add(1, Ordering::Relaxed);
                let fields = vec![
                    ("transaction_id".into(), entry.provider_ref.clone()),
                    ("client_transaction_id".into(), entry.reference.clone()),
                    ("amount".into(), entry.amount.to_string()),
                    ("receiver".into(), entry.phone.clone()),
                    ("treatment_status".into(), "VAL".into()),
                ];
                (fields, false)
            }
            _ => return,
        };
        if must_refuse {
            self.forged.refusable.fetch_add(1, Ordering::Relaxed);
        }
        let (http, url, forged) = (self.http.clone(), self.url.clone(), self.forged.clone());
        self.posts.push(tokio::spawn(async move {
            let sent = http
                .post(&url)
                .timeout(Duration::from_secs(30))
                .form(&form)
                .send()
                .await;
            let Ok(answer) = sent else { return };
            // A 429 means the allowance for this address is spent: nothing was read.
            let status = answer.status();
            let body = answer.text().await.unwrap_or_default();
            if must_refuse && status.is_success() && body.trim() == "OK" {
                let what = format!("{} ({})", entry.reference, entry.kind);
                forged.accepted.lock().unwrap().push(what);
            }
        }));
    }

    /// Waits for the forgeries still being answered.
    pub async fn done(self) {
        for p in self.posts {
            let _ = p.await;
        }
    }
}

fn set(fields: &mut [(String, String)], key: &str, value: &str) {
    if let Some(f) = fields.iter_mut().find(|(k, _)| k == key) {
        f.1 = value.into();
    }
}

/// The callback My-CoolPay sends for a payout, signed as its document says (md5 of the
/// reference, type, amount, currency, operator and the private key), with `status` claimed.
fn mycoolpay_callback(
    e: &guichet_sandbox::LedgerEntry,
    status: &str,
    public_key: &str,
    private_key: &str,
) -> Vec<(String, String)> {
    let (kind, currency, operator) = ("PAYOUT", "XAF", "CM_OM");
    let signed = format!(
        "{}{kind}{}{currency}{operator}{private_key}",
        e.provider_ref, e.amount
    );
    vec![
        ("application".into(), public_key.into()),
        ("app_transaction_ref".into(), e.reference.clone()),
        ("transaction_ref".into(), e.provider_ref.clone()),
        ("transaction_type".into(), kind.into()),
        ("transaction_amount".into(), e.amount.to_string()),
        ("transaction_currency".into(), currency.into()),
        ("transaction_operator".into(), operator.into()),
        ("transaction_status".into(), status.into()),
        ("customer_phone_number".into(), e.phone.clone()),
        (
            "signature".into(),
            hex::encode(Md5::digest(signed.as_bytes())),
        ),
    ]
}
