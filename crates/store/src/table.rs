//! What a table's handles are: a read handle and a write handle (that reads too) on a
//! connection, each method the table module's function of the same name. Where handles are
//! taken from (the store, a lock, a transaction…) is the `handle` module's business.

use rusqlite::Connection;
use std::ops::Deref;
use std::sync::MutexGuard;

/// The connection a handle runs on: the shared one, locked for the handle's life, or one
/// borrowed from a lock, a transaction or a snapshot.
pub(crate) enum On<'a> {
    Locked(MutexGuard<'a, Connection>),
    In(&'a Connection),
}

impl Deref for On<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        match self {
            On::Locked(guard) => guard,
            On::In(conn) => conn,
        }
    }
}

/// Defines a table's read handle and write handle, each method calling the module's function of
/// the same name on the handle's connection. The write handle reads too.
macro_rules! table {
    ($(#[$doc:meta])* $read:ident;
     read { $($(#[$rm:meta])* fn $rf:ident($($ra:ident: $rt:ty),*) -> $rr:ty;)* }
    ) => {
        $(#[$doc])*
        pub struct $read<'a> {
            pub(crate) on: crate::table::On<'a>,
        }

        impl<'a> $read<'a> {
            pub(crate) fn on(on: crate::table::On<'a>) -> $read<'a> {
                $read { on }
            }

            $($(#[$rm])* pub fn $rf(&self, $($ra: $rt),*) -> $rr {
                $rf(&self.on, $($ra),*)
            })*
        }
    };
    ($(#[$doc:meta])* $read:ident, $write:ident;
     read { $($read_fns:tt)* }
     write { $($(#[$wm:meta])* fn $wf:ident($($wa:ident: $wt:ty),*) -> $wr:ty;)* }
    ) => {
        crate::table::table! {
            $(#[$doc])*
            $read;
            read { $($read_fns)* }
        }

        $(#[$doc])*
        /// This handle changes them too.
        pub struct $write<'a> {
            read: $read<'a>,
        }

        impl<'a> std::ops::Deref for $write<'a> {
            type Target = $read<'a>;

            fn deref(&self) -> &$read<'a> {
                &self.read
            }
        }

        impl<'a> $write<'a> {
            pub(crate) fn on(on: crate::table::On<'a>) -> $write<'a> {
                $write { read: $read { on } }
            }

            $($(#[$wm])* pub fn $wf(&self, $($wa: $wt),*) -> $wr {
                $wf(&self.read.on, $($wa),*)
            })*
        }
    };
}
pub(crate) use table;
