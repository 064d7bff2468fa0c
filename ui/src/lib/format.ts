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

export function formatDate(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === "en" ? "en-GB" : "fr-FR", { dateStyle: "short", timeStyle: "short" });
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
  const [whole = "", frac] = amount.trim().replace(/^-/, "").split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
  return `${negative ? "-" : ""}${grouped}${frac ? `,${frac}` : ""}\u00a0FCFA`;
}
