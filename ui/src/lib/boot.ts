// The first screen's questions leave as soon as the bundle runs, before Svelte is even
// evaluated: their answers come back while the app mounts instead of after it. Imported first
// by main.ts; each promise is settled once and only ever read.
import { api } from "./api";
import { mark } from "./startup";

mark("js_start");

/** Whether demo (sandbox) accounts exist; null when the accounts cannot be read (the screens
 * say what went wrong with the database). */
export function demoAccountsExist(): Promise<boolean | null> {
  return api.accountList().then(
    (accounts) => accounts.some((a) => a.sandbox),
    () => null,
  );
}

export const firstSandbox = demoAccountsExist();

/** The saved language, or null when the settings cannot be read (French stays). */
export const firstLanguage: Promise<string | null> = api.settingsGet().then(
  (s) => s.language,
  () => null,
);
