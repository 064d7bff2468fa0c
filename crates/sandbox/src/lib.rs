//! A faithful, stateful simulator of the provider APIs Guichet speaks to, written from the
//! providers' documents and independent of Guichet's own client code, so that it catches client
//! bugs instead of mirroring them.
//!
//! One listener serves every API at its documented paths (they do not collide), so an account's
//! host override `http://127.0.0.1:PORT` works for any provider:
//! - CinetPay Transfer: `POST /v1/auth/login`, `GET /v1/transfer/check/balance`,
//!   `POST /v1/transfer/contact`, `POST /v1/transfer/money/send/contact`, `GET /v1/transfer/check/money`
//! - My-CoolPay: `/api/{public_key}/payin`, `/payin/authorize`, `/paylink`, `/payout`,
//!   `/checkStatus[/{ref}]`, `/balance`
//! - CinetPay payment v1: `POST /v1/?method=getSignatureByPost|checkPayStatus|getTransHistory|
//!   getCompteStatus`, and the hosted payment form at `POST /`
//! - SOFTSYSTEM: `POST /api/paymentgateway`, `GET /api/getstatusgateway/{orderId}`
//! - the control API under `/_sandbox/` (see `control.rs`): seed, advance the clock, confirm
//!   held transfers, complete payments, set fault plans, read the ledger.
//!
//! Everything random (identifiers, faults, and which of the live services' several answers is
//! given: see [`Variants`]) comes from one seeded generator, so the same seed, fault plan and
//! request sequence give the same responses.

// Handlers return ready-made error responses from their validation helpers; boxing them would
// only add noise to code that runs once per simulated request.
#![allow(clippy::result_large_err)]

mod cinetpay_payment;
mod cinetpay_transfer;
mod control;
mod faults;
mod ledger;
mod mycoolpay;
mod notify;
mod pages;
mod server;
mod softsystem;
mod world;

pub use faults::{Fault, FaultRule};
pub use ledger::LedgerEntry;
pub use server::{DemoCredentials, Sandbox, SandboxConfig, SandboxHandle, Shared};
pub use world::{CallbackShape, ReturnUrls, Timings, Variants};
