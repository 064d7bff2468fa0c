//! Money collected from customers: My-CoolPay payins and paylinks, SOFTSYSTEM payment requests,
//! CinetPay hosted payments.

pub const MIGRATION_4: &str = "
CREATE TABLE collections (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    kind            TEXT NOT NULL CHECK (kind IN ('payin', 'paylink', 'softsystem', 'cinetpay')),
    reference       TEXT NOT NULL UNIQUE,
    provider_ref    TEXT,
    amount          INTEGER NOT NULL CHECK (amount > 0),
    currency        TEXT NOT NULL,
    phone           TEXT,
    name            TEXT,
    email           TEXT,
    reason          TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    provider_status TEXT,
    link            TEXT,
    ussd            TEXT,
    -- CinetPay's payment signature: not a secret, compared with checkPayStatus's answer.
    signature       TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    final_at        TEXT,
    next_check_at   TEXT,
    checks          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX collections_pending ON collections (status, next_check_at);
CREATE TABLE collection_history (
    id              INTEGER PRIMARY KEY,
    collection_id   INTEGER NOT NULL REFERENCES collections (id),
    at              TEXT NOT NULL,
    status          TEXT NOT NULL,
    provider_status TEXT,
    event           TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '{}'
);
CREATE TRIGGER collection_history_no_update BEFORE UPDATE ON collection_history
    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER collection_history_no_delete BEFORE DELETE ON collection_history
    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
";
