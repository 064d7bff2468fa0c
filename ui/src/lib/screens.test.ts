// What every screen's source must hold, read as text: no browser validation bubble ("Fill out
// this field" in a French screen), no date field that follows the system's locale, no
// English-only plural, no account picker that does not tell demo from real money.
import { describe, expect, it } from "vitest";

const sources = import.meta.glob(["../screens/**/*.svelte", "../App.svelte", "./*.svelte"], { query: "?raw", import: "default", eager: true }) as Record<string, string>;

describe("every screen", () => {
  it("has been found", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(10);
  });
  it("validates its forms itself (no browser bubble) and has no browser date field", () => {
    for (const [file, text] of Object.entries(sources)) {
      for (const form of text.match(/<form\b(?:=>|[^>])*>/g) ?? []) expect(form, file).toContain("novalidate");
      expect(text, file).not.toMatch(/type="date"/);
      expect(text, file).not.toMatch(/toLocale(Date)?String/);
    }
  });
  it("names accounts in pickers with their kind of money", () => {
    for (const [file, text] of Object.entries(sources)) {
      // An account <option> shows pickerLabel (demo / real money), never the bare label.
      expect(text, file).not.toMatch(/<option value=\{a\.label\}>\{a\.label\}/);
    }
  });
});

describe("work", () => {
  it("goes through run(work, fn), not a copy of try/busy/catch", () => {
    for (const [file, text] of Object.entries(sources)) {
      expect(text, file).not.toMatch(/\} catch \(e\) \{\s*[\w.]*[eE]rror = describeError\(e\);\s*\}/);
      expect(text, file).not.toMatch(/finally \{\s*[\w.]*busy = false;/);
    }
  });
});

describe("accounts", () => {
  it("are read through the one accounts store, never by a screen itself", () => {
    for (const [file, text] of Object.entries(sources)) expect(text, file).not.toMatch(/api\.accountList\(/);
  });
});

describe("banners", () => {
  it("never shows a green and a red one at once", () => {
    for (const [file, text] of Object.entries(sources)) {
      // A notice is shown only when there is no error: `{#if error}…{:else if notice}`.
      expect(text, file).not.toMatch(/\{#if notice\}<p class="notice"/);
    }
  });
});
