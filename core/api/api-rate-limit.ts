import type { Clock } from '../time.js';

export interface ApiRateLimits {
  /** Requests per window for one API token (or one browser session using the API). */
  perToken: number;
  /** Failed bearer sign-ins per window from one client address. */
  authFailuresPerIp: number;
  windowMs: number;
}

export const DEFAULT_API_RATE_LIMITS: ApiRateLimits = { perToken: 600, authFailuresPerIp: 30, windowMs: 60_000 };

/** What a counted request learns: whether it may pass and what the RateLimit-* headers say. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until the window starts afresh (at least 1). */
  resetSeconds: number;
}

/**
 * Fixed-window counters in this process's memory: O(1) per request (one map read and write).
 * Expired windows are swept at most once per window length, so the map holds only the keys seen
 * in the last two windows. With several instances each counts alone (see docs/DESIGN.md).
 */
export function createApiRateLimiter(clock: Clock, limits: ApiRateLimits) {
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = 0;

  function sweep(now: number) {
    if (now - lastSweep < limits.windowMs) return;
    lastSweep = now;
    for (const [key, window] of windows) if (now - window.start >= limits.windowMs) windows.delete(key);
  }

  function current(key: string, now: number) {
    const window = windows.get(key);
    return window && now - window.start < limits.windowMs ? window : undefined;
  }

  function decision(count: number, start: number, limit: number, now: number, allowed: boolean): RateDecision {
    return { allowed, limit, remaining: Math.max(0, limit - count), resetSeconds: Math.max(1, Math.ceil((start + limits.windowMs - now) / 1000)) };
  }

  return {
    limits,

    /** Counts one request against the key's budget; refused ones are not counted. */
    take(key: string, limit: number): RateDecision {
      const now = clock().getTime();
      sweep(now);
      let window = current(key, now);
      if (!window) windows.set(key, (window = { start: now, count: 0 }));
      if (window.count >= limit) return decision(window.count, window.start, limit, now, false);
      window.count += 1;
      return decision(window.count, window.start, limit, now, true);
    },
  };
}
export type ApiRateLimiter = ReturnType<typeof createApiRateLimiter>;
