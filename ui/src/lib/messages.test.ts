import { describe, expect, it } from "vitest";
import { en, fr, translate } from "./messages";

describe("messages", () => {
  it("has every key in both languages, none empty", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    for (const [k, v] of Object.entries(en)) expect(v.trim(), k).not.toBe("");
  });
  it("fills placeholders", () => {
    expect(translate("fr", "accounts.added", { label: "Boutique" })).toBe("Compte « Boutique » ajouté.");
    expect(translate("en", "dashboard.accounts", { count: 2 })).toBe("2 accounts configured");
    expect(translate("fr", "dashboard.accounts", { count: 1 })).toBe("1 compte configuré");
    expect(translate("fr", "dashboard.accounts", { count: 0 })).toBe("0 compte configuré");
    expect(translate("en", "dashboard.accounts", { count: 0 })).toBe("0 accounts configured");
  });
  it("has a message for every error code the core emits", () => {
    for (const code of ["invalid_input", "not_found", "duplicate", "keyring_unavailable", "secret_missing", "database_too_new"]) {
      expect(Object.keys(fr)).toContain(`errors.${code}`);
    }
  });
  it("writes plurals, one currency spelling, and no English in French", () => {
    for (const dict of [fr, en]) {
      for (const [k, v] of Object.entries(dict)) {
        // They read "paiement(s)" everywhere, and both "F CFA" and "FCFA".
        expect(v, k).not.toMatch(/\((s|x|es)\)/);
        expect(v, k).not.toMatch(/F CFA|francs CFA|CFA francs/);
      }
    }
    // A French text identical to the English one is a word both languages share.
    const shared = new Set(["Guichet", "Contacts", "Exports", "Date", "Total", "Site ID (CinetPay)", "Secrets", "E-mail", "contacts", "Format", "Dates", "23/11/2026 14:05", "ISO 2026-11-23T14:05:00", "Type", "Site ID"]);
    for (const k of Object.keys(fr) as (keyof typeof fr)[]) if (fr[k] === en[k]) expect(shared.has(fr[k]), k).toBe(true);
  });
});
