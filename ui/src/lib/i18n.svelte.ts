import { invoke } from "@tauri-apps/api/core";
import { translate, type Lang, type MessageKey } from "./messages";

const STORAGE_KEY = "guichet.lang";

function initial(): Lang {
  const saved = typeof localStorage !== "undefined" ? localStorage.getItem(STORAGE_KEY) : null;
  return saved === "en" ? "en" : "fr";
}

// The language, French by default, persisted across runs.
export const i18n = $state({ lang: initial() as Lang });

export function setLang(lang: Lang): void {
  i18n.lang = lang;
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  // The shell writes desktop notifications in the same language.
  invoke("set_language", { lang }).catch(() => {});
}

export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  return translate(i18n.lang, key, vars);
}
