import { describe, expect, it } from "vitest";
import type { BatchDetail, BatchPlan } from "../bindings";
import { blockedUnder, planReady, planText, sendPlan, waits } from "./plan";

function batch(plan: Partial<BatchPlan> | null): BatchDetail {
  const row = { id: 3, account_id: 1, file_name: "paie.csv", file_sha256: "", sheet: null, row_count: 2, total: 95000, skipped: 0, created_at: "", confirmed_at: null, balance_before: null, balance_after: null, balance_after_at: null };
  const full: BatchPlan | null = plan && { batch_id: 3, state: "scheduled", send_at: null, when_short: "refuse", missing: null, checked_at: null, note_code: null, note: null, released_at: null, cancelled_at: null, ...plan };
  return { batch: row, account: "Abidjan", currency: "XOF", counts: [], open: 2, repayable: 0, fees: 0, fees_reported: 0, plan: full };
}

// 25 December 2026, 08:00 on this machine's clock, as the core stores it (UTC).
const christmas = new Date(2026, 11, 25, 8, 0).toISOString();

describe("batches that leave later", () => {
  it("says when a scheduled batch leaves and what a held one lacks, in French and English", () => {
    expect(planText("fr", batch({ state: "scheduled", send_at: christmas }))).toBe("programmé pour le 25/12 à 08:00");
    expect(planText("en", batch({ state: "scheduled", send_at: christmas }))).toBe("scheduled for 25/12 at 08:00");
    expect(planText("fr", batch({ state: "held", missing: 85000 }))).toBe("en attente de fonds : il manque 85\u202f000\u00a0FCFA");
    expect(planText("en", batch({ state: "held", missing: 85000 }))).toBe("waiting for funds: 85\u202f000\u00a0FCFA missing");
    expect(planText("fr", batch({ state: "cancelled", note_code: "insufficient_balance" }))).toContain("annulé");
    expect(planText("fr", batch({ state: "scheduled", send_at: christmas, note_code: "awaiting_approval" }))).toContain("approbation");
    expect(planText("fr", batch(null))).toBeNull();
  });

  it("offers cancel only while the batch waits", () => {
    expect(waits(batch({ state: "scheduled" }))).toBe(true);
    expect(waits(batch({ state: "held" }))).toBe(true);
    expect(waits(batch({ state: "released" }))).toBe(false);
    expect(waits(batch({ state: "cancelled" }))).toBe(false);
    expect(waits(batch(null))).toBe(false);
  });

  it("sends the chosen time as this machine's clock, and lets the balance wait only for a later or held batch", () => {
    expect(sendPlan("later", "2026-12-25", "08:00", "hold")).toEqual({ at: "2026-12-25 08:00", when_short: "hold" });
    expect(sendPlan("now", "2026-12-25", "08:00", "refuse")).toEqual({ when_short: "refuse" });
    expect(planReady("later", "2026-12-25", "")).toBe(false);
    expect(planReady("later", "2026-12-25", "08:00")).toBe(true);
    expect(planReady("later", "2026-12-25", "25:00")).toBe(false);
    expect(sendPlan("later", "2026-12-25", "8:30", "refuse")).toEqual({ at: "2026-12-25 08:30", when_short: "refuse" });
    expect(blockedUnder(["insufficient_balance"], "now", "refuse")).toBe(true);
    expect(blockedUnder(["insufficient_balance"], "now", "hold")).toBe(false);
    expect(blockedUnder(["insufficient_balance"], "later", "refuse")).toBe(false);
    expect(blockedUnder(["batch_already_sent"], "later", "hold")).toBe(true);
  });
});
