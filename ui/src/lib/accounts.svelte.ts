// The one accounts store: read once, read again when the core says they changed; every screen
// and the banner read the same list.
import type { AccountView } from "../bindings";
import { api } from "./api";
import { onCoreEvent } from "./events";

export const accountStore = $state({ list: [] as AccountView[], loaded: false, error: null as unknown });

let listening = false;

/** Reads the accounts now; the first call also follows `accounts_changed`. */
export async function loadAccounts(): Promise<AccountView[]> {
  if (!listening) {
    listening = true;
    onCoreEvent((e) => {
      if (e.kind === "accounts_changed") void loadAccounts();
    });
  }
  try {
    accountStore.list = await api.accountList();
    accountStore.error = null;
  } catch (e) {
    accountStore.error = e;
  } finally {
    accountStore.loaded = true;
  }
  return accountStore.list;
}

/** The accounts read now, through the store, for a screen that shows a failure in its own
 * banner (it rejects with the failure). */
export async function readAccounts(): Promise<AccountView[]> {
  const list = await loadAccounts();
  if (accountStore.error) throw accountStore.error;
  return list;
}
