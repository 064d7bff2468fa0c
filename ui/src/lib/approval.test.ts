import { describe, expect, it } from "vitest";
import type { Actor, ApprovalView } from "../bindings";
import { approvalOutcome, isAwaitingApproval, stillWaiting, waitsFor } from "./approval";

const awa: Actor = { id: 1, name: "Awa", role: "owner" };
const moussa: Actor = { id: 2, name: "Moussa", role: "preparer" };
const fatou: Actor = { id: 3, name: "Fatou", role: "approver" };
const waiting = { prepared_by: 2, decisions: [], status: "awaiting_approval" as const };

describe("approvals", () => {
  it("wait for those who may approve, never for who prepared", () => {
    expect(waitsFor(awa, waiting)).toBe(true);
    expect(waitsFor(fatou, waiting)).toBe(true);
    expect(waitsFor(moussa, waiting)).toBe(false);
    expect(waitsFor(moussa, { ...waiting, prepared_by: 1 })).toBe(false);
    expect(waitsFor(awa, { ...waiting, prepared_by: 1 })).toBe(false);
    expect(waitsFor(awa, { ...waiting, decisions: [{ user: "Awa", decision: "approved", reason: null, at: "" }] })).toBe(false);
    expect(waitsFor({ id: null, name: null, role: "viewer" }, waiting)).toBe(false);
  });

  it("say whether an approval sent it or it waits for a second one", () => {
    const v = { kind: "batch" as const, id: 4, count: 2, total: 150000 };
    const still = { approvals_missing: 1, request_sha256: "ab" } as unknown as ApprovalView;
    expect(stillWaiting(still)).toBe(true);
    expect(stillWaiting({ id: 9, row_count: 2 })).toBe(false);
    expect(approvalOutcome("fr", v, still)).toContain("attend encore 1 approbation");
    expect(approvalOutcome("en", v, still)).toContain("still waits for 1 approval");
    expect(approvalOutcome("fr", v, { id: 9 })).toContain("est parti");
    expect(approvalOutcome("en", { ...v, kind: "payout" }, { id: 9 })).toContain("was sent");
  });

  it("tell the refusal that only says it waits", () => {
    expect(isAwaitingApproval({ code: "awaiting_approval", message: "" })).toBe(true);
    expect(isAwaitingApproval({ code: "not_allowed", message: "" })).toBe(false);
    expect(isAwaitingApproval(null)).toBe(false);
  });
});
