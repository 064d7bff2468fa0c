//! The vocabulary every other Guichet crate shares. No I/O here.

pub mod money;
pub mod phone;
pub mod provider;
pub mod status;
pub mod text;

pub use money::{Amount, AmountError, AmountInput, Currency};
pub use provider::{Country, Provider};
pub use status::UnifiedStatus;
