import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { watchIdle } from "./idle";

describe("the idle lock", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("engages after the idle time, once, and each activity starts the wait again", () => {
    const target = new EventTarget();
    const idle = vi.fn();
    watchIdle(target, 60, idle);
    vi.advanceTimersByTime(59_000);
    target.dispatchEvent(new Event("keydown"));
    vi.advanceTimersByTime(59_000);
    expect(idle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(idle).toHaveBeenCalledTimes(1);
    target.dispatchEvent(new Event("keydown"));
    vi.advanceTimersByTime(120_000);
    expect(idle).toHaveBeenCalledTimes(1);
  });

  it("never engages when set to never, nor after it is stopped", () => {
    const target = new EventTarget();
    const idle = vi.fn();
    watchIdle(target, 0, idle);
    const stop = watchIdle(target, 5, idle);
    stop();
    vi.advanceTimersByTime(3_600_000);
    expect(idle).not.toHaveBeenCalled();
  });
});
