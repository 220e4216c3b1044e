// A timer-drift probe of the event loop: how long the main thread went without running a timer.
const TICK_MS = 5;

export interface BlockProbe {
  /** Starts a new measuring window. */
  reset(): void;
  /**
   * The longest stretch in this window during which no timer could run, minus the tick: a block still in
   * progress (the last tick is late but has not fired yet) counts too, so no wait is needed to read it.
   */
  longestBlockMs(): number;
  stop(): void;
}

export function blockProbe(): BlockProbe {
  let lastTick = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - lastTick - TICK_MS);
    lastTick = now;
  }, TICK_MS);
  return {
    reset() {
      longest = 0;
      lastTick = performance.now();
    },
    longestBlockMs: () => Math.max(longest, performance.now() - lastTick - TICK_MS),
    stop: () => clearInterval(timer),
  };
}
