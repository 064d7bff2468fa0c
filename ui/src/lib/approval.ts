// Approvals in words: what is waiting for whom, and what became of a decision.
import type { Actor, ApprovalView, Prepared } from "../bindings";
import { formatAmount } from "./format";
import { translate, type Lang } from "./messages";

type Waiting = Pick<ApprovalView, "prepared_by" | "decisions" | "status">;

/** Whether `actor` may decide on `v` now: their role approves, they did not prepare it and have
 * not decided on it yet (core checks all of it again). */
export function waitsFor(actor: Actor | null, v: Waiting): boolean {
  if (actor === null || actor.id === null || (actor.role !== "owner" && actor.role !== "approver")) return false;
  if (v.status !== "awaiting_approval" || v.prepared_by === actor.id) return false;
  return !v.decisions.some((d) => d.user === actor.name);
}

/** A payout or batch still waiting, told apart from the one sent (the answer is untagged). */
export function stillWaiting<T extends object>(p: Prepared<T>): p is ApprovalView {
  return "approvals_missing" in p && "request_sha256" in p;
}

/** After an approval: sent, or still waiting for another person's. */
export function approvalOutcome<T extends object>(lang: Lang, v: Pick<ApprovalView, "kind" | "id" | "count" | "total">, answer: Prepared<T>): string {
  const vars = { id: v.id, count: v.count, total: formatAmount(v.total) };
  if (stillWaiting(answer)) {
    return translate(lang, v.kind === "batch" ? "approvals.outcome.batchWaits" : "approvals.outcome.payoutWaits", { ...vars, missing: answer.approvals_missing });
  }
  return translate(lang, v.kind === "batch" ? "approvals.outcome.batchSent" : "approvals.outcome.payoutSent", vars);
}

/** A refusal of the send that only says it now waits for approval (the payout form and the
 * batch review show it as news, not as a failure). */
export function isAwaitingApproval(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "awaiting_approval";
}
