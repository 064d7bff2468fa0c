//! Collections in the real app on the demo sandbox: a paylink copied and paid, a payin that
//! asks for the customer's SMS code. Run through tests/e2e/run.sh.

use guichet_e2e::Session;

/// The text of `css` read in one script call: the panel re-renders as statuses change, so an
/// element found a moment ago may be gone by the time its text is asked.
fn text_now(s: &Session, css: &str) -> Option<String> {
    s.script(&format!(
        "return document.querySelector({css:?})?.textContent ?? null"
    ))
    .as_str()
    .map(String::from)
}

fn wait_for_text(s: &Session, css: &str, needle: &str) -> String {
    s.wait_for(&format!("`{needle}` in {css}"), || {
        text_now(s, css).filter(|t| t.contains(needle))
    })
}

fn value(s: &Session, css: &str) -> String {
    s.script(&format!(
        "return document.querySelector({css:?})?.value ?? ''"
    ))
    .as_str()
    .unwrap_or_default()
    .to_string()
}

#[test]
fn a_paylink_is_shared_and_paid_and_a_payin_goes_through_the_sms_code() {
    let dir = tempfile::tempdir().unwrap();
    let s = Session::app(dir.path());
    s.click("#try-sandbox");
    // Every demo account is there before a screen reads the list (the first one appears sooner).
    wait_for_text(&s, "#account-count", "3 comptes configurés");

    s.click("#nav-collections");
    wait_for_text(&s, "h1", "Encaissements");
    s.click("#collection-account option[value='Démo My-CoolPay']");
    s.click("#collection-kind option[value=paylink]");
    s.type_into("#collection-amount", "15000");
    s.type_into("#collection-reason", "Commande 42");
    s.type_into("#collection-name", "Awa Koné");
    s.click("#collection-create");
    wait_for_text(
        &s,
        "#collection-notice",
        "15\u{202f}000\u{a0}FCFA à Awa Koné",
    );
    s.wait_for("the link", || {
        let link = value(&s, "#collection-link");
        (!link.is_empty()).then_some(())
    });
    let link = value(&s, "#collection-link");
    assert!(link.starts_with("http"), "{link}");
    let share = value(&s, "#collection-share");
    assert!(share.contains(&link) && share.contains("15"), "{share}");
    s.screenshot("20-paylink");
    // The customer pays on the provider's page; the poller sees it and the row turns paid.
    let http = reqwest::blocking::Client::new();
    assert!(http
        .post(format!("{link}/pay"))
        .send()
        .unwrap()
        .status()
        .is_success());
    s.wait_for("the paylink to be paid", || {
        text_now(
            &s,
            "#collections-table tr[data-status=succeeded][data-kind=paylink]",
        )
    });
    s.screenshot("21-paylink-paid");

    // A payin from a number My-CoolPay does not know: the customer's SMS code first.
    s.click("#collection-kind option[value=payin]");
    s.type_into("#collection-amount", "2500");
    s.type_into("#collection-reason", "Ticket");
    s.type_into("#collection-phone", "6 77 12 34 56");
    s.click("#collection-create");
    wait_for_text(&s, "#collection-otp-form", "SMS");
    s.screenshot("22-payin-otp");
    let reference = wait_for_text(&s, "#collection-provider-ref", "MCP");
    let reference = reference.split_whitespace().last().unwrap().to_string();
    let base = &link[..link.find("/_sandbox").unwrap()];
    // The code My-CoolPay texted the customer, as the sandbox's control API tells it.
    let otp_url = format!("{base}/_sandbox/mycoolpay/otp/{reference}");
    let code = s.wait_for("the SMS code", || {
        let body = http.get(&otp_url).send().ok()?.text().ok()?;
        let v: serde_json::Value = serde_json::from_str(&body)
            .map_err(|_| eprintln!("{otp_url}: {body}"))
            .ok()?;
        v["code"].as_str().map(String::from)
    });
    // A wrong code is refused; the right one shows the USSD code.
    s.type_into("#collection-otp", "000000");
    s.click("#collection-authorize");
    wait_for_text(&s, "#collection-error", "code");
    s.type_into("#collection-otp", &code);
    s.click("#collection-authorize");
    wait_for_text(&s, "#collection-ussd", "#");
    s.screenshot("23-payin-ussd");
    http.post(format!("{base}/_sandbox/mycoolpay/complete"))
        .json(&serde_json::json!({"transaction_ref": reference, "status": "SUCCESS"}))
        .send()
        .unwrap();
    s.wait_for("the payin to be paid", || {
        text_now(
            &s,
            "#collections-table tr[data-status=succeeded][data-kind=payin]",
        )
    });
    wait_for_text(&s, "#collection-current", "Payé");
    s.screenshot("24-payin-paid");
    s.quit();
}
