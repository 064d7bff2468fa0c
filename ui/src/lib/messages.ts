// The catalogue: one file per language (`messages.fr.ts`, `messages.en.ts`), typed against each
// other; `translate` fills the placeholders.
import { en } from "./messages.en";
import { fr, type MessageKey } from "./messages.fr";

export { en, fr, type MessageKey };

export const dictionaries = { fr, en } as const;
export type Lang = keyof typeof dictionaries;

export function translate(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text: string = dictionaries[lang][key] ?? fr[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}
