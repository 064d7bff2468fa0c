//! Payouts through the sandbox with every log line captured, to prove no secret or token is ever
//! logged. Alone in its test binary: the log capture is per thread and must see every event.

use guichet_providers::cinetpay_transfer::{self, ContactItem, Credentials, SendItem, SendOutcome};
use guichet_providers::executor::{Executor, ExecutorConfig};
use guichet_providers::{mycoolpay, ErrorKind};
use guichet_sandbox::{Sandbox, SandboxConfig};
use guichet_secrets::Secret;
use guichet_types::UnifiedStatus;
use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn payouts_go_through_the_sandbox_and_no_secret_reaches_the_logs() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let canary_key = "canary-sbx-apikey-51d0";
    let canary_pw = "canary-sbx-password-a7";
    let canary_private = "canary-sbx-private-3e";
    sb.seed_cinetpay(canary_key, canary_pw, "9", 100_000, false);
    sb.seed_mycoolpay("pk-canary", canary_private, 100_000, None);
    let exec = Arc::new(Executor::new(ExecutorConfig::default()));

    let c = cinetpay_transfer::Client::new(
        exec.clone(),
        Some(&sb.base_url()),
        Credentials {
            api_key: Secret::new(canary_key),
            transfer_password: Secret::new(canary_pw),
        },
    );
    c.add_contacts(&[ContactItem {
        prefix: "225".into(),
        phone: "0707000001".into(),
        name: "A".into(),
        surname: "B".into(),
        email: String::new(),
    }])
    .await
    .unwrap();
    let order = SendItem {
        prefix: "225".into(),
        phone: "0707000001".into(),
        amount: 1000,
        notify_url: "http://127.0.0.1:9/n".into(),
        client_transaction_id: "GCH-S1".into(),
    };
    let sent = c.send(std::slice::from_ref(&order)).await.unwrap();
    assert!(matches!(sent[0].1, SendOutcome::Accepted { .. }));
    assert_eq!(
        c.send(&[order]).await.unwrap()[0].1,
        SendOutcome::AlreadyExists,
        "805 on a reused reference"
    );
    sb.advance(5_000);
    assert_eq!(
        c.check("GCH-S1").await.unwrap().unwrap().status(),
        UnifiedStatus::Succeeded
    );
    assert_eq!(
        c.balance().await.unwrap().available.whole_francs(),
        Some(99_000)
    );
    // Token expiry in the sandbox: one new login, transparently.
    sb.advance(5 * 60 * 1000);
    c.balance().await.unwrap();
    assert_eq!(c.login_count(), 2);

    let m = mycoolpay::Client::new(
        exec,
        Some(&sb.base_url()),
        "pk-canary",
        Secret::new(canary_private),
    );
    let reference = m
        .payout(&mycoolpay::PayoutRequest {
            amount: 700,
            reason: "Test".into(),
            operator: mycoolpay::Operator::CmOm,
            app_transaction_ref: "GCH-M1".into(),
            customer_name: None,
            customer_phone_number: Some("690000000".into()),
        })
        .await
        .unwrap();
    sb.advance(5_000);
    assert_eq!(
        m.check_status(&reference).await.unwrap().unified(),
        UnifiedStatus::Succeeded
    );
    // The amount and My-CoolPay's fee (the sandbox's default 2 %: 14 francs).
    assert_eq!(
        m.balance().await.unwrap().whole_francs(),
        Some(100_000 - 700 - 14)
    );
    let bad = mycoolpay::Client::new(
        Arc::new(Executor::new(ExecutorConfig::default())),
        Some(&sb.base_url()),
        "pk-canary",
        Secret::new("wrong"),
    );
    assert_eq!(
        bad.balance().await.unwrap_err().kind,
        ErrorKind::Credentials
    );

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("provider request"),
        "logging was captured: {text}"
    );
    for secret in [canary_key, canary_pw, canary_private, "token=", "tk0000"] {
        assert!(
            !text.contains(secret),
            "`{secret}` leaked into the logs:\n{text}"
        );
    }
}
