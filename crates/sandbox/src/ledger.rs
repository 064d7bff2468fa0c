//! Every money movement the simulated providers actually executed, once each, with the client's
//! reference: tests compare it with Guichet's books to prove nothing was paid twice or lost.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// `cinetpay_transfer`, `mycoolpay_payout`, `mycoolpay_payin`.
    pub kind: String,
    /// The merchant (CinetPay apikey or My-CoolPay public key).
    pub merchant: String,
    /// The client's reference (client_transaction_id / app_transaction_ref).
    pub reference: String,
    /// The provider's reference (transaction_id / transaction_ref).
    pub provider_ref: String,
    pub phone: String,
    pub amount: i64,
    pub accepted_ms: i64,
    /// `pending` until final, then `succeeded` or `failed`.
    pub outcome: String,
}
