/**
 * One process of a fleet (`bench/fleet/fleet.ts` forks N of them): it connects to Redis once, then
 * for each `go` makes a fresh auth object (empty memory, as after a cold start) with the round's
 * store and coordinator, gets one token and reports it. Run with `node --import tsx`.
 * @module
 */

import { createRequire } from 'node:module'
import Redis from 'ioredis'
import { createClient } from 'redis'
import { createAuth, parseCredentials, type AuthEvent, type AuthOptions } from '../../src/index.ts'
import { fileLockCoordinator, fileStore } from '../../src/node.ts'
import {
  ioredisClient,
  ioredisSubscriber,
  redisCoordinator,
  redisStore,
  type RedisClientLike,
  type RedisSubscriberLike,
} from '../../src/redis.ts'
import type { ChildMessage, Round } from './protocol.ts'

const send = (message: ChildMessage) => process.send?.(message)
const env = process.env
const credentials = parseCredentials({
  CAMUNDA_OAUTH_URL: env.FLEET_TOKEN_URL!,
  ZEEBE_CLIENT_ID: env.FLEET_CLIENT_ID ?? 'dev-client',
  ZEEBE_CLIENT_SECRET: env.FLEET_CLIENT_SECRET ?? 'dev-secret',
  ZEEBE_TOKEN_AUDIENCE: 'zeebe.camunda.io',
  ZEEBE_REST_ADDRESS: `${new URL(env.FLEET_TOKEN_URL!).origin}/zeebe`,
})

interface Connections {
  readonly client: RedisClientLike
  readonly subscriber: RedisSubscriberLike
  ping(): Promise<unknown>
}

async function connect(): Promise<Record<'node-redis' | 'ioredis', Connections> | undefined> {
  const url = env.FLEET_REDIS_URL
  if (!url) return undefined
  // node-redis as users create it: default reconnect strategy and offline queue.
  const nodeRedis = createClient({ url })
  nodeRedis.on('error', () => {}) // reconnects are expected in the restart tests
  await nodeRedis.connect()
  const nodeSubscriber = nodeRedis.duplicate()
  nodeSubscriber.on('error', () => {})
  await nodeSubscriber.connect()
  const io = new Redis(url, { lazyConnect: true })
  io.on('error', () => {})
  await io.connect()
  const ioSub = new Redis(url, { lazyConnect: true })
  ioSub.on('error', () => {})
  await ioSub.connect()
  return {
    'node-redis': { client: nodeRedis, subscriber: nodeSubscriber, ping: () => nodeRedis.ping() },
    ioredis: { client: ioredisClient(io), subscriber: ioredisSubscriber(ioSub), ping: () => io.ping() },
  }
}

const connections = await connect()

/** The official SDK with its disk cache, where `round.mode` asks for it. */
function sdkHeaders(round: Round): Promise<{ authorization: string }> {
  const require = createRequire(import.meta.url)
  const { OAuthProvider } = require('@camunda8/sdk/dist/oauth/lib/OAuthProvider.js') as {
    OAuthProvider: new (options: {
      config: Record<string, unknown>
    }) => { getHeaders(audience: 'ZEEBE'): Promise<{ authorization: string }> }
  }
  const provider = new OAuthProvider({
    config: {
      CAMUNDA_OAUTH_URL: env.FLEET_TOKEN_URL,
      ZEEBE_CLIENT_ID: env.FLEET_CLIENT_ID ?? 'dev-client',
      ZEEBE_CLIENT_SECRET: env.FLEET_CLIENT_SECRET ?? 'dev-secret',
      CAMUNDA_ZEEBE_OAUTH_AUDIENCE: 'zeebe.camunda.io',
      CAMUNDA_TOKEN_DISK_CACHE_DISABLE: false,
      CAMUNDA_TOKEN_CACHE_DIR: round.dir,
      CAMUNDA_LOG_LEVEL: 'none',
    },
  })
  return provider.getHeaders('ZEEBE')
}

function authOptions(round: Round, onEvent: (event: AuthEvent) => void): AuthOptions {
  const base = { credentials, onEvent, ...(round.lockTimeoutMs && { lockTimeoutMs: round.lockTimeoutMs }) }
  if (round.mode === 'none') return base
  if (round.mode === 'file') {
    return { ...base, store: fileStore(round.dir!, { credentials }), coordinator: fileLockCoordinator(round.dir!) }
  }
  const redis = connections?.[round.client ?? 'node-redis']
  if (!redis) throw new Error('this fleet has no Redis (FLEET_REDIS_URL)')
  const timing = { ...(round.retryAfterMs && { retryAfterMs: round.retryAfterMs }), ...(round.prefix && { prefix: round.prefix }) }
  const store = redisStore(redis.client, { credentials, ...timing })
  if (round.mode === 'redis-store') return { ...base, store }
  const lease = { ...timing, ...(round.leaseMs && { leaseMs: round.leaseMs }) }
  const coordinator =
    round.mode === 'redis-pubsub'
      ? redisCoordinator(redis.client, { ...lease, subscriber: redis.subscriber, credentials })
      : redisCoordinator(redis.client, lease)
  return { ...base, store, coordinator }
}

async function runRound(round: Round): Promise<void> {
  const started = performance.now()
  const events: string[] = []
  try {
    if (round.mode === 'sdk-disk') {
      send({ type: 'requesting' })
      const { authorization } = await sdkHeaders(round)
      return void send({ type: 'token', token: authorization.slice('Bearer '.length), ms: performance.now() - started, events })
    }
    const auth = createAuth(
      authOptions(round, (event) => {
        events.push('message' in event ? `${event.type}: ${event.message}` : event.type)
        if (event.type === 'token_requested') send({ type: 'requesting' })
      }),
    )
    const token = await auth.getToken('zeebe')
    auth.close()
    send({ type: 'token', token, ms: performance.now() - started, events })
  } catch (error) {
    send({ type: 'failed', message: String(error), ms: performance.now() - started, events })
  }
}

process.on('message', (message: { type: 'go'; round: Round } | { type: 'await-redis' } | { type: 'exit' }) => {
  if (message.type === 'go') void runRound(message.round)
  else if (message.type === 'await-redis') {
    void (async () => {
      for (;;) {
        try {
          await Promise.all([connections!['node-redis'].ping(), connections!.ioredis.ping()])
          return send({ type: 'redis-ready' })
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
      }
    })()
  } else if (message.type === 'exit') process.exit(0)
})

send({ type: 'ready' })
