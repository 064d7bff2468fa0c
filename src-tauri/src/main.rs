// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    guichet_app::startup::mark("main");
    guichet_app::run()
}
