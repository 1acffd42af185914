/**
 * A token store over Redis, shared by every process of a fleet that reaches the same Redis,
 * sealed at rest like every persistent store (`encryptedStore`).
 *
 * - **Keys**: `<prefix>token:<store key>`, prefix `camunda-edge-auth:` by default. The store key
 *   is a SHA-256 hash, so a key names no client, audience or secret.
 * - **Values**: JSON `{ "sealed": "…" }`, the whole record (token, times, cooldown) sealed with
 *   AES-GCM under a key derived from the client secret, the store key as additional data. A
 *   `KEYS`/`GET` dump holds no usable token; a value that does not open is ignored, reported as
 *   `store_error`, and replaced by the next write.
 * - **Expiry**: `SET … PX <ms>`, the record's remaining life, so Redis drops a record when its
 *   token ends.
 * - **Failures**: each command is bounded (`commandTimeoutMs`), and after a failure Redis is left
 *   alone for `retryAfterMs`; a throw becomes `store_error` in `createAuth` and the token lives in
 *   memory. `getToken` never fails or hangs because of Redis.
 * @module
 */

import { parseJson } from '../lib/parse-json.ts'
import { encryptedStore, storeEncryptionKey, type EncryptionKeySource } from '../stores/encrypted.ts'
import type { Credentials, TokenStore } from '../types.ts'
import { positiveMs } from '../lib/positive-ms.ts'
import { DEFAULT_REDIS_PREFIX, type RedisClientLike, type RedisTiming, redisCalls, replyText } from './client.ts'

/**
 * Options of `redisStore`. One of `credentials` or `encryptionKey` is required: records are never
 * written in clear.
 *
 * @example
 * ```ts
 * redisStore(client, { credentials, prefix: 'billing:camunda-edge-auth:', commandTimeoutMs: 500 })
 * ```
 */
export interface RedisStoreOptions extends RedisTiming {
  /** The parsed credentials: the encryption key is derived from their client secret (HKDF). */
  readonly credentials?: Credentials
  /** An explicit AES-GCM key (or a function making one) instead of deriving it from the secret. */
  readonly encryptionKey?: EncryptionKeySource
  /** The first part of every key. Default `camunda-edge-auth:`; give `redisCoordinator` the same. */
  readonly prefix?: string
}

/**
 * A `TokenStore` over Redis: records sealed with AES-GCM under `<prefix>token:<store key>`,
 * expiring with `PX` when their token does. Pair it with `redisCoordinator` on the same Redis so
 * that a fleet cold-starting together sends one token request.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis'
 * import { createAuth, parseCredentials } from 'camunda-edge-auth'
 * import { redisCoordinator, redisStore } from 'camunda-edge-auth/redis'
 *
 * const client = await createClient({ url: process.env.REDIS_URL }).connect()
 * const credentials = parseCredentials(process.env)
 * const auth = createAuth({ credentials, store: redisStore(client, { credentials }), coordinator: redisCoordinator(client) })
 * ```
 * @see {@link https://redis.io/docs/latest/commands/set/ Redis: SET with PX}
 */
export function redisStore(client: RedisClientLike, options: RedisStoreOptions): TokenStore {
  const encryptionKey = storeEncryptionKey('redisStore', options)
  positiveMs('redisStore', { commandTimeoutMs: options.commandTimeoutMs, retryAfterMs: options.retryAfterMs })
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX
  const keyOf = (storeKey: string) => `${prefix}token:${storeKey}`
  const call = redisCalls('redisStore', options)
  const raw: TokenStore = {
    async get(storeKey) {
      const text = replyText(await call('GET', () => client.get(keyOf(storeKey))))
      // Not JSON (another program's value, a truncated write): handed on as it is, so the sealing
      // layer reports it as a record that does not open, and the next write replaces it.
      return text === undefined ? undefined : (parseJson(text) ?? text)
    },
    async set(storeKey, record, ttlMs) {
      const value = JSON.stringify(record)
      await call('SET', () => client.set(keyOf(storeKey), value, { expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttlMs)) } }))
    },
    async delete(storeKey) {
      await call('DEL', () => client.del(keyOf(storeKey)))
    },
  }
  return encryptedStore(raw, encryptionKey)
}
