import { describe, expect, it } from "vitest";
import { sparklinePath } from "./chart";

describe("sparklinePath", () => {
  it("spans the box from the lowest to the highest value", () => {
    expect(sparklinePath([0, 50, 100], 104, 44, 2)).toBe("M2.0,42.0 L52.0,22.0 L102.0,2.0");
  });
  it("draws a flat series in the middle and nothing for no reading", () => {
    expect(sparklinePath([7, 7], 100, 40, 0)).toBe("M0.0,20.0 L100.0,20.0");
    expect(sparklinePath([], 100, 40)).toBe("");
  });
});
