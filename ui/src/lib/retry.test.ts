import { describe, expect, it } from "vitest";
import type { BatchDetail, StatusCount } from "../bindings";
import { correctionsOf, editsOf, failuresToRepay, retryOfText } from "./retry";

function batch(counts: StatusCount[], repaid = 0): BatchDetail {
  const row = { id: 7, account_id: 1, file_name: "paie.csv", file_sha256: "", sheet: null, row_count: 10, total: 20000, skipped: 0, created_at: "", confirmed_at: null, balance_before: null, balance_after: null, balance_after_at: null };
  const repayable = counts.filter((c) => c.status === "failed" || c.status === "rejected").reduce((n, c) => n + c.count, 0) - repaid;
  return { batch: row, account: "Douala", currency: "XAF", counts, open: 0, repayable, fees: 0, fees_reported: 0, plan: null };
}

describe("re-paying the failures of a batch", () => {
  it("offers only the failed and rejected payouts of a finished batch, never an unknown outcome", () => {
    expect(failuresToRepay(batch([{ status: "succeeded", count: 7 }, { status: "failed", count: 2 }, { status: "rejected", count: 1 }]))).toBe(3);
    // An unknown outcome does not count, and does not keep the batch from being finished.
    expect(failuresToRepay(batch([{ status: "failed", count: 2 }, { status: "outcome_unknown", count: 1 }]))).toBe(2);
    expect(failuresToRepay(batch([{ status: "succeeded", count: 9 }, { status: "outcome_unknown", count: 1 }]))).toBe(0);
    // Paid again already: not offered twice.
    expect(failuresToRepay(batch([{ status: "succeeded", count: 7 }, { status: "failed", count: 2 }], 2))).toBe(0);
    // Still under way: not yet.
    expect(failuresToRepay(batch([{ status: "failed", count: 2 }, { status: "pending", count: 1 }]))).toBe(0);
  });

  it("names the payout each row replaces and why it failed, in both languages", () => {
    const r = { batch_id: 7, payout_id: 12, reference: "GCH-1", phone: "+237677000201", status: "failed" as const, amount: 2000, why: "FAILED" };
    expect(retryOfText("fr", r)).toBe("remplace le paiement n° 12 (GCH-1, 2\u202f000\u00a0FCFA) — Échoué : FAILED");
    expect(retryOfText("en", r)).toBe("replaces payout #12 (GCH-1, 2\u202f000\u00a0FCFA) — Failed: FAILED");
  });

  it("sends only the corrections typed, blank cells leaving a payout as it was", () => {
    expect(correctionsOf({ 14: { amount: "  " }, 12: { phone: " 677 00 03 01 ", amount: "" }, 13: { amount: 2500 } })).toEqual([
      { payout_id: 12, phone: "677 00 03 01", amount: undefined },
      { payout_id: 13, phone: undefined, amount: 2500 },
    ]);
    // A file's numbers come back as they were read: a number stays a number.
    const edits = editsOf([{ payout_id: 12, phone: "677000301" }, { payout_id: 13, amount: 1229.125 }]);
    expect(edits[13]?.amount).toBe(1229.125);
    expect(correctionsOf(edits)).toEqual([
      { payout_id: 12, phone: "677000301", amount: undefined },
      { payout_id: 13, phone: undefined, amount: 1229.125 },
    ]);
  });
});
