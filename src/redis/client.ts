/**
 * The part of a Redis client the Redis store and lease use, declared structurally: the official
 * `redis` package (node-redis) fits it as it is, `ioredis` through `ioredisClient`, and the package
 * depends on neither. Also the one place Redis commands are bounded in time.
 * @module
 */

import { errorMessage } from '../lib/error-message.ts'
import { withTimeout } from '../lib/with-timeout.ts'

/**
 * The `SET` options this package sends: an expiry in milliseconds (`PX`), and for the lease only
 * if the key does not exist yet (`NX`). node-redis's own `SetOptions` shape.
 *
 * @example
 * ```ts
 * await client.set(key, value, { condition: 'NX', expiration: { type: 'PX', value: 15_000 } })
 * ```
 * @see {@link https://redis.io/docs/latest/commands/set/ Redis: SET}
 */
export interface RedisSetOptions {
  readonly expiration: { readonly type: 'PX'; readonly value: number }
  readonly condition?: 'NX'
}

/**
 * A connected Redis client: what `redisStore` and `redisCoordinator` call. A client from the
 * official `redis` package (`createClient()`, then `await client.connect()`) is one as it is;
 * wrap an `ioredis` client with `ioredisClient`. Replies are read loosely: a string (or bytes)
 * for `GET`, `'OK'` or `null` for `SET`.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis'
 * const client: RedisClientLike = await createClient({ url: process.env.REDIS_URL }).connect()
 * ```
 */
export interface RedisClientLike {
  /** `GET key`: the value, or `null`. */
  get(key: string): Promise<unknown>
  /** `SET key value PX ms [NX]`: `'OK'`, or `null` when `NX` found the key. */
  set(key: string, value: string, options: RedisSetOptions): Promise<unknown>
  /** `DEL key`. */
  del(key: string): Promise<unknown>
  /** `EVAL script numkeys key… arg…`: the lease's compare-and-delete, one atomic step. */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
  /** `PUBLISH channel message`: used by `redisCoordinator` with a `subscriber`. */
  publish(channel: string, message: string): Promise<unknown>
}

/**
 * A second, subscribed connection: what `redisCoordinator` listens on for new records. Redis
 * takes no other command on a connection in subscribe mode, hence a connection of its own: with
 * node-redis `client.duplicate()`, connected; with ioredis `ioredisSubscriber(new Redis(…))`.
 *
 * @example
 * ```ts
 * const subscriber: RedisSubscriberLike = await client.duplicate().connect()
 * ```
 * @see {@link https://redis.io/docs/latest/develop/interact/pubsub/ Redis: Pub/Sub}
 */
export interface RedisSubscriberLike {
  /** `SUBSCRIBE channel`; `listener` hears each message on it. */
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>
  /** Stops `listener` hearing `channel` (and unsubscribes when it was the last). */
  unsubscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>
}

/**
 * The first part of every Redis key and channel this package uses, unless `prefix` says
 * otherwise: a token record is `camunda-edge-auth:token:<store key>`, a lease
 * `camunda-edge-auth:lease:<store key>`, the channel of new records
 * `camunda-edge-auth:record:<store key>`. One ACL pattern (`~camunda-edge-auth:*`) covers them.
 *
 * @example
 * ```ts
 * await client.keys(`${DEFAULT_REDIS_PREFIX}*`) // what the package keeps in Redis
 * ```
 */
export const DEFAULT_REDIS_PREFIX = 'camunda-edge-auth:'

/**
 * The timing options `redisStore` and `redisCoordinator` share: how long one command may take, and
 * how long Redis is left alone after one failed.
 *
 * @example
 * ```ts
 * const timing: RedisTiming = { commandTimeoutMs: 500, retryAfterMs: 5_000 }
 * redisStore(client, { credentials, ...timing })
 * ```
 */
export interface RedisTiming {
  /** Longest wait for one Redis command before it counts as failed. Default 1 s. */
  readonly commandTimeoutMs?: number
  /**
   * After a command fails or times out, Redis is left alone this long: calls in between fail at
   * once (a `store_error` or `coordinator_error`, then memory and single flight) instead of each
   * waiting out `commandTimeoutMs` on a Redis that is down. Default 2 s.
   */
  readonly retryAfterMs?: number
}

/** Runs one Redis command with a time limit; rejects at once while Redis is being left alone. */
export type RedisCall = <T>(command: string, run: () => Promise<T>) => Promise<T>

/**
 * A bounded way to call Redis, for one store or coordinator: a command that fails or takes longer
 * than `commandTimeoutMs` fails, and so does every command in the `retryAfterMs` after it. A
 * client with an offline queue (node-redis and ioredis both queue while reconnecting) would
 * otherwise hold every call until Redis came back.
 */
export function redisCalls(what: string, timing: RedisTiming, now: () => number = Date.now): RedisCall {
  const timeoutMs = timing.commandTimeoutMs ?? 1_000
  const retryAfterMs = timing.retryAfterMs ?? 2_000
  let failedAt = Number.NEGATIVE_INFINITY
  let failure = ''
  return async (command, run) => {
    const since = now() - failedAt
    if (since < retryAfterMs) {
      throw new Error(`${what}: Redis failed ${Math.round(since)} ms ago (${failure}); not asked again for ${retryAfterMs} ms`)
    }
    try {
      // A client may throw synchronously (a closed node-redis client does): that is a failure too.
      return await withTimeout((async () => run())(), timeoutMs, `${what}: Redis ${command} took longer than ${timeoutMs} ms`)
    } catch (error) {
      failedAt = now()
      failure = errorMessage(error)
      throw error
    }
  }
}

/** A `GET` reply as text: node-redis and ioredis give a string, a client in buffer mode bytes. */
export function replyText(reply: unknown): string | undefined {
  if (typeof reply === 'string') return reply
  if (reply instanceof Uint8Array) return new TextDecoder().decode(reply)
  return undefined
}
