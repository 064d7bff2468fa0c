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
    let webview = webview_in(dir.path());
    App { _dir: dir, webview }
}

/// The app on the data folder `dir`: opening it again is the app's next start.
fn webview_in(dir: &std::path::Path) -> tauri::WebviewWindow<tauri::test::MockRuntime> {
    let app = guichet_app::with_commands(mock_builder())
        .build(mock_context(noop_assets()))
        .unwrap();
    guichet_app::manage_state(app.handle(), Guichet::open(dir).unwrap(), false).unwrap();
    WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap()
}

fn call(app: &App, cmd: &str, body: Value) -> Result<Value, Value> {
    call_in(&app.webview, cmd, body)
}

fn call_in(
    webview: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    body: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        webview,
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
        json!([{"name": "private_key", "set": true, "environment": null}])
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
    // Why, typed, for the screens to say (it was the field alone).
    assert_eq!(err["params"]["why"], json!({"why": "required"}));
    let long = "L".repeat(65);
    let err = call(
        &app,
        "account_add",
        json!({"form": {"label": long, "provider": "softsystem", "client_reference": "R",
                        "secrets": {"access_token": "t"}}}),
    )
    .unwrap_err();
    assert_eq!(
        err["params"],
        json!({"field": "label", "why": {"why": "too_long", "max": 64}})
    );
    let err = call(&app, "account_remove", json!({"label": "Nope"})).unwrap_err();
    assert_eq!(
        err,
        json!({"code": "not_found", "params": {"what": "account", "key": "Nope"}, "message": "account `Nope` not found"})
    );
    let catalog = call(&app, "provider_catalog", json!({})).unwrap();
    assert_eq!(
        catalog[0]["secrets"],
        json!(["api_key", "transfer_password"])
    );
}

/// The demo's money carries over a restart: the simulator comes back with the balances it had,
/// so the recorded readings go on where they were (they jumped back to the opening balances).
#[test]
fn the_demo_balances_carry_over_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let available = |w: &tauri::WebviewWindow<tauri::test::MockRuntime>| {
        let read = call_in(w, "balance_check", json!({"account": "Démo CinetPay"})).unwrap();
        let transfer = read[0]["snapshots"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["kind"] == "transfer")
            .cloned()
            .expect("a transfer balance");
        transfer["available"].as_str().unwrap().to_string()
    };
    let first = webview_in(dir.path());
    call_in(&first, "demo_start", json!({})).unwrap();
    let sent = call_in(
        &first,
        "payout_send",
        json!({"account": "Démo CinetPay", "input": {"phone": "07 07 12 34 56", "amount": 25000, "name": "Awa Koné", "reason": "Avance", "operator": null}}),
    )
    .unwrap();
    assert_ne!(sent["status"], "failed", "{sent}");
    let before = available(&first);
    assert_ne!(before, "5000000", "the payout took nothing");
    // The simulator's balances reach the data folder within a moment.
    let saved = dir.path().join("sandbox-balances.json");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !std::fs::read_to_string(&saved).is_ok_and(|t| t.contains(&before)) {
        assert!(std::time::Instant::now() < deadline, "balances never saved");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    drop(first);

    let next = webview_in(dir.path());
    call_in(&next, "demo_start", json!({})).unwrap();
    assert_eq!(available(&next), before);
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
            ("Démo My-CoolPay".to_string(), json!(true)),
            ("Démo SOFTSYSTEM".to_string(), json!(true))
        ]
    );
    // Starting it again keeps the same accounts.
    assert_eq!(
        call(&app, "demo_start", json!({}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        3
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
    // A typed code with its parameters, worded by the screens (it came as English text).
    assert_eq!(
        (err["code"].clone(), err["details"]["field"].clone()),
        (json!("row"), json!("amount"))
    );
    assert_eq!(err["params"]["issue"]["code"], "amount_bounds");
    assert_eq!(err["params"]["issue"]["value"], "150");

    // The single payout is checked as it is typed: an 8-digit number and an amount above the
    // balance are refused before any confirmation (they were sent and refused by CinetPay).
    let check = |phone: &str, amount: &str| {
        call(
            &app,
            "payout_check",
            json!({"account": "Démo CinetPay", "phone": phone, "amount": amount, "live": true}),
        )
        .unwrap()
    };
    let short = check("07 08 12 34", "5000");
    assert_eq!(short["issues"][0]["code"], "phone_length_ci");
    assert_eq!(short["issues"][0]["value"], "07 08 12 34");
    let fine = check("07 08 12 34 56", "5 000");
    assert_eq!(fine["issues"], json!([]));
    assert_eq!(fine["phone"], "+2250708123456");
    assert_eq!(fine["operator"], "OM");
    let balance = fine["balance"]
        .as_i64()
        .expect("the balance read before confirming");
    assert_eq!(fine["balance_after"], balance - 5000);
    let too_much = check("07 08 12 34 56", &(balance + 5).to_string());
    let codes: Vec<_> = too_much["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].clone())
        .collect();
    assert!(codes.contains(&json!("balance_short")), "{too_much}");
    // Nothing typed yet is not a problem yet.
    assert_eq!(check("", "")["issues"], json!([]));

    // The Journal carries the single payout, in figures the screen words, and filters.
    let journal = |filter: serde_json::Value| {
        call(
            &app,
            "event_page",
            json!({"filter": filter, "page": {"limit": 50}}),
        )
        .unwrap()["rows"]
            .as_array()
            .unwrap()
            .clone()
    };
    let payouts = journal(json!({"kinds": ["payout"]}));
    let sent_entry = payouts
        .iter()
        .find(|e| e["kind"] == "payout.sent")
        .expect("the single payout in the Journal");
    let detail: serde_json::Value =
        serde_json::from_str(sent_entry["detail"].as_str().unwrap()).unwrap();
    assert_eq!(detail["amount"], sent["amount"]);
    assert!(payouts
        .iter()
        .all(|e| e["kind"].as_str().unwrap().starts_with("payout.")));
    assert!(
        journal(json!({"kinds": ["payout"], "from": "2000-01-01", "to": "2000-01-02"})).is_empty()
    );
    assert!(
        journal(json!({"kinds": ["account"], "account": "Démo CinetPay"}))
            .iter()
            .all(|e| e["kind"] == "account.added")
    );
}

#[test]
fn an_export_and_a_reconciliation_through_the_commands() {
    let app = app();
    call(
        &app,
        "account_add",
        json!({"form": {"label": "Abidjan", "provider": "cinetpay", "site_id": "445160",
                        "secrets": {"api_key": "k", "transfer_password": "p"}}}),
    )
    .unwrap();
    let out = app._dir.path().join("journal.csv");
    // What the Exports screen sends.
    let request = json!({"dataset": "events", "format": "csv", "delimiter": ";",
        "date_style": "fr", "lang": "fr", "from": null, "to": null, "account": null,
        "provider": null, "status": null, "utc_offset_minutes": null});
    let summary = call(&app, "export_run", json!({"request": request, "path": out})).unwrap();
    assert_eq!(summary["dataset"], "events");
    assert!(summary["rows"].as_u64().unwrap() >= 1);
    assert!(std::fs::read(&out).unwrap().starts_with(b"\xEF\xBB\xBF"));

    let mut bad = request.clone();
    bad["from"] = json!("2026-02-30");
    let e = call(&app, "export_run", json!({"request": bad, "path": out})).unwrap_err();
    assert_eq!(e["code"], "invalid_input");
    assert_eq!(e["details"]["field"], "from");

    let statement = app._dir.path().join("cinetpay.csv");
    std::fs::write(
        &statement,
        "ID CinetPay;ID Marchand;Montant Envoyé;Statut\nEA1;INCONNU;1500;VAL\n",
    )
    .unwrap();
    let report = call(
        &app,
        "reconcile_run",
        json!({"file": statement, "account": "Abidjan"}),
    )
    .unwrap();
    assert_eq!(report["counts"]["missing_locally"], 1);
    let saved = app._dir.path().join("rapport.csv");
    call(
        &app,
        "reconcile_report_save",
        json!({"report": report, "path": saved, "lang": "en"}),
    )
    .unwrap();
    let text = std::fs::read_to_string(&saved).unwrap();
    assert!(
        text.contains("missing locally") && text.contains("INCONNU"),
        "{text}"
    );
}

#[test]
fn collections_balances_and_automation_go_through_the_commands() {
    let app = app();
    call(&app, "demo_start", json!({})).unwrap();
    let created = call(
        &app,
        "collection_create",
        json!({"account": "Démo My-CoolPay", "kind": "paylink",
               "input": {"amount": 15000, "reason": "Commande 42", "phone": null, "name": "Awa",
                         "email": null, "channel": null}}),
    )
    .unwrap();
    assert_eq!(created["status"], "awaiting_customer");
    assert!(created["link"].as_str().unwrap().starts_with("http"));
    let detail = call(&app, "collection_show", json!({"id": created["id"]})).unwrap();
    assert!(detail["share_text"].as_str().unwrap().contains("Payez ici"));
    let listed = call(
        &app,
        "collection_list",
        json!({"account": null, "status": null}),
    )
    .unwrap();
    assert_eq!(listed[0]["reference"], created["reference"]);
    let cancelled = call(&app, "collection_cancel", json!({"id": created["id"]})).unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    let err = call(
        &app,
        "collection_create",
        json!({"account": "Démo SOFTSYSTEM", "kind": "softsystem",
               "input": {"amount": 5000, "reason": "", "phone": null}}),
    )
    .unwrap_err();
    assert_eq!(err["details"]["field"], "phone");
    let err = call(
        &app,
        "cinetpay_history_sync",
        json!({"account": "Démo CinetPay", "from": "31/03/2026", "to": "2026-03-31"}),
    )
    .unwrap_err();
    assert_eq!(err["details"]["field"], "from");

    call(&app, "balance_check", json!({"account": null})).unwrap();
    let history = call(
        &app,
        "balance_history",
        json!({"account": "Démo My-CoolPay"}),
    )
    .unwrap();
    assert_eq!(history[0]["kind"], "wallet");

    let state = call(&app, "automation_get", json!({})).unwrap();
    assert_eq!(state["settings"]["callback_receiver"], false);
    assert_eq!(state["settings"]["trust_proxy"], Value::Null);
    assert_eq!(state["receiver"], Value::Null);
    let path = state["callback_path"].as_str().unwrap().to_string();
    assert_eq!(path.len(), 32);
    let on = call(
        &app,
        "automation_set",
        json!({"settings": {"balance_check_hour": 7, "utc_offset_minutes": 60,
                            "callback_receiver": true, "callback_port": free_port()}}),
    )
    .unwrap();
    assert_eq!(on["settings"]["balance_check_hour"], 7);
    let receiver = on["receiver"].as_str().unwrap();
    assert!(
        receiver.starts_with("http://127.0.0.1:") && receiver.ends_with(&format!("/{path}")),
        "{on}"
    );
    // The Settings switch: a proxy whose X-Forwarded-For is believed, from its address only.
    let port = free_port();
    let proxied = call(
        &app,
        "automation_set",
        json!({"settings": {"balance_check_hour": 7, "utc_offset_minutes": 60,
                            "callback_receiver": true, "callback_port": port,
                            "trust_proxy": " 127.0.0.1 "}}),
    )
    .unwrap();
    assert_eq!(proxied["settings"]["trust_proxy"], "127.0.0.1");
    assert!(proxied["receiver"]
        .as_str()
        .unwrap()
        .contains(&format!(":{port}/")));
    let bad_proxy = call(
        &app,
        "automation_set",
        json!({"settings": {"balance_check_hour": 7, "utc_offset_minutes": 60,
                            "callback_receiver": true, "callback_port": port,
                            "trust_proxy": "my-proxy"}}),
    )
    .unwrap_err();
    assert_eq!(bad_proxy["details"]["field"], "trust_proxy");
    let off = call(
        &app,
        "automation_set",
        json!({"settings": {"balance_check_hour": null, "utc_offset_minutes": 60,
                            "callback_receiver": false, "callback_port": 8787}}),
    )
    .unwrap();
    assert_eq!(off["receiver"], Value::Null);
    let err = call(
        &app,
        "automation_set",
        json!({"settings": {"balance_check_hour": 25, "utc_offset_minutes": 0,
                            "callback_receiver": false, "callback_port": 8787}}),
    )
    .unwrap_err();
    assert_eq!(err["details"]["field"], "balance_check_hour");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn a_contact_list_is_read_through_the_commands_and_bad_files_say_why() {
    let app = app();
    let files = tempfile::tempdir().unwrap();
    let list = files.path().join("liste.csv");
    std::fs::write(&list, "Nom;Ville\nAwa;Abidjan\n").unwrap();
    let path = list.display().to_string();
    let sheets = call(&app, "contacts_sheets", json!({"path": path})).unwrap();
    assert_eq!(sheets, json!({"format": "csv", "sheets": []}));
    let info = call(
        &app,
        "contacts_columns",
        json!({"path": path, "options": {"sheet": null, "columns": []}, "wanted": ["phone"]}),
    )
    .unwrap();
    assert_eq!(info["headers"], json!(["Nom", "Ville"]));
    assert_eq!(info["sample"][0]["cells"], json!(["Awa", "Abidjan"]));
    let err = call(
        &app,
        "contacts_preview",
        json!({"account": "Nope", "path": path, "options": {"sheet": null, "columns": []}}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "not_found");
    let empty = files.path().join("vide.csv");
    std::fs::write(&empty, "").unwrap();
    let err = call(
        &app,
        "contacts_sheets",
        json!({"path": empty.display().to_string()}),
    )
    .unwrap_err();
    assert_eq!(
        err,
        json!({"code": "file_empty", "message": "the file is empty"})
    );
    assert_eq!(
        call(&app, "contacts_list", json!({})).unwrap(),
        json!({"rows": [], "next": null})
    );
}

#[test]
fn a_batch_is_previewed_then_confirmed_through_the_commands() {
    let app = app();
    call(&app, "demo_start", json!({})).unwrap();
    // No header row: the columns are chosen as the wizard's mapping step sends them.
    let file = app._dir.path().join("paie.csv");
    std::fs::write(
        &file,
        "0707112233;5000;Awa\n0505112233;1001;Yao\n0101112233;2500;Moussa\n",
    )
    .unwrap();
    let path = file.display().to_string();
    let options = json!({"sheet": null, "columns": [
        {"field": "phone", "column": "A"}, {"field": "amount", "column": "B"},
        {"field": "name", "column": "C"}]});
    let args = |extra: Value| {
        let mut body =
            json!({"account": "Démo CinetPay", "path": path, "options": options, "again": false});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let preview = call(&app, "payout_batch_preview", args(json!({}))).unwrap();
    assert_eq!(
        (preview["count"].clone(), preview["skipped"].clone()),
        (json!(2), json!(1))
    );
    assert_eq!(preview["rows"][1]["line"], 2);
    assert_eq!(preview["rows"][1]["errors"][0]["code"], "amount_multiple");
    assert_eq!(preview["rows"][1]["errors"][0]["column"], "amount");
    let before = call(
        &app,
        "payout_batch_page",
        json!({"account": null, "page": {}}),
    )
    .unwrap();
    assert_eq!(before, json!({"rows": [], "next": null}));

    let err = call(
        &app,
        "payout_batch_confirm",
        args(json!({"reviewedSha256": "not-what-was-reviewed"})),
    )
    .unwrap_err();
    assert_eq!(err["code"], "file_changed");
    let sent = call(
        &app,
        "payout_batch_confirm",
        args(json!({"reviewedSha256": preview["file_sha256"]})),
    )
    .unwrap();
    assert_eq!(sent["batch"]["row_count"], 2);
    assert!(sent["batch"]["balance_before"].is_string());
    assert!(sent["batch"]["balance_after"].is_string());
    let listed = call(
        &app,
        "payout_batch_page",
        json!({"account": null, "page": {"limit": 1}}),
    )
    .unwrap();
    assert_eq!(listed["rows"][0]["batch"]["id"], sent["batch"]["id"]);
    assert_eq!(listed["next"], json!(null));
    let shown = call(
        &app,
        "payout_batch_show",
        json!({"id": sent["batch"]["id"]}),
    )
    .unwrap();
    assert_eq!(shown["batch"]["total"], 7500);

    // The same file again is refused unless meant.
    let again = call(&app, "payout_batch_preview", args(json!({}))).unwrap();
    assert_eq!(again["blockers"][0]["code"], "batch_already_sent");
    let meant = call(&app, "payout_batch_preview", args(json!({"again": true}))).unwrap();
    assert!(meant["blockers"].as_array().unwrap().is_empty());
}

#[test]
fn a_payroll_workbook_is_read_through_the_commands_without_mapping_and_amounts_agree() {
    let app = app();
    call(&app, "demo_start", json!({})).unwrap();
    let account = "Démo CinetPay";
    let workbook = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/paie-janvier.xlsx")
        .display()
        .to_string();
    // The column step, as the batch screen asks it: the pay sheet and its columns are found.
    let columns = call(
        &app,
        "payout_batch_columns",
        json!({"account": account, "path": workbook, "options": {"sheet": null, "columns": []}}),
    )
    .unwrap();
    let info = &columns["info"];
    assert_eq!(info["sheet"], "Paie janvier");
    assert_eq!(info["sheet_found"], true);
    let letters: Vec<(String, String)> = info["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["field"].as_str().unwrap().into(),
                c["letter"].as_str().unwrap().into(),
            )
        })
        .collect();
    for wanted in [
        ("phone", "C"),
        ("amount", "E"),
        ("name", "B"),
        ("operator", "D"),
    ] {
        assert!(
            letters.contains(&(wanted.0.into(), wanted.1.into())),
            "{letters:?}"
        );
    }
    // Then the check, with the choices the screen preselected from that answer.
    let chosen: Vec<Value> = info["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!({"field": c["field"], "column": c["letter"]}))
        .collect();
    let preview = call(
        &app,
        "payout_batch_preview",
        json!({"account": account, "path": workbook, "again": false,
               "options": {"sheet": info["sheet"], "columns": chosen}}),
    )
    .unwrap();
    assert_eq!(
        (preview["count"].clone(), preview["skipped"].clone()),
        (json!(50), json!(0))
    );
    assert_eq!(preview["total"], 5_247_625);
    assert_eq!(preview["file_totals"][0]["matches"], true);

    // The payout form reads what is typed through the batch's reader.
    let read = |text: &str| {
        call(
            &app,
            "amount_read",
            json!({"account": account, "text": text}),
        )
        .unwrap()
    };
    assert_eq!(read("15.000")["amount"], 15_000);
    let refused = read("1 229,125");
    assert_eq!(refused["amount"], json!(null));
    assert_eq!(refused["issue"]["code"], "amount_not_whole");
    assert_eq!(refused["issue"]["value"], "1 229,125");
}

/// Roles are checked in core, so the app's commands are refused what the person may not do
/// (they were only refused in the command line): a viewer edits no contact, changes no
/// setting, cancels no collection; signed out, nobody reads anything but who may sign in.
#[test]
fn a_viewer_is_refused_through_the_commands_and_a_signed_out_app_does_nothing() {
    let dir = tempfile::tempdir().unwrap();
    {
        let g = Guichet::open(dir.path()).unwrap();
        g.add_user("Moussa", guichet_core::people::Role::Owner, "48213579")
            .unwrap();
        g.add_user("Vi", guichet_core::people::Role::Viewer, "13572468")
            .unwrap();
    }
    let webview = webview_in(dir.path());
    let refused =
        |cmd: &str, body: Value| call_in(&webview, cmd, body).unwrap_err()["code"].clone();
    // Several people: nobody acts until someone signs in.
    assert_eq!(
        refused("payout_page", json!({"filter": {}, "page": {}})),
        "who_is_working"
    );
    let state = call_in(&webview, "people_state", json!({})).unwrap();
    assert_eq!(state["actor"], Value::Null);

    call_in(
        &webview,
        "sign_in",
        json!({"name": "Vi", "pin": "13572468"}),
    )
    .unwrap();
    for (cmd, body) in [
        ("contacts_delete", json!({"id": 1})),
        ("settings_set_notifications", json!({"on": false})),
        ("collection_cancel", json!({"id": 1})),
        ("account_remove", json!({"label": "Abidjan"})),
    ] {
        assert_eq!(refused(cmd, body), "not_allowed", "{cmd}");
    }
    // Reading is a viewer's.
    call_in(&webview, "payout_page", json!({"filter": {}, "page": {}})).unwrap();

    call_in(&webview, "sign_out", json!({})).unwrap();
    assert_eq!(
        refused("payout_page", json!({"filter": {}, "page": {}})),
        "who_is_working"
    );
    assert_eq!(
        refused("contacts_delete", json!({"id": 1})),
        "who_is_working"
    );
}

#[test]
fn signing_out_leaves_nobody_and_the_idle_lock_is_a_setting_of_the_owner() {
    let dir = tempfile::tempdir().unwrap();
    {
        let g = Guichet::open(dir.path()).unwrap();
        g.add_user("Awa", guichet_core::people::Role::Owner, "48213579")
            .unwrap();
        g.add_user("Moussa", guichet_core::people::Role::Preparer, "73059146")
            .unwrap();
    }
    let webview = webview_in(dir.path());
    let code = |r: Result<Value, Value>| r.unwrap_err()["code"].clone();

    // At start nobody works: only the sign-in's commands answer.
    let state = call_in(&webview, "people_state", json!({})).unwrap();
    assert_eq!(state["several"], json!(true));
    assert_eq!(state["actor"]["id"], Value::Null);
    assert_eq!(
        code(call_in(&webview, "account_list", json!({}))),
        json!("who_is_working")
    );
    assert_eq!(call_in(&webview, "idle_lock_get", json!({})).unwrap(), 600);

    call_in(
        &webview,
        "sign_in",
        json!({"name": "Moussa", "pin": "73059146"}),
    )
    .unwrap();
    call_in(&webview, "account_list", json!({})).unwrap();
    let users = call_in(&webview, "users_list", json!({}))
        .unwrap()
        .to_string();
    assert!(
        !users.contains("73059146") && !users.contains("argon2"),
        "{users}"
    );
    // A preparer neither adds people nor changes the idle lock (core refuses).
    assert_eq!(
        code(call_in(
            &webview,
            "user_add",
            json!({"name": "Fatou", "role": "viewer", "pin": "55512345"})
        )),
        json!("not_allowed")
    );
    assert_eq!(
        code(call_in(&webview, "idle_lock_set", json!({"minutes": 1}))),
        json!("not_allowed")
    );

    // Signed out: no acting person at all, not even a reader.
    call_in(&webview, "sign_out", json!({})).unwrap();
    for cmd in ["account_list", "users_list", "audit_verify", "dashboard"] {
        let body = if cmd == "dashboard" {
            json!({"since": "2026-01-01T00:00:00Z"})
        } else {
            json!({})
        };
        assert_eq!(code(call_in(&webview, cmd, body)), json!("who_is_working"));
    }
    let state = call_in(&webview, "people_state", json!({})).unwrap();
    assert_eq!(state["actor"]["id"], Value::Null);

    call_in(
        &webview,
        "sign_in",
        json!({"name": "Awa", "pin": "48213579"}),
    )
    .unwrap();
    assert_eq!(
        call_in(&webview, "idle_lock_set", json!({"minutes": 1})).unwrap(),
        60
    );
    assert_eq!(
        call_in(&webview, "idle_lock_set", json!({"minutes": 0})).unwrap(),
        0
    );
    let too_long = call_in(&webview, "idle_lock_set", json!({"minutes": 2000})).unwrap_err();
    assert_eq!(too_long["params"]["field"], json!("idle_lock"));
    // The next start reads it.
    drop(webview);
    let again = webview_in(dir.path());
    assert_eq!(call_in(&again, "idle_lock_get", json!({})).unwrap(), 0);
}

#[test]
fn a_merchant_alone_signing_out_changes_nothing() {
    let app = app();
    call(&app, "sign_out", json!({})).unwrap();
    call(&app, "account_list", json!({})).unwrap();
    let state = call(&app, "people_state", json!({})).unwrap();
    assert_eq!(state["several"], json!(false));
}
