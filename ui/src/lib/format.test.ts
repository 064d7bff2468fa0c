import { describe, expect, it } from "vitest";
import { formatAmount, formatExact, percent, startOfLocalDay } from "./format";

describe("formatAmount", () => {
  it("groups thousands the French way", () => {
    expect(formatAmount(1500000)).toBe("1\u202f500\u202f000\u00a0FCFA");
    expect(formatAmount(500)).toBe("500\u00a0FCFA");
    expect(formatAmount(-2500)).toBe("-2\u202f500\u00a0FCFA");
    expect(formatAmount(0)).toBe("0\u00a0FCFA");
  });
  it("refuses fractions of a franc", () => {
    expect(() => formatAmount(12.5)).toThrow();
  });
});

describe("formatExact", () => {
  it("keeps the provider's decimals and groups thousands", () => {
    expect(formatExact("865.4")).toBe("865,4\u00a0FCFA");
    expect(formatExact("2000000")).toBe("2\u202f000\u202f000\u00a0FCFA");
    expect(formatExact("-1500.25")).toBe("-1\u202f500,25\u00a0FCFA");
  });
});

describe("percent", () => {
  it("is whole, clamped, and reaches 100 only at the end", () => {
    expect(percent(0, 10)).toBe(0);
    expect(percent(999, 1000)).toBe(99);
    expect(percent(1000, 1000)).toBe(100);
    expect(percent(12, 10)).toBe(100);
    expect(percent(3, 0)).toBe(0);
  });
});

describe("startOfLocalDay", () => {
  it("is local midnight of the same day, as UTC", () => {
    const now = new Date(2026, 10, 23, 15, 42, 7);
    const start = new Date(startOfLocalDay(now));
    expect([start.getFullYear(), start.getMonth(), start.getDate(), start.getHours(), start.getMinutes()]).toEqual([2026, 10, 23, 0, 0]);
    expect(startOfLocalDay(now)).toMatch(/Z$/);
  });
});
