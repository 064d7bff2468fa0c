// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// A batch's thousand requests and answers allocate and free a great deal: mimalloc does it with
// less CPU than the system allocator (docs/payouts.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    guichet_app::startup::mark("main");
    guichet_app::run()
}
