//! Showing a folder in the platform's file manager, without a plugin: the same program the
//! desktop uses for "open" (`xdg-open`, `open`, `explorer`).

use std::path::Path;
use std::process::Command;

pub fn reveal(dir: &Path) -> Result<(), String> {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    // Spawned and left alone: the file manager outlives the call.
    Command::new(program)
        .arg(dir)
        .spawn()
        .map(drop)
        .map_err(|e| {
            format!(
                "cannot open {} with {program} ({e}); open it from your file manager",
                dir.display()
            )
        })
}
