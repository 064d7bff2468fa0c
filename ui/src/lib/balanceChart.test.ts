import { describe, expect, it } from "vitest";
import { balanceChart, niceStep, withinDays } from "./balanceChart";
import type { BalanceSnapshot } from "../bindings";

function snap(id: number, taken_at: string, kind: string, amount: string): BalanceSnapshot {
  return { id, account_id: 1, taken_at, kind, amount, available: null, in_use: null, currency: "XOF" };
}

describe("balanceChart", () => {
  it("draws one line per kind, oldest on the left, highest at the top", () => {
    const c = balanceChart(
      [
        snap(3, "2026-01-03T08:00:00.000Z", "transfer", "3000"),
        snap(1, "2026-01-01T08:00:00.000Z", "transfer", "1000"),
        snap(2, "2026-01-01T08:00:00.000Z", "account", "865.4"),
      ],
      { width: 100, height: 50, pad: 0 },
    )!;
    expect(c.series.map((s) => s.kind)).toEqual(["transfer", "account"]);
    expect(c.series[0]?.points).toBe("0.0,33.3 100.0,0.0");
    expect(c.series[0]?.last).toBe("3000");
    expect(c.from).toBe("2026-01-01T08:00:00.000Z");
  });

  it("has a value axis in round amounts, a time axis and the threshold line (they saw none)", () => {
    const c = balanceChart(
      [snap(1, "2026-01-01T08:00:00.000Z", "transfer", "1315000"), snap(2, "2026-01-05T08:00:00.000Z", "transfer", "2400000")],
      { width: 400, height: 200, left: 100, bottom: 20, pad: 0, threshold: 2_000_000 },
    )!;
    expect(c.yTicks.map((t) => t.value)).toEqual([1_000_000, 1_500_000, 2_000_000, 2_500_000]);
    expect(c.xTicks).toHaveLength(3);
    expect(c.xTicks[0]?.at).toBe(100);
    // The threshold sits between the lowest and the highest reading.
    expect(c.thresholdY).toBeGreaterThan(0);
    expect(c.thresholdY).toBeLessThan(180);
    expect(niceStep(0, 1_400_000)).toBe(500_000);
    // A flat balance gets round amounts around it (they would have read 1 974 500 → 1 974 501).
    expect(niceStep(1_974_500, 1_974_500)).toBe(100_000);
  });

  it("keeps the chosen period", () => {
    const now = Date.parse("2026-01-31T00:00:00.000Z");
    const all = [snap(1, "2026-01-01T08:00:00.000Z", "transfer", "1"), snap(2, "2026-01-30T08:00:00.000Z", "transfer", "2")];
    expect(withinDays(all, 7, now).map((s) => s.id)).toEqual([2]);
    expect(withinDays(all, null, now)).toHaveLength(2);
  });

  it("has nothing to draw without readings", () => {
    expect(balanceChart([], { width: 100, height: 50 })).toBeNull();
  });
});
