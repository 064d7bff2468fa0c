// Paying again the failures of a batch, without Svelte: which batches may be re-paid, and how
// each row names the payout it replaces.
import type { AmountInput, BatchDetail, RetryCorrection, RetryOf, UnifiedStatus } from "../bindings";
import { formatAmount } from "./format";
import { translate, type Lang, type MessageKey } from "./messages";

// Still under way: the batch is not finished. An unknown outcome is not under way, but is
// never re-paid (its money may have left).
const UNDER_WAY: UnifiedStatus[] = ["queued", "submitting", "pending", "awaiting_confirmation", "awaiting_customer"];

/** How many payouts of a finished batch ended failed or rejected and were not paid again yet;
 * 0 while any is under way. */
export function failuresToRepay(b: BatchDetail): number {
  if (b.counts.some((c) => UNDER_WAY.includes(c.status) && c.count > 0)) return 0;
  return b.repayable;
}

/** « remplace le paiement n° 12 (GCH-…, 2 000 FCFA) — Échoué : numéro invalide ». */
export function retryOfText(lang: Lang, r: RetryOf): string {
  return translate(lang, "batch.retryOf", {
    id: r.payout_id,
    reference: r.reference,
    amount: formatAmount(r.amount),
    status: translate(lang, `status.${r.status}` as MessageKey),
    why: r.why,
  });
}

/** What the merchant changed on one row of the review: a number, an amount (as typed, or a
 * file's number kept as a number so it is not read again as text). */
export type RetryEdit = { phone?: string; amount?: AmountInput };

/** The edits as the core takes them: one correction per payout, blank fields left out. */
export function correctionsOf(edits: Record<number, RetryEdit>): RetryCorrection[] {
  const out: RetryCorrection[] = [];
  for (const [id, e] of Object.entries(edits)) {
    const phone = e.phone?.trim() ? e.phone.trim() : undefined;
    const amount = typeof e.amount === "number" || e.amount?.trim() ? e.amount : undefined;
    if (phone === undefined && amount === undefined) continue;
    out.push({ payout_id: Number(id), phone, amount });
  }
  return out.sort((a, b) => a.payout_id - b.payout_id);
}

/** A corrections file read by the core, as the review's edits. */
export function editsOf(corrections: RetryCorrection[]): Record<number, RetryEdit> {
  const out: Record<number, RetryEdit> = {};
  for (const c of corrections) out[c.payout_id] = { phone: c.phone ?? undefined, amount: c.amount ?? undefined };
  return out;
}
