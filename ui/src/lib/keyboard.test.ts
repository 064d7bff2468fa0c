// Every action is reachable by keyboard, read from the screens' source: a pointer handler on an
// element that is not a control needs a role, a place in the focus order and a key handler that
// does something; an inline dialog closes with Escape; focus is never hidden without a visible
// replacement.
import { describe, expect, it } from "vitest";

const sources = import.meta.glob(["../screens/**/*.svelte", "../App.svelte", "./*.svelte"], { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const css = import.meta.glob(["../app.css"], { query: "?raw", import: "default", eager: true }) as Record<string, string>;

const CONTROLS = new Set(["button", "a", "input", "select", "textarea", "option", "summary", "label", "dialog", "form"]);

/** Each opening tag with its name and its attributes' text (attributes may span lines and hold `>` in handlers). */
function tags(text: string): { name: string; attrs: string; line: number }[] {
  const out: { name: string; attrs: string; line: number }[] = [];
  const re = /<([a-z][a-z0-9]*)\b/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    let depth = 0;
    let i = m.index + m[0].length;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === "{") depth++;
      else if (c === "}") depth--;
      else if (c === ">" && depth === 0) break;
    }
    out.push({ name: m[1] ?? "", attrs: text.slice(m.index + m[0].length, i), line: text.slice(0, m.index).split("\n").length });
  }
  return out;
}

/** The markup only: the script and style blocks are code, not elements. */
const markup = (text: string) => text.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<style[\s\S]*?<\/style>/g, "");

describe("keyboard", () => {
  it("reads every screen", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(10);
  });

  it("has no pointer-only handler on an element that is not a control", () => {
    const faults: string[] = [];
    for (const [file, text] of Object.entries(sources)) {
      for (const tag of tags(markup(text))) {
        if (CONTROLS.has(tag.name) || !/\bon(click|dblclick|mousedown|mouseup)=/.test(tag.attrs)) continue;
        const where = `${file}:${tag.line} <${tag.name}>`;
        if (!/\brole=/.test(tag.attrs)) faults.push(`${where} has no role`);
        if (!/\btabindex=/.test(tag.attrs)) faults.push(`${where} is not in the focus order`);
        if (!/\bonkeydown=/.test(tag.attrs)) faults.push(`${where} has no key handler`);
      }
    }
    expect(faults).toEqual([]);
  });

  it("has no key handler that does nothing (a warning silenced, not an action made reachable)", () => {
    for (const [file, text] of Object.entries(sources)) {
      expect(text, file).not.toMatch(/onkey(down|up|press)=\{\s*\(\)\s*=>\s*\{\s*\}\s*\}/);
    }
  });

  it("closes every inline dialog with Escape", () => {
    for (const [file, text] of Object.entries(sources)) {
      for (const tag of tags(markup(text))) {
        if (!/role="(alert)?dialog"/.test(tag.attrs)) continue;
        expect(tag.attrs, `${file}:${tag.line}`).toMatch(/onkeydown=\{[^}]*Escape/);
        expect(tag.attrs, `${file}:${tag.line}`).toMatch(/tabindex=/);
      }
    }
  });

  it("never hides the focus without showing it another way", () => {
    const all = { ...sources, ...css };
    for (const [file, text] of Object.entries(all)) {
      for (const rule of text.match(/[^{}]*\{[^}]*outline:\s*(none|0)[^}]*\}/g) ?? []) {
        // Only a container that takes the focus for the screen reader (the main area after a
        // menu choice), never a control.
        expect(rule.trim(), file).toMatch(/^main:focus\b/);
      }
    }
    expect(css["../app.css"]).toMatch(/:focus-visible\s*\{[^}]*outline:\s*3px/);
  });
});
