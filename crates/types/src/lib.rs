//! The vocabulary every other Guichet crate shares. No I/O here.

pub mod money;
pub mod operator;
pub mod phone;
pub mod provider;
pub mod status;
pub mod text;

pub use money::{Amount, AmountError, AmountInput, Currency};
pub use operator::{network_of, operator_name};
pub use provider::{Country, Provider};
pub use status::UnifiedStatus;
