// Typed calls to the Rust commands. Argument and result types come from the generated bindings.
import { invoke } from "@tauri-apps/api/core";
import type { ContactEdit, ContactImport, ContactRow, ImportOptions, SheetList, TableInfo } from "../bindings";
import type { AccountBalances, AccountForm, AccountTest, AccountView, PayoutDetail, PayoutInput, PayoutRow, ProviderInfo, UnifiedStatus } from "../bindings";

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
  contactsSheets: (path: string) => invoke<SheetList>("contacts_sheets", { path }),
  contactsColumns: (path: string, options: ImportOptions) => invoke<TableInfo>("contacts_columns", { path, options }),
  contactsPreview: (account: string, path: string, options: ImportOptions) => invoke<ContactImport>("contacts_preview", { account, path, options }),
  contactsImport: (account: string, path: string, options: ImportOptions) => invoke<ContactImport>("contacts_import", { account, path, options }),
  contactsList: (account: string | null, search: string | null) => invoke<ContactRow[]>("contacts_list", { account, search }),
  contactsEdit: (id: number, edit: ContactEdit) => invoke<ContactRow>("contacts_edit", { id, edit }),
  contactsDelete: (id: number) => invoke<null>("contacts_delete", { id }),
  setLanguage: (lang: string) => invoke<null>("set_language", { lang }),
};
