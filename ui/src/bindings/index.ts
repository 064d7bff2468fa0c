// Generated from the Rust types by crates/core/tests/bindings.rs. Do not edit.

export type Amount = number;

export type AmountInput = number | string;

export type Provider = "cinetpay" | "mycoolpay" | "softsystem";

export type Country = "CI" | "CM";

export type Currency = "XOF" | "XAF";

export type UnifiedStatus = "queued" | "submitting" | "pending" | "awaiting_confirmation" | "awaiting_customer" | "succeeded" | "failed" | "rejected" | "cancelled" | "outcome_unknown";

export type SecretState = { name: string, set: boolean, 
/**
 * The environment variable this secret is read from right now (it wins over the keyring),
 * if one is set.
 */
environment: string | null, };

export type AccountView = { secrets: Array<SecretState>, id: number, created_at: string, updated_at: string, label: string, provider: Provider, currency: Currency, country: Country, site_id: string | null, public_key: string | null, client_reference: string | null, notify_url: string | null, base_url: string | null, low_balance_threshold: number | null, 
/**
 * Created by the demo mode against the built-in sandbox.
 */
sandbox: boolean, };

export type CallbackCheck = "signed" | "ask_provider";

export type Capabilities = { pays_out: boolean, 
/**
 * A balance can be read (SOFTSYSTEM has no balance call).
 */
balance: boolean, 
/**
 * Payouts go only to numbers in the account's contact list, which Guichet pushes.
 */
contacts: boolean, 
/**
 * A payout whose answer was lost can be looked up by Guichet's own reference.
 */
looks_up_own_reference: boolean, collection_kinds: Array<CollectionKind>, callback: CallbackCheck, };

export type ProviderInfo = { provider: Provider, display_name: string, 
/**
 * The identifier field this provider requires (`site_id`, `public_key`, `client_reference`).
 */
id_field: string, secrets: Array<string>, default_currency: Currency, default_country: Country, 
/**
 * What it can do: the screens decide by these, never by the provider's name.
 */
capabilities: Capabilities, };

export type AccountForm = { label?: string, provider?: Provider, currency?: Currency, country?: Country, site_id?: string, public_key?: string, client_reference?: string, notify_url?: string, base_url?: string, 
/**
 * In an edit, a negative number clears it.
 */
low_balance_threshold?: number, secrets: { [key in string]: string }, };

export type CoreEvent = { "kind": "progress", task: string, done: number, total: number, } | { "kind": "accounts_changed" } | { "kind": "payout_status", id: number, reference: string, status: UnifiedStatus, is_final: boolean, 
/**
 * The batch it belongs to: the app notifies once per batch, not once per payout.
 */
batch_id: number | null, 
/**
 * What the merchant reads: the amount, to whom (name, number as `+2250708123456`).
 */
amount: Amount, name: string, phone: string, } | { "kind": "batch_finished", batch_id: number, succeeded: number, 
/**
 * Failed, rejected or cancelled.
 */
failed: number, outcome_unknown: number, } | { "kind": "collection_status", id: number, reference: string, status: UnifiedStatus, is_final: boolean, 
/**
 * What the merchant reads: the amount and the customer, when known.
 */
amount: Amount, name: string | null, phone: string | null, } | { "kind": "balances_read" } | { "kind": "approval_waiting", 
/**
 * A batch or a single payout (`kind` names the event itself).
 */
what: Kind, 
/**
 * The approval request's number (`guichet batch approve ID`).
 */
id: number, 
/**
 * Who prepared it.
 */
preparer: string, count: number, total: Amount, account: string, } | { "kind": "batch_leaving", batch_id: number, what: NoticeKind, late_minutes: number | null, missing: Amount | null, } | { "kind": "low_balance", account: string, balance: string, amount: string, threshold: number, };

export type PayoutInput = { phone: string, amount: number, name: string, reason: string, 
/**
 * My-CoolPay only: `MCP` to pay a My-CoolPay wallet; otherwise told from the number.
 */
operator: string | null, };

export type PayoutRow = { id: number, account_id: number, batch_id: number | null, reference: string, prefix: string, phone: string, name: string, operator: string | null, reason: string, amount: Amount, currency: string, status: UnifiedStatus, provider_ref: string | null, lot: string | null, provider_status: string | null, status_detail: string | null, created_at: string, updated_at: string, submitted_at: string | null, final_at: string | null, next_check_at: string | null, checks: number, 
/**
 * The merchant's own reference (from a batch file), empty when none.
 */
merchant_reference: string, };

export type HistoryRow = { payout_id: number, id: number, at: string, status: UnifiedStatus, provider_status: string | null, event: string, detail: string, };

export type PayoutDetail = { payout: PayoutRow, history: Array<HistoryRow>, };

export type SyncReport = { submitted: number, resolved: number, checked: number, 
/**
 * Payouts not final yet (outcome-unknown ones excepted: they wait for the merchant).
 */
pending: number, outcome_unknown: number, 
/**
 * When the earliest pending payout or collection is due for its next check.
 */
next_check_at: string | null, 
/**
 * Collections asked about in this pass, and those still waiting for their customer.
 */
collections_checked: number, collections_pending: number, 
/**
 * Batches that were to leave later, checked in this pass: sent, held, waiting,
 * cancelled.
 */
batches: Array<BatchNotice>, 
/**
 * When the next scheduled batch leaves, or a held one is checked again.
 */
next_batch_at: string | null, };

export type BatchLine = { 
/**
 * The row's number as the spreadsheet shows it.
 */
line: number, phone: string, amount: AmountInput, name: string, reference: string, reason: string, operator: string, currency: string, 
/**
 * Cells that could not give a value (a formula error…), as the reader described them.
 */
problems: Array<RowIssue>, 
/**
 * The row is the file's own total (`TOTAL`, `Sous-total`, `Total général`, no phone):
 * its label. It is set aside and compared with the rows, never paid.
 */
total_label: string | null, 
/**
 * A failed payout this row pays again (see `retry.rs`): linked to it when queued.
 */
retry_of?: RetryOf, };

export type RowIssue = { 
/**
 * `phone`, `amount`, `operator`, `currency`.
 */
column: string, 
/**
 * `phone`, `amount`, `amount_bounds`, `amount_multiple`, `operator`, `currency`,
 * `duplicate_in_file`, `duplicate_recent`, `new_beneficiary`, `name_changed`.
 */
code: string, message: string, 
/**
 * What the issue is about as the merchant wrote it (`1 229,125`), for the screens to word
 * the code in their language; empty when the code says it all.
 */
value: string, 
/**
 * `name_changed`: the name and date of the number's latest paid payout (`value` holds the
 * name given here).
 */
paid_before?: PaidBefore, };

export type PaidBefore = { name: string, 
/**
 * RFC 3339 UTC.
 */
at: string, };

export type RetryCorrection = { 
/**
 * The failed or rejected payout corrected.
 */
payout_id: number, 
/**
 * The number to pay instead, as typed (read with the account's country, like a file's).
 */
phone?: string, 
/**
 * The amount to pay instead, as typed or as the file holds it (the one amount reader).
 */
amount?: AmountInput, };

export type RetryOf = { batch_id: number, payout_id: number, reference: string, 
/**
 * The number it was sent to (international form): the row's may be a corrected one.
 */
phone: string, 
/**
 * `failed` or `rejected`.
 */
status: UnifiedStatus, amount: Amount, 
/**
 * The provider's words for the failure, as recorded (its status detail, else its status).
 */
why: string, };

export type AmountReading = { amount: Amount | null, issue: RowIssue | null, };

export type PayoutDraft = { 
/**
 * The number as stored (`+2250708123456`) once it is valid.
 */
phone: string | null, 
/**
 * The operator the money goes to (`OM`, `MOMO`, `FLOOZ`; My-CoolPay's `CM_OM`, `CM_MOMO`,
 * `MCP`), told from the number or the choice.
 */
operator: string | null, amount: Amount | null, 
/**
 * Every problem, by column and code with the value at fault (as a batch row's).
 */
issues: Array<RowIssue>, 
/**
 * Worth a look before confirming, never blocking: a number this account never paid
 * (`new_beneficiary`), or paid before under another name than the one typed
 * (`name_changed`).
 */
warnings: Array<RowIssue>, 
/**
 * The name of the account's contact with this number, if there is one.
 */
contact_name: string | null, 
/**
 * The balance payouts leave from, in whole francs, and when it was read (latest reading;
 * a live one when `live` was asked).
 */
balance: Amount | null, balance_read_at: string | null, 
/**
 * The balance once this payout has left.
 */
balance_after: number | null, };

export type ProviderFailure = "credentials" | "insufficient_balance" | "rate_limited" | "unavailable" | "refused";

export type Invalid = { "why": "required" } | { "why": "too_long", max: number, } | { "why": "too_short", min: number, } | { "why": "batch_under_way", batch: number, } | { "why": "not_a_phone_on_line", line: number, value: string, } | { "why": "phone_twice", line: number, first: number, phone: string, } | { "why": "not_to_repay", line: number, phone: string, } | { "why": "not_a_failure", payout: number, } | { "why": "no_correction_column" } | { "why": "unreadable_cell", line: number, column: string, } | { "why": "at_least", min: number, } | { "why": "range", min: number, max: number, } | { "why": "not_url", value: string, } | { "why": "not_email", value: string, } | { "why": "not_ip_address", value: string, } | { "why": "not_date", value: string, } | { "why": "not_date_time", value: string, } | { "why": "in_the_past", value: string, } | { "why": "end_before_start" } | { "why": "too_many_days", max: number, } | { "why": "not_a_choice", value: string, } | { "why": "wrong_provider", account: string, } | { "why": "provider_fixed" } | { "why": "secrets_again" } | { "why": "label_clash", other: string, } | { "why": "cameroon_only" } | { "why": "digits_only" } | { "why": "wrong_state", reference: string, } | { "why": "link_refused" } | { "why": "unreadable" };

export type ErrorCode = { "code": "invalid_input", "params": { field: string, why: Invalid, } } | { "code": "row", "params": { issue: RowIssue, } } | { "code": "not_found", "params": { what: string, key: string, } } | { "code": "duplicate", "params": { what: string, key: string, } } | { "code": "account_in_use", "params": { label: string, } } | { "code": "cannot_pay_out", "params": { provider: Provider, } } | { "code": "notify_url_needed", "params": { account: string, } } | { "code": "sms_code_refused", "params": { answer: string, } } | { "code": "no_balance_call" } | { "code": "provider_error", "params": { failure: ProviderFailure, answer: string, } } | { "code": "insufficient_balance" } | { "code": "batch_already_sent" } | { "code": "file_changed" } | { "code": "nothing_to_send" } | { "code": "balance_unavailable" } | { "code": "total_too_large" } | { "code": "keyring_unavailable" } | { "code": "keyring_locked" } | { "code": "secret_missing" } | { "code": "keyring_error" } | { "code": "database_corrupt" } | { "code": "database_too_new" } | { "code": "database_error" } | { "code": "io_error" } | { "code": "file_unreadable" } | { "code": "file_empty" } | { "code": "file_no_rows" } | { "code": "file_too_large" } | { "code": "file_too_many_rows" } | { "code": "file_too_many_columns" } | { "code": "file_not_spreadsheet" } | { "code": "file_unsafe" } | { "code": "file_bad_row" } | { "code": "sheet_missing" } | { "code": "sheet_ambiguous" } | { "code": "column_missing" } | { "code": "column_ambiguous" } | { "code": "column_unknown" } | { "code": "open_failed" } | { "code": "internal" } | { "code": "awaiting_approval" } | { "code": "not_allowed" } | { "code": "approver_is_preparer" } | { "code": "already_decided" } | { "code": "approval_refused" } | { "code": "last_owner" } | { "code": "nobody_signed_in" } | { "code": "not_awaiting_approval" } | { "code": "not_unsent" } | { "code": "pin_needed" } | { "code": "pin_wait" } | { "code": "request_changed" } | { "code": "who_is_working" } | { "code": "wrong_pin" } | { "code": "batch_not_waiting" };

export type FileTotal = { line: number, 
/**
 * `TOTAL`, `Sous-total`… as written.
 */
label: string, 
/**
 * The total the file states; `None` when its cell is not an amount.
 */
stated: Amount | null, 
/**
 * Rows it covers that will be paid, and their sum.
 */
to_pay: Amount, 
/**
 * Rows it covers that are left out for errors (those whose amount reads), and their sum.
 */
left_out: Amount, 
/**
 * `stated = to_pay + left_out`.
 */
matches: boolean, 
/**
 * In words, amounts as the screens write them: `file total 3 622 500 XOF = to pay
 * 3 502 500 XOF + left out 120 000 XOF`.
 */
message: string, };

export type RememberedColumns = { columns: Array<ColumnChoice>, 
/**
 * UTC, when they were last used.
 */
chosen_at: string, };

export type BatchColumns = { info: TableInfo, remembered: RememberedColumns | null, };

export type PreviewRow = { line: number, 
/**
 * `+2250707123456` when the number is valid, else as written.
 */
phone: string, amount: Amount | null, name: string, reference: string, reason: string, 
/**
 * The operator the money goes to (`OM`, `MOMO`, `FLOOZ`; `MCP`, `CM_MOMO`, `CM_OM`).
 */
operator: string, 
/**
 * The row is left out while it has errors.
 */
errors: Array<RowIssue>, warnings: Array<RowIssue>, 
/**
 * CinetPay: the number is not a contact of the account yet; it is added before the payout
 * is sent (a payout to a number that is not a contact is refused).
 */
new_contact: boolean, 
/**
 * The failed payout this row pays again, and why it failed.
 */
retry_of: RetryOf | null, };

export type OperatorTotal = { operator: string, count: number, total: Amount, };

export type BatchBlocker = { 
/**
 * `nothing_to_send`, `batch_already_sent`, `insufficient_balance`, `balance_unavailable`.
 */
code: string, message: string, };

export type BatchRow = { id: number, account_id: number, file_name: string, file_sha256: string, sheet: string | null, 
/**
 * Payouts queued from the file.
 */
row_count: number, total: Amount, 
/**
 * Rows left out because of errors.
 */
skipped: number, created_at: string, confirmed_at: string | null, 
/**
 * The balance payouts are paid from, as the provider reported it just before sending.
 */
balance_before: string | null, 
/**
 * The same balance read once every payout of the batch was sent.
 */
balance_after: string | null, balance_after_at: string | null, };

export type BatchPreview = { account: string, provider: Provider, currency: Currency, file_name: string, sheet: string | null, 
/**
 * No sheet was asked: this one was found as the one whose columns are recognised.
 */
sheet_found: boolean, file_sha256: string, rows: Array<PreviewRow>, 
/**
 * The file's own total rows, set aside and compared with its rows.
 */
file_totals: Array<FileTotal>, 
/**
 * The columns were read as chosen before for this header layout.
 */
remembered: RememberedColumns | null, 
/**
 * Made from a payee list: who was added and left out against it.
 */
list: ListChanges | null, 
/**
 * Payouts that will be sent, and their total.
 */
count: number, total: Amount, 
/**
 * Rows left out because of errors.
 */
skipped: number, 
/**
 * Rows sent but worth a look (possible duplicates, a number paid before under another
 * name).
 */
warned: number, 
/**
 * Rows to numbers this account never paid, and to numbers paid before under another name.
 */
new_beneficiaries: number, names_changed: number, per_operator: Array<OperatorTotal>, 
/**
 * CinetPay: numbers of the batch to add as contacts before anything is sent.
 */
contacts_to_add: number, 
/**
 * The balance payouts are paid from, read just now, as the provider wrote it.
 */
balance_available: string | null, 
/**
 * What should remain once the batch is paid.
 */
balance_after: Amount | null, 
/**
 * An earlier batch made from a file with the same content.
 */
earlier_batch: BatchRow | null, blockers: Array<BatchBlocker>, };

export type StatusCount = { status: UnifiedStatus, count: number, };

export type BatchDetail = { batch: BatchRow, account: string, currency: string, counts: Array<StatusCount>, 
/**
 * Payouts not final yet (outcome-unknown ones included: they wait for the merchant).
 */
open: number, 
/**
 * Payouts that ended failed or rejected and were not paid again yet (`retry_failed`).
 */
repayable: number, 
/**
 * The fees the provider reported for the batch's payouts (My-CoolPay), in whole francs…
 */
fees: Amount, 
/**
 * …and how many payouts reported one (0: none reported, CinetPay reports none).
 */
fees_reported: number, 
/**
 * When it leaves, if not at its confirmation: scheduled, waiting for funds, or how it
 * left or was cancelled.
 */
plan: BatchPlan | null, };

export type BatchPlan = { batch_id: number, state: PlanState, 
/**
 * When it leaves (RFC 3339, UTC); `None` for a batch held since its confirmation.
 */
send_at: string | null, when_short: WhenShort, 
/**
 * Held: the whole francs the balance lacked at the last reading.
 */
missing: number | null, 
/**
 * The last time it was checked against the balance.
 */
checked_at: string | null, 
/**
 * Why it still waits though its time came (`awaiting_approval`, `needs_review`,
 * `balance_unavailable`), or why it was cancelled; `note` says it in English.
 */
note_code: string | null, note: string | null, released_at: string | null, cancelled_at: string | null, };

export type PlanState = "scheduled" | "held" | "released" | "cancelled";

export type WhenShort = "refuse" | "hold";

export type SendPlan = { 
/**
 * A date and time of this machine's clock (`2026-12-25 08:00`); none: now.
 */
at?: string, 
/**
 * When the balance does not cover it: refuse (the default) or wait for the funds.
 */
when_short: WhenShort, };

export type BatchNotice = { batch_id: number, account: string, kind: NoticeKind, 
/**
 * When it was to leave (RFC 3339, UTC), if scheduled.
 */
send_at: string | null, 
/**
 * How late it left, in whole minutes, when Guichet was not running at its time.
 */
late_minutes: number | null, 
/**
 * The whole francs the balance lacks (held, cancelled).
 */
missing: Amount | null, 
/**
 * Why it waits or was cancelled (`insufficient_balance`, `awaiting_approval`,
 * `needs_review`, `balance_unavailable`).
 */
code: string | null, 
/**
 * The notice in English, for the command line and the event log.
 */
message: string, };

export type NoticeKind = "sent" | "held" | "waiting" | "cancelled";

export type BalanceSnapshot = { id: number, account_id: number, taken_at: string, kind: string, amount: string, available: string | null, in_use: string | null, currency: string, };

export type AccountBalances = { account: string, snapshots: Array<BalanceSnapshot>, 
/**
 * Why a balance could not be read, in words.
 */
error: string | null, 
/**
 * The same, as a code with its parameters, for the screens to word.
 */
problem: ErrorCode | null, 
/**
 * At least one balance is below the account's threshold.
 */
low: boolean, 
/**
 * Batches of the account waiting for funds (or for their time) checked at this reading.
 */
batches: Array<BatchNotice>, };

export type AccountTest = { account: string, ok: boolean, 
/**
 * `ok`, `credentials`, `unreachable`, `other`: the UI words it.
 */
code: string, message: string, 
/**
 * What was asked of the provider, in words.
 */
checked: string, 
/**
 * The environment variables the secrets were read from (they win over the keyring).
 */
environment: Array<string>, };

export type PageRequest = { 
/**
 * The cursor: `next` of the previous page; none for the first page.
 */
before_id?: number, 
/**
 * 0 means [`DEFAULT_LIMIT`]; above [`MAX_LIMIT`] is capped.
 */
limit: number, };

export type Page<T> = { rows: Array<T>, next: number | null, };

export type PayoutFilter = { account?: string, status?: UnifiedStatus, batch_id?: number, };

export type EventRow = { id: number, at: string, kind: string, account_id: number | null, subject: string | null, 
/**
 * JSON object; never contains a secret (callers pass identifiers and outcomes only).
 */
detail: string, };

export type EventFilter = { 
/**
 * The parts of the kind before the dot to keep (`payout`, `batch`, `collection`,
 * `collections`, `contacts`, `account`, `reconciliation`); empty keeps every kind.
 */
kinds: Array<string>, 
/**
 * An account's label.
 */
account?: string, 
/**
 * First and last day (`2026-12-06`, UTC), both included.
 */
from?: string, to?: string, };

export type BalancePoint = { taken_at: string, 
/**
 * Exactly as the provider wrote it (`"865.4"`).
 */
amount: string, 
/**
 * Whole francs of `amount` (decimals dropped), for drawing.
 */
francs: Amount, };

export type BalanceSeries = { 
/**
 * `transfer`, `account`, `service` (CinetPay), `wallet` (My-CoolPay).
 */
kind: string, points: Array<BalancePoint>, };

export type AccountSummary = { label: string, provider: Provider, currency: Currency, sandbox: boolean, 
/**
 * Each balance kind with its latest readings, oldest first.
 */
balances: Array<BalanceSeries>, open_payouts: number, open_payouts_total: Amount, open_collections: number, open_collections_total: Amount, };

export type DayTotals = { currency: string, paid_out: Amount, payouts: number, collected: Amount, collections: number, };

export type ToDoKind = "unknown_payouts" | "failed_payouts" | "low_balance" | "stale_collections";

export type ToDo = { kind: ToDoKind, account: string, 
/**
 * How many payouts or collections; 1 for a low balance.
 */
count: number, 
/**
 * Their total, or the balance that is low.
 */
amount: Amount, 
/**
 * The threshold a low balance is under.
 */
threshold: Amount | null, };

export type Dashboard = { accounts: Array<AccountSummary>, 
/**
 * Since `since`, per currency; a currency with nothing done is absent.
 */
today: Array<DayTotals>, since: string, 
/**
 * What needs the merchant, most urgent first ("À traiter").
 */
to_do: Array<ToDo>, };

export type Settings = { 
/**
 * `fr` (default) or `en`.
 */
language: string, 
/**
 * Desktop notifications for final payout outcomes (on by default).
 */
notifications: boolean, 
/**
 * Where the database lives (shown, and opened in the file manager).
 */
data_dir: string, };

export type CollectionKind = "payin" | "paylink" | "softsystem" | "cinetpay";

export type CollectionInput = { amount: number, reason: string, phone: string | null, name: string | null, email: string | null, 
/**
 * SOFTSYSTEM only: Wave, Moov, MTN or Orange (told from the number when absent; Wave
 * cannot be told and must be chosen).
 */
channel: string | null, };

export type CollectionRow = { id: number, account_id: number, kind: CollectionKind, 
/**
 * Ours: `app_transaction_ref`, SOFTSYSTEM `orderId`, CinetPay `cpm_trans_id`.
 */
reference: string, 
/**
 * The provider's: My-CoolPay `transaction_ref`, CinetPay `cpm_payid`.
 */
provider_ref: string | null, amount: Amount, currency: string, phone: string | null, name: string | null, email: string | null, reason: string, status: UnifiedStatus, provider_status: string | null, 
/**
 * The page where the customer pays (paylink, SOFTSYSTEM; a local page for CinetPay).
 */
link: string | null, 
/**
 * The USSD code the customer dials (My-CoolPay payin).
 */
ussd: string | null, signature: string | null, created_at: string, updated_at: string, final_at: string | null, next_check_at: string | null, checks: number, 
/**
 * Found in the provider's history rather than created by Guichet.
 */
imported: boolean, };

export type CollectionHistoryRow = { collection_id: number, id: number, at: string, status: UnifiedStatus, provider_status: string | null, event: string, detail: string, };

export type CollectionDetail = { collection: CollectionRow, account: string, history: Array<CollectionHistoryRow>, 
/**
 * The text to send the customer: amount, reason and where to pay.
 */
share_text: string | null, };

export type HistoryReport = { account: string, 
/**
 * Transactions CinetPay listed between the dates.
 */
fetched: number, 
/**
 * Added to the collections (not created by Guichet).
 */
imported: number, 
/**
 * Collections of Guichet's whose status changed.
 */
updated: number, pages: number, };

export type CallbackOutcome = { 
/**
 * `mycoolpay`, `cinetpay`, `cinetpay_transfer`, `softsystem`, or `unknown`.
 */
provider: string, 
/**
 * `OK` or `KO`: the answer the provider gets.
 */
answer: string, 
/**
 * Why, in words (`signature matches`, `wrong source address 1.2.3.4`…).
 */
reason: string, reference: string | null, 
/**
 * Whether this delivery changed a payout or collection.
 */
changed: boolean, };

export type CallbackRow = { id: number, received_at: string, provider: string, account_id: number | null, 
/**
 * The sender's address (`pasted` for a body checked by hand).
 */
source: string, reference: string | null, 
/**
 * `ok`, `changed`, `unchanged`, or `ko: <reason>`.
 */
verdict: string, body: string, };

export type Automation = { 
/**
 * The hour (0–23, the merchant's own time) of the daily balance check; `None`: only when
 * Guichet starts.
 */
balance_check_hour: number | null, 
/**
 * The merchant's offset from UTC, in minutes, when the hour was chosen.
 */
utc_offset_minutes: number, 
/**
 * Run the local callback receiver.
 */
callback_receiver: boolean, callback_port: number, 
/**
 * The address of the reverse proxy in front of the receiver, whose `X-Forwarded-For` is
 * then believed (from that address only); `None`: no proxy is trusted.
 */
trust_proxy: string | null, };

export type AutomationState = { settings: Automation, 
/**
 * Where the receiver listens, when it runs.
 */
receiver: string | null, 
/**
 * Why the receiver could not start.
 */
error: string | null, 
/**
 * This data folder's hard-to-guess callback path (`/<path>` after the tunnel's address).
 */
callback_path: string, };

export type Field = "phone" | "prefix" | "name" | "surname" | "email" | "operator" | "amount" | "reference" | "reason" | "new_phone";

export type Format = "csv" | "xlsx" | "xls" | "ods";

export type MappedColumn = { field: Field, 
/**
 * 0-based index.
 */
index: number, 
/**
 * The column's letter, `A`, `B`, …
 */
letter: string, 
/**
 * The header text, empty when the file has no header row.
 */
header: string, 
/**
 * `true` when the merchant chose it, `false` when the header told.
 */
chosen: boolean, };

export type SampleRow = { line: number, cells: Array<string>, };

export type TableInfo = { format: Format, 
/**
 * Sheets in workbook order; empty for CSV.
 */
sheets: Array<string>, 
/**
 * The sheet read; `None` for CSV.
 */
sheet: string | null, 
/**
 * No sheet was asked and the workbook has several: this one was taken because its
 * columns are recognised (the others' are not).
 */
sheet_found: boolean, 
/**
 * CSV only: `UTF-8`, `UTF-16LE`, `Windows-1252`.
 */
encoding: string | null, 
/**
 * CSV only: `,`, `;` or a tab.
 */
separator: string | null, 
/**
 * 1-based line of the header row; `None` when the file has none.
 */
header_line: number | null, 
/**
 * Header texts by column (empty strings when there is no header row).
 */
headers: Array<string>, 
/**
 * The columns that will be read, one per field found or chosen.
 */
columns: Array<MappedColumn>, 
/**
 * The first data rows, every column, as text.
 */
sample: Array<SampleRow>, };

export type SheetList = { format: Format, sheets: Array<string>, };

export type ColumnChoice = { field: Field, 
/**
 * The header text, or the column letter (`B`).
 */
column: string, };

export type ImportOptions = { 
/**
 * Sheet name or 1-based position; when unset, the sheet whose columns are recognised.
 */
sheet: string | null, 
/**
 * Columns chosen by hand, over what the headers say.
 */
columns: Array<ColumnChoice>, };

export type RowState = "new" | "existing" | "duplicate" | "invalid";

export type Problem = { "problem": "formula_not_computed", formula: string, } | { "problem": "error_value", error: string, } | { "problem": "csv_formula", text: string, };

export type PhoneError = { "problem": "empty" } | { "problem": "not_a_number", "args": string } | { "problem": "wrong_length_ci", "args": [string, number] } | { "problem": "not_mobile_ci", "args": string } | { "problem": "not_mobile_cm", "args": string } | { "problem": "other_country", "args": [string, Country, Country] } | { "problem": "truncated", "args": string } | { "problem": "unknown_prefix", "args": string };

export type RowReason = { "code": "cell", column: string, problem: Problem, } | { "code": "phone", column: string, problem: PhoneError, } | { "code": "no_name" } | { "code": "bad_email", column: string, email: string, } | { "code": "duplicate", row: number, } | { "code": "already_contact" };

export type PushOutcome = "added" | "present" | "failed" | "not_sent";

export type ContactImportRow = { 
/**
 * Row number as the spreadsheet shows it.
 */
line: number, state: RowState, 
/**
 * The number as written in the file.
 */
phone: string, 
/**
 * The checked number, `+2250707123456`.
 */
e164: string | null, name: string, surname: string, email: string, 
/**
 * Why the row is invalid, a duplicate or already a contact, in English words.
 */
reason: string | null, 
/**
 * The same, as a code with what it names, for wording it in French or English.
 */
why: RowReason | null, contact_id: number | null, outcome: PushOutcome | null, provider_code: string | null, provider_message: string | null, lot: string | null, };

export type ImportTotals = { rows: number, new: number, existing: number, duplicate: number, invalid: number, added: number, present: number, failed: number, not_sent: number, };

export type ContactImport = { account: string, file: TableInfo, rows: Array<ContactImportRow>, totals: ImportTotals, 
/**
 * `false` for a preview.
 */
pushed: boolean, };

export type ProviderState = "local" | "added" | "present" | "failed";

export type ContactRow = { id: number, account_id: number, prefix: string, 
/**
 * National number (`0707123456`).
 */
phone: string, name: string, surname: string, email: string, operator: string | null, provider_state: ProviderState, provider_code: string | null, provider_message: string | null, lot: string | null, pushed_at: string | null, created_at: string, updated_at: string, };

export type ContactCursor = { name: string, surname: string, id: number, };

export type ContactPageRequest = { 
/**
 * `next` of the previous page; none for the first page.
 */
after?: ContactCursor, 
/**
 * 0 means [`crate::page::DEFAULT_LIMIT`]; above [`crate::page::MAX_LIMIT`] is capped.
 */
limit: number, };

export type ContactPage = { rows: Array<ContactRow>, next: ContactCursor | null, };

export type ContactEdit = { phone: string, name: string, surname: string, email: string, };

export type Lang = "fr" | "en";

export type DateStyle = "fr" | "iso";

export type Dataset = "payouts" | "collections" | "contacts" | "balances" | "events";

export type FileFormat = "csv" | "xlsx";

export type ExportRequest = { dataset: Dataset | null, format: FileFormat, 
/**
 * CSV separator: `;` when empty.
 */
delimiter: string | null, date_style: DateStyle, lang: Lang, 
/**
 * First day, `2026-11-23` or `23/11/2026`.
 */
from: string | null, 
/**
 * Last day, included.
 */
to: string | null, 
/**
 * Account label.
 */
account: string | null, provider: Provider | null, 
/**
 * Payouts and collections: a status (`succeeded`…); contacts: `local`, `added`,
 * `present` or `failed`; balances: a kind (`transfer`…); events: a kind.
 */
status: string | null, 
/**
 * Minutes east of UTC for dates; the computer's time zone when absent.
 */
utc_offset_minutes: number | null, };

export type ExportSummary = { path: string, dataset: Dataset, rows: number, };

export type Category = "matched" | "updated" | "missing_locally" | "missing_at_provider" | "status_differs" | "amount_differs" | "unreadable";

export type ReconLine = { category: Category, 
/**
 * Line of the provider's file; none for a payout missing at the provider.
 */
line: number | null, payout_id: number | null, 
/**
 * Our reference (`ID Marchand`).
 */
reference: string | null, cinetpay_id: string | null, phone: string, local_amount: Amount | null, provider_amount: Amount | null, local_status: UnifiedStatus | null, 
/**
 * `Statut` as the provider wrote it.
 */
provider_status: string | null, 
/**
 * The status recorded by this reconciliation (category `updated`).
 */
new_status: UnifiedStatus | null, 
/**
 * Why a row was unreadable.
 */
problem: string | null, };

export type ReconCounts = { matched: number, updated: number, missing_locally: number, missing_at_provider: number, status_differs: number, amount_differs: number, unreadable: number, };

export type ReconcileReport = { account: string, file: string, 
/**
 * The UTC days the statement covers (from its creation dates), both included; payouts of
 * those days are expected in it.
 */
first_day: string | null, last_day: string | null, counts: ReconCounts, lines: Array<ReconLine>, };

export type Role = "owner" | "preparer" | "approver" | "viewer";

export type UserRow = { id: number, name: string, role: Role, created_at: string, removed_at: string | null, };

export type Actor = { id: number | null, name: string | null, role: Role, };

export type PeopleState = { several: boolean, actor: Actor | null, 
/**
 * The names to choose from.
 */
people: Array<string>, };

export type Kind = "payout" | "batch";

export type RequestStatus = "awaiting_approval" | "approved" | "rejected" | "sent";

export type RequestRow = { id: number, kind: Kind, account_id: number, prepared_by: number, prepared_at: string, 
/**
 * The file's name (batch) or the payee (payout).
 */
label: string, count: number, total: Amount, request_sha256: string, needed: number, status: RequestStatus, decided_at: string | null, batch_id: number | null, payout_id: number | null, };

export type Decision = "approved" | "rejected";

export type DecisionView = { user: string, decision: Decision, reason: string | null, at: string, };

export type ApprovalView = { account: string, currency: string, prepared_by_name: string, decisions: Array<DecisionView>, 
/**
 * Approvals still needed.
 */
approvals_missing: number, 
/**
 * Every approval was given but the send did not go through (the provider down, the
 * balance short…): `resend_approved` sends it again, under the same references.
 */
unsent: boolean, id: number, kind: Kind, account_id: number, prepared_by: number, prepared_at: string, 
/**
 * The file's name (batch) or the payee (payout).
 */
label: string, count: number, total: Amount, request_sha256: string, needed: number, status: RequestStatus, decided_at: string | null, batch_id: number | null, payout_id: number | null, };

export type Prepared<T> = T | ApprovalView;

export type Policy = { 
/**
 * A single payout above this many francs waits for approval.
 */
approve_above: Amount | null, 
/**
 * A batch whose total is above this many francs waits for approval.
 */
batch_approve_above: Amount | null, 
/**
 * Approvals needed, by people other than the preparer: 1 or 2.
 */
approvals: number, };

export type PolicyChange = { approve_above?: Amount | null, batch_approve_above?: Amount | null, approvals?: number, };

export type AuditRow = { id: number, at: string, user_id: number | null, 
/**
 * The person's name when it was written (`None`: the merchant alone, before any user).
 */
user_name: string | null, action: string, subject: string | null, 
/**
 * JSON object: identifiers, figures and outcomes, never a secret or a PIN.
 */
details: string, prev_hash: string, hash: string, };

export type AuditEntry = { 
/**
 * What the action is about: the part of the action before the dot (`batch`, `payout`,
 * `account`, `contact`, `collection`, `user`, `settings`, `export`…).
 */
object: string, 
/**
 * Which one: a number (batch, payout, collection, contact) or a name (account, person).
 */
object_id: string | null, 
/**
 * How many payments (or rows) it counts, when it counts any.
 */
count: number | null, 
/**
 * Its total in whole francs, when it has one.
 */
total: Amount | null, 
/**
 * French, as the Journal shows it.
 */
sentence_fr: string, sentence_en: string, 
/**
 * The details, typed: the app words its sentences from these.
 */
facts: AuditFacts, id: number, at: string, user_id: number | null, 
/**
 * The person's name when it was written (`None`: the merchant alone, before any user).
 */
user_name: string | null, action: string, subject: string | null, 
/**
 * JSON object: identifiers, figures and outcomes, never a secret or a PIN.
 */
details: string, prev_hash: string, hash: string, };

export type AuditFacts = { 
/**
 * Payments in a batch.
 */
count: number | null, 
/**
 * A batch's total.
 */
total: Amount | null, 
/**
 * A single payout's amount.
 */
amount: Amount | null, 
/**
 * The payee of a payout, or the person added or removed.
 */
name: string | null, 
/**
 * Why a payout or batch was rejected.
 */
reason: string | null, role: Role | null, 
/**
 * Wrong PINs in a row.
 */
failures: number | null, 
/**
 * Rows exported.
 */
rows: number | null, 
/**
 * An approval policy as it was set.
 */
approve_above: Amount | null, batch_approve_above: Amount | null, approvals: number | null, };

export type AuditFilter = { user?: string, 
/**
 * The part of the action before the dot: `batch`, `payout`, `user`, `signin`, `account`…
 */
action?: string, 
/**
 * First and last day (`2026-12-07`, UTC), both included.
 */
from?: string, to?: string, };

export type Break = "changed" | "deleted" | "unchained";

export type Broken = { 
/**
 * The entry's id.
 */
id: number, what: Break, 
/**
 * The entry as it is now, when it is still there.
 */
entry: AuditRow | null, };

export type Verdict = { 
/**
 * Entries read.
 */
entries: number, 
/**
 * The first entry that does not hold; `None` when the whole chain holds.
 */
broken: Broken | null, };

export type AmountEdit = { phone: string, amount: AmountInput, 
/**
 * The name: for a number not on the list, or this batch's name for one on it (empty:
 * the list's).
 */
name: string, 
/**
 * The amounts file's line, 0 when typed.
 */
line: number, };

export type ListChanges = { list: string, 
/**
 * Numbers not on the list, paid in this batch.
 */
added: Array<ListPerson>, 
/**
 * People of the list left out of this batch (an amount of 0).
 */
removed: Array<ListPerson>, 
/**
 * People of the list paid another amount than their default one.
 */
amounts_changed: number, };

export type ListPerson = { phone: string, name: string, };

export type ListSaved = { list: PayeeList, 
/**
 * A list of that name existed: its people were replaced.
 */
replaced: boolean, 
/**
 * Numbers met twice where the list was saved from: the first row of each was kept.
 */
repeated: Array<string>, };

export type Payee = { 
/**
 * International form, `+2250707123456`.
 */
phone: string, name: string, 
/**
 * The default amount, paid when a batch gives none for this phone.
 */
amount: Amount, reason: string, 
/**
 * The operator code as a batch row gives it (empty: told from the number)…
 */
operator: string, 
/**
 * …and its name (`Orange Money`, `MTN MoMo`).
 */
operator_name: string, };

export type PayeeList = { name: string, 
/**
 * Where it was saved from (`batch #12`, a file's name).
 */
source: string, created_at: string, updated_at: string, count: number, total: Amount, };

export type PayeeListDetail = { list: PayeeList, people: Array<Payee>, };

/** Operator codes and their names (`guichet_types::operator`). */
export const OPERATOR_NAMES: Record<string, string> = {
  OM: "Orange Money",
  CM_OM: "Orange Money",
  MOMO: "MTN MoMo",
  CM_MOMO: "MTN MoMo",
  FLOOZ: "Moov Money",
  WAVE: "Wave",
  MCP: "My-CoolPay",
};
