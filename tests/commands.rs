//! The Tauri commands through tauri's mock runtime: the same JSON the webview sends and
//! receives, without a window. Run under `scripts/with-keyring.sh` (real Secret Service).

use guichet_core::Guichet;
use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;

struct App {
    _dir: tempfile::TempDir,
    webview: tauri::WebviewWindow<tauri::test::MockRuntime>,
}

fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let app = guichet_app::with_commands(mock_builder())
        .build(mock_context(noop_assets()))
        .unwrap();
    guichet_app::manage_state(app.handle(), Guichet::open(dir.path()).unwrap(), false).unwrap();
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    App { _dir: dir, webview }
}

fn call(app: &App, cmd: &str, body: Value) -> Result<Value, Value> {
    get_ipc_response(
        &app.webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: tauri::ipc::InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().unwrap())
}

#[test]
fn accounts_round_trip_through_the_commands_without_returning_secrets() {
    let app = app();
    let canary = "canary-cmd-private-5e2b";
    let added = call(
        &app,
        "account_add",
        json!({"form": {"label": "Douala", "provider": "mycoolpay", "public_key": "pk_demo",
                        "secrets": {"private_key": canary}}}),
    )
    .unwrap();
    assert_eq!(added["label"], "Douala");
    assert_eq!(added["currency"], "XAF");
    assert_eq!(
        added["secrets"],
        json!([{"name": "private_key", "set": true}])
    );

    let listed = call(&app, "account_list", json!({})).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(!listed.to_string().contains(canary));

    let edited = call(
        &app,
        "account_edit",
        json!({"label": "Douala", "form": {"notify_url": "https://shop.cm/n"}}),
    )
    .unwrap();
    assert_eq!(edited["notify_url"], "https://shop.cm/n");
    assert!(!edited.to_string().contains(canary));

    call(&app, "account_remove", json!({"label": "Douala"})).unwrap();
    assert_eq!(call(&app, "account_list", json!({})).unwrap(), json!([]));
}

#[test]
fn errors_reach_the_webview_as_code_and_message() {
    let app = app();
    let err = call(
        &app,
        "account_add",
        json!({"form": {"label": "X", "provider": "cinetpay", "secrets": {}}}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert_eq!(err["details"]["field"], "site_id");
    let err = call(&app, "account_remove", json!({"label": "Nope"})).unwrap_err();
    assert_eq!(
        err,
        json!({"code": "not_found", "message": "account `Nope` not found"})
    );
    let catalog = call(&app, "provider_catalog", json!({})).unwrap();
    assert_eq!(
        catalog[0]["secrets"],
        json!(["api_key", "transfer_password"])
    );
}

#[test]
fn the_demo_mode_creates_sandbox_accounts_that_can_pay() {
    let app = app();
    let accounts = call(&app, "demo_start", json!({})).unwrap();
    let labels: Vec<_> = accounts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["label"].as_str().unwrap().to_string(),
                a["sandbox"].clone(),
            )
        })
        .collect();
    assert_eq!(
        labels,
        [
            ("Démo CinetPay".to_string(), json!(true)),
            ("Démo My-CoolPay".to_string(), json!(true))
        ]
    );
    // Starting it again keeps the same accounts.
    assert_eq!(
        call(&app, "demo_start", json!({}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let sent = call(
        &app,
        "payout_send",
        json!({"account": "Démo CinetPay", "input": {"phone": "07 07 12 34 56", "amount": 5000, "name": "Awa", "reason": "Test", "operator": null}}),
    )
    .unwrap();
    assert_eq!(sent["status"], "pending");
    let listed = call(
        &app,
        "payout_page",
        json!({"filter": {}, "page": {"limit": 50}}),
    )
    .unwrap();
    assert_eq!(listed["rows"][0]["reference"], sent["reference"]);
    // The demo history: six payouts queued for the poller, one to the number the simulator refuses.
    let rows = listed["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 7);
    assert!(rows.iter().any(|r| r["phone"] == "0707999999"));
    assert_eq!(listed["next"], json!(null));
    let detail = call(&app, "payout_show", json!({"id": sent["id"]})).unwrap();
    assert_eq!(detail["history"][0]["event"], "queued");
    let balances = call(&app, "balance_check", json!({"account": "Démo My-CoolPay"})).unwrap();
    assert_eq!(balances[0]["snapshots"][0]["amount"], "2000000");
    assert_eq!(
        call(&app, "account_test", json!({"label": "Démo CinetPay"})).unwrap()["ok"],
        true
    );
    let err = call(&app, "payout_send", json!({"account": "Démo CinetPay", "input": {"phone": "0707123456", "amount": 150, "name": "", "reason": ""}})).unwrap_err();
    assert_eq!(
        (err["code"].clone(), err["details"]["field"].clone()),
        (json!("invalid_input"), json!("amount"))
    );
}
