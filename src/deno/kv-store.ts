/**
 * A token store over Deno KV, shared by every isolate of a Deno Deploy project (or every process
 * that opens the same database), encrypted at rest.
 *
 * Deno KV keeps values as structured data, so a record is stored as is, its token sealed by
 * `encryptedStore`. Each record is written with `expireIn` set to what is left of its life. KV
 * deletes expired keys lazily and may still return one for a while; that is harmless, because reads
 * validate every record and discard an expired token (`readStoredRecord`).
 * @module
 */

import { encryptedStore, storeEncryptionKey, type EncryptionKeySource } from '../stores/encrypted.ts'
import type { Credentials, TokenStore } from '../types.ts'
import { DEFAULT_KV_PREFIX, type DenoKvKey, type DenoKvLike } from './kv-like.ts'

/**
 * Options of `denoKvStore`. One of `credentials` or `encryptionKey` is required: records are never
 * written in clear.
 *
 * @example
 * ```ts
 * denoKvStore(kv, { credentials, prefix: 'my-app-tokens' })
 * ```
 */
export interface DenoKvStoreOptions {
  /** The parsed credentials: the encryption key is derived from their client secret (HKDF). */
  readonly credentials?: Credentials
  /** An explicit AES-GCM key (or a function making one) instead of deriving it from the secret. */
  readonly encryptionKey?: EncryptionKeySource
  /** The first part of every key written. Default `camunda-edge-auth`; give the lease coordinator the same. */
  readonly prefix?: string
}

/**
 * A `TokenStore` over Deno KV: tokens sealed with AES-GCM (a KV dump holds no usable token),
 * records under `[prefix, 'token', storeKey]`, expiring with the token.
 *
 * @example
 * ```ts
 * import { createAuth, parseCredentials } from 'camunda-edge-auth'
 * import { denoKvLeaseCoordinator, denoKvStore } from 'camunda-edge-auth/deno'
 *
 * const kv = await Deno.openKv()
 * const credentials = parseCredentials(Deno.env.toObject())
 * const auth = createAuth({ credentials, store: denoKvStore(kv, { credentials }), coordinator: denoKvLeaseCoordinator(kv) })
 * ```
 */
export function denoKvStore(kv: DenoKvLike, options: DenoKvStoreOptions): TokenStore {
  const encryptionKey = storeEncryptionKey('denoKvStore', options)
  const prefix = options.prefix ?? DEFAULT_KV_PREFIX
  const keyOf = (storeKey: string): DenoKvKey => [prefix, 'token', storeKey]
  const raw: TokenStore = {
    async get(storeKey) {
      return (await kv.get(keyOf(storeKey))).value ?? undefined
    },
    async set(storeKey, record, ttlMs) {
      await kv.set(keyOf(storeKey), record, { expireIn: Math.max(1, Math.ceil(ttlMs)) })
    },
    async delete(storeKey) {
      await kv.delete(keyOf(storeKey))
    },
  }
  return encryptedStore(raw, encryptionKey)
}
