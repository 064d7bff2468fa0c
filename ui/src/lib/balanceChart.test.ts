import { describe, expect, it } from "vitest";
import { balanceChart } from "./balanceChart";
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
      100,
      50,
      0,
    )!;
    expect(c.series.map((s) => s.kind)).toEqual(["transfer", "account"]);
    expect(c.series[0]?.points).toBe("0.0,46.8 100.0,0.0");
    expect(c.series[0]?.last).toBe("3000");
    expect(c.min).toBe(865.4);
    expect(c.from).toBe("2026-01-01T08:00:00.000Z");
  });

  it("has nothing to draw without readings", () => {
    expect(balanceChart([], 100, 50)).toBeNull();
  });
});
