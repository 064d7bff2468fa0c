// Typed calls to the Rust commands. Argument and result types come from the generated bindings.
import { invoke } from "@tauri-apps/api/core";
import type { Automation, AutomationState, BalanceSnapshot, CollectionDetail, CollectionInput, CollectionKind, CollectionRow, HistoryReport, UnifiedStatus } from "../bindings";
import type { ContactEdit, ContactImport, ContactPage, ContactPageRequest, ContactRow, Field, ImportOptions, SheetList, TableInfo } from "../bindings";
import type { ExportRequest, ExportSummary, Lang, ReconcileReport } from "../bindings";
import type { AmountReading, BatchColumns, BatchDetail, BatchPreview } from "../bindings";
import type { ErrorCode, EventFilter, PayoutDraft } from "../bindings";
import type { AccountBalances, AccountForm, AccountTest, AccountView, Dashboard, EventRow, Page, PageRequest, PayoutDetail, PayoutFilter, PayoutInput, PayoutRow, ProviderInfo, Settings } from "../bindings";

/** The one error shape every command rejects with: the core's typed code and its parameters;
 * `message` is the English explanation for the log, never shown. */
export type UiError = ErrorCode & {
  message: string;
  details?: { field?: string };
};

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
  // The one amount reader (the batch's): the payout and collection forms read what is typed here.
  amountRead: (account: string, text: string) => invoke<AmountReading>("amount_read", { account, text }),
  // A payout being typed, checked as it is typed; `live` reads the balance from the provider.
  payoutCheck: (account: string, phone: string, amount: string, name: string, live: boolean) => invoke<PayoutDraft>("payout_check", { account, phone, amount, name, live }),
  payoutSend: (account: string, input: PayoutInput) => invoke<PayoutRow>("payout_send", { account, input }),
  payoutPage: (filter: PayoutFilter, page: PageRequest) => invoke<Page<PayoutRow>>("payout_page", { filter, page }),
  payoutShow: (id: number) => invoke<PayoutDetail>("payout_show", { id }),
  payoutBatchColumns: (account: string, path: string, options: ImportOptions) => invoke<BatchColumns>("payout_batch_columns", { account, path, options }),
  payoutBatchPreview: (account: string, path: string, options: ImportOptions, again: boolean) =>
    invoke<BatchPreview>("payout_batch_preview", { account, path, options, again }),
  payoutBatchConfirm: (account: string, path: string, options: ImportOptions, again: boolean, reviewedSha256: string) =>
    invoke<BatchDetail>("payout_batch_confirm", { account, path, options, again, reviewedSha256 }),
  payoutBatchPage: (account: string | null, page: PageRequest) => invoke<Page<BatchDetail>>("payout_batch_page", { account, page }),
  payoutBatchShow: (id: number) => invoke<BatchDetail>("payout_batch_show", { id }),
  batchRetryPreview: (id: number, amounts: string | null) => invoke<BatchPreview>("batch_retry_preview", { id, amounts }),
  batchRetryConfirm: (id: number, amounts: string | null, reviewedSha256: string) =>
    invoke<BatchDetail>("batch_retry_confirm", { id, amounts, reviewedSha256 }),
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
  contactsSheets: (path: string) => invoke<SheetList>("contacts_sheets", { path }),
  contactsColumns: (path: string, options: ImportOptions, wanted: Field[]) => invoke<TableInfo>("contacts_columns", { path, options, wanted }),
  contactsPreview: (account: string, path: string, options: ImportOptions) => invoke<ContactImport>("contacts_preview", { account, path, options }),
  contactsImport: (account: string, path: string, options: ImportOptions) => invoke<ContactImport>("contacts_import", { account, path, options }),
  contactsList: (account: string | null, search: string | null, page: ContactPageRequest) =>
    invoke<ContactPage>("contacts_list", { account, search, page }),
  contactsEdit: (id: number, edit: ContactEdit) => invoke<ContactRow>("contacts_edit", { id, edit }),
  contactsDelete: (id: number) => invoke<null>("contacts_delete", { id }),
  eventPage: (filter: EventFilter, page: PageRequest) => invoke<Page<EventRow>>("event_page", { filter, page }),
  dashboard: (since: string) => invoke<Dashboard>("dashboard", { since }),
  settingsGet: () => invoke<Settings>("settings_get"),
  settingsSetLanguage: (lang: string) => invoke<Settings>("settings_set_language", { lang }),
  settingsSetNotifications: (on: boolean) => invoke<Settings>("settings_set_notifications", { on }),
  openDataDir: () => invoke<null>("open_data_dir"),
  uiReady: (marks: [string, number][]) => invoke<null>("ui_ready", { marks }),
  exportRun: (request: ExportRequest, path: string) => invoke<ExportSummary>("export_run", { request, path }),
  reconcileRun: (file: string, account: string) => invoke<ReconcileReport>("reconcile_run", { file, account }),
  reconcileReportSave: (report: ReconcileReport, path: string, lang: Lang) =>
    invoke<null>("reconcile_report_save", { report, path, lang }),
};
