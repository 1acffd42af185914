/**
 * A lock across Deno Deploy isolates, held as a lease in Deno KV: one token refresh per credential
 * set even when many isolates start cold together.
 *
 * Deno KV has atomic operations with versionstamp checks, so the lease is a real compare-and-set:
 * an isolate reads `[prefix, 'lease', storeKey]`; if no live lease is there, it writes its own with
 * `check({ key, versionstamp })`, and only one writer can succeed. The winner runs the refresh and
 * deletes the lease (only if it is still its own). The others poll until the lease is gone or has
 * lapsed, then take it in turn: their refresh re-reads the store, finds the new token and sends
 * nothing. A holder that dies leaves a lease that lapses after `leaseMs` (and that KV expires).
 *
 * It never blocks `getToken` for longer than `waitMs`: then it gives up with
 * `CoordinatorUnavailableError`, and `createAuth` refreshes without the lock, emitting
 * `coordinator_error`. A failing KV likewise costs the lock, never a token.
 * @module
 */

import { InvalidArgumentError } from '../errors.ts'

import { isObject } from '../lib/is-object.ts'
import { sleep } from '../lib/sleep.ts'
import type { Coordinator } from '../types.ts'
import { CoordinatorUnavailableError } from '../errors.ts'
import { DEFAULT_KV_PREFIX, type DenoKvKey, type DenoKvLike } from './kv-like.ts'

/**
 * Options of `denoKvLeaseCoordinator`.
 *
 * @example
 * ```ts
 * denoKvLeaseCoordinator(kv, { leaseMs: 15_000, pollMs: 100 })
 * ```
 */
export interface DenoKvLeaseOptions {
  /**
   * How long a holder is trusted to finish its refresh: a crashed isolate's lease lapses after it.
   * Default 15 s; keep it above `createAuth`'s `timeoutMs` (10 s).
   */
  readonly leaseMs?: number
  /** The longest wait for another isolate's lease before refreshing without the lock. Default `leaseMs`. */
  readonly waitMs?: number
  /** How often a waiting isolate reads the lease. Default 100 ms. */
  readonly pollMs?: number
  /** The first part of every key written. Default `camunda-edge-auth`; give `denoKvStore` the same. */
  readonly prefix?: string
  /** The clock, in epoch ms. Default `Date.now`. */
  readonly now?: () => number
}

interface Lease {
  readonly owner: string
  readonly until: number
}

/**
 * A `Coordinator` that serialises token refreshes across isolates through an atomic lease in
 * Deno KV. Pair it with `denoKvStore` on the same database, so that the isolates that waited find
 * the holder's token.
 *
 * @example
 * ```ts
 * const kv = await Deno.openKv()
 * const auth = createAuth({ credentials, store: denoKvStore(kv, { credentials }), coordinator: denoKvLeaseCoordinator(kv) })
 * ```
 */
export function denoKvLeaseCoordinator(kv: DenoKvLike, options: DenoKvLeaseOptions = {}): Coordinator {
  const now = options.now ?? Date.now
  const leaseMs = options.leaseMs ?? 15_000
  const waitMs = options.waitMs ?? leaseMs
  const pollMs = options.pollMs ?? 100
  const prefix = options.prefix ?? DEFAULT_KV_PREFIX
  for (const [name, value] of [
    ['leaseMs', leaseMs],
    ['waitMs', waitMs],
    ['pollMs', pollMs],
  ] as const) {
    if (!(Number.isFinite(value) && value > 0))
      throw new InvalidArgumentError(`denoKvLeaseCoordinator: ${name} must be a number > 0, got ${value}`)
  }

  return {
    async withLock(key, fn) {
      const leaseKey: DenoKvKey = [prefix, 'lease', key]
      const deadline = now() + waitMs
      for (;;) {
        const entry = await kv.get(leaseKey)
        const current = readLease(entry.value)
        if (!current || current.until <= now()) {
          const mine: Lease = { owner: crypto.randomUUID(), until: now() + leaseMs }
          const taken = await kv
            .atomic()
            .check({ key: leaseKey, versionstamp: entry.versionstamp })
            .set(leaseKey, mine, { expireIn: leaseMs })
            .commit()
          if (taken.ok) {
            try {
              return await fn()
            } finally {
              await release(kv, leaseKey, taken.versionstamp)
            }
          }
        }
        // Another isolate holds the lease, or took it first: wait, but never past the deadline.
        const left = deadline - now()
        if (left <= 0) throw new CoordinatorUnavailableError(`no Deno KV lease for the token refresh within ${waitMs} ms`)
        const live = current !== undefined && current.until > now()
        await sleep(Math.min(pollMs, left, live ? current.until - now() : pollMs))
      }
    },
  }
}

/** Deletes the lease if it is still the one this holder wrote; a failure leaves it to lapse. */
async function release(kv: DenoKvLike, leaseKey: DenoKvKey, versionstamp: string | undefined): Promise<void> {
  if (versionstamp === undefined) return
  try {
    await kv.atomic().check({ key: leaseKey, versionstamp }).delete(leaseKey).commit()
  } catch {
    // The lease lapses by itself after leaseMs.
  }
}

function readLease(value: unknown): Lease | undefined {
  if (!isObject(value)) return undefined
  const { owner, until } = value
  return typeof owner === 'string' && typeof until === 'number' ? { owner, until } : undefined
}
