//! The store's boundary: the rest of Guichet reaches the database only through a typed handle
//! per table — `store.payouts()` to read payouts, `store.payouts_mut()` to change them — never
//! through a connection. A handle runs on whatever it was taken from:
//! - the [`Store`] itself: each call is one statement, or one transaction of its own;
//! - a [`Db`] ([`Store::lock`]): several calls in a row on the shared connection;
//! - a [`Tx`] ([`Store::write`]): calls that commit together or not at all;
//! - a [`Snapshot`] ([`Store::snapshot`]): reads on a connection of their own, that never
//!   hold up the app's writes (exports);
//! - a [`crate::bulk::Bulk`]: a large write in one transaction.
//!
//! A second engine implements the same handles (see `docs/architecture.md`).

use crate::table::On;
use crate::{Result, Store};
use rusqlite::Connection;
use std::sync::MutexGuard;

/// The tables' handles, on any holder of a connection that has `fn on(&self) -> On<'_>`.
macro_rules! handles {
    ($holder:ty; read { $($rname:ident: $rty:ty),* $(,)? } write { $($wname:ident: $wty:ty),* $(,)? }) => {
        impl $holder {
            $(pub fn $rname(&self) -> $rty {
                <$rty>::on(self.on())
            })*
            $(pub fn $wname(&self) -> $wty {
                <$wty>::on(self.on())
            })*
        }
    };
}

macro_rules! all_handles {
    ($holder:ty) => {
        handles!($holder;
            read {
                accounts: crate::accounts::Accounts<'_>,
                approvals: crate::approvals::Approvals<'_>,
                audit: crate::audit::Audit<'_>,
                balances: crate::balances::Balances<'_>,
                batches: crate::batches::Batches<'_>,
                batch_plans: crate::batch_plans::BatchPlans<'_>,
                beneficiaries: crate::beneficiaries::Beneficiaries<'_>,
                books: crate::books::Books<'_>,
                callbacks: crate::callbacks::Callbacks<'_>,
                collections: crate::collections::Collections<'_>,
                column_choices: crate::column_choices::ColumnChoices<'_>,
                contacts: crate::contacts::Contacts<'_>,
                events: crate::events::Events<'_>,
                fees: crate::fees::Fees<'_>,
                payee_lists: crate::payee_lists::PayeeLists<'_>,
                payouts: crate::payouts::Payouts<'_>,
                retries: crate::retries::Retries<'_>,
                settings: crate::settings::Settings<'_>,
                summary: crate::summary::Summary<'_>,
                users: crate::users::Users<'_>,
            }
            write {
                accounts_mut: crate::accounts::AccountsMut<'_>,
                approvals_mut: crate::approvals::ApprovalsMut<'_>,
                audit_mut: crate::audit::AuditMut<'_>,
                balances_mut: crate::balances::BalancesMut<'_>,
                batches_mut: crate::batches::BatchesMut<'_>,
                batch_plans_mut: crate::batch_plans::BatchPlansMut<'_>,
                callbacks_mut: crate::callbacks::CallbacksMut<'_>,
                collections_mut: crate::collections::CollectionsMut<'_>,
                column_choices_mut: crate::column_choices::ColumnChoicesMut<'_>,
                contacts_mut: crate::contacts::ContactsMut<'_>,
                events_mut: crate::events::EventsMut<'_>,
                fees_mut: crate::fees::FeesMut<'_>,
                payee_lists_mut: crate::payee_lists::PayeeListsMut<'_>,
                payouts_mut: crate::payouts::PayoutsMut<'_>,
                retries_mut: crate::retries::RetriesMut<'_>,
                settings_mut: crate::settings::SettingsMut<'_>,
                users_mut: crate::users::UsersMut<'_>,
            }
        );
    };
}

impl Store {
    fn on(&self) -> On<'_> {
        On::Locked(self.lock_conn())
    }

    /// The shared connection held for several calls in a row (other callers wait meanwhile).
    pub fn lock(&self) -> Db<'_> {
        Db {
            conn: self.lock_conn(),
        }
    }

    /// A write transaction that takes the write lock when it begins (see [`crate::write_tx`]):
    /// what is read in it is still all there is when it writes. Committed by [`Tx::commit`];
    /// dropped without, it is rolled back.
    pub fn write(&self) -> Result<Tx<'_>> {
        let conn = self.lock_conn();
        conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(Tx { conn })
    }

    /// Reads on a connection of their own, each statement of one consistent moment (WAL: the
    /// app keeps writing meanwhile): for long reads such as exports.
    pub fn snapshot(&self) -> Result<Snapshot> {
        Ok(Snapshot {
            conn: self.reader()?,
        })
    }
}
all_handles!(Store);

/// The shared connection, held (see [`Store::lock`]).
pub struct Db<'s> {
    conn: MutexGuard<'s, Connection>,
}

impl Db<'_> {
    fn on(&self) -> On<'_> {
        On::In(&self.conn)
    }
}
all_handles!(Db<'_>);

/// A write transaction (see [`Store::write`]).
pub struct Tx<'s> {
    conn: MutexGuard<'s, Connection>,
}

impl Tx<'_> {
    fn on(&self) -> On<'_> {
        On::In(&self.conn)
    }

    pub fn commit(self) -> Result<()> {
        self.conn.execute_batch("COMMIT")?;
        Ok(())
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}
all_handles!(Tx<'_>);

impl crate::bulk::Bulk<'_> {
    fn on(&self) -> On<'_> {
        On::In(&self.tx)
    }
}
all_handles!(crate::bulk::Bulk<'_>);

/// Reads on a connection of their own (see [`Store::snapshot`]).
pub struct Snapshot {
    conn: Connection,
}

impl Snapshot {
    fn on(&self) -> On<'_> {
        On::In(&self.conn)
    }
}
handles!(Snapshot;
    read {
        accounts: crate::accounts::Accounts<'_>,
        books: crate::books::Books<'_>,
        payouts: crate::payouts::Payouts<'_>,
        collections: crate::collections::Collections<'_>,
        audit: crate::audit::Audit<'_>,
    }
    write {}
);
