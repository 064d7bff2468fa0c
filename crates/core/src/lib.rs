//! Guichet's use cases, free of Tauri: accounts, contacts, payouts, collections, balances, sync, export
