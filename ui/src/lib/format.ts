import { OPERATOR_NAMES } from "../bindings";
// Amounts are whole francs (integers). French typography: narrow no-break spaces between
// thousands, then "FCFA".
export function formatAmount(francs: number): string {
  if (!Number.isInteger(francs)) throw new Error(`not a whole number of francs: ${francs}`);
  const sign = francs < 0 ? "-" : "";
  const digits = Math.abs(francs).toString();
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end));
  return `${sign}${groups.join("\u202f")}\u00a0FCFA`;
}

const two = (n: number) => String(n).padStart(2, "0");

/** `06/12/2026 14:05`, local time, whatever the system's locale (day first in both languages,
 * as merchants in Côte d'Ivoire and Cameroon write dates). */
export function formatDate(iso: string, _lang?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${formatDay(d)} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** `06/12/2026`. */
export function formatDay(d: Date): string {
  return `${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()}`;
}

/** A day typed `06/12/2026` (or `6/12/2026`, `06-12-2026`) as `2026-12-06`; null when it is
 * not a day. The date fields read this, never the system's locale. */
export function parseDay(text: string): string | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (!m) return null;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(year, month - 1, day);
  if (d.getFullYear() !== year || d.getMonth() !== month - 1 || d.getDate() !== day) return null;
  return `${year}-${two(month)}-${two(day)}`;
}

/** `2026-12-06` as `06/12/2026`. */
export function isoDayToShown(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** `+2250708123456` as `+225 07 08 12 34 56`, `+237699123456` as `+237 6 99 12 34 56`; anything
 * else as it came. */
export function formatPhone(e164: string): string {
  const m = /^\+(225|237)(\d+)$/.exec(e164.trim());
  if (!m) return e164;
  const [, prefix = "", national = ""] = m;
  const head = national.length % 2 === 1 ? [national[0]] : [];
  const rest = national.slice(head.length).match(/\d{2}/g) ?? [];
  return `+${prefix} ${[...head, ...rest].join(" ")}`;
}

/** Operators by their names, not their codes (`OM`, `CM_MOMO`…): the one table, generated from the Rust one. */
export function operatorName(code: string | null | undefined): string {
  if (!code) return "";
  return OPERATOR_NAMES[code.trim().toUpperCase()] ?? code;
}

/** A whole percentage for progress bars, clamped to 0–100 (integer arithmetic, no rounding up to 100 before the end). */
export function percent(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.max(0, Math.floor((done * 100) / total)));
}

/** The start of the local day as an RFC 3339 UTC time: "today" in the merchant's time zone. */
export function startOfLocalDay(now: Date = new Date()): string {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.toISOString();
}

/**
 * A provider's exact balance text (`"865.4"`), grouped by thousands, with its decimals kept:
 * `865,4 FCFA` (shown as the provider wrote it, never through floating point).
 */
export function formatExact(amount: string): string {
  const negative = amount.trim().startsWith("-");
  const [whole = "", rawFrac] = amount.trim().replace(/^-/, "").split(".");
  // "0.0" is 0 FCFA; a fraction that is not zero is kept as the provider wrote it.
  const frac = rawFrac && /[1-9]/.test(rawFrac) ? rawFrac : undefined;
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
  return `${negative ? "-" : ""}${grouped}${frac ? `,${frac}` : ""}\u00a0FCFA`;
}
