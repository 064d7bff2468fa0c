//! `guichet collect` and `guichet callback` as a merchant's script would run them, against
//! `guichet sandbox` running as its own process.

use md5::{Digest, Md5};
use std::path::Path;

mod common;
use common::{guichet, ok, sandbox};

fn add_mycoolpay(d: &Path, base: Option<&str>, public: &str, private: &str) {
    let mut args = vec![
        "account",
        "add",
        "--provider",
        "mycoolpay",
        "--label",
        "Douala",
        "--public-key",
        public,
        "--secrets-stdin",
    ];
    if let Some(b) = base {
        args.extend(["--base-url", b]);
    }
    ok(guichet(d, &args, &format!("private_key={private}\n")));
}

#[test]
fn a_paylink_from_the_command_line_prints_the_link_and_is_listed_and_cancelled() {
    let sb = sandbox();
    let demo = &sb.1;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_mycoolpay(
        d,
        demo["base_url"].as_str(),
        demo["mycoolpay_public_key"].as_str().unwrap(),
        demo["mycoolpay_private_key"].as_str().unwrap(),
    );
    let printed = ok(guichet(
        d,
        &[
            "collect",
            "paylink",
            "--account",
            "Douala",
            "--amount",
            "12000",
            "--reason",
            "Commande 9",
            "--name",
            "Awa",
            "--email",
            "awa@example.com",
        ],
        "",
    ));
    let link = printed
        .lines()
        .find(|l| l.starts_with("http"))
        .unwrap_or_else(|| panic!("no link in {printed}"));
    assert!(link.contains("/checkout/mycoolpay/"), "{printed}");
    let list: serde_json::Value =
        serde_json::from_str(&ok(guichet(d, &["--json", "collect", "list"], ""))).unwrap();
    assert_eq!(list[0]["status"], "awaiting_customer");
    assert_eq!(list[0]["amount"], 12000);
    let id = list[0]["id"].to_string();
    let cancelled = ok(guichet(d, &["collect", "cancel", &id], ""));
    assert!(cancelled.contains("cancelled"), "{cancelled}");
    let again = guichet(d, &["collect", "cancel", &id], "");
    assert!(!again.status.success());

    // A payin to a number My-CoolPay does not know asks for the customer's SMS code.
    let payin: serde_json::Value = serde_json::from_str(&ok(guichet(
        d,
        &[
            "--json",
            "collect",
            "payin",
            "--account",
            "Douala",
            "--amount",
            "500",
            "--phone",
            "677 12 34 56",
            "--reason",
            "Ticket",
        ],
        "",
    )))
    .unwrap();
    assert_eq!(payin["collection"]["provider_status"], "REQUIRE_OTP");
    let wrong = guichet(
        d,
        &[
            "collect",
            "authorize",
            &payin["collection"]["id"].to_string(),
            "--code",
            "999999",
        ],
        "",
    );
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("code"));
}

fn signed_body(public: &str, private: &str, amount: &str) -> serde_json::Value {
    let signature = hex::encode(Md5::digest(
        format!("MCP42PAYIN{amount}XAFCM_OM{private}").as_bytes(),
    ));
    serde_json::json!({
        "application": public,
        "app_transaction_ref": "GCH1",
        "operator_transaction_ref": "OP42",
        "transaction_ref": "MCP42",
        "transaction_type": "PAYIN",
        "transaction_amount": 100,
        "transaction_fees": 0,
        "transaction_currency": "XAF",
        "transaction_operator": "CM_OM",
        "transaction_status": "SUCCESS",
        "transaction_reason": "Ticket",
        "transaction_message": "ok",
        "customer_phone_number": "677123456",
        "signature": signature,
    })
}

#[test]
fn callback_verify_prints_ok_or_ko_and_exits_0_or_1() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_mycoolpay(d, None, "pk_live_shop", "sk_live_secret");
    let file = d.join("callback.json");
    let verify = |body: &str, extra: &[&str]| {
        std::fs::write(&file, body).unwrap();
        let mut args = vec!["callback", "verify", "--account", "Douala"];
        args.extend(extra);
        args.push(file.to_str().unwrap());
        let o = guichet(d, &args, "");
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).trim().to_string(),
        )
    };

    let genuine = signed_body("pk_live_shop", "sk_live_secret", "100");
    assert_eq!(verify(&genuine.to_string(), &[]), (Some(0), "OK".into()));
    // The same fields as a form body.
    let form: Vec<(String, String)> = genuine
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().map(String::from).unwrap_or(v.to_string()),
            )
        })
        .collect();
    let form = serde_urlencoded_like(&form);
    assert_eq!(verify(&form, &[]), (Some(0), "OK".into()));
    assert_eq!(
        verify(&form, &["--source", "15.236.140.89"]),
        (Some(0), "OK".into())
    );

    let ko = (Some(1), "KO".to_string());
    assert_eq!(verify(&form, &["--source", "41.202.1.1"]), ko);
    let forged = signed_body("pk_live_shop", "guessed-key", "100");
    assert_eq!(verify(&forged.to_string(), &[]), ko);
    let mut other_app = genuine.clone();
    other_app["application"] = "pk_live_other".into();
    assert_eq!(verify(&other_app.to_string(), &[]), ko);
    let mut more = genuine.clone();
    more["transaction_amount"] = 100000.into();
    assert_eq!(verify(&more.to_string(), &[]), ko);

    // Not a body at all: an error, not a verdict.
    let (code, _) = verify("{not json", &[]);
    assert_eq!(code, Some(1));
}

fn serde_urlencoded_like(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One HTTP/1.1 POST over a plain socket: (status, body).
fn raw_post(addr: &str, path: &str, body: &str, forwarded_for: Option<&str>) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    let mut req = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(f) = forwarded_for {
        req.push_str(&format!("X-Forwarded-For: {f}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, body.to_string())
}

#[test]
fn callback_serve_answers_on_its_own_path_and_believes_only_the_named_proxy() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_mycoolpay(d, None, "pk_live_shop", "sk_live_secret");
    // A wrong signature: checked here, without asking My-CoolPay anything.
    let forged = signed_body("pk_live_shop", "guessed-key", "100").to_string();
    let mut paths = Vec::new();
    for (trust, believed) in [(None, "127.0.0.1"), (Some("127.0.0.1"), "15.236.140.89")] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_guichet"));
        cmd.arg("--data-dir")
            .arg(d)
            .args(["--json", "callback", "serve", "--port", "0"])
            .env_remove("GUICHET_DATA_DIR")
            .stdout(std::process::Stdio::piped());
        if let Some(t) = trust {
            cmd.args(["--trust-proxy", t]);
        }
        let mut child = cmd.spawn().unwrap();
        let mut text = String::new();
        let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
        while !text.trim_end().ends_with('}') {
            reader.read_line(&mut text).unwrap();
        }
        let started: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(started["trust_proxy"].as_str(), trust, "{started}");
        let addr = started["listening"].as_str().unwrap().to_string();
        let url = started["url"].as_str().unwrap();
        let path = url
            .strip_prefix(&format!("http://{addr}"))
            .unwrap()
            .to_string();
        assert_eq!(path.len(), 33, "{url}");
        paths.push(path.clone());

        assert_eq!(raw_post(&addr, "/", &forged, None).0, 404);
        assert_eq!(raw_post(&addr, "/mycoolpay", &forged, None).0, 404);
        let answer = raw_post(&addr, &path, &forged, Some("15.236.140.89"));
        assert_eq!(answer, (200, "KO".to_string()));
        let conn = rusqlite::Connection::open(d.join("guichet.db")).unwrap();
        let (source, verdict): (String, String) = conn
            .query_row(
                "SELECT source, verdict FROM callbacks ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(source, believed, "{verdict}");
        let _ = child.kill();
        let _ = child.wait();
    }
    // One path per data folder, whichever receiver serves it.
    assert_eq!(paths[0], paths[1]);
}
