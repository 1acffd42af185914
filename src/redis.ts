/**
 * camunda-edge-auth/redis: a fleet of servers shares one token through Redis. A sealed token
 * store, and a lease (`SET NX PX`, compare-and-delete release) that serialises refreshes across
 * processes, with optional pub/sub. Works with the official `redis` package (node-redis) as it is,
 * and with `ioredis` through `ioredisClient`; the package depends on neither. Web APIs only: the
 * same entry runs on Node and on Deno (`npm:redis`).
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
 * @module camunda-edge-auth/redis
 */
export { redisStore, type RedisStoreOptions } from './redis/redis-store.ts'
export { redisCoordinator, type RedisCoordinatorOptions } from './redis/redis-coordinator.ts'
export { ioredisClient, ioredisSubscriber, type IoredisLike, type IoredisSubscriberLike } from './redis/ioredis.ts'
export {
  DEFAULT_REDIS_PREFIX,
  type RedisClientLike,
  type RedisSetOptions,
  type RedisSubscriberLike,
  type RedisTiming,
} from './redis/client.ts'
