//! The simulated providers' state, behind one mutex. Time is the wall clock plus an offset that
//! tests move forward, so tokens expire and transfers progress without waiting.

use crate::faults::FaultPlan;
use crate::ledger::LedgerEntry;
use crate::notify::Notification;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::{SystemTime, UNIX_EPOCH};

/// How long simulated operations take, in milliseconds of (virtual) time.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Timings {
    /// From accepted (NEW / CREATED) to in progress (REC / PENDING).
    pub accept_to_progress_ms: i64,
    /// From in progress to final (VAL or REJ / SUCCESS or FAILED).
    pub progress_to_final_ms: i64,
    /// CinetPay token lifetime (5 minutes per the document).
    pub token_ttl_ms: i64,
    /// My-CoolPay payins complete by themselves after this long when set (demo mode); otherwise
    /// they wait for the control API.
    pub payin_auto_complete_ms: Option<i64>,
}

impl Timings {
    /// Payouts and collections settled by the time anyone looks: what tests and benches measure
    /// is the client and the round trips, not a simulated operator's delay.
    pub fn settled() -> Timings {
        Timings {
            accept_to_progress_ms: 0,
            progress_to_final_ms: 0,
            ..Default::default()
        }
    }
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            accept_to_progress_ms: 1_000,
            progress_to_final_ms: 2_000,
            token_ttl_ms: 5 * 60 * 1000,
            payin_auto_complete_ms: None,
        }
    }
}

/// How a My-CoolPay callback travels. The document lists its fields without saying how they are
/// encoded; the SDK's own handler reads a JSON body (amounts as numbers), and receivers written
/// from the document read a form: the real service has been seen both ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallbackShape {
    /// `application/x-www-form-urlencoded`, every value a string.
    Form,
    /// `application/json`, amount and fees as numbers.
    Json,
    /// Each callback one or the other, drawn from the seeded generator.
    Either,
}

/// Where the real services answer in more than one way, which way the sandbox answers. Every
/// draw comes from the seeded generator, so a seed gives the same answers on every run.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Variants {
    pub mycoolpay_callbacks: CallbackShape,
    /// Share (0 to 1) of My-CoolPay payouts the operator settles before My-CoolPay answers:
    /// those answer HTTP 200 (done); the others HTTP 202 (pending, still `CREATED`). A payout
    /// whose timings are zero is always settled at once.
    pub mycoolpay_instant_payouts: f64,
    /// My-CoolPay's fee on a transaction, in hundredths of a percent of its amount, rounded up to
    /// whole francs. The document reports `transaction_fees` without a rate.
    pub mycoolpay_fee_basis_points: i64,
}

impl Default for Variants {
    fn default() -> Self {
        Variants {
            mycoolpay_callbacks: CallbackShape::Either,
            mycoolpay_instant_payouts: 0.0,
            mycoolpay_fee_basis_points: 200,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CinetpayTransfer {
    pub transaction_id: String,
    pub client_transaction_id: String,
    pub lot: String,
    pub prefix: String,
    pub phone: String,
    pub amount: i64,
    pub operator: String,
    pub notify_url: String,
    pub created_ms: i64,
    /// When the merchant confirmed it (immediately unless confirmation is required).
    pub confirmed_ms: Option<i64>,
    pub treatment_status: String,
    pub sending_status: String,
    /// Decided at acceptance: this transfer will end rejected.
    pub will_reject: bool,
    pub validated_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CinetpayContact {
    pub prefix: String,
    pub phone: String,
    pub name: String,
    pub surname: String,
    pub email: String,
    pub lot: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CinetpayMerchant {
    pub apikey: String,
    pub password: String,
    pub site_id: String,
    /// Total transfer balance in francs; `in_using` is held by transfers not final yet.
    pub balance: i64,
    pub in_using: i64,
    /// Transfers wait (NOS, sending_status PENDING) for the merchant's e-mail confirmation
    /// unless the merchant's IP is whitelisted.
    pub require_confirmation: bool,
    pub contacts: BTreeMap<(String, String), CinetpayContact>,
    /// Every transfer, in the order accepted; added through [`CinetpayMerchant::add`], which
    /// keeps the indexes below (each request looks only at what it asks for, as a database
    /// would, so a merchant's history does not slow every call).
    pub transfers: Vec<CinetpayTransfer>,
    /// Positions in `transfers` by `client_transaction_id` (checked for every order sent), by
    /// `transaction_id` and by lot.
    #[serde(skip)]
    pub by_client_id: HashMap<String, Vec<usize>>,
    #[serde(skip)]
    pub by_id: HashMap<String, usize>,
    #[serde(skip)]
    pub by_lot: HashMap<String, Vec<usize>>,
    /// Positions of the transfers not final yet: the only ones time moves along.
    #[serde(skip)]
    pub open: BTreeSet<usize>,
    /// Phone numbers whose transfers the operator rejects.
    pub reject_phones: BTreeSet<String>,
    /// Phone numbers CinetPay refuses as contacts (804, operator not supported).
    pub refuse_contacts: BTreeSet<String>,
    /// Phone numbers whose transfer orders get an answer that is neither a success nor a
    /// documented refusal (see [`OddItem`]).
    #[serde(skip)]
    pub odd_items: BTreeMap<String, OddItem>,
    pub login_times: Vec<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct McpTransaction {
    pub transaction_ref: String,
    pub app_transaction_ref: String,
    pub operator_transaction_ref: String,
    pub transaction_type: String,
    pub amount: i64,
    pub fees: i64,
    pub currency: String,
    pub operator: String,
    pub status: String,
    pub reason: String,
    pub message: String,
    pub phone: String,
    pub created_ms: i64,
    /// For payins: when the customer confirmed (or the OTP step passed).
    pub started_ms: Option<i64>,
    pub otp: Option<String>,
    pub will_fail: bool,
    pub paylink: bool,
    /// The query string the merchant put on the paylink request (at most 255 characters), added
    /// to the URL the customer is sent back to.
    pub return_params: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct McpMerchant {
    pub public_key: String,
    pub private_key: String,
    pub balance: i64,
    pub callback_url: Option<String>,
    /// Every transaction, in creation order; add them with [`McpMerchant::add`].
    pub transactions: Vec<McpTransaction>,
    /// Where the transactions not final yet are in `transactions`: the only ones time can move,
    /// so that moving them does not walk the whole history on every request.
    #[serde(skip)]
    pub open: BTreeSet<usize>,
    /// Where each transaction is in `transactions`, by My-CoolPay's reference, and the merchant's
    /// references already used: looked up on every request, so not by walking the history.
    #[serde(skip)]
    pub by_ref: HashMap<String, usize>,
    #[serde(skip)]
    pub app_refs: HashSet<String>,
    /// Phone numbers already authenticated by My-CoolPay: a payin from any other one needs an OTP.
    pub authenticated_phones: BTreeSet<String>,
    pub fail_phones: BTreeSet<String>,
    /// Where the checkout page sends the customer once they have paid, cancelled, or failed
    /// (set on the application in My-CoolPay's back-office).
    pub return_urls: ReturnUrls,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReturnUrls {
    pub success: Option<String>,
    pub cancel: Option<String>,
    pub failure: Option<String>,
}

impl CinetpayMerchant {
    pub fn add(&mut self, t: CinetpayTransfer) {
        let i = self.transfers.len();
        if !t.client_transaction_id.is_empty() {
            self.by_client_id
                .entry(t.client_transaction_id.clone())
                .or_default()
                .push(i);
        }
        self.by_id.insert(t.transaction_id.clone(), i);
        self.by_lot.entry(t.lot.clone()).or_default().push(i);
        if !t.is_final() {
            self.open.insert(i);
        }
        self.transfers.push(t);
    }

    /// The transfers at these positions.
    pub fn at<'a>(&'a self, positions: &'a [usize]) -> impl Iterator<Item = &'a CinetpayTransfer> {
        positions.iter().map(|&i| &self.transfers[i])
    }
}

impl CinetpayTransfer {
    pub fn is_final(&self) -> bool {
        matches!(self.treatment_status.as_str(), "VAL" | "REJ")
    }
}

impl McpMerchant {
    pub fn add(&mut self, tx: McpTransaction) {
        let i = self.transactions.len();
        self.open.insert(i);
        self.by_ref.insert(tx.transaction_ref.clone(), i);
        self.app_refs.insert(tx.app_transaction_ref.clone());
        self.transactions.push(tx);
    }

    /// Where the transaction with this (My-CoolPay) reference is in `transactions`.
    pub fn position(&self, transaction_ref: &str) -> Option<usize> {
        self.by_ref.get(transaction_ref).copied()
    }

    pub fn find(&self, transaction_ref: &str) -> Option<&McpTransaction> {
        self.position(transaction_ref)
            .map(|i| &self.transactions[i])
    }

    /// Whether a transaction already carries this merchant reference.
    pub fn app_ref_used(&self, app_transaction_ref: &str) -> bool {
        self.app_refs.contains(app_transaction_ref)
    }
}

/// An answer for one transfer order that is neither `0` nor a documented refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OddItem {
    /// The item's code (`715`, `""`, a code no document lists); `None`: the order is missing
    /// from the answer altogether.
    pub code: Option<String>,
    /// Whether the order was executed all the same.
    pub executed: bool,
}

pub struct World {
    pub offset_ms: i64,
    pub rng: StdRng,
    pub timings: Timings,
    pub cinetpay: BTreeMap<String, CinetpayMerchant>,
    /// token → (apikey, expires at)
    pub tokens: HashMap<String, (String, i64)>,
    pub mycoolpay: BTreeMap<String, McpMerchant>,
    pub cinetpay_payments: Vec<crate::cinetpay_payment::Payment>,
    pub softsystem_tokens: BTreeSet<String>,
    pub softsystem_payments: Vec<crate::softsystem::Payment>,
    /// Add to it with [`World::book`].
    pub ledger: Vec<LedgerEntry>,
    /// Where each merchant's entries are in `ledger`, by the provider's reference.
    ledger_at: HashMap<String, HashMap<String, usize>>,
    pub faults: FaultPlan,
    pub outbox: Vec<Notification>,
    /// Every notification is sent this many times (duplicates are part of the providers' reality).
    pub notification_copies: u32,
    /// Shuffle each batch of notifications before sending.
    pub reorder_notifications: bool,
    /// Answer lists (CinetPay contact, send and lot results) in shuffled order: their order is
    /// undocumented, so clients must match items by their identifiers.
    pub shuffle_answers: bool,
    /// My-CoolPay executes a payout whose `app_transaction_ref` was used before, again (document
    /// 000 does not promise that it refuses one): a client that re-sends shows as paying twice.
    pub mycoolpay_executes_reused_refs: bool,
    /// Public base URL of this sandbox, for checkout links.
    pub base_url: String,
    pub variants: Variants,
    seq: u64,
}

impl World {
    pub fn new(seed: u64, timings: Timings) -> World {
        World {
            offset_ms: 0,
            rng: StdRng::seed_from_u64(seed),
            timings,
            cinetpay: BTreeMap::new(),
            tokens: HashMap::new(),
            mycoolpay: BTreeMap::new(),
            cinetpay_payments: Vec::new(),
            softsystem_tokens: BTreeSet::new(),
            softsystem_payments: Vec::new(),
            ledger: Vec::new(),
            ledger_at: HashMap::new(),
            faults: FaultPlan::default(),
            outbox: Vec::new(),
            notification_copies: 1,
            reorder_notifications: false,
            shuffle_answers: false,
            mycoolpay_executes_reused_refs: false,
            base_url: String::new(),
            variants: Variants::default(),
            seq: 0,
        }
    }

    pub fn now_ms(&self) -> i64 {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        wall + self.offset_ms
    }

    /// Records a money movement the provider executed.
    pub fn book(&mut self, entry: LedgerEntry) {
        self.ledger_at
            .entry(entry.merchant.clone())
            .or_default()
            .insert(entry.provider_ref.clone(), self.ledger.len());
        self.ledger.push(entry);
    }

    /// The ledger entry of a merchant's transaction, by the provider's reference.
    pub fn booked(&mut self, merchant: &str, provider_ref: &str) -> Option<&mut LedgerEntry> {
        let i = *self.ledger_at.get(merchant)?.get(provider_ref)?;
        self.ledger.get_mut(i)
    }

    /// A fresh identifier: a counter (unique) plus seeded letters (realistic looking).
    pub fn next_id(&mut self, prefix: &str) -> String {
        self.seq += 1;
        let letter = (b'A' + self.rng.random_range(0..26u8)) as char;
        let n: u32 = self.rng.random_range(100_000..999_999);
        format!("{prefix}{:06}.{letter}{n}", self.seq)
    }

    pub fn next_digits(&mut self, len: usize) -> String {
        self.seq += 1;
        let mut s = format!("{:08}", self.seq);
        while s.len() < len {
            s.push(char::from(b'0' + self.rng.random_range(0..10u8)));
        }
        s
    }

    /// Puts an answer list in a (seeded) random order when `shuffle_answers` is on.
    pub fn maybe_shuffle<T>(&mut self, items: &mut [T]) {
        if self.shuffle_answers {
            use rand::seq::SliceRandom;
            items.shuffle(&mut self.rng);
        }
    }

    pub fn chance(&mut self, probability: f64) -> bool {
        probability > 0.0 && self.rng.random_bool(probability.min(1.0))
    }

    /// The world clock as CinetPay prints it: `2017-09-04 14:01:35`, UTC (Côte d'Ivoire's time).
    pub fn date_time(&self) -> String {
        date_time(self.now_ms())
    }
}

/// `2017-09-04 14:01:35` (UTC) for a time in milliseconds since the epoch.
pub fn date_time(ms: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

/// Operator of a phone number as CinetPay reports it.
pub fn operator_for(prefix: &str, phone: &str) -> &'static str {
    match (prefix, phone.get(..2)) {
        ("225", Some("07")) => "OM",
        ("225", Some("05")) => "MOMO",
        ("225", Some("01")) => "FLOOZ",
        ("237", Some("69")) => "OM",
        ("237", _) => "MOMO",
        _ => "UNKNOWN",
    }
}
