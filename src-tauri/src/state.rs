use guichet_core::Guichet;

/// What every command reaches: the core context for the data directory the app opened.
pub struct AppState {
    pub guichet: Guichet,
}
