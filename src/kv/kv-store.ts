/**
 * A token store over Workers KV, shared by every isolate bound to the namespace, encrypted at rest.
 *
 * KV's limits shape it:
 * - **Expiry.** Each record is written with `expirationTtl` equal to what is left of the token's
 *   life, in whole seconds, but at least 60 (KV refuses less). A token that lives under 60 s is
 *   therefore kept up to 60 s by KV; that is harmless, because reads validate every record and
 *   discard an expired token (`readStoredRecord`), exactly as if KV had deleted it.
 * - **One write per key per second.** A write that comes within a second of the previous write to
 *   the same key from this isolate is held and coalesced: only the latest record is written, once
 *   the second has passed. The caller is not made to wait, the isolate reads its own held record
 *   meanwhile, and a held write that fails is reported as `store_error` (never an unhandled
 *   rejection). A refused write (429) or any other failure never fails `getToken`: the token stays
 *   in memory.
 * - **Cached reads.** Reads pass `cacheTtl` (default 60 s): KV then answers from the location's
 *   cache, which is fast and cheap, but may be up to `cacheTtl` seconds old. A stale read is safe
 *   for tokens (an older token is still valid until its own expiry, which is checked on read); it
 *   can only make an isolate see a new token or a cooldown late, and so send a request another
 *   isolate has just made. Lower it (minimum 30) to narrow that window at the cost of more reads.
 * @module
 */

import { InvalidArgumentError } from '../errors.ts'

import { encryptedStore, storeEncryptionKey, type EncryptionKeySource } from '../stores/encrypted.ts'
import type { AuthEvent, Credentials, TokenStore } from '../types.ts'
import { errorMessage } from '../lib/error-message.ts'
import { parseJson } from '../lib/parse-json.ts'
import type { KvNamespaceLike } from './kv-namespace.ts'
import { keyWriteThrottle } from './write-throttle.ts'

/**
 * KV's shortest `expirationTtl`, in seconds.
 */
export const KV_MIN_EXPIRATION_TTL_SECONDS = 60
/**
 * KV's shortest `cacheTtl`, in seconds.
 */
export const KV_MIN_CACHE_TTL_SECONDS = 30

/**
 * Options of `kvStore`. One of `credentials` or `encryptionKey` is required: records are never
 * written in clear.
 *
 * @example
 * ```ts
 * kvStore(env.TOKENS, { credentials, cacheTtlSeconds: 30, waitUntil: (p) => ctx.waitUntil(p) })
 * ```
 */
export interface KvStoreOptions {
  /** The parsed credentials: the encryption key is derived from their client secret (HKDF). */
  readonly credentials?: Credentials
  /** An explicit AES-GCM key (or a function making one) instead of deriving it from the secret. */
  readonly encryptionKey?: EncryptionKeySource
  /** Seconds a read may be served from KV's location cache. Default 60; KV's minimum is 30. */
  readonly cacheTtlSeconds?: number
  /** Least time between two writes to one key from this isolate. Default 1000 ms (KV's limit). */
  readonly minWriteIntervalMs?: number
  /**
   * Keeps the isolate alive for a held-back write: pass `(p) => ctx.waitUntil(p)` from the
   * request's `ExecutionContext`. Without it a held write may be lost when the request ends;
   * that costs at most one extra token request later, never a wrong token.
   */
  readonly waitUntil?: (promise: Promise<unknown>) => void
}

/**
 * A `TokenStore` over a Workers KV namespace: tokens sealed with AES-GCM (a KV dump holds no
 * usable token), `expirationTtl` from the token's life, writes kept under KV's per-key limit, reads
 * served from KV's cache for `cacheTtlSeconds`. Values are JSON; anything that does not parse reads
 * as empty and is replaced by the next write.
 *
 * @example
 * ```ts
 * import { createAuth, parseCredentials } from 'camunda-edge-auth'
 * import { kvStore } from 'camunda-edge-auth/workers'
 *
 * export default {
 *   async fetch(request: Request, env: Env, ctx: ExecutionContext) {
 *     const credentials = parseCredentials(env)
 *     const auth = createAuth({ credentials, store: kvStore(env.TOKENS, { credentials, waitUntil: (p) => ctx.waitUntil(p) }) })
 *     return auth.fetch('zeebe', '/v2/topology')
 *   },
 * }
 * ```
 */
export function kvStore(namespace: KvNamespaceLike, options: KvStoreOptions): TokenStore {
  const key = storeEncryptionKey('kvStore', options)
  const cacheTtl = options.cacheTtlSeconds ?? 60
  if (!Number.isFinite(cacheTtl) || cacheTtl < KV_MIN_CACHE_TTL_SECONDS) {
    throw new InvalidArgumentError(`kvStore: cacheTtlSeconds must be at least ${KV_MIN_CACHE_TTL_SECONDS} (KV's minimum), got ${cacheTtl}`)
  }
  const listeners = new Set<(event: AuthEvent) => void>()
  const report = (operation: 'set' | 'delete', error: unknown): void => {
    const event: AuthEvent = { type: 'store_error', operation, message: `deferred KV ${operation} failed: ${errorMessage(error)}` }
    for (const emit of listeners) emit(event)
  }
  const throttle = keyWriteThrottle({
    intervalMs: options.minWriteIntervalMs ?? 1_000,
    onError: (error, write) => report(write.operation, error),
    ...(options.waitUntil && { waitUntil: options.waitUntil }),
  })

  const raw: TokenStore = {
    async get(storeKey) {
      const held = throttle.held(storeKey)
      const text = held ? held.value : await namespace.get(storeKey, { type: 'text', cacheTtl })
      return parseJson(text) // not JSON (not ours, or truncated): read as empty, replaced by the next write
    },
    set(storeKey, record, ttlMs) {
      const value = JSON.stringify(record)
      const expiresAt = Date.now() + ttlMs
      return throttle.write(storeKey, {
        operation: 'set',
        value,
        run: async () => {
          const left = expiresAt - Date.now()
          if (left <= 0) return // nothing in it is valid any more; a held write can get here
          await namespace.put(storeKey, value, { expirationTtl: expirationTtlSeconds(left) })
        },
      })
    },
    delete(storeKey) {
      return throttle.write(storeKey, { operation: 'delete', value: undefined, run: () => namespace.delete(storeKey) })
    },
    connect(emit) {
      listeners.add(emit)
      return () => listeners.delete(emit)
    },
  }
  return encryptedStore(raw, key)
}

/**
 * The `expirationTtl` for a record that must live `ms` more: whole seconds, never more than `ms`
 * (rounded down), never less than KV's minimum of 60.
 */
export function expirationTtlSeconds(ms: number): number {
  return Math.max(KV_MIN_EXPIRATION_TTL_SECONDS, Math.floor(ms / 1_000))
}
