//! The desktop shell: the only Rust that imports tauri. Commands are thin wrappers over
//! `guichet-core` (see `commands/`); core events reach the webview through `events.rs`; the
//! poller (`poller.rs`) tracks payouts and collections while the app runs; `automation.rs` runs
//! the daily balance check and the callback receiver; `demo.rs` hosts the sandbox.

mod automation;
pub mod commands;
mod demo;
pub mod error;
pub mod events;
mod files;
mod poller;
pub mod startup;
pub mod state;

use guichet_core::Guichet;
use state::AppState;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use tauri::{Manager, Runtime};

/// Registers Guichet's commands on a builder; shared by `run` and the command tests.
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    let handler: fn(tauri::ipc::Invoke<R>) -> bool = tauri::generate_handler![
        commands::accounts::provider_catalog,
        commands::accounts::account_list,
        commands::accounts::account_add,
        commands::accounts::account_edit,
        commands::accounts::account_remove,
        commands::balances::balance_check,
        commands::balances::account_test,
        commands::balances::balance_history,
        commands::collections::collection_create,
        commands::collections::collection_authorize,
        commands::collections::collection_list,
        commands::collections::collection_show,
        commands::collections::collection_refresh,
        commands::collections::collection_cancel,
        commands::collections::collection_open,
        commands::collections::cinetpay_history_sync,
        commands::automation::automation_get,
        commands::automation::automation_set,
        commands::contacts::contacts_sheets,
        commands::contacts::contacts_columns,
        commands::contacts::contacts_preview,
        commands::contacts::contacts_import,
        commands::contacts::contacts_list,
        commands::contacts::contacts_edit,
        commands::contacts::contacts_delete,
        commands::books::export_run,
        commands::books::reconcile_run,
        commands::books::reconcile_report_save,
        commands::demo::demo_start,
        commands::payouts::payout_send,
        commands::payouts::amount_read,
        commands::payouts::payout_check,
        commands::payouts::payout_page,
        commands::payouts::payout_show,
        commands::payouts::payout_batch_preview,
        commands::payouts::payout_batch_columns,
        commands::payouts::payout_batch_confirm,
        commands::payouts::payout_batch_page,
        commands::payouts::payout_batch_show,
        commands::retry::batch_retry_corrections,
        commands::retry::batch_retry_preview,
        commands::retry::batch_retry_confirm,
        commands::lists::list_all,
        commands::lists::list_show,
        commands::lists::list_save_batch,
        commands::lists::list_remove,
        commands::lists::list_batch_preview,
        commands::lists::list_batch_confirm,
        commands::plans::batch_schedule,
        commands::plans::batch_cancel,
        commands::dashboard::dashboard,
        commands::dashboard::event_page,
        commands::dashboard::ui_ready,
        commands::settings::settings_get,
        commands::settings::settings_set_language,
        commands::settings::settings_set_notifications,
        commands::settings::open_data_dir,
        commands::people::people_state,
        commands::people::sign_in,
        commands::people::sign_out,
        commands::people::users_list,
        commands::people::user_add,
        commands::people::user_remove,
        commands::people::approvals_waiting,
        commands::people::batch_approve,
        commands::people::payout_approve,
        commands::people::approval_reject,
        commands::people::approval_resend,
        commands::people::policy_get,
        commands::people::policy_set,
        commands::people::audit_list,
        commands::people::audit_verify,
        commands::people::audit_export,
        commands::people::idle_lock_get,
        commands::people::idle_lock_set,
    ];
    builder.invoke_handler(move |invoke| {
        // Nobody signed in while several people share the folder: only what the sign-in needs
        // answers; every other command is refused before it reaches core.
        let command = invoke.message.command();
        let nobody = invoke
            .message
            .webview_ref()
            .try_state::<AppState>()
            .is_some_and(|s| s.nobody.load(std::sync::atomic::Ordering::Relaxed));
        if nobody && !commands::people::WITHOUT_ANYONE.contains(&command) {
            invoke
                .resolver
                .reject(error::UiError::from(commands::people::nobody_signed_in()));
            return true;
        }
        handler(invoke)
    })
}

/// Puts the core context in the app's state, with events forwarded to the webview (and to
/// desktop notifications when `notify` and the merchant has not turned them off).
pub fn manage_state<R: Runtime>(
    app: &tauri::AppHandle<R>,
    guichet: Guichet,
    notify: bool,
) -> guichet_core::Result<()> {
    let settings = guichet.settings()?;
    // Several people share the folder: nobody acts until someone signs in. One person is
    // never asked: they act from the start (and are named in the audit log).
    let several = guichet.several_people()?;
    if several {
        guichet.sign_out();
    } else {
        guichet.sign_in(None, None)?;
    }
    let english = Arc::new(AtomicBool::new(settings.language == "en"));
    let notifications = Arc::new(AtomicBool::new(settings.notifications));
    let sink = events::WebviewSink {
        app: app.clone(),
        notify: notify.then(|| notifications.clone()),
        english: english.clone(),
    };
    let guichet = guichet.with_events(Arc::new(sink));
    app.manage(AppState {
        guichet,
        poller: poller::Poller::default(),
        sandbox: Default::default(),
        automations: Default::default(),
        english,
        notifications,
        ui_ready: Default::default(),
        nobody: AtomicBool::new(several),
    });
    Ok(())
}

/// How long the start's background work waits for the first screen at most.
const UI_READY_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// `--data-dir DIR` on the command line, as for the `guichet` command.
fn data_dir_arg(args: impl Iterator<Item = String>) -> Option<std::path::PathBuf> {
    let mut args = args.skip_while(|a| a != "--data-dir");
    args.next()?;
    args.next().map(std::path::PathBuf::from)
}

/// The whole-file check of the database, once the window is up: a damaged file is said to the
/// merchant (a desktop notification) and in the log.
async fn check_database(app: &tauri::AppHandle, state: &AppState) {
    use tauri_plugin_notification::NotificationExt;
    let g = state.guichet.clone();
    let verdict = tauri::async_runtime::spawn_blocking(move || g.store.quick_check()).await;
    let problem = match verdict {
        Ok(Ok(ok)) if ok == "ok" => return,
        Ok(Ok(found)) => found,
        Ok(Err(e)) => e.to_string(),
        Err(e) => e.to_string(),
    };
    tracing::error!(problem = %problem, "the database check failed");
    let (title, body) = if state.english.load(std::sync::atomic::Ordering::Relaxed) {
        (
            "Guichet: the database is damaged",
            "Restore a backup from the data folder (Settings) before sending money.",
        )
    } else {
        ("Guichet : la base de données est endommagée", "Restaurez une sauvegarde du dossier de données (Paramètres) avant d'envoyer de l'argent.")
    };
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        tracing::warn!(error = %e, "desktop notification failed");
    }
}

/// Hands back to the system the heap the start used and freed (the first screen's queries, the
/// database check): mimalloc (Rust's allocations) and glibc (GTK's and WebKit's) keep freed
/// memory until asked.
fn release_freed_memory() {
    // SAFETY: mi_collect only returns mimalloc's free pages to the system.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the system; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Opens the data directory's database on a thread of its own, so that creating or checking it
/// runs while GTK and the webview start on the main thread (a first start creates the file and
/// its tables: about 100 ms that would otherwise hold the window back).
fn open_in_background(
    dir: guichet_core::Result<std::path::PathBuf>,
) -> std::thread::JoinHandle<guichet_core::Result<Guichet>> {
    std::thread::spawn(move || {
        let guichet = Guichet::open(&dir?);
        startup::mark("store_open");
        guichet
    })
}

/// One app per data folder: a second start on the same folder shows the first one's window (whose
/// poller is the folder's) and exits; another folder is another app.
fn one_app_per_data_folder<R: Runtime>(
    dir: Option<&std::path::Path>,
) -> tauri::plugin::TauriPlugin<R> {
    let builder = tauri_plugin_single_instance::Builder::new().callback(|app, _args, _cwd| {
        if let Some(window) = app.get_webview_window("main") {
            let _ = window.unminimize();
            let _ = window.show();
            let _ = window.set_focus();
        }
    });
    match dir {
        Some(dir) => builder.dbus_id(instance_name(dir)),
        None => builder,
    }
    .build()
}

/// The D-Bus name the app holds for a data folder: the app's identifier and a hash (FNV-1a, the
/// same in every build) of the folder's path.
fn instance_name(dir: &std::path::Path) -> String {
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let hash = dir
        .as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    format!("ci.guichet.desktop.f{hash:016x}")
}

pub fn run() {
    // A payroll's requests in flight each hold a socket, and the demo's sandbox the other end.
    guichet_core::open_files::raise();
    let dir = match data_dir_arg(std::env::args()) {
        Some(dir) => Ok(dir),
        None => guichet_core::default_data_dir(),
    };
    // First, before anything else starts: a second app on this folder leaves at once.
    let single = one_app_per_data_folder(dir.as_deref().ok());
    let opening = open_in_background(dir);
    startup::mark("builder");
    let builder = tauri::Builder::default()
        .plugin(single)
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .on_page_load(|_, payload| {
            startup::mark(match payload.event() {
                tauri::webview::PageLoadEvent::Started => "page_load_started",
                tauri::webview::PageLoadEvent::Finished => "page_load_finished",
            })
        })
        .setup(move |app| {
            // The window from tauri.conf.json exists by now; its page loads meanwhile.
            startup::mark("setup");
            let guichet = opening
                .join()
                .map_err(|_| "opening the database panicked")??;
            manage_state(app.handle(), guichet, true)?;
            startup::mark("state_managed");
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let state = handle.state::<AppState>();
                // Demo accounts from an earlier run: bring their simulator back first.
                if let Some(port) = demo::previous_port(&state) {
                    if let Err(e) = demo::start(&state, Some(port)).await {
                        tracing::warn!(error = %e, "demo sandbox did not restart");
                    }
                }
                // The first screen first: its queries, and the CPU, are the merchant's until it
                // is up (a few seconds at most, should the UI never say so).
                let ready = state.ui_ready.notified();
                let _ = tokio::time::timeout(UI_READY_WAIT, ready).await;
                // Queued payouts of an interrupted batch are sent now; pending ones tracked.
                state.poller.spawn(state.guichet.background());
                // Balances now and daily; the callback receiver if the merchant turned it on.
                automation::spawn_balance_checks(&state);
                match state.guichet.background().automation() {
                    Ok(settings) if settings.callback_receiver => {
                        let s = automation::apply(&state, settings).await;
                        if let Some(e) = s.error {
                            tracing::warn!(error = %e, "callback receiver did not start");
                        }
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "settings unreadable"),
                }
                // Last: it reads the whole file, and nothing above should wait for it.
                check_database(&handle, &state).await;
                release_freed_memory();
            });
            Ok(())
        });
    with_commands(builder)
        .run(tauri::generate_context!())
        .expect("error while running Guichet");
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_instance_name_per_data_folder() {
        let a = super::instance_name(std::path::Path::new("/home/awa/guichet"));
        let b = super::instance_name(std::path::Path::new("/home/awa/guichet-demo"));
        assert_ne!(a, b);
        assert_eq!(
            a,
            super::instance_name(std::path::Path::new("/home/awa/guichet"))
        );
        // A D-Bus name: elements of letters, digits and `_`, none starting with a digit.
        assert!(a.split('.').all(|e| !e.is_empty()
            && !e.starts_with(|c: char| c.is_ascii_digit())
            && e.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')));
    }
}
