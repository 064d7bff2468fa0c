import { describe, expect, it } from "vitest";
import { badgeKey, bannerKind, pickerLabel, pickerOrder, preselect, RealMoneyConsent } from "./moneyKind";

const demoA = { label: "Démo CinetPay", sandbox: true, currency: "XOF" };
const demoB = { label: "Démo My-CoolPay", sandbox: true, currency: "XAF" };
const real = { label: "Boutique", sandbox: false, currency: "XOF" };

describe("real and demo money never mix", () => {
  it("never preselects a real account after demo work (the real one came first and was chosen)", () => {
    // The real account is added last but sorts first by label, as the list came.
    const list = [real, demoA, demoB];
    expect(preselect(list, "")).toBe("Démo CinetPay");
    expect(pickerOrder(list).map((a) => a.label)).toEqual(["Démo CinetPay", "Démo My-CoolPay", "Boutique"]);
    // What the merchant chose stays chosen.
    expect(preselect(list, "Boutique")).toBe("Boutique");
    // Real accounts only: the first one.
    expect(preselect([real], "")).toBe("Boutique");
  });

  it("marks every account in a picker once both kinds exist", () => {
    expect(pickerLabel("fr", demoA, [demoA, real])).toBe("Démo CinetPay (XOF) — démo");
    expect(pickerLabel("fr", real, [demoA, real])).toBe("Boutique (XOF) — argent réel");
    expect(pickerLabel("en", real, [demoA, real])).toBe("Boutique (XOF) — real money");
    expect(pickerLabel("fr", real, [real])).toBe("Boutique (XOF)");
  });

  it("the menu's badge stops saying « Bac à sable » once a real account is added", () => {
    expect(badgeKey(bannerKind([demoA, demoB]))).toBe("app.sandboxBadge");
    expect(badgeKey(bannerKind([demoA, real]))).toBe("app.mixedBadge");
    expect(badgeKey(bannerKind([real]))).toBeNull();
  });

  it("stops promising that no real money moves once a real account is added", () => {
    expect(bannerKind([demoA, demoB])).toBe("demoOnly");
    expect(bannerKind([demoA, real])).toBe("mixed");
    expect(bannerKind([real])).toBe("none");
  });

  it("asks once per real account while demo accounts exist", () => {
    const consent = new RealMoneyConsent();
    expect(consent.needed([demoA, real], "Boutique")).toBe(true);
    expect(consent.needed([demoA, real], "Démo CinetPay")).toBe(false);
    expect(consent.needed([real], "Boutique")).toBe(false);
    consent.give("Boutique");
    expect(consent.needed([demoA, real], "Boutique")).toBe(false);
  });
});
