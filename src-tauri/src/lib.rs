//! The desktop shell: the only Rust that imports tauri. Commands are thin wrappers over
//! `guichet-core`; see `commands/`.

pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .run(tauri::generate_context!())
        .expect("error while running Guichet");
}
