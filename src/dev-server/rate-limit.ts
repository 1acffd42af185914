/**
 * A sliding-window rate limiter per client id, on an injectable clock so tests are deterministic.
 * @module
 */

import type { DevRateLimit } from './options.ts'

/**
 * What the limiter decided about one request.
 */
export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number }

/**
 * A per-key sliding window.
 */
export interface RateLimiter {
  /** Decide about one request for `key`, and record it when allowed. */
  take(key: string): RateDecision
  /** Forget every window. */
  clear(): void
}

/**
 * A sliding-window log: each key keeps the times of its admitted requests within the window.
 * Refused requests are not logged, so a client that waits `Retry-After` always gets through,
 * however often it was refused meanwhile.
 */
export function createRateLimiter(config: DevRateLimit | false, now: () => number): RateLimiter {
  const windows = new Map<string, number[]>()
  return {
    take(key) {
      if (config === false) return { allowed: true }
      const t = now()
      const log = (windows.get(key) ?? []).filter((at) => at > t - config.windowMs)
      windows.set(key, log)
      if (log.length < config.limit) {
        log.push(t)
        return { allowed: true }
      }
      // With limit 0 there is no oldest entry: the client can never get in, so say "one window".
      const oldest = log[0] ?? t
      const untilFree = oldest + config.windowMs - t
      const retryAfterSeconds = config.retryAfterSeconds ?? Math.max(1, Math.ceil(untilFree / 1000))
      return { allowed: false, retryAfterSeconds }
    },
    clear() {
      windows.clear()
    },
  }
}
