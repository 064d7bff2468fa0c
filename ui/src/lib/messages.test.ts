import { describe, expect, it } from "vitest";
import { en, fr, translate } from "./messages";

describe("messages", () => {
  it("has every key in both languages, none empty", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    for (const [k, v] of Object.entries(en)) expect(v.trim(), k).not.toBe("");
  });
  it("fills placeholders", () => {
    expect(translate("fr", "accounts.added", { label: "Boutique" })).toBe("Compte « Boutique » ajouté.");
    expect(translate("en", "dashboard.accounts", { count: 2 })).toBe("2 account(s) configured");
  });
  it("has a message for every error code the core emits", () => {
    for (const code of ["invalid_input", "not_found", "duplicate", "keyring_unavailable", "secret_missing", "database_too_new"]) {
      expect(Object.keys(fr)).toContain(`errors.${code}`);
    }
  });
});
