import { api } from "./api";
import { translate, type Lang, type MessageKey } from "./messages";

// The language is kept in the database (Settings); this copy lets the first paint be in the
// right language before the database answers.
const STORAGE_KEY = "guichet.lang";

function initial(): Lang {
  const saved = typeof localStorage !== "undefined" ? localStorage.getItem(STORAGE_KEY) : null;
  return saved === "en" ? "en" : "fr";
}

// The language, French by default.
export const i18n = $state({ lang: initial() as Lang });

function apply(lang: Lang): void {
  i18n.lang = lang;
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
}

/** The merchant picks a language: shown at once, stored (the shell's notifications follow). */
export async function setLang(lang: Lang): Promise<void> {
  apply(lang);
  await api.settingsSetLanguage(lang);
}

/** At start: the stored language wins over the local copy. */
export function adoptLang(lang: string): void {
  apply(lang === "en" ? "en" : "fr");
}

export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  return translate(i18n.lang, key, vars);
}
