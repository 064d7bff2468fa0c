import { describe, expect, it } from "vitest";
import { sparkScale, sparklinePath } from "./chart";

describe("sparklinePath", () => {
  it("spans the box from the lowest to the highest value", () => {
    expect(sparklinePath([0, 50, 100], 104, 44, 2)).toBe("M2.0,42.0 L52.0,22.0 L102.0,2.0");
  });
  it("draws a flat series in the middle and nothing for no reading", () => {
    expect(sparklinePath([7, 7], 100, 40, 0)).toBe("M0.0,20.0 L100.0,20.0");
    expect(sparklinePath([], 100, 40)).toBe("");
  });
});

describe("sparkScale", () => {
  it("gives the dashboard's small charts their lowest and highest amounts and their first and last days", () => {
    const points = [
      { taken_at: "2026-12-01T08:00:00Z", francs: 1_300_000 },
      { taken_at: "2026-12-03T08:00:00Z", francs: 900_000 },
      { taken_at: "2026-12-02T08:00:00Z", francs: 1_500_000 },
    ];
    expect(sparkScale(points)).toEqual({ min: 900_000, max: 1_500_000, from: "2026-12-01T08:00:00Z", to: "2026-12-03T08:00:00Z" });
    expect(sparkScale([])).toBeNull();
  });
});
