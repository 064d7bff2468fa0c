// One way for a screen to do its work: the busy flag on while it runs (buttons wait), the error
// banner cleared first and filled with the failure in the merchant's words.
import { describeError } from "./errors";

/** A screen's state of work: `busy` disables its actions, `error` is its red banner. */
export interface Work {
  busy: boolean;
  error: string;
}

export interface RunOptions {
  /** Set `busy` while it runs (default). Off for reads that must not block the screen. */
  busy?: boolean;
  /** Clear the banner first (default). Off for background reloads, which must not hide the
   * failure of what the merchant just did. */
  clear?: boolean;
}

/** Runs `fn`; its result, or `undefined` when it failed (the failure is then in `work.error`). */
export async function run<T>(work: Work, fn: () => Promise<T>, { busy = true, clear = true }: RunOptions = {}): Promise<T | undefined> {
  if (clear) work.error = "";
  if (busy) work.busy = true;
  try {
    return await fn();
  } catch (e) {
    work.error = describeError(e);
    return undefined;
  } finally {
    if (busy) work.busy = false;
  }
}
