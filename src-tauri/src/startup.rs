//! Start-up timing for `scripts/measure-desktop.sh`. With `GUICHET_READY_FILE` set, each stage
//! of the start (process entry, setup, database open, page load, the UI's own marks) is
//! appended to `<file>.stages` as `<stage> <Unix nanoseconds>`, and the moment the UI is
//! interactive is written to the file itself. Without it, nothing is recorded.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

const READY_FILE: &str = "GUICHET_READY_FILE";

fn now_nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

fn stages_path() -> Option<std::path::PathBuf> {
    let mut path = std::env::var_os(READY_FILE)?;
    path.push(".stages");
    Some(path.into())
}

fn append(lines: &str) {
    let Some(path) = stages_path() else { return };
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(lines.as_bytes()));
    if let Err(e) = written {
        tracing::warn!(error = %e, "cannot write the start-up stages");
    }
}

/// Records that `stage` is reached now.
pub fn mark(stage: &str) {
    if std::env::var_os(READY_FILE).is_some() {
        append(&format!("{stage} {}\n", now_nanos()));
    }
}

/// The UI is interactive: its own marks (Unix milliseconds, from `performance`) are recorded,
/// then the ready moment.
pub fn ready(ui_marks: &[(String, f64)]) {
    let Some(path) = std::env::var_os(READY_FILE) else {
        return;
    };
    let now = now_nanos();
    let lines: String = ui_marks
        .iter()
        .map(|(stage, ms)| format!("{stage} {}\n", (ms * 1e6) as u128))
        .collect();
    append(&format!("{lines}ui_ready {now}\n"));
    if let Err(e) = std::fs::write(&path, now.to_string()) {
        tracing::warn!(error = %e, "cannot write the ready mark");
    }
}
