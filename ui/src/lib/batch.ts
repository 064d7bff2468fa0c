// The batch review's rows, without Svelte: each row's state, each problem in words (which
// column, why), and the rows served to VirtualTable a page at a time from memory.
import type { FileTotal, PreviewRow, RowIssue } from "../bindings";
import { formatAmount } from "./format";
import { fr, translate, type Lang, type MessageKey } from "./messages";
import type { PageOf } from "./pager";

export type RowState = "error" | "warning" | "ready";
export type ShownRow = PreviewRow & { id: number; state: RowState };

/** Left out while it has errors; worth a look with warnings (possible duplicates, a number
 * paid before under another name). A number never paid is said in the row, not a warning. */
export function rowState(r: PreviewRow): RowState {
  if (r.errors.length > 0) return "error";
  return r.warnings.some((w) => w.code !== "new_beneficiary") ? "warning" : "ready";
}

/** Keyed by their line (unique in a file), with their state; only the problems if asked. */
export function shownRows(rows: PreviewRow[], onlyProblems: boolean): ShownRow[] {
  return rows.map((r) => ({ ...r, id: r.line, state: rowState(r) })).filter((r) => !onlyProblems || r.state !== "ready");
}

/** A page of rows kept in memory, in file order: the cursor is the index of the next row. */
export function pageOf<T>(rows: T[], before: number | null, limit: number): PageOf<T> {
  const start = before ?? 0;
  const end = start + limit;
  return { rows: rows.slice(start, end), next: end < rows.length ? end : null };
}

/** « Colonne « montant » : 1 400 000 FCFA dépasse le solde disponible (1 315 000 FCFA) »: every
 * issue is worded whole in the merchant's language from its code and the value at fault; the
 * core's English explanation is never shown. */
export function issueText(lang: Lang, i: RowIssue): string {
  const column = `batch.column.${i.column}`;
  const code = `batch.issue.${i.code}`;
  const amount = /^-?\d+$/.test(i.value) ? formatAmount(Number(i.value)) : i.value;
  const vars = { value: i.value, amount, digits: i.value.replace(/\D/g, "").length, earlier: i.paid_before?.name ?? "", month: i.paid_before ? monthOf(lang, i.paid_before.at) : "" };
  const what = translate(lang, code in fr ? (code as MessageKey) : "batch.issue.other", vars);
  return translate(lang, "batch.inColumn", { column: column in fr ? translate(lang, column as MessageKey) : i.column, what });
}

/** `novembre 2026`, `November 2026`: the month a number was last paid. */
export function monthOf(lang: Lang, iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", { month: "long", year: "numeric" }).format(d);
}

/** The file's own total row beside its rows: « Total du fichier (ligne 55, TOTAL) : 3 622 500 FCFA
 * = à payer 3 502 500 FCFA + écartées 120 000 FCFA ». */
export function fileTotalText(lang: Lang, ft: FileTotal): string {
  const vars = { line: ft.line, label: ft.label, toPay: formatAmount(ft.to_pay), leftOut: formatAmount(ft.left_out) };
  if (ft.stated === null) return translate(lang, "batch.fileTotalUnreadable", vars);
  return translate(lang, ft.matches ? "batch.fileTotal" : "batch.fileTotalDiffers", { ...vars, stated: formatAmount(ft.stated) });
}

/** What stops a batch from leaving, in the merchant's language, with the core's detail. */
export function blockerText(lang: Lang, code: string, message: string): string {
  const key = `batch.blocker.${code}`;
  return key in fr ? `${translate(lang, key as MessageKey)} — ${message}` : message;
}
