/**
 * W3, rollover: one steady caller across several short token lifetimes. Did the client refresh
 * once per lifetime, and did any call wait on the network while a valid token existed?
 * @module
 */

import type { ClientFactory } from '../clients.ts'
import type { BenchEndpoint, RequestInterval } from '../endpoint.ts'

/**
 * The settings of W3.
 *
 * @example
 * ```ts
 * const settings: RolloverSettings = { lifetimes: 3, lifetimeSeconds: 4, everyMs: 50, slowMs: 5 }
 * ```
 */
export interface RolloverSettings {
  readonly lifetimes: number
  readonly lifetimeSeconds: number
  /** One call starts every `everyMs`, whether or not the previous one has resolved. */
  readonly everyMs: number
  /** A call slower than this is counted as slow (a cruder second opinion on "waited"). */
  readonly slowMs: number
}

/**
 * What one client did over the run.
 *
 * @example
 * ```ts
 * const { requests, waited, maxMs }: RolloverResult = await rollover(factory, endpoint, settings)
 * ```
 */
export interface RolloverResult {
  readonly calls: number
  readonly requests: number
  /** `requests` divided by the number of token lifetimes the run spanned. */
  readonly requestsPerLifetime: number
  /**
   * Calls after the first token that waited on the network: a token request was in flight during
   * the call, and the call resolved only after that request finished.
   */
  readonly waited: number
  /** Calls after the first token slower than `slowMs`. */
  readonly slow: number
  /** The slowest call after the first token, in ms. */
  readonly maxMs: number
  readonly failed: number
  /** When each token request started, in ms from the first call: what the chart plots. */
  readonly requestTimesMs: readonly number[]
}

interface Call {
  readonly start: number
  end: number
  ok: boolean
}

/**
 * Run one steady caller against a fresh client for `lifetimes` token lifetimes.
 *
 * @example
 * ```ts
 * await rollover(CLIENTS[1]!, endpoint, { lifetimes: 3, lifetimeSeconds: 4, everyMs: 50, slowMs: 5 })
 * ```
 */
export async function rollover(factory: ClientFactory, endpoint: BenchEndpoint, settings: RolloverSettings): Promise<RolloverResult> {
  const before = endpoint.server.requests({ clientId: factory.clientId })
  const firstInterval = endpoint.intervals.length
  const client = factory.create(endpoint)
  const durationMs = settings.lifetimes * settings.lifetimeSeconds * 1000
  const calls: Call[] = []
  const pending: Promise<void>[] = []
  const started = performance.now()
  try {
    for (let n = 0; n * settings.everyMs < durationMs; n++) {
      // Scheduled against the start time, so slow calls do not make the caller drift.
      const due = started + n * settings.everyMs
      const wait = due - performance.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      const call: Call = { start: performance.now(), end: 0, ok: true }
      calls.push(call)
      pending.push(
        client.call().then(
          () => void (call.end = performance.now()),
          () => void ((call.end = performance.now()), (call.ok = false)),
        ),
      )
    }
    await Promise.all(pending)
  } finally {
    await client.close()
  }
  // Clients run one after another, so every request since this run began is this client's.
  const intervals = endpoint.intervals.slice(firstInterval)
  const firstToken = intervals[0]?.end ?? Infinity
  const warm = calls.filter((c) => c.start >= firstToken)
  const requests = endpoint.server.requests({ clientId: factory.clientId }) - before
  return {
    calls: calls.length,
    requests,
    requestsPerLifetime: requests / settings.lifetimes,
    waited: warm.filter((c) => waitedOn(c, intervals)).length,
    slow: warm.filter((c) => c.end - c.start > settings.slowMs).length,
    maxMs: Math.max(0, ...warm.map((c) => c.end - c.start)),
    failed: calls.filter((c) => !c.ok).length,
    requestTimesMs: intervals.map((r) => r.start - started),
  }
}

function waitedOn(call: Call, intervals: readonly RequestInterval[]): boolean {
  return intervals.some((r) => r.start < call.end && r.end > call.start && call.end >= r.end)
}
