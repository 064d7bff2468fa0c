// Paying again the failures of a batch, without Svelte: which batches may be re-paid, and how
// each row names the payout it replaces.
import type { BatchDetail, RetryOf, UnifiedStatus } from "../bindings";
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
