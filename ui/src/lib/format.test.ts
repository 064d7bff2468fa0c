import { describe, expect, it } from "vitest";
import { formatAmount } from "./format";

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
