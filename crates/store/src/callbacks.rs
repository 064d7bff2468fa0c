//! Every callback delivery received, with its source and the verdict, whatever it was.

pub const MIGRATION_4: &str = "
CREATE TABLE callbacks (
    id          INTEGER PRIMARY KEY,
    received_at TEXT NOT NULL,
    provider    TEXT NOT NULL,
    account_id  INTEGER REFERENCES accounts (id),
    source      TEXT NOT NULL,
    reference   TEXT,
    verdict     TEXT NOT NULL,
    body        TEXT NOT NULL
);
";
