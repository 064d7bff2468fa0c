// Typed calls to the Rust commands. Argument and result types come from the generated bindings.
import { invoke } from "@tauri-apps/api/core";
import type { AccountForm, AccountView, ProviderInfo } from "../bindings";

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
};
