//! 10,000 callbacks — genuine ones duplicated, reordered and replayed late, plus forged ones —
//! leave exactly the state one clean delivery of each genuine callback leaves, and every forged
//! My-CoolPay callback is answered KO and changes nothing. Alone in its test binary: it sets the
//! `GUICHET_SECRET_…` variables that let two copies of one database reach the same accounts.

mod common;

use guichet_core::collections::CollectionInput;
use guichet_core::payouts::PayoutInput;
use guichet_core::Guichet;
use guichet_sandbox::{Fault, FaultRule, SandboxHandle};
use guichet_store::accounts::AccountFields;
use guichet_types::{Country, Currency, Provider};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PUBLIC: &str = "flood-public";
const PRIVATE: &str = "flood-private";
const FLOOD: usize = 10_000;

/// Stands where Guichet's receiver would, and keeps every body the sandbox sends, in order.
async fn capture() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let keep = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let keep = keep.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let Ok(n) = sock.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    if buf.len() >= end + 4 + len {
                        let body = String::from_utf8_lossy(&buf[end + 4..end + 4 + len]);
                        keep.lock().unwrap().push(body.to_string());
                        let _ = sock
                            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nOK")
                            .await;
                        return;
                    }
                }
            });
        }
    });
    (url, seen)
}

fn account(label: &str, provider: Provider, base: &str, notify: Option<String>) -> AccountFields {
    let mcp = provider == Provider::Mycoolpay;
    AccountFields {
        label: label.into(),
        provider,
        currency: if mcp { Currency::XAF } else { Currency::XOF },
        country: if mcp { Country::CM } else { Country::CI },
        site_id: (!mcp).then(|| "445160".into()),
        public_key: mcp.then(|| PUBLIC.into()),
        client_reference: None,
        notify_url: notify,
        base_url: Some(base.into()),
        low_balance_threshold: None,
        sandbox: true,
    }
}

/// The body with one field changed, in its own shape: My-CoolPay's callbacks come as a form or
/// as JSON (the sandbox draws which from its seed), CinetPay's notifications as a form.
fn replace(body: &str, key: &str, value: &str) -> String {
    if body.starts_with('{') {
        let mut v: serde_json::Value = serde_json::from_str(body).unwrap();
        v[key] = serde_json::Value::String(value.to_string());
        return v.to_string();
    }
    let mut fields: Vec<(String, String)> = serde_urlencoded::from_str(body).unwrap();
    for (k, v) in fields.iter_mut() {
        if k == key {
            *v = value.to_string();
        }
    }
    serde_urlencoded::to_string(fields).unwrap()
}

fn field(body: &str, key: &str) -> Option<String> {
    if body.starts_with('{') {
        let v: serde_json::Value = serde_json::from_str(body).ok()?;
        return match v.get(key)? {
            serde_json::Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        };
    }
    let fields: Vec<(String, String)> = serde_urlencoded::from_str(body).ok()?;
    fields.into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// What the books say: every payout and collection by reference, and how many times a callback
/// changed each collection.
fn books(g: &Guichet) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for p in g.list_payouts(None, None, None, 10_000).unwrap() {
        out.insert(
            p.reference.clone(),
            format!(
                "{} {:?} {:?}",
                p.status.as_str(),
                p.provider_ref,
                p.provider_status
            ),
        );
    }
    for c in g.list_collections(None, None, None, 10_000).unwrap() {
        let d = g.collection(c.id).unwrap();
        let changes = d.history.iter().filter(|h| h.event == "callback").count();
        out.insert(
            c.reference.clone(),
            format!(
                "{} {:?} callback changes {changes}",
                c.status.as_str(),
                c.provider_ref
            ),
        );
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn ten_thousand_duplicated_reordered_forged_and_replayed_callbacks_leave_the_clean_state() {
    let sb = common::settled_sandbox().await;
    let demo = sb.demo_credentials();
    for (k, v) in [
        ("GUICHET_SECRET_DOUALA_PRIVATE_KEY", PRIVATE),
        ("GUICHET_SECRET_ABIDJAN_API_KEY", &demo.cinetpay_api_key),
        (
            "GUICHET_SECRET_ABIDJAN_TRANSFER_PASSWORD",
            &demo.cinetpay_transfer_password,
        ),
    ] {
        std::env::set_var(k, v);
    }
    let (hook, captured) = capture().await;
    sb.seed_mycoolpay(
        PUBLIC,
        PRIVATE,
        1_000_000,
        Some(format!("{hook}/mycoolpay/k3y")),
    );
    let scratch = if std::path::Path::new("/dev/shm").is_dir() {
        "/dev/shm"
    } else {
        "/tmp"
    };
    let origin = tempfile::tempdir_in(scratch).unwrap();
    let g0 = Guichet::open(origin.path()).unwrap();
    {
        let conn = g0.store.conn();
        guichet_store::accounts::insert(
            &conn,
            &account("Douala", Provider::Mycoolpay, &demo.base_url, None),
        )
        .unwrap();
        guichet_store::accounts::insert(
            &conn,
            &account(
                "Abidjan",
                Provider::Cinetpay,
                &demo.base_url,
                Some(format!("{hook}/cinetpay")),
            ),
        )
        .unwrap();
    }

    // The world the callbacks speak of: links paid, refused or left open; payouts paid or failed.
    let http = reqwest::Client::new();
    let mut links = Vec::new();
    for i in 0..8 {
        let c = g0
            .collect_paylink(
                "Douala",
                CollectionInput {
                    amount: 1000 + 100 * i,
                    reason: format!("Facture {i}"),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        links.push(c.clone());
        let choice = ["pay", "pay", "refuse", "pay", "open"][i as usize % 5];
        if choice != "open" {
            let r = http
                .post(format!("{}/{choice}", c.link.as_deref().unwrap()))
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success());
        }
    }
    sb.fail_phone("677000003");
    sb.fail_phone("0707000003");
    for i in 0..5 {
        let pay = |phone: String, amount| PayoutInput {
            phone,
            amount,
            name: "Awa".into(),
            reason: "Salaire".into(),
            operator: None,
        };
        g0.send_payout("Douala", pay(format!("67700000{i}"), 1500 + i))
            .await
            .unwrap();
        g0.send_payout("Abidjan", pay(format!("07070000{:02}", i), 2000 + 5 * i))
            .await
            .unwrap();
    }
    // Every notification sent and received.
    let mut last = usize::MAX;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let n = captured.lock().unwrap().len();
        if n == last && n > 0 {
            break;
        }
        last = n;
    }
    let genuine: Vec<String> = captured.lock().unwrap().clone();
    let mcp: Vec<&String> = genuine
        .iter()
        .filter(|b| field(b, "application").is_some())
        .collect();
    assert!(mcp.len() >= 9, "My-CoolPay callbacks: {}", mcp.len());
    assert!(
        genuine.len() > mcp.len(),
        "CinetPay transfer notifications too"
    );

    // Two copies of the same books, before any callback.
    let clean_dir = tempfile::tempdir_in(scratch).unwrap();
    let flood_dir = tempfile::tempdir_in(scratch).unwrap();
    g0.store
        .backup_to(clean_dir.path().join("guichet.db"))
        .unwrap();
    g0.store
        .backup_to(flood_dir.path().join("guichet.db"))
        .unwrap();
    let local: IpAddr = "127.0.0.1".parse().unwrap();

    // Without the 10 ms pace between provider calls: thousands of callbacks each ask My-CoolPay.
    let fast = || guichet_providers::ExecutorConfig {
        min_interval: Duration::ZERO,
        ..Default::default()
    };
    let clean = Guichet::open(clean_dir.path())
        .unwrap()
        .with_http_config(fast());
    for body in &genuine {
        let o = clean.receive_callback(body, local).await.unwrap();
        assert!(o.ok(), "a genuine callback refused: {o:?}\n{body}");
    }
    let expected = books(&clean);

    // The flood: every genuine callback at least once, copies of them, and forgeries, shuffled.
    let mut rng = StdRng::seed_from_u64(10);
    let stranger: IpAddr = "10.9.8.7".parse().unwrap();
    let mut deliveries: Vec<(String, IpAddr, bool)> =
        genuine.iter().map(|b| (b.clone(), local, true)).collect();
    let mut forged = 0;
    let mut altered = 0;
    while deliveries.len() < FLOOD {
        let b = &genuine[rng.random_range(0..genuine.len())];
        let is_mcp = field(b, "application").is_some();
        if !is_mcp || rng.random_bool(0.5) {
            // A copy: duplicated, and after the shuffle often replayed after newer news.
            deliveries.push((b.clone(), local, true));
            continue;
        }
        // Another transaction than this one, to borrow its reference or signature.
        let others: Vec<&&String> = mcp
            .iter()
            .filter(|o| field(o, "transaction_ref") != field(b, "transaction_ref"))
            .collect();
        let other = others[rng.random_range(0..others.len())];
        let status = field(b, "transaction_status").unwrap_or_default();
        let flipped = if status == "SUCCESS" {
            "FAILED"
        } else {
            "SUCCESS"
        };
        if rng.random_range(0..8) == 0 {
            // The signature does not cover the status: this passes every documented check, so
            // it is only a hint — Guichet asks My-CoolPay, and the books must not move from the
            // truth (the state comparison below).
            deliveries.push((replace(b, "transaction_status", flipped), local, true));
            altered += 1;
            continue;
        }
        let fake = match rng.random_range(1..8) {
            1 => (replace(b, "transaction_amount", "1"), local),
            2 => (
                replace(b, "signature", &format!("{:032x}", rng.random::<u128>())),
                local,
            ),
            3 => (replace(b, "application", "someone-else"), local),
            4 => (
                replace(
                    b,
                    "transaction_ref",
                    &field(other, "transaction_ref").unwrap(),
                ),
                local,
            ),
            5 if field(other, "transaction_ref") != field(b, "transaction_ref") => (
                replace(b, "signature", &field(other, "signature").unwrap()),
                local,
            ),
            // A genuine body from a machine that is not My-CoolPay.
            6 => (b.clone(), stranger),
            _ => (
                [
                    "{\"application\":1",
                    "transaction_ref=&application=",
                    "",
                    "\u{0}\u{1}",
                ][rng.random_range(0..4)]
                .to_string(),
                local,
            ),
        };
        forged += 1;
        deliveries.push((fake.0, fake.1, false));
    }
    deliveries.shuffle(&mut rng);

    let flood = Guichet::open(flood_dir.path())
        .unwrap()
        .with_http_config(fast());
    let mut rejected = 0;
    for (body, source, authentic) in &deliveries {
        let o = flood.receive_callback(body, *source).await.unwrap();
        if *authentic {
            assert!(o.ok(), "a genuine callback refused: {o:?}\n{body}");
        } else {
            assert!(
                !o.ok() && !o.changed,
                "a forged callback accepted: {o:?}\n{body}"
            );
            rejected += 1;
        }
    }
    assert_eq!(rejected, forged);
    assert!(forged > 1_000, "{forged} forged");
    assert_eq!(books(&flood), expected);
    assert_eq!(flood.recent_callbacks(100_000).unwrap().len(), FLOOD);
    // And the clean state is the providers' truth: what was paid is shown paid.
    for c in &links {
        let done = flood.collection(c.id).unwrap().collection;
        let paid = sb.ledger().iter().any(|e| {
            e.provider_ref == done.provider_ref.clone().unwrap_or_default()
                && e.outcome == "succeeded"
        });
        assert_eq!(
            done.status == guichet_types::UnifiedStatus::Succeeded,
            paid,
            "{done:?}"
        );
    }
    eprintln!(
        "callback flood: {} deliveries ({} genuine callbacks, {} copies and replays, {altered} with a forged status under a genuine signature, {forged} forged and all {rejected} rejected); state identical to one clean delivery",
        deliveries.len(),
        genuine.len(),
        deliveries.len() - genuine.len() - forged - altered
    );
    assert!(altered > 100);
}

/// A My-CoolPay payout sent to a sandbox that settles it at once (`faults` on its calls), and
/// the one callback My-CoolPay sent about it, captured where Guichet's receiver would stand.
struct CalledBack {
    _dir: tempfile::TempDir,
    _sb: SandboxHandle,
    g: Guichet,
    payout: guichet_store::payouts::PayoutRow,
    callback: String,
}

async fn a_payout_and_its_callback(phone: &str, faults: Vec<FaultRule>) -> CalledBack {
    let sb = common::settled_sandbox().await;
    std::env::set_var("GUICHET_SECRET_DOUALA_PRIVATE_KEY", PRIVATE);
    let (hook, captured) = capture().await;
    sb.seed_mycoolpay(
        PUBLIC,
        PRIVATE,
        1_000_000,
        Some(format!("{hook}/mycoolpay/k3y")),
    );
    sb.set_faults(faults);
    let dir = tempfile::tempdir().unwrap();
    let g = Guichet::open(dir.path()).unwrap();
    g.store
        .accounts_mut()
        .insert(&account(
            "Douala",
            Provider::Mycoolpay,
            &sb.base_url(),
            None,
        ))
        .unwrap();
    let payout = g
        .send_payout(
            "Douala",
            PayoutInput {
                phone: phone.into(),
                amount: 5000,
                name: "Awa".into(),
                reason: "Salaire".into(),
                operator: None,
            },
        )
        .await
        .unwrap();
    let mut callback = None;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        callback = captured.lock().unwrap().first().cloned();
        if callback.is_some() {
            break;
        }
    }
    CalledBack {
        _dir: dir,
        _sb: sb,
        g,
        payout,
        callback: callback.expect("My-CoolPay called back"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_genuine_my_coolpay_callback_with_its_status_changed_cannot_fail_a_paid_payout() {
    // Found by the flood: My-CoolPay's signature leaves `transaction_status` out, so this body
    // passes the documented checks. It used to mark the paid payout failed — to be paid again.
    // Every field bound: the sandbox and the data folder live to the end of the test.
    let CalledBack {
        _dir,
        _sb,
        g,
        payout: p,
        callback: genuine,
    } = a_payout_and_its_callback("677123456", Vec::new()).await;
    assert_eq!(
        field(&genuine, "transaction_status").as_deref(),
        Some("SUCCESS")
    );
    let forged = replace(&genuine, "transaction_status", "FAILED");
    let local: IpAddr = "127.0.0.1".parse().unwrap();
    g.receive_callback(&forged, local).await.unwrap();
    assert_eq!(
        g.payout(p.id).unwrap().payout.status,
        guichet_types::UnifiedStatus::Succeeded,
        "{:?}",
        g.payout(p.id).unwrap().history
    );
    g.receive_callback(&genuine, local).await.unwrap();
    assert_eq!(
        g.payout(p.id).unwrap().payout.status,
        guichet_types::UnifiedStatus::Succeeded
    );
}

#[tokio::test]
async fn a_my_coolpay_payout_whose_answer_was_lost_is_settled_by_its_one_callback() {
    // My-CoolPay calls back once and never again (document 000 §8): for a payout whose answer
    // was lost — so without My-CoolPay's reference — it is the one chance to learn its outcome.
    let lost = FaultRule {
        route: "/payout".into(),
        method: Some("POST".into()),
        nth: Some(1),
        probability: None,
        fault: Fault::DropResponse,
    };
    let CalledBack {
        _dir,
        _sb,
        g,
        payout: p,
        callback: genuine,
    } = a_payout_and_its_callback("677123457", vec![lost]).await;
    assert_eq!(p.status, guichet_types::UnifiedStatus::OutcomeUnknown);
    assert_eq!(p.provider_ref, None);
    let local: IpAddr = "127.0.0.1".parse().unwrap();
    g.receive_callback(&genuine, local).await.unwrap();
    let d = g.payout(p.id).unwrap();
    assert_eq!(
        d.payout.status,
        guichet_types::UnifiedStatus::Succeeded,
        "{:?}",
        d.history
    );
    assert_eq!(
        d.payout.provider_ref.as_deref(),
        field(&genuine, "transaction_ref").as_deref()
    );
}
