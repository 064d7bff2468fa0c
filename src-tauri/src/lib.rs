//! The desktop shell: the only Rust that imports tauri. Commands are thin wrappers over
//! `guichet-core` (see `commands/`); core events reach the webview through `events.rs`.

pub mod commands;
pub mod error;
pub mod events;
pub mod state;

use guichet_core::Guichet;
use state::AppState;
use std::sync::Arc;
use tauri::{Manager, Runtime};

/// Registers Guichet's commands on a builder; shared by `run` and the command tests.
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::accounts::provider_catalog,
        commands::accounts::account_list,
        commands::accounts::account_add,
        commands::accounts::account_edit,
        commands::accounts::account_remove,
    ])
}

/// Opens the data directory and puts the core context in the app's state, with events
/// forwarded to the webview.
pub fn manage_state<R: Runtime>(app: &tauri::AppHandle<R>, guichet: Guichet) {
    let guichet = guichet.with_events(Arc::new(events::WebviewSink(app.clone())));
    app.manage(AppState { guichet });
}

/// `--data-dir DIR` on the command line, as for the `guichet` command.
fn data_dir_arg(args: impl Iterator<Item = String>) -> Option<std::path::PathBuf> {
    let mut args = args.skip_while(|a| a != "--data-dir");
    args.next()?;
    args.next().map(std::path::PathBuf::from)
}

pub fn run() {
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let dir = match data_dir_arg(std::env::args()) {
                Some(dir) => dir,
                None => guichet_core::default_data_dir()?,
            };
            let guichet = Guichet::open(&dir)?;
            manage_state(app.handle(), guichet);
            Ok(())
        });
    with_commands(builder)
        .run(tauri::generate_context!())
        .expect("error while running Guichet");
}
