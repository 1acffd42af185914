/**
 * `ioredis` behind the same interface as node-redis: ioredis spells `SET` options and `EVAL` keys
 * as positional arguments and delivers pub/sub messages as events, so two small adapters map them.
 * Declared structurally: the package does not depend on ioredis.
 * @module
 */

import type { RedisClientLike, RedisSubscriberLike } from './client.ts'

/**
 * The part of an `ioredis` client (`new Redis(url)`) that `ioredisClient` uses.
 *
 * @example
 * ```ts
 * import Redis from 'ioredis'
 * const redis: IoredisLike = new Redis(process.env.REDIS_URL!)
 * ```
 */
export interface IoredisLike {
  get(key: string): Promise<unknown>
  set(key: string, value: string, px: 'PX', milliseconds: number): Promise<unknown>
  set(key: string, value: string, px: 'PX', milliseconds: number, nx: 'NX'): Promise<unknown>
  del(key: string): Promise<unknown>
  eval(script: string, numkeys: number, ...keysAndArgs: string[]): Promise<unknown>
  publish(channel: string, message: string): Promise<unknown>
}

/**
 * The part of a subscribed `ioredis` connection that `ioredisSubscriber` uses.
 *
 * @example
 * ```ts
 * const subscriber: IoredisSubscriberLike = new Redis(process.env.REDIS_URL!)
 * ```
 */
export interface IoredisSubscriberLike {
  subscribe(channel: string): Promise<unknown>
  unsubscribe(channel: string): Promise<unknown>
  on(event: 'message', listener: (channel: string, message: string) => void): unknown
  off(event: 'message', listener: (channel: string, message: string) => void): unknown
}

/**
 * An `ioredis` client as the `RedisClientLike` that `redisStore` and `redisCoordinator` take.
 *
 * @example
 * ```ts
 * import Redis from 'ioredis'
 * import { ioredisClient, redisCoordinator, redisStore } from 'camunda-edge-auth/redis'
 *
 * const client = ioredisClient(new Redis(process.env.REDIS_URL!))
 * const auth = createAuth({ credentials, store: redisStore(client, { credentials }), coordinator: redisCoordinator(client) })
 * ```
 */
export function ioredisClient(redis: IoredisLike): RedisClientLike {
  return {
    get: (key) => redis.get(key),
    set: (key, value, { expiration, condition }) =>
      condition === 'NX' ? redis.set(key, value, 'PX', expiration.value, 'NX') : redis.set(key, value, 'PX', expiration.value),
    del: (key) => redis.del(key),
    eval: (script, { keys, arguments: args }) => redis.eval(script, keys.length, ...keys, ...args),
    publish: (channel, message) => redis.publish(channel, message),
  }
}

/**
 * A second `ioredis` connection as the `RedisSubscriberLike` of `redisCoordinator`'s pub/sub. It
 * must be a connection of its own: ioredis refuses other commands on a subscribed one.
 *
 * @example
 * ```ts
 * import Redis from 'ioredis'
 * const coordinator = redisCoordinator(client, { subscriber: ioredisSubscriber(new Redis(process.env.REDIS_URL!)), credentials })
 * ```
 */
export function ioredisSubscriber(redis: IoredisSubscriberLike): RedisSubscriberLike {
  const byChannel = new Map<string, Set<(message: string, channel: string) => void>>()
  const onMessage = (channel: string, message: string): void => {
    for (const listener of [...(byChannel.get(channel) ?? [])]) listener(message, channel)
  }
  let listening = false
  return {
    subscribe(channel, listener) {
      if (!listening) redis.on('message', onMessage)
      listening = true
      let set = byChannel.get(channel)
      if (!set) byChannel.set(channel, (set = new Set()))
      set.add(listener)
      return set.size === 1 ? redis.subscribe(channel) : Promise.resolve()
    },
    unsubscribe(channel, listener) {
      const set = byChannel.get(channel)
      if (!set?.delete(listener) || set.size > 0) return Promise.resolve()
      byChannel.delete(channel)
      if (byChannel.size === 0) {
        redis.off('message', onMessage)
        listening = false
      }
      return redis.unsubscribe(channel)
    },
  }
}
