import { describe, expect, it } from "vitest";
import { formatAmount, formatDate, formatExact, formatPhone, isoDayToShown, operatorName, parseDay, percent, startOfLocalDay } from "./format";

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

describe("the merchant's formats", () => {
  it("writes a balance of 0.0 as 0 FCFA (they saw « 0,0 FCFA »)", () => {
    expect(formatExact("0.0")).toBe("0\u00a0FCFA");
    expect(formatExact("1300000.00")).toBe("1\u202f300\u202f000\u00a0FCFA");
  });
  it("writes phones in pairs (they saw « +2250708123456 »)", () => {
    expect(formatPhone("+2250708123456")).toBe("+225 07 08 12 34 56");
    expect(formatPhone("+237699123456")).toBe("+237 6 99 12 34 56");
    expect(formatPhone("07 08")).toBe("07 08");
  });
  it("writes dates day first, with the time, whatever the system locale (they saw 11/06/2026 for 6 November)", () => {
    const d = new Date(2026, 10, 6, 14, 5);
    expect(formatDate(d.toISOString(), "fr")).toBe("06/11/2026 14:05");
    expect(formatDate(d.toISOString(), "en")).toBe("06/11/2026 14:05");
  });
  it("reads dd/mm/yyyy days and refuses what is not a day", () => {
    expect(parseDay("06/11/2026")).toBe("2026-11-06");
    expect(parseDay("6-11-2026")).toBe("2026-11-06");
    expect(parseDay("31/02/2026")).toBeNull();
    expect(parseDay("2026-11-06")).toBeNull();
    expect(isoDayToShown("2026-11-06")).toBe("06/11/2026");
  });
  it("names operators, not codes (they saw FLOOZ, MOMO, OM)", () => {
    expect(operatorName("FLOOZ")).toBe("Moov Money");
    expect(operatorName("CM_MOMO")).toBe("MTN MoMo");
    expect(operatorName("MOMO")).toBe("MTN MoMo");
    expect(operatorName("cm_om")).toBe("Orange Money");
    expect(operatorName("WAVE")).toBe("Wave");
    expect(operatorName("MCP")).toBe("My-CoolPay");
    expect(operatorName("CARD")).toBe("CARD");
    expect(operatorName("OM")).toBe("Orange Money");
  });
});
