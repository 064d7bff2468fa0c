// A payout in a sentence, with its amount and its beneficiary: what the merchant reads in the
// form's answer, the notifications and the Journal (never an internal reference).
import type { PayoutRow, UnifiedStatus } from "../bindings";
import { formatAmount, formatPhone } from "./format";
import { translate, type Lang } from "./messages";

type Payout = Pick<PayoutRow, "amount" | "name" | "prefix" | "phone">;

/** « 10 000 FCFA à Awa Koné » / « 10 000 FCFA au +225 07 08 12 34 56 ». */
export function payoutSentence(lang: Lang, p: Payout): string {
  const amount = formatAmount(p.amount);
  const name = p.name.trim();
  if (name) return translate(lang, "payout.toName", { amount, name });
  return translate(lang, "payout.toPhone", { amount, phone: formatPhone(phoneOf(p)) });
}

function phoneOf(p: Payout): string {
  return p.phone.startsWith("+") ? p.phone : `+${p.prefix}${p.phone}`;
}

const refused: UnifiedStatus[] = ["failed", "rejected", "cancelled"];

/** What the provider answered a payout just sent, truthfully: accepted (green), or refused or
 * unknown (red), with the provider's own words. */
export function payoutOutcome(lang: Lang, p: PayoutRow): { ok: boolean; text: string } {
  const what = payoutSentence(lang, p);
  const answer = p.status_detail?.trim() || p.provider_status || "";
  if (p.status === "succeeded") return { ok: true, text: translate(lang, "payout.outcome.paid", { what }) };
  if (refused.includes(p.status)) {
    return { ok: false, text: translate(lang, answer ? "payout.outcome.refusedBecause" : "payout.outcome.refused", { what, answer }) };
  }
  if (p.status === "outcome_unknown") return { ok: false, text: translate(lang, "payout.outcome.unknown", { what }) };
  if (p.status === "awaiting_confirmation") return { ok: true, text: translate(lang, "payout.outcome.awaitingConfirmation", { what }) };
  if (p.status === "queued" || p.status === "submitting") return { ok: true, text: translate(lang, "payout.outcome.queued", { what }) };
  return { ok: true, text: translate(lang, "payout.outcome.accepted", { what }) };
}
