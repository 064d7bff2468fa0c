//! Transfer contacts, per account, with what the provider said when they were pushed.

pub const MIGRATION_2: &str = "
CREATE TABLE contacts (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    prefix         TEXT NOT NULL,
    phone          TEXT NOT NULL,
    name           TEXT NOT NULL DEFAULT '',
    surname        TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    operator       TEXT,
    -- local: not pushed yet; added: the provider accepted it; present: it was already there
    -- (CinetPay 726); failed: refused, see provider_code / provider_message.
    provider_state TEXT NOT NULL DEFAULT 'local'
        CHECK (provider_state IN ('local', 'added', 'present', 'failed')),
    provider_code  TEXT,
    provider_message TEXT,
    lot            TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (account_id, prefix, phone)
);
";
