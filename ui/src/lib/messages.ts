// The catalogue: one file per language (`messages.fr.ts`, `messages.en.ts`), typed against each
// other; `translate` fills the placeholders.
import { en } from "./messages.en";
import { fr, type MessageKey } from "./messages.fr";

export { en, fr, type MessageKey };

export const dictionaries = { fr, en } as const;
export type Lang = keyof typeof dictionaries;

/** Whether `n` takes the singular: 0 and 1 in French, 1 in English. */
export function singular(lang: Lang, n: number): boolean {
  return lang === "fr" ? Math.abs(n) < 2 : n === 1;
}

/** Fills `{name}` with its value and `{count|paiement|paiements}` with the form `count` takes
 * (no "(s)" plurals). */
export function translate(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text: string = dictionaries[lang][key] ?? fr[key];
  return text
    .replace(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g, (_, name: string, one: string, many: string) => (singular(lang, Number(vars[name] ?? 0)) ? one : many))
    .replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}
