//! `guichet`: the same core as the desktop app, for scripts and cron.

fn main() {
    println!("guichet {}", env!("CARGO_PKG_VERSION"));
}
