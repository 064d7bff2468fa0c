import { describe, expect, it } from "vitest";
import { run } from "./run";

describe("run", () => {
  it("is busy while the work runs, then not, and returns its result", async () => {
    const work = { busy: false, error: "old" };
    let seen = false;
    const result = await run(work, async () => {
      seen = work.busy;
      return 7;
    });
    expect([seen, work.busy, work.error, result]).toEqual([true, false, "", 7]);
  });
  it("puts a failure in the banner in words, and is no longer busy", async () => {
    const work = { busy: false, error: "" };
    const result = await run(work, async () => {
      throw { code: "not_found", params: { what: "account", key: "Boutique" }, message: "account `Boutique` not found" };
    });
    expect(result).toBeUndefined();
    expect(work.busy).toBe(false);
    expect(work.error).toContain("Boutique");
    expect(work.error).not.toContain("not found");
  });
  it("leaves the banner and the flag alone for a background reload", async () => {
    const work = { busy: false, error: "Échec précédent" };
    await run(work, async () => expect(work.busy).toBe(false), { busy: false, clear: false });
    expect(work.error).toBe("Échec précédent");
  });
});
