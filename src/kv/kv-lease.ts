/**
 * A best-effort lock across isolates, held as a lease in Workers KV: fewer duplicate token
 * requests on a cold start, without a Durable Object.
 *
 * How it works: an isolate that needs a refresh reads `lease:<store key>`. If no live lease is
 * there it writes its own (`{ owner, since, until }`), waits `settleMs`, and reads it back; if it
 * still finds itself, it holds the lease and refreshes. Every other isolate waits, polling the
 * token record every `pollMs`, until the holder's new record appears (then it runs the refresh,
 * which re-reads the store, finds the token and sends nothing), or the lease lapses (then it
 * contends again), or `leaseMs` has passed (then it gives up and `createAuth` refreshes without
 * the lock, emitting `coordinator_error`).
 *
 * What it guarantees, given that KV is eventually consistent:
 * - It never blocks `getToken` for longer than about `leaseMs` (plus one KV round trip).
 * - It never causes a request that would not have been sent without it, and a failing KV only
 *   costs the lock, never a token: a lease that cannot be written gives up at once.
 * - It writes the lease key at most once per attempt, and pauses `pollMs` between attempts.
 * - It does not guarantee one request. Within one Cloudflare location a read usually sees the
 *   location's latest write, so isolates there mostly agree on one holder; across locations a
 *   write can take up to about 60 s to be seen, so each location may elect its own holder. Two
 *   isolates that write the lease at almost the same time may both read themselves back. It
 *   reduces duplicates; it does not eliminate them. For one request per credential set, use the
 *   Durable Object coordinator.
 *
 * Pair it with `kvStore` on the same namespace: waiters watch the KV key the store writes. Give
 * that store `cacheTtlSeconds: 30` too, so the refresh a waiter then runs reads what it just saw.
 * @module
 */

import { isObject } from '../lib/is-object.ts'
import { sleep } from '../lib/sleep.ts'
import { parseJson } from '../lib/parse-json.ts'
import type { Coordinator } from '../types.ts'
import type { KvNamespaceLike } from './kv-namespace.ts'
import { errorMessage } from '../lib/error-message.ts'
import { CoordinatorUnavailableError } from '../errors.ts'
import { KV_MIN_CACHE_TTL_SECONDS, KV_MIN_EXPIRATION_TTL_SECONDS } from './kv-store.ts'

/**
 * Options of `kvLeaseCoordinator`.
 *
 * @example
 * ```ts
 * kvLeaseCoordinator(env.TOKENS, { leaseMs: 8_000, settleMs: 100, pollMs: 200 })
 * ```
 */
export interface KvLeaseOptions {
  /**
   * How long a holder is trusted to finish its refresh, and the longest an isolate waits for a
   * lease before refreshing without one. Default 10 s; keep it above `createAuth`'s `timeoutMs`.
   */
  readonly leaseMs?: number
  /**
   * How long to wait after writing the lease before reading it back, so that the writes of
   * isolates starting together land first and all of them read the same winner. Default 100 ms.
   */
  readonly settleMs?: number
  /** How often a waiting isolate reads the token record and the lease. Default 200 ms. */
  readonly pollMs?: number
  /** `cacheTtl` of the lease and poll reads. Default 30 (KV's minimum, the freshest reads). */
  readonly cacheTtlSeconds?: number
  /** Keeps the isolate alive for the lease's release (a Worker's `ctx.waitUntil`). */
  readonly waitUntil?: (promise: Promise<unknown>) => void
  /** The clock. Default `Date.now`. */
  readonly now?: () => number
}

interface Lease {
  readonly owner: string
  /** When it was taken: KV takes one write per key a second, so its delete waits a second past it. */
  readonly since: number
  readonly until: number
}

/**
 * A `Coordinator` that elects one refreshing isolate per store key through a lease in KV. Best
 * effort: it reduces duplicate token requests across isolates, and never delays `getToken` for
 * longer than `leaseMs`.
 *
 * @example
 * ```ts
 * const auth = createAuth({
 *   credentials,
 *   store: kvStore(env.TOKENS, { credentials }),
 *   coordinator: kvLeaseCoordinator(env.TOKENS),
 * })
 * ```
 */
export function kvLeaseCoordinator(namespace: KvNamespaceLike, options: KvLeaseOptions = {}): Coordinator {
  const now = options.now ?? Date.now
  const leaseMs = options.leaseMs ?? 10_000
  const settleMs = options.settleMs ?? 100
  const pollMs = options.pollMs ?? 200
  const cacheTtl = Math.max(KV_MIN_CACHE_TTL_SECONDS, options.cacheTtlSeconds ?? KV_MIN_CACHE_TTL_SECONDS)
  const read = (key: string) => namespace.get(key, { type: 'text', cacheTtl })

  /** Writes a lease and reads it back: the lease when this isolate holds it. */
  async function contend(leaseKey: string): Promise<Lease | undefined> {
    const at = now()
    const mine: Lease = { owner: crypto.randomUUID(), since: at, until: at + leaseMs }
    try {
      const expirationTtl = Math.max(KV_MIN_EXPIRATION_TTL_SECONDS, Math.ceil(leaseMs / 1_000))
      await namespace.put(leaseKey, JSON.stringify(mine), { expirationTtl })
    } catch (error) {
      // No live lease and ours cannot be written (KV failing, or out of writes): retrying would
      // only add writes to a key KV allows one a second, and keep the caller waiting. Give up now;
      // createAuth refreshes without the lease and says so.
      throw new CoordinatorUnavailableError(`the KV lease could not be written: ${errorMessage(error)}`)
    }
    await sleep(settleMs)
    return readLease(await read(leaseKey))?.owner === mine.owner ? mine : undefined
  }

  function release(leaseKey: string, lease: Lease): void {
    // KV takes one write per key per second: the delete waits until a second after the put.
    const done = sleep(Math.max(0, lease.since + 1_000 - now())).then(async () => {
      if (now() < lease.until) await namespace.delete(leaseKey) // past `until` it may be another's
    })
    const settled = done.catch(() => {}) // the lease lapses by itself
    options.waitUntil?.(settled)
  }

  return {
    async withLock(key, fn) {
      const leaseKey = `lease:${key}`
      const deadline = now() + leaseMs
      const baseline = await read(key)
      for (;;) {
        const current = readLease(await read(leaseKey))
        if (!current || current.until <= now()) {
          const held = await contend(leaseKey)
          if (held) {
            try {
              return await fn()
            } finally {
              release(leaseKey, held)
            }
          }
          // Lost to another isolate whose lease KV has not shown yet: pause before reading again.
          await sleep(Math.min(pollMs, Math.max(0, deadline - now())))
        }
        // Another isolate holds the lease: wait for its record, or for the lease to lapse.
        for (;;) {
          if (now() >= deadline) throw new CoordinatorUnavailableError(`no KV lease for the token refresh within ${leaseMs} ms`)
          const [record, lease] = await Promise.all([read(key), read(leaseKey)])
          if (holderWrote(record, baseline)) return fn() // fn re-reads the store: no request
          const live = readLease(lease)
          if (!live || live.until <= now()) break
          await sleep(Math.min(pollMs, Math.max(0, deadline - now())))
        }
      }
    },
  }
}

/**
 * True when the token record changed since the wait began: the holder's refresh wrote it. The
 * record is sealed whole, so its text is all a waiter can compare; a write that lands before the
 * waiter's first read is found by the refresh it runs once the lease is gone.
 */
function holderWrote(text: string | null, baseline: string | null): boolean {
  return text !== baseline
}

function readLease(text: string | null): Lease | undefined {
  const value = parseJson(text)
  if (!isObject(value)) return undefined
  const { owner, since, until } = value
  if (typeof owner !== 'string' || typeof since !== 'number' || typeof until !== 'number') return undefined
  return { owner, since, until }
}
