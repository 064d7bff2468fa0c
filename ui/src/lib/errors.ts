import { isUiError } from "./api";
import { fr, type MessageKey } from "./messages";
import { t } from "./i18n.svelte";

// An error in words: the translated meaning of its code, then the specifics from the core.
export function describeError(e: unknown): string {
  if (!isUiError(e)) return `${t("errors.unknown")}: ${String(e)}`;
  const key = `errors.${e.code}`;
  const title = key in fr ? t(key as MessageKey) : t("errors.unknown");
  return `${title} — ${e.message}`;
}
