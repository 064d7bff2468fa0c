import { listen } from "@tauri-apps/api/event";
import type { CoreEvent } from "../bindings";

// Core events forwarded by the shell (see src-tauri/src/events.rs).
export function onCoreEvent(handler: (e: CoreEvent) => void): () => void {
  let unlisten: (() => void) | null = null;
  let stopped = false;
  listen<CoreEvent>("guichet://event", (e) => handler(e.payload)).then((u) => {
    if (stopped) u();
    else unlisten = u;
  });
  return () => {
    stopped = true;
    unlisten?.();
  };
}
