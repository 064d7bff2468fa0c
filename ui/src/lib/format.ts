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
