// Typed calls to the Rust commands. Argument and result types come from the generated bindings.
import { invoke } from "@tauri-apps/api/core";
import type { AccountBalances, AccountForm, AccountTest, AccountView, PayoutDetail, PayoutInput, PayoutRow, ProviderInfo, UnifiedStatus } from "../bindings";
import type { Automation, AutomationState, BalanceSnapshot, CollectionDetail, CollectionInput, CollectionKind, CollectionRow, HistoryReport } from "../bindings";

/** The one error shape every command rejects with. */
export interface UiError {
  code: string;
  message: string;
  details?: { field?: string };
}

export function isUiError(e: unknown): e is UiError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

export const api = {
  providerCatalog: () => invoke<ProviderInfo[]>("provider_catalog"),
  accountList: () => invoke<AccountView[]>("account_list"),
  accountAdd: (form: AccountForm) => invoke<AccountView>("account_add", { form }),
  accountEdit: (label: string, form: AccountForm) => invoke<AccountView>("account_edit", { label, form }),
  accountRemove: (label: string) => invoke<null>("account_remove", { label }),
  balanceCheck: (account: string | null) => invoke<AccountBalances[]>("balance_check", { account }),
  accountTest: (label: string) => invoke<AccountTest>("account_test", { label }),
  demoStart: () => invoke<AccountView[]>("demo_start"),
  payoutSend: (account: string, input: PayoutInput) => invoke<PayoutRow>("payout_send", { account, input }),
  payoutList: (account: string | null, status: UnifiedStatus | null) => invoke<PayoutRow[]>("payout_list", { account, status }),
  payoutShow: (id: number) => invoke<PayoutDetail>("payout_show", { id }),
  setLanguage: (lang: string) => invoke<null>("set_language", { lang }),
  collectionCreate: (account: string, kind: CollectionKind, input: CollectionInput) => invoke<CollectionRow>("collection_create", { account, kind, input }),
  collectionAuthorize: (id: number, code: string) => invoke<CollectionRow>("collection_authorize", { id, code }),
  collectionList: (account: string | null, status: UnifiedStatus | null) => invoke<CollectionRow[]>("collection_list", { account, status }),
  collectionShow: (id: number) => invoke<CollectionDetail>("collection_show", { id }),
  collectionRefresh: (id: number) => invoke<CollectionDetail>("collection_refresh", { id }),
  collectionCancel: (id: number) => invoke<CollectionRow>("collection_cancel", { id }),
  collectionOpen: (id: number) => invoke<string>("collection_open", { id }),
  cinetpayHistorySync: (account: string, from: string, to: string) => invoke<HistoryReport>("cinetpay_history_sync", { account, from, to }),
  balanceHistory: (account: string, limit: number) => invoke<BalanceSnapshot[]>("balance_history", { account, limit }),
  automationGet: () => invoke<AutomationState>("automation_get"),
  automationSet: (settings: Automation) => invoke<AutomationState>("automation_set", { settings }),
};
