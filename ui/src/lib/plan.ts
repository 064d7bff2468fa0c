// When a batch leaves: now, at a date and time, or once the balance covers it — the choice
// made in the confirm step, and what the batches list says of a batch that waits.
import type { BatchDetail, SendPlan, WhenShort } from "../bindings";
import { formatAmount } from "./format";
import { translate, type Lang } from "./messages";

export type When = "now" | "later";

/** The plan sent with the confirmation: `date` (`2026-12-25`) and `time` (`08:00`) of this
 * machine's clock when the batch leaves later. */
export function sendPlan(when: When, date: string, time: string, whenShort: WhenShort): SendPlan {
  const [h, m] = time.trim().split(":");
  return when === "later" ? { at: `${date} ${(h ?? "").padStart(2, "0")}:${m ?? ""}`, when_short: whenShort } : { when_short: whenShort };
}

/** A time of day written `08:00` (24 hours). */
export function timeOk(time: string): boolean {
  const m = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
  return m !== null && Number(m[1]) < 24 && Number(m[2]) < 60;
}

/** Whether the choice can be confirmed: a later send needs a day and a time. */
export function planReady(when: When, date: string, time: string): boolean {
  return when === "now" || (/^\d{4}-\d{2}-\d{2}$/.test(date) && timeOk(time));
}

/** Whether the review's blockers still let the batch be confirmed under this choice: the
 * balance is checked again when a later batch leaves, and a held one waits for it. */
export function blockedUnder(codes: string[], when: When, whenShort: WhenShort): boolean {
  const later = when === "later" || whenShort === "hold";
  return codes.some((c) => !(later && (c === "insufficient_balance" || c === "balance_unavailable")));
}

/** `25/12` and `08:00` on this machine's clock. */
export function localDayTime(utc: string): { day: string; time: string } {
  const d = new Date(utc);
  const two = (n: number) => String(n).padStart(2, "0");
  return { day: `${two(d.getDate())}/${two(d.getMonth() + 1)}`, time: `${two(d.getHours())}:${two(d.getMinutes())}` };
}

/** « programmé pour le 25/12 à 08:00 », « en attente de fonds : il manque 85 000 FCFA »,
 * « annulé, rien n'est parti »; nothing for a batch sent at its confirmation. */
export function planText(lang: Lang, b: BatchDetail): string | null {
  const p = b.plan;
  if (!p) return null;
  const waiting = p.note_code ? ` ${translate(lang, `plan.note.${noteKey(p.note_code)}`)}` : "";
  switch (p.state) {
    case "scheduled": {
      if (!p.send_at) return null;
      const { day, time } = localDayTime(p.send_at);
      return translate(lang, "plan.scheduled", { day, time }) + waiting;
    }
    case "held":
      return (p.missing ? translate(lang, "plan.held", { missing: formatAmount(p.missing) }) : translate(lang, "plan.heldUnknown")) + waiting;
    case "released": {
      if (!p.released_at) return null;
      const { day, time } = localDayTime(p.released_at);
      return translate(lang, "plan.released", { day, time });
    }
    case "cancelled":
      return translate(lang, "plan.cancelled") + (p.note_code === "insufficient_balance" ? ` ${translate(lang, "plan.note.insufficient_balance")}` : "");
  }
}

type NoteKey = "awaiting_approval" | "needs_review" | "balance_unavailable" | "insufficient_balance" | "other";

function noteKey(code: string): NoteKey {
  return code === "awaiting_approval" || code === "needs_review" || code === "balance_unavailable" || code === "insufficient_balance" ? code : "other";
}

/** A batch that has not left can be cancelled (and given another time). */
export function waits(b: BatchDetail): boolean {
  return b.plan?.state === "scheduled" || b.plan?.state === "held";
}
