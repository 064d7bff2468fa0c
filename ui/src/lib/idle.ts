// The idle lock: with several people, after this long without a key or the mouse, the app
// signs out and asks « Qui travaille ? » again.

/** The choices offered in Settings, in minutes (0: never). */
export const IDLE_CHOICES = [0, 1, 5, 10, 15, 30, 60] as const;

const ACTIVITY = ["keydown", "pointerdown", "pointermove", "wheel", "touchstart"] as const;

/** Calls `onIdle` once after `seconds` without activity on `target` (0: never); returns the
 * stop. Each activity starts the wait again. */
export function watchIdle(target: EventTarget, seconds: number, onIdle: () => void): () => void {
  if (!(seconds > 0)) return () => {};
  let timer: ReturnType<typeof setTimeout> | null = null;
  const restart = () => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      stop();
      onIdle();
    }, seconds * 1000);
  };
  const stop = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    for (const kind of ACTIVITY) target.removeEventListener(kind, restart);
  };
  for (const kind of ACTIVITY) target.addEventListener(kind, restart, { passive: true });
  restart();
  return stop;
}
