/**
 * camunda-edge-auth/redis against a real redis-server started by the test, through node-redis as
 * it is and ioredis through its adapters: the sealed records and their PX expiry, the lease and
 * its compare-and-delete release, waiters that give up, records by pub/sub without another read,
 * and a Redis that stops and comes back.
 */
import Redis from 'ioredis'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createAuth,
  CoordinatorUnavailableError,
  InvalidArgumentError,
  parseCredentials,
  type AuthEvent,
  type Coordinator,
} from '../../src/index.ts'
import { listenDevAuthServer, type ListeningDevAuthServer } from '../../src/dev-server-node.ts'
import { devCredentials } from '../../src/dev-server.ts'
import {
  ioredisClient,
  ioredisSubscriber,
  redisCoordinator,
  redisStore,
  type RedisClientLike,
  type RedisCoordinatorOptions,
  type RedisSubscriberLike,
} from '../../src/redis.ts'
import { storeKey } from '../../src/token/store-key.ts'
import { redisStatus, startRedis, type TestRedis } from '../../bench/fleet/redis-server.ts'

let redis: TestRedis
let dev: ListeningDevAuthServer
const closers: (() => unknown)[] = []

beforeAll(async () => {
  redis = await startRedis()
  dev = await listenDevAuthServer({ rateLimit: false, tokenLifetimeSeconds: 300 })
})
afterAll(async () => {
  for (const close of closers.reverse()) await Promise.resolve(close()).catch(() => {})
  await dev?.close()
  await redis?.stop()
})

const credentials = () => parseCredentials(devCredentials(dev.url))
let prefixes = 0
const freshPrefix = () => `t${++prefixes}:`

interface Connection {
  readonly client: RedisClientLike
  readonly subscriber: RedisSubscriberLike
  /** How many GETs this connection sent. */
  readonly gets: () => number
}

/** A connection pair of one client library, with its GETs counted. */
const CLIENTS: Record<'node-redis' | 'ioredis', () => Promise<Connection>> = {
  async 'node-redis'() {
    const client = createClient({ url: redis.url })
    client.on('error', () => {})
    await client.connect()
    const subscriber = client.duplicate()
    subscriber.on('error', () => {})
    await subscriber.connect()
    closers.push(
      () => client.destroy(),
      () => subscriber.destroy(),
    )
    return counted(client, subscriber)
  },
  async ioredis() {
    const io = new Redis(redis.url, { lazyConnect: true })
    const sub = new Redis(redis.url, { lazyConnect: true })
    for (const connection of [io, sub]) connection.on('error', () => {})
    await Promise.all([io.connect(), sub.connect()])
    closers.push(
      () => io.disconnect(),
      () => sub.disconnect(),
    )
    return counted(ioredisClient(io), ioredisSubscriber(sub))
  },
}

function counted(client: RedisClientLike, subscriber: RedisSubscriberLike): Connection {
  let gets = 0
  const wrapped: RedisClientLike = {
    get: (key) => (gets++, client.get(key)),
    set: (key, value, options) => client.set(key, value, options),
    del: (key) => client.del(key),
    eval: (script, options) => client.eval(script, options),
    publish: (channel, message) => client.publish(channel, message),
  }
  return { client: wrapped, subscriber, gets: () => gets }
}

describe.skipIf(redisStatus.skip).each(['node-redis', 'ioredis'] as const)('on a real redis-server through %s', (library) => {
  const connect = () => CLIENTS[library]()

  it('keeps one sealed record per credential set under camunda-edge-auth:token:<store key>, expiring with PX from the token', async () => {
    const { client } = await connect()
    const prefix = freshPrefix()
    const before = dev.server.requests()
    const auth = createAuth({ credentials: credentials(), store: redisStore(client, { credentials: credentials(), prefix }) })
    const token = await auth.getToken()
    const key = `${prefix}token:${await storeKey(credentials(), 'zeebe.camunda.io')}`
    const dump = await redis.dump()
    expect(Object.keys(dump).filter((k) => k.startsWith(prefix))).toEqual([key])
    expect(JSON.parse(dump[key]!)).toEqual({ sealed: expect.stringMatching(/^[\w-]{40,}$/) })
    expect(dump[key]).not.toContain(token)
    // PX: the token's remaining life (300 s), to the second.
    const pttl = await (await CLIENTS['node-redis']()).client.eval("return redis.call('pttl', KEYS[1])", { keys: [key], arguments: [] })
    expect(Number(pttl)).toBeGreaterThan(290_000)
    expect(Number(pttl)).toBeLessThanOrEqual(300_000)
    // Another process (another connection, another auth object) reads it: no second request.
    const { client: other } = await connect()
    const reader = createAuth({ credentials: credentials(), store: redisStore(other, { credentials: credentials(), prefix }) })
    expect(await reader.getToken()).toBe(token)
    expect(dev.server.requests() - before).toBe(1)
  })

  it('the default prefix is camunda-edge-auth:', async () => {
    const { client } = await connect()
    const auth = createAuth({ credentials: credentials(), store: redisStore(client, { credentials: credentials() }) })
    await auth.getToken('operate')
    const key = `camunda-edge-auth:token:${await storeKey(credentials(), 'operate.camunda.io')}`
    expect(Object.keys(await redis.dump())).toContain(key)
  })

  it('8 auth objects on their own connections cold-start together with the lease: 1 token request', async () => {
    const prefix = freshPrefix()
    const before = dev.server.requests()
    dev.server.inject({ delayMs: 150 })
    const auths = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const { client } = await connect()
        return createAuth({
          credentials: credentials(),
          store: redisStore(client, { credentials: credentials(), prefix }),
          coordinator: redisCoordinator(client, { prefix }),
        })
      }),
    )
    const tokens = await Promise.all(auths.map((auth) => auth.getToken()))
    expect(new Set(tokens).size).toBe(1)
    expect(dev.server.requests() - before).toBe(1)
    expect(Object.keys(await redis.dump()).filter((k) => k.startsWith(`${prefix}lease:`))).toEqual([]) // released
  })

  it('a record that vanishes while others wait (expired, invalidated) is no news: they keep waiting for the holder, 1 request', async () => {
    const prefix = freshPrefix()
    const { client } = await connect()
    const key = `${prefix}token:${await storeKey(credentials(), 'zeebe.camunda.io')}`
    // Something at the record's key that is no usable token (here junk, which does not open): each
    // process reads it, wants a token, and waits for the lease with it as what it last saw.
    await client.set(key, 'junk', { expiration: { type: 'PX', value: 60_000 } })
    const before = dev.server.requests()
    dev.server.inject({ delayMs: 1_000 })
    const auths = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const own = await connect()
        return createAuth({
          credentials: credentials(),
          store: redisStore(own.client, { credentials: credentials(), prefix }),
          coordinator: redisCoordinator(own.client, { prefix }),
        })
      }),
    )
    const tokens = Promise.all(auths.map((auth) => auth.getToken()))
    // While the holder's request is under way, the record goes, as a PX expiry or invalidate() does.
    await new Promise((resolve) => setTimeout(resolve, 400))
    await client.del(key)
    expect(new Set(await tokens).size).toBe(1)
    expect(dev.server.requests() - before).toBe(1)
  })

  it('a holder whose lease lapsed cannot release the next holder’s lease (compare-and-delete)', async () => {
    const { client } = await connect()
    const prefix = freshPrefix()
    const slow = redisCoordinator(client, { prefix, leaseMs: 150 })
    const next = redisCoordinator(client, { prefix, leaseMs: 10_000 })
    const leaseKey = `${prefix}lease:k`
    let nextHolds!: () => void
    const nextReleased = new Promise<void>((resolve) => (nextHolds = resolve))
    let secondRunning!: Promise<unknown>
    await slow.withLock('k', async () => {
      await new Promise((resolve) => setTimeout(resolve, 250)) // the lease lapses meanwhile
      secondRunning = next.withLock('k', () => nextReleased)
      for (let i = 0; i < 50 && !(await redis.dump())[leaseKey]; i++) await new Promise((resolve) => setTimeout(resolve, 10))
      expect((await redis.dump())[leaseKey]).toBeTruthy()
    })
    // The first holder's release has run: the second holder's lease is still there.
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect((await redis.dump())[leaseKey]).toBeTruthy()
    nextHolds()
    await secondRunning
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect((await redis.dump())[leaseKey]).toBeUndefined()
  })

  it('a lease SET that timed out on a paused Redis is deleted as soon as it lands: its release is queued behind it', async () => {
    const { client } = await connect()
    const admin = createClient({ url: redis.url })
    admin.on('error', () => {})
    await admin.connect()
    closers.push(() => admin.destroy())
    const prefix = freshPrefix()
    await admin.sendCommand(['CLIENT', 'PAUSE', '700', 'ALL'])
    let ran = false
    const coordinator = redisCoordinator(client, { prefix, leaseMs: 60_000, commandTimeoutMs: 150 })
    await expect(coordinator.withLock('k', async () => void (ran = true))).rejects.toThrow(/took longer than 150 ms/)
    expect(ran).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, 900)) // the pause ends; the queued SET, then the release, run
    expect(Object.keys(await redis.dump()).filter((k) => k.startsWith(prefix))).toEqual([])
  })

  it('a waiter gives up by waitMs with CoordinatorUnavailableError, and at once when the caller withdraws', async () => {
    const { client } = await connect()
    const prefix = freshPrefix()
    await client.set(`${prefix}lease:k`, 'someone-else', { expiration: { type: 'PX', value: 60_000 } })
    const coordinator = redisCoordinator(client, { prefix, waitMs: 200, pollMs: 20 })
    let ran = false
    const started = Date.now()
    await expect(coordinator.withLock('k', async () => void (ran = true))).rejects.toBeInstanceOf(CoordinatorUnavailableError)
    expect(Date.now() - started).toBeGreaterThanOrEqual(190)
    const withdrawn = new AbortController()
    const waiting = redisCoordinator(client, { prefix }).withLock('k', async () => void (ran = true), { signal: withdrawn.signal })
    withdrawn.abort()
    await expect(waiting).rejects.toBeInstanceOf(CoordinatorUnavailableError)
    expect(ran).toBe(false)
  })

  it('with pub/sub, a waiting process takes the holder’s record from the message: no second read of the store', async () => {
    const prefix = freshPrefix()
    const before = dev.server.requests()
    dev.server.inject({ delayMs: 300 })
    const make = async () => {
      const connection = await connect()
      const options: RedisCoordinatorOptions = { prefix, subscriber: connection.subscriber, credentials: credentials(), pollMs: 1_000 }
      const events: AuthEvent[] = []
      const auth = createAuth({
        credentials: credentials(),
        store: redisStore(connection.client, { credentials: credentials(), prefix }),
        coordinator: redisCoordinator(connection.client, options),
        onEvent: (event) => events.push(event),
      })
      return { auth, connection, events }
    }
    const holder = await make()
    const waiter = await make()
    // Both subscribed before the holder publishes.
    await holder.auth.invalidate().then(() => waiter.auth.invalidate())
    await new Promise((resolve) => setTimeout(resolve, 100))
    const first = holder.auth.getToken()
    await new Promise((resolve) => setTimeout(resolve, 50)) // the holder has the lease
    const gets = waiter.connection.gets()
    const [a, b] = await Promise.all([first, waiter.auth.getToken()])
    expect(b).toBe(a)
    expect(dev.server.requests() - before).toBe(1)
    // One GET before the lock and one look at the record while waiting; none after the message.
    expect(waiter.connection.gets() - gets).toBeLessThanOrEqual(2)
    expect(waiter.events).toContainEqual({ type: 'cache_hit', api: 'zeebe', source: 'peer' })
  })

  it('a forged or foreign pub/sub message is ignored', async () => {
    const connection = await connect()
    const prefix = freshPrefix()
    const heard: unknown[] = []
    const coordinator = redisCoordinator(connection.client, { prefix, subscriber: connection.subscriber, credentials: credentials() })
    const key = await storeKey(credentials(), 'zeebe.camunda.io')
    const stop = coordinator.subscribe!(key, (record) => heard.push(record))
    await new Promise((resolve) => setTimeout(resolve, 100))
    const forged = JSON.stringify({
      v: 1,
      key,
      token: { accessToken: 'eyJ.forged.x', expiresAt: Date.now() + 1e9, receivedAt: Date.now() },
    })
    await connection.client.publish(`${prefix}record:${key}`, forged)
    await connection.client.publish(`${prefix}record:${key}`, JSON.stringify({ sealed: 'AAAA' }))
    // A record sealed for another credential set does not open under this one's key.
    const other = parseCredentials(devCredentials(dev.url, { clientId: 'dev-client', clientSecret: 'another-secret' }))
    const foreign = redisCoordinator(connection.client, { prefix, subscriber: connection.subscriber, credentials: other })
    foreign.publish!(key, { v: 1, key, token: { accessToken: 'eyJ.foreign.x', expiresAt: Date.now() + 60_000, receivedAt: Date.now() } })
    // And a genuine one does: the control.
    coordinator.publish!(key, {
      v: 1,
      key,
      token: { accessToken: 'eyJ.genuine.x', expiresAt: Date.now() + 60_000, receivedAt: Date.now() },
    })
    for (let i = 0; i < 50 && heard.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(heard).toEqual([expect.objectContaining({ token: expect.objectContaining({ accessToken: 'eyJ.genuine.x' }) })])
    stop()
  })
})

describe.skipIf(redisStatus.skip)('options', () => {
  const client = {} as RedisClientLike
  it('redisStore without credentials or encryptionKey is an InvalidArgumentError: records are never written in clear', () => {
    expect(() => redisStore(client, {} as never)).toThrow(InvalidArgumentError)
    expect(() => redisStore(client, undefined as never)).toThrow(/pass `credentials`/)
  })
  it('redisCoordinator with a subscriber but no key to seal messages is an InvalidArgumentError', () => {
    expect(() => redisCoordinator(client, { subscriber: {} as RedisSubscriberLike })).toThrow(/published records are sealed/)
  })
  it('durations that are not positive numbers are InvalidArgumentErrors naming the option', () => {
    expect(() => redisCoordinator(client, { leaseMs: 0 })).toThrow(/leaseMs must be a number of milliseconds > 0, got 0/)
    expect(() => redisCoordinator(client, { pollMs: Number.NaN })).toThrow(InvalidArgumentError)
    expect(() => redisStore(client, { credentials: credentials(), commandTimeoutMs: -1 })).toThrow(/commandTimeoutMs/)
  })
})

describe.skipIf(redisStatus.skip)('Redis stopped and restarted (one process)', () => {
  it('getToken still answers within a few seconds, with store_error and coordinator_error; after the restart auth objects share again', async () => {
    const connection = await CLIENTS['node-redis']()
    const prefix = freshPrefix()
    const make = (events: AuthEvent[]) =>
      createAuth({
        credentials: credentials(),
        store: redisStore(connection.client, { credentials: credentials(), prefix, retryAfterMs: 300 }),
        coordinator: redisCoordinator(connection.client, { prefix, retryAfterMs: 300 }) satisfies Coordinator,
        onEvent: (event) => events.push(event),
      })
    await make([]).getToken()
    await redis.stop()
    try {
      const events: AuthEvent[] = []
      const before = dev.server.requests()
      const started = Date.now()
      const token = await make(events).getToken()
      expect(token).toMatch(/^eyJ/)
      expect(Date.now() - started).toBeLessThan(5_000)
      expect(dev.server.requests() - before).toBe(1)
      expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['store_error', 'coordinator_error', 'token_received']))
    } finally {
      await redis.start()
    }
    // Back: once the client has reconnected and the pause has passed, two fresh auth objects share.
    await waitUntil(async () => (await connection.client.set(`${prefix}probe`, '1', { expiration: { type: 'PX', value: 1000 } })) === 'OK')
    await new Promise((resolve) => setTimeout(resolve, 350))
    const before = dev.server.requests()
    const [a, b] = await Promise.all([make([]).getToken(), make([]).getToken()])
    expect(a).toBe(b)
    expect(dev.server.requests() - before).toBe(1)
  })
})

async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition().catch(() => false)) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('condition never held')
}
