// The batch review's rows, without Svelte: each row's state, each problem in words (which
// column, why), and the rows served to VirtualTable a page at a time from memory.
import type { PreviewRow, RowIssue } from "../bindings";
import { fr, translate, type Lang, type MessageKey } from "./messages";
import type { PageOf } from "./pager";

export type RowState = "error" | "warning" | "ready";
export type ShownRow = PreviewRow & { id: number; state: RowState };

/** Left out while it has errors; worth a look with warnings (possible duplicates). */
export function rowState(r: PreviewRow): RowState {
  if (r.errors.length > 0) return "error";
  return r.warnings.length > 0 ? "warning" : "ready";
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

/** « Colonne « montant » : pas un multiple de 5 — <the core's specifics> ». */
export function issueText(lang: Lang, i: RowIssue): string {
  const column = `batch.column.${i.column}`;
  const code = `batch.issue.${i.code}`;
  const what = code in fr ? `${translate(lang, code as MessageKey)} — ${i.message}` : i.message;
  return translate(lang, "batch.inColumn", { column: column in fr ? translate(lang, column as MessageKey) : i.column, what });
}
