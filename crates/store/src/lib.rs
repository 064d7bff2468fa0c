//! Guichet's local SQLite store: one module per table, migrations embedded, backup before migrating
