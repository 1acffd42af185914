/**
 * The Redis clients fit the package's structural interfaces: node-redis as it is, ioredis through
 * its adapters. A change in either client's types that breaks this fails the type check.
 */
import Redis from 'ioredis'
import { createClient } from 'redis'
import { expectTypeOf, test } from 'vitest'
import {
  ioredisClient,
  ioredisSubscriber,
  type IoredisLike,
  type IoredisSubscriberLike,
  type RedisClientLike,
  type RedisSubscriberLike,
} from '../../src/redis.ts'

test('a node-redis client is a RedisClientLike, and a duplicate of it a RedisSubscriberLike', () => {
  const client = createClient()
  expectTypeOf(client).toExtend<RedisClientLike>()
  expectTypeOf(client.duplicate()).toExtend<RedisSubscriberLike>()
})

test('an ioredis client fits the adapters', () => {
  const redis = new Redis({ lazyConnect: true })
  expectTypeOf(redis).toExtend<IoredisLike>()
  expectTypeOf(redis).toExtend<IoredisSubscriberLike>()
  expectTypeOf(ioredisClient(redis)).toEqualTypeOf<RedisClientLike>()
  expectTypeOf(ioredisSubscriber(redis)).toEqualTypeOf<RedisSubscriberLike>()
})
