// A result that lands below the fold is brought into view and takes the focus (a screen reader
// reads it, the keyboard goes on from there).
import { tick } from "svelte";

export async function reveal(id: string): Promise<void> {
  await tick();
  const el = document.getElementById(id);
  if (!el) return;
  if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
  el.scrollIntoView({ block: "start" });
  el.focus({ preventScroll: true });
}

/** Moves the focus to a control that is about to appear (a dialog's first button). */
export async function focusSoon(id: string): Promise<void> {
  await tick();
  document.getElementById(id)?.focus();
}
