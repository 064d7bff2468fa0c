//! Every use case checks the acting person's role itself, whatever the shell: each public
//! method of `Guichet` is called here as nobody (the app locked), a viewer, a preparer and an
//! approver, and must refuse what the role may not do before doing anything. A method added to
//! `Guichet` without a line in this table (or a reason to need no check) fails the test.

mod common;

use guichet_core::books::export::ExportRequest;
use guichet_core::books::reconcile::{ReconCounts, ReconcileReport};
use guichet_core::callbacks::ServeOptions;
use guichet_core::payouts::{BatchPreview, BatchRequest, PayoutInput};
use guichet_core::people::{Action, Kind, PolicyChange, Role};
use guichet_core::{CoreError, Guichet};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// What the calls need, made by the owner before anyone else signs in.
struct Fx {
    dir: PathBuf,
    req: BatchRequest,
    preview: BatchPreview,
    automation: guichet_core::automation::Automation,
    demo: guichet_core::demo::DemoAccounts,
    account: guichet_core::accounts::AccountInput,
    row: guichet_store::accounts::AccountRow,
}

type Done = Pin<Box<dyn Future<Output = Result<(), CoreError>>>>;
type Call = Box<dyn Fn(Guichet, Arc<Fx>) -> Done>;

/// One line of the table: the method's name, the action it needs, and a call of it.
macro_rules! call {
    ($name:literal, $act:ident, |$g:ident, $fx:ident| $body:expr) => {
        (
            $name,
            Action::$act,
            Box::new(|$g: Guichet, $fx: Arc<Fx>| -> Done {
                Box::pin(async move {
                    let _ = &$fx;
                    ($body).map(|_| ())
                })
            }) as Call,
        )
    };
}

fn day() -> time::Date {
    time::Date::from_calendar_date(2026, time::Month::December, 1).unwrap()
}

fn payout_input() -> PayoutInput {
    PayoutInput {
        phone: "0707111111".into(),
        amount: 5000,
        name: "Awa".into(),
        reason: "paie".into(),
        operator: None,
    }
}

fn table() -> Vec<(&'static str, Action, Call)> {
    vec![
        // Accounts and the demo.
        call!("add_account", ManageAccounts, |g, fx| g
            .add_account(fx.account.clone())),
        call!("edit_account", ManageAccounts, |g, fx| g
            .edit_account("Abidjan", fx.account.clone())),
        call!("remove_account", ManageAccounts, |g, fx| g
            .remove_account("Abidjan")),
        call!("list_accounts", Read, |g, fx| g.list_accounts()),
        call!("show_account", Read, |g, fx| g.show_account("Abidjan")),
        call!("setup_demo", ManageAccounts, |g, fx| g.setup_demo(&fx.demo)),
        call!("seed_demo_history", ManageAccounts, |g, fx| g
            .seed_demo_history()
            .await),
        // Settings and automation.
        call!("automation", Read, |g, fx| g.automation()),
        call!("set_automation", Settings, |g, fx| g
            .set_automation(&fx.automation)),
        call!("scheduled_balance_check", Read, |g, fx| g
            .scheduled_balance_check()
            .await),
        call!("last_balance_check", Read, |g, fx| g.last_balance_check()),
        call!("set_notifications", Settings, |g, fx| g
            .set_notifications(false)),
        call!("set_setting", Settings, |g, fx| g.set_setting("x", &1)),
        // Balances and drafts.
        call!("check_balances", Read, |g, fx| g.check_balances(None).await),
        call!("balance_history", Read, |g, fx| g
            .balance_history("Abidjan", 5)),
        call!("test_account", Read, |g, fx| g
            .test_account("Abidjan")
            .await),
        call!("check_payout_draft", Read, |g, fx| g
            .check_payout_draft("Abidjan", "0707111111", "5000", "Awa", false)
            .await),
        // Contacts.
        call!("preview_contacts", Read, |g, fx| g.preview_contacts(
            "Abidjan",
            &fx.dir.join("contacts.csv"),
            &Default::default()
        )),
        call!("contact_page", Read, |g, fx| g.contact_page(
            None,
            None,
            &Default::default()
        )),
        call!("contact", Read, |g, fx| g.contact(1)),
        call!("edit_contact", Import, |g, fx| g
            .edit_contact(1, &Default::default())),
        call!("delete_contact", Import, |g, fx| g.delete_contact(1)),
        call!("stage_contacts", Import, |g, fx| g.stage_contacts(
            "Abidjan",
            &fx.dir.join("contacts.csv"),
            &Default::default()
        )),
        call!("import_contacts", Import, |g, fx| g
            .import_contacts("Abidjan", &fx.dir.join("contacts.csv"), &Default::default())
            .await),
        // Callbacks.
        call!("serve_callbacks", Sync, |g, fx| g
            .serve_callbacks(ServeOptions::new([127, 0, 0, 1].into(), 0))
            .await),
        call!("callback_path", Read, |g, fx| g.callback_path()),
        call!("verify_callback", Sync, |g, fx| g
            .verify_callback("Abidjan", "{}", None)
            .await),
        call!("receive_callback", Sync, |g, fx| g
            .receive_callback("{}", [127, 0, 0, 1].into())
            .await),
        call!("recent_callbacks", Read, |g, fx| g.recent_callbacks(5)),
        // Reading.
        call!("dashboard", Read, |g, fx| g.dashboard("2026-12-01")),
        call!("event_page", Read, |g, fx| g.event_page(Default::default())),
        call!("journal_page", Read, |g, fx| g
            .journal_page(&Default::default(), Default::default())),
        // Payouts and batches.
        call!("confirm_batch", Prepare, |g, fx| g
            .confirm_batch(&fx.req, &fx.req.file_sha256)
            .await),
        call!("send_batch", Sync, |g, fx| g.send_batch(1).await),
        call!("batch", Read, |g, fx| g.batch(1)),
        call!("batch_page", Read, |g, fx| g
            .batch_page(None, Default::default())),
        call!("list_batches", Read, |g, fx| g.list_batches(None, 5)),
        call!("preview_batch", Read, |g, fx| g
            .preview_batch(&fx.req)
            .await),
        call!("sync_once", Sync, |g, fx| g.sync_once().await),
        call!("sync_until_final", Sync, |g, fx| g
            .sync_until_final(Duration::from_millis(10))
            .await),
        call!("queue_payout", Prepare, |g, fx| g.queue_payout(
            "Abidjan",
            &payout_input(),
            None
        )),
        call!("send_payout", Prepare, |g, fx| g
            .send_payout("Abidjan", payout_input())
            .await),
        call!("payout", Read, |g, fx| g.payout(1)),
        call!("payout_page", Read, |g, fx| g
            .payout_page(&Default::default(), Default::default())),
        call!("list_payouts", Read, |g, fx| g
            .list_payouts(None, None, None, 5)),
        call!("read_batch", Read, |g, fx| g.read_batch(
            &fx.dir.join("paie.csv"),
            "Douala",
            &Default::default(),
            false
        )),
        call!("batch_columns", Read, |g, fx| g.batch_columns(
            "Douala",
            &fx.dir.join("paie.csv"),
            &Default::default()
        )),
        call!("retry_failed", Read, |g, fx| g.retry_failed(1, &[])),
        call!("retry_corrections", Read, |g, fx| g
            .retry_corrections(1, &fx.dir.join("paie.csv"))),
        call!("submit", Sync, |g, fx| g.submit(&[1]).await),
        // Batches that leave later.
        call!("schedule_batch", Prepare, |g, fx| g
            .schedule_batch(1, "2099-12-25 08:00")),
        call!("cancel_batch", Prepare, |g, fx| g.cancel_batch(1)),
        call!("leave_waiting", Sync, |g, fx| g.leave_waiting(None).await),
        call!("next_batch_at", Read, |g, fx| g.next_batch_at()),
        call!("prepare_batch_planned", Prepare, |g, fx| g
            .prepare_batch_planned(
                &fx.req,
                &fx.preview,
                &guichet_core::payouts::SendPlan::default()
            )
            .await),
        // Payee lists.
        call!("payee_lists", Read, |g, fx| g.payee_lists()),
        call!("payee_list", Read, |g, fx| g.payee_list("Agents")),
        call!("remove_payee_list", Prepare, |g, fx| g
            .remove_payee_list("Agents")),
        call!("save_list_from_batch", Prepare, |g, fx| g
            .save_list_from_batch(1, "Agents")),
        call!("save_list_from_file", Prepare, |g, fx| g
            .save_list_from_file(
                &fx.dir.join("paie.csv"),
                "Douala",
                &Default::default(),
                "Agents"
            )),
        call!("list_amounts_file", Read, |g, fx| g
            .list_amounts_file(&fx.dir.join("paie.csv"), "Douala")),
        call!("batch_from_list", Read, |g, fx| g.batch_from_list(
            "Agents",
            "Douala",
            &[]
        )),
        // Books.
        call!("export", Export, |g, fx| g
            .export(&ExportRequest::default(), &fx.dir.join("out.csv"))),
        call!("reconcile", Sync, |g, fx| g
            .reconcile(&fx.dir.join("releve.csv"), "Abidjan")),
        call!("write_reconcile_report", Export, |g, fx| g
            .write_reconcile_report(
                &ReconcileReport {
                    account: "Abidjan".into(),
                    file: "releve.csv".into(),
                    first_day: None,
                    last_day: None,
                    counts: ReconCounts::default(),
                    lines: vec![],
                },
                &fx.dir.join("rapport.csv"),
                Default::default()
            )),
        // Collections.
        call!("collect_payin", Collect, |g, fx| g
            .collect_payin("Douala", Default::default())
            .await),
        call!("authorize_payin", Collect, |g, fx| g
            .authorize_payin(1, "1234")
            .await),
        call!("collect_paylink", Collect, |g, fx| g
            .collect_paylink("Douala", Default::default())
            .await),
        call!("collect_softsystem", Collect, |g, fx| g
            .collect_softsystem("Douala", Default::default())
            .await),
        call!("collect_cinetpay", Collect, |g, fx| g
            .collect_cinetpay("Abidjan", Default::default())
            .await),
        call!("sync_cinetpay_history", Sync, |g, fx| g
            .sync_cinetpay_history("Abidjan", day(), day())
            .await),
        call!("sync_collections", Sync, |g, fx| g.sync_collections().await),
        call!("refresh_collection_now", Sync, |g, fx| g
            .refresh_collection_now(1)
            .await),
        call!("open_collection", Read, |g, fx| g.open_collection(1)),
        call!("collect", Collect, |g, fx| g
            .collect(
                "Douala",
                guichet_core::collections::CollectionKind::Payin,
                Default::default()
            )
            .await),
        call!("collection", Read, |g, fx| g.collection(1)),
        call!("list_collections", Read, |g, fx| g
            .list_collections(None, None, None, 5)),
        call!("cancel_collection", Collect, |g, fx| g.cancel_collection(1)),
        // People, approvals and the audit log.
        call!("approval_policy", Read, |g, fx| g
            .approval_policy("Abidjan")),
        call!("set_approval_policy", ManagePolicies, |g, fx| g
            .set_approval_policy("Abidjan", &PolicyChange::default())),
        call!("prepare_batch", Prepare, |g, fx| g
            .prepare_batch(&fx.req, &fx.preview)
            .await),
        call!("prepare_payout", Prepare, |g, fx| g
            .prepare_payout("Abidjan", payout_input())
            .await),
        call!("awaiting_approval", Read, |g, fx| g.awaiting_approval(None)),
        call!("approval", Read, |g, fx| g.approval(1)),
        call!("approve_batch", Approve, |g, fx| g.approve_batch(1).await),
        call!("approve_payout", Approve, |g, fx| g.approve_payout(1).await),
        call!("resend_approved", Approve, |g, fx| g
            .resend_approved(Kind::Batch, 1)
            .await),
        call!("reject", Approve, |g, fx| g.reject(Kind::Batch, 1, "non")),
        call!("users", Read, |g, fx| g.users()),
        call!("add_user", ManageUsers, |g, fx| g.add_user(
            "Zed",
            Role::Viewer,
            "24681357"
        )),
        call!("remove_user", ManageUsers, |g, fx| g.remove_user("Awa")),
        call!("audit_entries", Read, |g, fx| g
            .audit_entries(&Default::default(), 5)),
        call!("verify_audit", Read, |g, fx| g.verify_audit()),
        call!("export_audit", Export, |g, fx| g
            .export_audit(&fx.dir.join("audit.csv"))),
    ]
}

/// Public methods that need no check, and why.
const NO_CHECK: &[(&str, &str)] = &[
    ("open", "opens the folder"),
    ("with_events", "building the context"),
    ("with_patience", "building the context"),
    ("with_http_config", "building the context"),
    ("data_dir", "where the folder is"),
    (
        "background",
        "the shell's own work, limited to reading and tracking",
    ),
    ("settings", "the language, read before anyone signs in"),
    (
        "set_language",
        "the screens' language, chosen before anyone signs in",
    ),
    (
        "setting",
        "a stored preference, read by the checked use cases",
    ),
    (
        "demo_base_url",
        "whether the folder is the demo's, read at start",
    ),
    (
        "next_balance_check",
        "a computation from the automation already read",
    ),
    (
        "index_contact_search",
        "upkeep of the search index the reads use",
    ),
    ("account_row", "the account a checked use case works on"),
    (
        "account_secret",
        "the adapters' clients, for checked use cases only",
    ),
    (
        "cinetpay_payment_client",
        "the adapters' clients, for checked use cases only",
    ),
    (
        "softsystem_client",
        "the adapters' clients, for checked use cases only",
    ),
    ("read_amount", "reads an amount's text, nothing stored"),
    ("amount_or_error", "reads an amount's text, nothing stored"),
    (
        "validate_payout",
        "checks a payout's fields, nothing stored",
    ),
    ("people_state", "who may sign in, read before anyone does"),
    ("several_people", "whether to ask who is working"),
    ("sign_in", "signing in"),
    ("sign_out", "signing out"),
    ("actor", "who is signed in"),
    ("require", "the check itself"),
    (
        "audit",
        "an entry of the acting person, written by checked use cases",
    ),
];

/// Every `pub fn` of an `impl Guichet` block under `src/`.
fn public_methods(dir: &Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            public_methods(&p, out);
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        let mut inside = false;
        for line in text.lines() {
            if line.starts_with("impl Guichet ") {
                inside = true;
            } else if line == "}" {
                inside = false;
            } else if inside {
                let l = line.trim_start();
                if line.starts_with("    pub ") && !line.starts_with("    pub(") {
                    let rest = l
                        .trim_start_matches("pub ")
                        .trim_start_matches("async ")
                        .trim_start_matches("fn ");
                    if l.contains("fn ") {
                        let name: String = rest
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        out.push(name);
                    }
                }
            }
        }
    }
}

#[test]
fn every_public_method_is_in_the_table_or_needs_no_check() {
    let mut found = Vec::new();
    public_methods(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    assert!(found.len() > 80, "{found:?}");
    let named: Vec<&str> = table().into_iter().map(|(n, _, _)| n).collect();
    let missing: Vec<&String> = found
        .iter()
        .filter(|m| !named.contains(&m.as_str()) && !NO_CHECK.iter().any(|(n, _)| n == m))
        .collect();
    assert!(
        missing.is_empty(),
        "public methods of Guichet with no line in the roles table: {missing:?}"
    );
    for (n, _, _) in table() {
        assert!(found.iter().any(|m| m == n), "{n} is no method of Guichet");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_is_refused_what_it_may_not_do_and_nobody_is_refused_everything() {
    let sb = common::settled_sandbox().await;
    let (dir, g) = common::guichet_with_accounts(&sb);
    let demo = sb.demo_credentials();
    std::fs::write(
        dir.path().join("contacts.csv"),
        "nom;telephone\nAwa;0707111111\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("paie.csv"),
        "telephone;montant;nom\n677123456;5000;Awa\n",
    )
    .unwrap();
    let req = g
        .read_batch(
            &dir.path().join("paie.csv"),
            "Douala",
            &Default::default(),
            false,
        )
        .unwrap();
    let preview = g.preview_batch(&req).await.unwrap();
    let fx = Arc::new(Fx {
        dir: dir.path().to_path_buf(),
        preview,
        req,
        automation: g.automation().unwrap(),
        demo: common::demo_accounts(&demo),
        account: common::cinetpay("Yamoussoukro", &demo),
        row: g.account_row("Abidjan").unwrap(),
    });
    let _ = &fx.row;
    g.add_user("Moussa", Role::Owner, "48213579").unwrap();
    for (name, role) in [
        ("Vi", Role::Viewer),
        ("Awa", Role::Preparer),
        ("Ali", Role::Approver),
    ] {
        g.add_user(name, role, "13572468").unwrap();
    }

    g.sign_out();
    assert!(g.actor().is_none());
    for (name, _, call) in table() {
        let e = call(g.clone(), fx.clone())
            .await
            .expect_err(&format!("{name} done with nobody signed in"));
        assert_eq!(e.code(), "nobody_signed_in", "{name}: {e}");
    }
    // Who may sign in is still read.
    assert!(g.people_state().unwrap().several);

    for (who, role) in [
        ("Vi", Role::Viewer),
        ("Awa", Role::Preparer),
        ("Ali", Role::Approver),
    ] {
        g.sign_in(Some(who), Some("13572468")).unwrap();
        for (name, action, call) in table() {
            if action.allowed(role) {
                // Reading is allowed to everyone signed in: never refused for the role.
                if action == Action::Read {
                    if let Err(e) = call(g.clone(), fx.clone()).await {
                        assert!(
                            !matches!(e.code(), "not_allowed" | "nobody_signed_in"),
                            "{who} reading with {name}: {e}"
                        );
                    }
                }
                continue;
            }
            let e = call(g.clone(), fx.clone())
                .await
                .expect_err(&format!("{name} done by {who}, a {role:?}"));
            assert_eq!(e.code(), "not_allowed", "{name} by {who}: {e}");
        }
    }
    // Nothing was sent nor stored by the refused calls.
    g.sign_in(Some("Moussa"), Some("48213579")).unwrap();
    assert!(g.list_payouts(None, None, None, 5).unwrap().is_empty());
    assert!(g.list_batches(None, 5).unwrap().is_empty());
    assert_eq!(g.list_accounts().unwrap().len(), 2);
}

#[tokio::test]
async fn background_work_reads_and_tracks_but_prepares_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let g = Guichet::open(dir.path()).unwrap();
    g.add_user("Moussa", Role::Owner, "48213579").unwrap();
    g.add_user("Vi", Role::Viewer, "13572468").unwrap();
    // Several people and a fresh opening: nobody acts until someone signs in.
    let g = Guichet::open(dir.path()).unwrap();
    assert!(g.actor().is_none());
    assert_eq!(g.sync_once().await.unwrap_err().code(), "nobody_signed_in");
    let bg = g.background();
    bg.sync_once().await.unwrap();
    bg.list_payouts(None, None, None, 5).unwrap();
    assert_eq!(
        bg.queue_payout("Abidjan", &payout_input(), None)
            .unwrap_err()
            .code(),
        "not_allowed"
    );
}
