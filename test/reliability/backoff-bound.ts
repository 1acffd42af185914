/**
 * The documented backoff schedule as an upper bound: the most token requests a client may send in
 * `spanMs` of continuous failure. Failure n waits at least max(the server's wait, initialMs,
 * min(initialMs · 2^(n-1), maxMs) / 2) — the low end of the jitter — before request n + 1.
 */
export function maxRequestsWithin(spanMs: number, backoff: { initialMs: number; maxMs: number }, serverWaitMs = 0): number {
  let requests = 1
  let elapsed = 0
  for (let failure = 1; ; failure++) {
    const jitterLow = Math.min(backoff.initialMs * 2 ** (failure - 1), backoff.maxMs) / 2
    elapsed += Math.max(serverWaitMs, backoff.initialMs, jitterLow)
    if (elapsed > spanMs) return requests
    requests++
  }
}
