const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;

/**
 * The pause before retry number `retry` (1-based): 1 s, 2 s, 4 s … at most 30 s, give or take
 * 20 %, so phones that come back online together do not retry in step.
 */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (retry - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Calls `attempt` until it comes to something other than `transient`, pausing with backoff in
 * between and telling `onRetry` before each pause. Never gives up: the page keeps the answer
 * for as long as it is open.
 */
export async function untilSettled<T extends { kind: string }>(
  attempt: () => Promise<T>,
  onRetry: (retry: number, delayMs: number) => void,
  pause: (ms: number) => Promise<void>,
): Promise<{ outcome: T; tries: number }> {
  for (let tries = 1; ; tries++) {
    const outcome = await attempt();
    if (outcome.kind !== 'transient') return { outcome, tries };
    const delayMs = backoffMs(tries);
    onRetry(tries, delayMs);
    await pause(delayMs);
  }
}

/** Waits `ms`, or less when the browser reports it is back online. */
export function pauseUnlessOnline(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener('online', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    window.addEventListener('online', done);
  });
}
