//! Payout batches imported from a spreadsheet. The file's hash lets Guichet refuse a file that
//! was already paid unless the merchant says it is meant.

pub const MIGRATION_3: &str = "
CREATE TABLE batches (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    file_name    TEXT NOT NULL,
    file_sha256  TEXT NOT NULL,
    row_count    INTEGER NOT NULL,
    total        INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    confirmed_at TEXT
);
CREATE INDEX batches_hash ON batches (account_id, file_sha256);
";
