// Payee lists in the app: the amounts table's rows and what they send, and the words for a
// batch's differences with its list.
import type { AmountEdit, ListChanges, Payee } from "../bindings";
import { formatPhone } from "./format";
import { translate, type Lang } from "./messages";

/** A row of the amounts table: a list person (or someone added), the amount and name as typed. */
export type AmountRow = {
  phone: string;
  /** The list's name and default amount; `null` for someone added here. */
  listName: string | null;
  defaultAmount: number | null;
  name: string;
  amount: string;
};

export function rowsOf(people: Payee[]): AmountRow[] {
  return people.map((p) => ({ phone: p.phone, listName: p.name, defaultAmount: p.amount, name: p.name, amount: String(p.amount) }));
}

/** What the table sends: only what differs from the list (an amount typed, a name changed, a
 * person added); the core reads every amount with the one amount reader. */
export function editsOf(rows: AmountRow[]): AmountEdit[] {
  const edits: AmountEdit[] = [];
  for (const r of rows) {
    const added = r.listName === null;
    const amountChanged = r.amount.trim() !== String(r.defaultAmount);
    const nameChanged = !added && r.name.trim() !== (r.listName ?? "").trim();
    if (added || amountChanged || nameChanged) {
      edits.push({ phone: r.phone, amount: r.amount, name: nameChanged || added ? r.name.trim() : "", line: 0 });
    }
  }
  return edits;
}

/** Enter and Tab move down the amounts column (Shift+Tab up); the index to focus, or null. */
export function nextRow(key: string, shift: boolean, index: number, count: number): number | null {
  if (key !== "Enter" && key !== "Tab") return null;
  const next = key === "Tab" && shift ? index - 1 : index + 1;
  return next >= 0 && next < count ? next : null;
}

/** "2 ajoutés, 1 retiré, 3 montants changés" against the list. */
export function changesText(lang: Lang, c: ListChanges): string {
  return translate(lang, "lists.changes", { added: c.added.length, removed: c.removed.length, changed: c.amounts_changed, list: c.list });
}

export function personText(p: { phone: string; name: string }): string {
  return p.name ? `${formatPhone(p.phone)} — ${p.name}` : formatPhone(p.phone);
}
