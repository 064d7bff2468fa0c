//! The fuzz targets' bodies. cargo-fuzz runs them (`fuzz_targets/`, see `docs/proof.md`), and the
//! normal test run replays the committed corpus through them
//! (`crates/core/tests/fuzz_corpus.rs`), which also keeps them compiling.
//!
//! Provider answers go through the real clients: a local server answers every request with the
//! fuzzer's status and body, so every parser, error classifier and status map on the way is
//! exercised as Guichet runs it. The property is the fuzzer's own: no panic, no unbounded memory.

use std::sync::Arc;

#[path = "fake.rs"]
mod fake;

/// The phone normaliser: any text, either country. A number it accepts normalises to itself.
pub fn phone(data: &[u8]) {
    use guichet_types::{phone, Country};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for country in [Country::CI, Country::CM] {
        if let Ok(p) = phone::normalize(text, country) {
            assert!(p.national.bytes().all(|b| b.is_ascii_digit()), "{p:?}");
            let again = phone::normalize(&p.e164(), country).expect("an accepted number re-reads");
            assert_eq!(again, p, "from {text:?}");
            let _ = p.operator();
        }
    }
}

#[path = "amount.rs"]
mod amount_reader;

/// The amount reader ([`amount_reader::read_back`]), and the batch's reading of a cell agreeing
/// with it.
pub fn amount(data: &[u8]) {
    use guichet_core::payouts::rules::parse_amount;
    use guichet_types::{Amount, Currency};
    for input in amount_reader::read_back(data) {
        for currency in [Currency::XOF, Currency::XAF] {
            let batch = parse_amount(&input, "", currency);
            match Amount::read(&input, currency) {
                Ok(a) if a.0 > 0 => assert_eq!(batch, Ok(a.0), "{input:?}"),
                _ => assert!(batch.is_err(), "{input:?}"),
            }
        }
    }
}

/// HTTP statuses the fuzzer picks from (first byte): providers put answers in all of them.
const STATUSES: [u16; 12] = [200, 200, 200, 201, 400, 401, 403, 404, 409, 429, 500, 502];

/// First byte: the status; second: which call; the rest: the body.
fn split(data: &[u8]) -> Option<(u16, u8, &[u8])> {
    match data {
        [s, call, body @ ..] => Some((STATUSES[*s as usize % STATUSES.len()], *call, body)),
        _ => None,
    }
}

fn secret(s: &str) -> guichet_secrets::Secret {
    guichet_secrets::Secret::new(s)
}

/// The pure parsers of CinetPay transfer answers, then a real call answered with the body.
pub fn cinetpay_transfer(data: &[u8]) {
    use guichet_providers::cinetpay_transfer::{self as ct, wire, ContactItem, SendItem};
    let Some((status, call, body)) = split(data) else {
        return;
    };
    let text = String::from_utf8_lossy(body);
    if let Some(env) = wire::envelope(&text) {
        for info in env.items::<ct::TransferInfo>() {
            let _ = info.status();
        }
        for item in env.items::<ct::ItemAnswer>() {
            let _ = item.code();
        }
        let _ = ct::codes::describe(env.code.as_str());
    }
    fake::answer(status, body, |base, exec| async move {
        let c = ct::Client::new(
            exec,
            Some(&base),
            ct::Credentials {
                api_key: secret("fuzz-key"),
                transfer_password: secret("fuzz-password"),
            },
        );
        match call % 4 {
            0 => {
                let _ = c.balance().await;
            }
            1 => {
                let _ = c
                    .add_contacts(&[ContactItem {
                        prefix: "225".into(),
                        phone: "0707123456".into(),
                        name: "Awa".into(),
                        surname: "Awa".into(),
                        email: String::new(),
                    }])
                    .await;
            }
            2 => {
                let order = |r: &str| SendItem {
                    prefix: "225".into(),
                    phone: "0707123456".into(),
                    amount: 5000,
                    notify_url: "http://127.0.0.1/notify".into(),
                    client_transaction_id: r.into(),
                };
                let _ = c.send(&[order("GCH1"), order("GCH2")]).await;
            }
            _ => {
                let _ = c.check("GCH1").await;
            }
        }
    });
}

/// CinetPay payment v1 (collections, balances): signature, status check, history, balances.
pub fn cinetpay_payment(data: &[u8]) {
    use guichet_providers::cinetpay_payment::{Client, HistoryQuery, Payment};
    let Some((status, call, body)) = split(data) else {
        return;
    };
    fake::answer(status, body, |base, exec| async move {
        let c = Client::new(exec, Some(&base), "445160", secret("fuzz-key"));
        match call % 4 {
            0 => {
                let _ = c
                    .signature(&Payment {
                        amount: 1000,
                        trans_id: "GCH1".into(),
                        trans_date: "2026-11-23 10:00:00".into(),
                        designation: "Commande".into(),
                        custom: String::new(),
                        language: "fr".into(),
                        phone: None,
                    })
                    .await;
            }
            1 => {
                if let Ok(s) = c.check("GCH1").await {
                    let _ = s.verdict(1000, "sig");
                }
            }
            2 => {
                if let Ok(list) = c.history(&HistoryQuery::default()).await {
                    for s in list {
                        let _ = s.verdict(1000, "sig");
                    }
                }
            }
            _ => {
                if let Ok(a) = c.account_status().await {
                    let _ = a.account_balance.whole_francs();
                }
            }
        }
    });
}

/// My-CoolPay: payout, payin, paylink, status checks, balance, and callback verification.
pub fn mycoolpay(data: &[u8]) {
    use guichet_providers::mycoolpay::{
        self as mcp, Client, Operator, PayinRequest, PayoutRequest,
    };
    let Some((status, call, body)) = split(data) else {
        return;
    };
    let text = String::from_utf8_lossy(body);
    let _ = mcp::map_status(&text);
    // A callback is form fields: `k=v&k=v` from the body.
    let fields: std::collections::HashMap<String, String> =
        serde_urlencoded::from_str(&text).unwrap_or_default();
    fake::answer(status, body, |base, exec| async move {
        let c = Client::new(exec, Some(&base), "fuzz-public", secret("fuzz-private"));
        let _ = c.verify_callback(&fields);
        let payin = PayinRequest {
            amount: 1000,
            reason: "Commande".into(),
            app_transaction_ref: "GCH1".into(),
            customer_phone_number: Some("677123456".into()),
            customer_name: None,
            customer_email: None,
            customer_lang: None,
        };
        match call % 6 {
            0 => {
                let _ = c
                    .payout(&PayoutRequest {
                        amount: 1000,
                        reason: "Salaire".into(),
                        operator: Operator::CmMomo,
                        app_transaction_ref: "GCH1".into(),
                        customer_name: None,
                        customer_phone_number: Some("677123456".into()),
                    })
                    .await;
            }
            1 => {
                let _ = c.payin(&payin).await;
            }
            2 => {
                let _ = c.paylink(&payin).await;
            }
            3 => {
                if let Ok(s) = c.check_status("REF1").await {
                    let _ = s.unified();
                }
            }
            4 => {
                if let Ok(s) = c.check_status_post("REF1").await {
                    let _ = s.unified();
                }
            }
            _ => {
                if let Ok(b) = c.balance().await {
                    let _ = b.whole_francs();
                }
            }
        }
    });
}

/// SOFTSYSTEM: payment request and status.
pub fn softsystem(data: &[u8]) {
    use guichet_providers::softsystem::{Client, PaymentRequest};
    let Some((status, call, body)) = split(data) else {
        return;
    };
    fake::answer(status, body, |base, exec| async move {
        let c = Client::new(exec, Some(&base), "FUZZ", secret("fuzz-token"));
        if call % 2 == 0 {
            let _ = c
                .request_payment(&PaymentRequest {
                    amount: 1000,
                    order_id: "GCH0123456789ABCDEFGHJK".into(),
                    number: "2250707123456".into(),
                    channel: "Orange".into(),
                    object: "Commande".into(),
                    success_url: "http://127.0.0.1/ok".into(),
                    error_url: "http://127.0.0.1/ko".into(),
                    callback_url: "http://127.0.0.1/cb".into(),
                })
                .await;
        } else if let Ok(s) = c.status("GCH0123456789ABCDEFGHJK").await {
            let _ = s.unified();
        }
    });
}

/// The spreadsheet reader (CSV, XLSX, XLS, ODS told from the content): open, map the columns,
/// read every row. Errors are expected; panics and runaway memory are not.
pub fn tabular(data: &[u8]) {
    use guichet_tabular::{open, Field, ReadOptions};
    use std::ops::ControlFlow;
    let path = fake::scratch_file(data);
    let options = ReadOptions {
        required: vec![Field::Phone, Field::Amount],
        ..Default::default()
    };
    if let Ok(table) = open(&path, &options) {
        let _ = table.info();
        let _ = table.for_each(|row| {
            for field in [Field::Phone, Field::Amount] {
                if let Some(Ok(text)) = row.get(field) {
                    let _ = guichet_types::phone::normalize(text, guichet_types::Country::CI);
                }
                let _ = row.column(field).map(|c| c.describe());
            }
            ControlFlow::Continue(())
        });
    }
    let _ = guichet_tabular::inspect(&path, &Default::default());
}

/// A provider's notification, as Guichet's callback receiver gets it: parsed, checked (source,
/// application, signature), recorded, and applied — against a real database, with the provider
/// asked (the local server answers with the same bytes). First byte: the source address.
pub fn callback(data: &[u8]) {
    let Some((source, body)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(body);
    let _ = guichet_core::callbacks::parse_body(&text);
    let source: std::net::IpAddr = match source % 3 {
        0 => guichet_core::callbacks::MYCOOLPAY_IP
            .parse()
            .expect("address"),
        1 => std::net::Ipv4Addr::LOCALHOST.into(),
        _ => std::net::Ipv4Addr::new(10, 1, 2, 3).into(),
    };
    fake::answer(200, body, |base, _| async move {
        let g = fake::guichet(&base);
        let _ = g.receive_callback(&text, source).await;
    });
}

/// Keeps the executor type in one place for `fake`.
pub(crate) type Exec = Arc<guichet_providers::Executor>;
