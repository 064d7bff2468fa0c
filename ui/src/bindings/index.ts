// Generated from the Rust types by crates/core/tests/bindings.rs. Do not edit.

export type Provider = "cinetpay" | "mycoolpay" | "softsystem";

export type Country = "CI" | "CM";

export type Currency = "XOF" | "XAF";

export type UnifiedStatus = "queued" | "submitting" | "pending" | "awaiting_confirmation" | "awaiting_customer" | "succeeded" | "failed" | "rejected" | "cancelled" | "outcome_unknown";

export type SecretState = { name: string, set: boolean, };

export type AccountView = { id: number, label: string, provider: Provider, currency: Currency, country: Country, site_id: string | null, public_key: string | null, client_reference: string | null, notify_url: string | null, base_url: string | null, low_balance_threshold: number | null, sandbox: boolean, secrets: Array<SecretState>, created_at: string, updated_at: string, };

export type ProviderInfo = { provider: Provider, display_name: string, 
/**
 * The identifier field this provider requires (`site_id`, `public_key`, `client_reference`).
 */
id_field: string, secrets: Array<string>, default_currency: Currency, default_country: Country, };

export type AccountForm = { label?: string, provider?: Provider, currency?: Currency, country?: Country, site_id?: string, public_key?: string, client_reference?: string, notify_url?: string, base_url?: string, low_balance_threshold?: number, secrets: { [key in string]: string }, };

export type CoreEvent = { "kind": "progress", task: string, done: number, total: number, } | { "kind": "accounts_changed" } | { "kind": "payout_status", id: number, reference: string, status: UnifiedStatus, is_final: boolean, };
