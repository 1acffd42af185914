/**
 * Section 2, store and coordinator faults: stores that throw, hang or hold junk, and coordinators
 * that never grant the lock or throw; Redis slow, refused, refusing writes or holding junk, on a
 * real redis-server. In every case the bad record is ignored or replaced, nothing
 * crashes, and getToken still succeeds while the endpoint works.
 */
import { afterAll, beforeAll, describe, expect, vi } from 'vitest'
import { deriveEncryptionKey, memoryStore, type AuthEvent, type Coordinator, type StoredRecord, type TokenStore } from '../../src/index.ts'
import { storeKey } from '../../src/token/store-key.ts'
import {
  durableObjectCoordinator,
  kvLeaseCoordinator,
  kvStore,
  type KvNamespaceLike,
  type KvStoreOptions,
  type StubResponseLike,
} from '../../src/workers.ts'
import { IDBDatabase as FakeIDBDatabase, IDBObjectStore as FakeIDBObjectStore, indexedDB as fakeIndexedDB } from 'fake-indexeddb'
import { indexedDBStore } from '../../src/browser.ts'
import { freshDbName, putRaw, rawEntries, rawKeyEntry } from '../browser/raw-idb.ts'
import { claimsOf, harness, T0 } from '../helpers/harness.ts'
import { brokenDurableObject, faultyNamespace, useMiniflareKv, tooManyRequests } from './adapters/workers-bindings.ts'
import { section } from './summary.ts'
import Redis from 'ioredis'
import { createClient, type RedisClientType } from 'redis'
import { ioredisClient, redisCoordinator, redisStore, type RedisClientLike } from '../../src/redis.ts'
import { freePort, redisStatus, startRedis, type TestRedis } from '../../bench/fleet/redis-server.ts'

const { check } = section('store and coordinator faults')

const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => void unhandled.push(reason)
beforeAll(() => void process.on('unhandledRejection', onUnhandled))
afterAll(() => void process.off('unhandledRejection', onUnhandled))

const never = () => new Promise<never>(() => {})
const throws = (what: unknown) => () => Promise.reject(what)
const throwsSync = () => {
  throw new Error('sync throw')
}

/** A store whose `get` answers with `value` for every key, and that records what it is given. */
function storeHolding(value: (key: string) => unknown) {
  const written: StoredRecord[] = []
  const store: TokenStore = {
    get: async (key) => value(key),
    set: async (_key, record) => void written.push(record),
    delete: async () => {},
  }
  return { store, written }
}

async function getsTokens(options: Parameters<ReturnType<typeof harness>['make']>[0], requests = 1) {
  const h = harness()
  const auth = h.make(options)
  const tokens = await Promise.all(Array.from({ length: 5 }, () => auth.getToken()))
  expect(new Set(tokens).size).toBe(1)
  expect(tokens[0]).toMatch(/^eyJ/)
  expect(await auth.getToken()).toBe(tokens[0])
  await auth.invalidate()
  expect(await auth.getToken()).toMatch(/^eyJ/)
  expect(h.server.requests()).toBe(requests + 1)
  await new Promise((resolve) => setTimeout(resolve, 5))
  expect(unhandled).toEqual([])
  return h
}

describe('store faults', () => {
  const broken = (patch: Partial<Record<'get' | 'set' | 'delete', () => Promise<never>>>): TokenStore => ({ ...memoryStore(), ...patch })
  check('get throws', async () => {
    const { events } = await getsTokens({ store: broken({ get: throws(new Error('get failed')) }) })
    expect(events).toContainEqual({ type: 'store_error', operation: 'get', message: 'Error: get failed' })
  })
  check('set throws', async () => void (await getsTokens({ store: broken({ set: throws(new Error('quota')) }) })))
  check('delete throws', async () => void (await getsTokens({ store: broken({ delete: throws(new Error('locked')) }) })))
  check(
    'every operation throws a non-Error',
    async () => void (await getsTokens({ store: broken({ get: throws('x'), set: throws(42), delete: throws(null) }) })),
  )
  check('every operation throws synchronously', async () => {
    await getsTokens({ store: { get: throwsSync, set: throwsSync, delete: throwsSync } as unknown as TokenStore })
  })
  check('the store never answers', async () => {
    const { events } = await getsTokens({ store: { get: never, set: never, delete: never }, storeTimeoutMs: 20 })
    expect(events.some((e) => e.type === 'store_error' && /longer than 20 ms/.test(e.message))).toBe(true)
  })
  check('the store is slow but answers', async () => {
    const inner = memoryStore()
    const slow: TokenStore = {
      get: async (key) => (await new Promise((r) => setTimeout(r, 30)), inner.get(key)),
      set: async (key, record, ttl) => (await new Promise((r) => setTimeout(r, 30)), inner.set(key, record, ttl)),
      delete: (key) => inner.delete(key),
    }
    await getsTokens({ store: slow })
  })
})

describe('records that are not ours', () => {
  const junk: Array<[string, (key: string) => unknown]> = [
    ['a string', () => 'eyJ.not.a.record'],
    ['a number', () => 42],
    ['an array', () => [{ v: 1 }]],
    ['null', () => null],
    [
      'a record of another version',
      (key) => ({ v: 2, key, token: { accessToken: 'x', expiresAt: Date.now() * 2, receivedAt: Date.now() } }),
    ],
    ['a record with NaN times', (key) => ({ v: 1, key, token: { accessToken: 'abc', expiresAt: Number.NaN, receivedAt: 0 } })],
    [
      'a record with an oversized token',
      (key) => ({ v: 1, key, token: { accessToken: 'a'.repeat(1_000_000), expiresAt: Date.now() + 60_000, receivedAt: Date.now() } }),
    ],
    [
      'a record with a header-injecting token',
      (key) => ({ v: 1, key, token: { accessToken: 'a\r\nx-evil: 1', expiresAt: Date.now() + 60_000, receivedAt: Date.now() } }),
    ],
    [
      'a record with __proto__ keys',
      (key) => JSON.parse(`{"v":1,"key":"${key}","__proto__":{"token":{"accessToken":"p","expiresAt":9e12,"receivedAt":1}}}`),
    ],
    [
      'a cooldown lasting a year',
      (key) => ({ v: 1, key, cooldown: { reason: 'invalid_client', until: Date.now() + 365 * 86_400_000, failures: 1 } }),
    ],
  ]
  for (const [name, value] of junk) {
    check(`${name} is ignored and replaced`, async () => {
      const { store, written } = storeHolding(value)
      await getsTokens({ store })
      expect(written[0]?.token?.accessToken).toMatch(/^eyJ/)
      expect(Object.prototype).not.toHaveProperty('token')
    })
  }

  check('a valid record of another credential set is ignored', async () => {
    // Written by another client's auth object, then found under our key.
    const other = harness(
      { clients: [{ clientId: 'other', clientSecret: 'other-secret' }] },
      {},
      { ZEEBE_CLIENT_ID: 'other', ZEEBE_CLIENT_SECRET: 'other-secret' },
    )
    const records = new Map<string, unknown>()
    const recording: TokenStore = { get: async (k) => records.get(k), set: async (k, r) => void records.set(k, r), delete: async () => {} }
    const foreignToken = await other.make({ store: recording }).getToken()
    const [foreign] = records.values()
    const { store } = storeHolding(() => foreign)
    const h = await getsTokens({ store })
    expect(h.events.some((e) => e.type === 'cache_hit' && e.source === 'store')).toBe(false)
    expect(foreignToken).toMatch(/^eyJ/)
  })
})

describe('coordinator faults', () => {
  check('the lock never resolves', async () => {
    const { events } = await getsTokens({ coordinator: { withLock: never }, lockTimeoutMs: 30 })
    expect(events.some((e) => e.type === 'coordinator_error')).toBe(true)
  })
  check('the lock throws', async () => void (await getsTokens({ coordinator: { withLock: throws(new Error('no locks')) } })))
  check(
    'the lock throws synchronously',
    async () => void (await getsTokens({ coordinator: { withLock: throwsSync } as unknown as Coordinator })),
  )
  check('publish and subscribe throw', async () => {
    const coordinator: Coordinator = { withLock: (_key, fn) => fn(), publish: throwsSync, subscribe: throwsSync }
    const { events } = await getsTokens({ coordinator })
    expect(events.filter((e) => e.type === 'coordinator_error').length).toBeGreaterThanOrEqual(2)
  })
  check('the lock runs fn twice', async () => {
    const coordinator: Coordinator = { withLock: async (_key, fn) => (await fn(), fn()) }
    await getsTokens({ coordinator })
  })
})

describe('IndexedDB store faults', () => {
  // Each case runs against fake-indexeddb, or a broken stand-in, as the global factory.
  const withIndexedDB = async (factory: unknown, run: () => Promise<void>) => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB')
    Object.defineProperty(globalThis, 'indexedDB', { value: factory, configurable: true, writable: true })
    try {
      await run()
    } finally {
      if (saved) Object.defineProperty(globalThis, 'indexedDB', saved)
      else delete (globalThis as { indexedDB?: unknown }).indexedDB
      vi.restoreAllMocks()
    }
  }
  /** The store fell back to memory once, and said so once; no store_error reached the auth object. */
  const expectDegradedOnce = (events: readonly { type: string }[]) => {
    expect(events.filter((e) => e.type === 'store_degraded')).toHaveLength(1)
    expect(events.filter((e) => e.type === 'store_error')).toEqual([])
  }
  const dom = (name: string) => new DOMException(`${name} (fake)`, name)

  check('IndexedDB is missing', () =>
    withIndexedDB(undefined, async () => expectDegradedOnce((await getsTokens({ store: indexedDBStore() })).events)),
  )
  check('opening throws a SecurityError', () =>
    withIndexedDB(
      {
        open: () => {
          throw dom('SecurityError')
        },
      },
      async () => expectDegradedOnce((await getsTokens({ store: indexedDBStore() })).events),
    ),
  )
  check('opening never settles', () =>
    withIndexedDB({ open: () => ({}) }, async () =>
      expectDegradedOnce((await getsTokens({ store: indexedDBStore({ openTimeoutMs: 20 }) })).events),
    ),
  )
  check('a database of the same name without the object store', () =>
    withIndexedDB(fakeIndexedDB, async () => {
      const dbName = freshDbName('foreign-db')
      await new Promise<void>((resolve, reject) => {
        const request = fakeIndexedDB.open(dbName, 3)
        request.onupgradeneeded = () => request.result.createObjectStore('something-else')
        request.onsuccess = () => (request.result.close(), resolve())
        request.onerror = () => reject(request.error)
      })
      const { events } = await getsTokens({ store: indexedDBStore({ dbName }) })
      expectDegradedOnce(events)
      expect(events.find((e) => e.type === 'store_degraded')).toMatchObject({ message: expect.stringMatching(/NotFoundError/) })
    }),
  )
  for (const [method, target] of [
    ['get', FakeIDBObjectStore.prototype],
    ['put', FakeIDBObjectStore.prototype],
    ['delete', FakeIDBObjectStore.prototype],
    ['transaction', FakeIDBDatabase.prototype],
  ] as const) {
    check(`${method} throws mid-life`, () =>
      withIndexedDB(fakeIndexedDB, async () => {
        const store = indexedDBStore({ dbName: freshDbName(`midlife-${method}`) })
        await store.set('warm-up', { v: 1, key: 'warm-up', cooldown: { reason: 'backoff', until: Date.now() + 5_000, failures: 1 } }, 5_000)
        vi.spyOn(target as unknown as Record<string, () => unknown>, method).mockImplementation(() => {
          throw dom(method === 'put' ? 'QuotaExceededError' : 'InvalidStateError')
        })
        const { events } = await getsTokens({ store })
        expectDegradedOnce(events)
      }),
    )
  }

  const junkEntries: Array<[string, (key: string) => unknown]> = [
    ['a string', () => 'eyJ.not.an.entry'],
    ['an entry without expiry', (key) => ({ record: { v: 1, key } })],
    ['an entry whose record is a string', () => ({ expiresAt: Date.now() + 60_000, record: 'junk' })],
    [
      'a sealed token that is not base64url',
      (key) => ({
        expiresAt: Date.now() + 60_000,
        record: { v: 1, key, token: { sealed: '%%%', expiresAt: Date.now() + 60_000, receivedAt: Date.now() } },
      }),
    ],
    [
      'a sealed token too short for its IV',
      (key) => ({
        expiresAt: Date.now() + 60_000,
        record: { v: 1, key, token: { sealed: 'AAAA', expiresAt: Date.now() + 60_000, receivedAt: Date.now() } },
      }),
    ],
    [
      'a token in clear',
      (key) => ({
        expiresAt: Date.now() + 60_000,
        record: { v: 1, key, token: { accessToken: 'eyJhbGciOiJub25lIn0.e30.', expiresAt: Date.now() + 60_000, receivedAt: Date.now() } },
      }),
    ],
  ]
  for (const [name, entry] of junkEntries) {
    check(`IndexedDB holding ${name} under the store key: ignored and replaced`, () =>
      withIndexedDB(fakeIndexedDB, async () => {
        const dbName = freshDbName('junk')
        const h = harness()
        const key = await storeKey(h.credentials, h.credentials.audiences.zeebe)
        await indexedDBStore({ dbName }).get('create-the-database')
        await putRaw(dbName, [[key, entry(key)]])
        const { events } = await getsTokens({ store: indexedDBStore({ dbName }) })
        // Not a fall back to memory: a record that does not authenticate is reported and replaced.
        expect(events.filter((e) => e.type === 'store_degraded')).toEqual([])
        const errors = events.filter((e) => e.type === 'store_error')
        expect(errors.every((e) => /did not authenticate/.test(e.message))).toBe(true)
        // An entry IndexedDB's own layer already refuses (no expiry, not an entry) never reaches the seal.
        const reachesTheSeal = typeof entry(key) === 'object' && 'expiresAt' in (entry(key) as object)
        expect(errors.length > 0).toBe(reachesTheSeal)
        const stored = new Map(await rawEntries(dbName)).get(key) as { record?: { sealed?: unknown } }
        expect(Object.keys(stored.record ?? {})).toEqual(['sealed'])
      }),
    )
  }

  for (const [name, value] of [
    ['a string', async () => 'not a key'],
    ['an extractable AES key', () => crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt'])],
    ['an HMAC key', () => crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])],
  ] as const) {
    check(`the encryption key entry holds ${name}: replaced by a new key, tokens still shared`, () =>
      withIndexedDB(fakeIndexedDB, async () => {
        const dbName = freshDbName('key-junk')
        await indexedDBStore({ dbName }).get('create-the-database')
        const [keyEntry] = await rawKeyEntry(dbName)
        await putRaw(dbName, [[keyEntry, await value()]])
        const { events, server, make } = await getsTokens({ store: indexedDBStore({ dbName }) })
        expect(events.filter((e) => e.type === 'store_degraded' || e.type === 'store_error')).toEqual([])
        expect(await make({ store: indexedDBStore({ dbName }) }).getToken()).toMatch(/^eyJ/)
        expect(server.requests()).toBe(2) // the new auth object was served from IndexedDB
      }),
    )
  }
})

describe('Workers adapters over a real KV namespace (Miniflare)', () => {
  /** Held writes and lease releases (via waitUntil): awaited before reading KV, and before Miniflare goes. */
  const kv = useMiniflareKv()
  const { pending, waitUntil } = kv

  /** Least time between two writes of one key: short, so that held writes flush within a case. */
  const WRITE_INTERVAL_MS = 40
  let clients = 0
  /** A harness with a credential set of its own: its store keys are its own in the shared namespace. */
  const freshHarness = () => {
    const clientId = `workers-faults-${++clients}`
    const clientSecret = `workers-faults-secret-${clients}-${crypto.randomUUID()}`
    return harness({ clients: [{ clientId, clientSecret }] }, {}, { ZEEBE_CLIENT_ID: clientId, ZEEBE_CLIENT_SECRET: clientSecret })
  }
  type Harness = ReturnType<typeof freshHarness>
  const storeOf = (h: Harness, namespace: KvNamespaceLike = kv.real.namespace, options: Partial<KvStoreOptions> = {}) =>
    kvStore(namespace, { credentials: h.credentials, minWriteIntervalMs: WRITE_INTERVAL_MS, waitUntil, ...options })
  const zeebeKey = (h: Harness) => storeKey(h.credentials, h.credentials.audiences.zeebe)
  const ofType = <T extends AuthEvent['type']>(h: Harness, type: T) =>
    h.events.filter((e): e is Extract<AuthEvent, { type: T }> => e.type === type)

  /**
   * Five concurrent callers share one token, a cache hit follows, and after an invalidation one more
   * token comes: `requests` token requests before the invalidation, one after. Held writes are let
   * flush before checking that nothing was left unhandled.
   */
  async function servesTokens(h: Harness, options: Parameters<Harness['make']>[0], requests = 1) {
    const auth = h.make(options)
    const tokens = await Promise.all(Array.from({ length: 5 }, () => auth.getToken()))
    expect(new Set(tokens).size).toBe(1)
    expect(tokens[0]).toMatch(/^eyJ/)
    expect(await auth.getToken()).toBe(tokens[0])
    await auth.invalidate('zeebe')
    expect(await auth.getToken()).toMatch(/^eyJ/)
    expect(h.server.requests()).toBe(requests + 1)
    await Promise.allSettled(pending)
    await new Promise((resolve) => setTimeout(resolve, WRITE_INTERVAL_MS + 20))
    expect(unhandled).toEqual([])
    return auth
  }
  /** What KV holds under `key`, parsed: our own record, sealed whole, nothing of it in clear. */
  const sealedRecordUnder = async (key: string) => {
    const raw = await kv.real.readRaw(key)
    const record = JSON.parse(raw ?? 'null') as { sealed?: string }
    expect(Object.keys(record)).toEqual(['sealed'])
    expect(typeof record.sealed).toBe('string')
    return record
  }
  /** Every store_error of the case says a record did not authenticate: the forgery was noticed, nothing else failed. */
  const onlyNotAuthentic = (h: Harness) => ofType(h, 'store_error').every((e) => /did not authenticate/.test(e.message))

  describe('kvStore faults', () => {
    check('KV get throws: tokens still served, store_error for each read, the record still written to KV', async () => {
      const h = freshHarness()
      const { namespace } = faultyNamespace(kv.real.namespace, (op) =>
        op === 'get' ? Promise.reject(new Error('KV GET failed: 500 Internal Server Error')) : undefined,
      )
      await servesTokens(h, { store: storeOf(h, namespace) })
      const errors = ofType(h, 'store_error')
      expect(errors.length).toBeGreaterThanOrEqual(2)
      expect(errors.every((e) => e.operation === 'get' && e.message === 'Error: KV GET failed: 500 Internal Server Error')).toBe(true)
      await sealedRecordUnder(await zeebeKey(h))
    })

    check(
      'KV refuses every write like its 429: tokens served from memory, store_error for the direct and the held write, KV left empty',
      async () => {
        const h = freshHarness()
        const { namespace, calls } = faultyNamespace(kv.real.namespace, (op) =>
          op === 'get' ? undefined : tooManyRequests(op === 'put' ? 'PUT' : 'DELETE'),
        )
        // KV's own interval (1 s), so that the write after the invalidation is surely held, and fails later.
        await servesTokens(h, { store: storeOf(h, namespace, { minWriteIntervalMs: 1_000 }) })
        const errors = ofType(h, 'store_error')
        expect(errors.map((e) => e.operation)).toEqual(['set', 'set'])
        expect(errors[0]!.message).toBe('Error: KV PUT failed: 429 Too Many Requests')
        expect(errors[1]!.message).toBe('deferred KV set failed: Error: KV PUT failed: 429 Too Many Requests')
        expect(calls.put).toBe(2) // the delete of the invalidation was replaced by the held write
        expect(await kv.real.readRaw(await zeebeKey(h))).toBeNull()
      },
    )

    check('KV delete throws: the invalidation still drops the token, the next one is fetched', async () => {
      const h = freshHarness()
      const { namespace, calls } = faultyNamespace(kv.real.namespace, (op) =>
        op === 'delete' ? Promise.reject(new Error('KV DELETE failed: 503')) : undefined,
      )
      // Writes sent at once, so the delete reaches KV instead of being replaced by the next write.
      await servesTokens(h, { store: storeOf(h, namespace, { minWriteIntervalMs: 0 }) })
      expect(calls.delete).toBe(1)
      expect(ofType(h, 'store_error')).toEqual([{ type: 'store_error', operation: 'delete', message: 'Error: KV DELETE failed: 503' }])
      await sealedRecordUnder(await zeebeKey(h))
    })

    check('every KV operation throws synchronously (writes sent at once): tokens served, each failure a store_error', async () => {
      const h = freshHarness()
      const { namespace } = faultyNamespace(kv.real.namespace, (op) => {
        throw new TypeError(`binding broken: ${op}`)
      })
      await servesTokens(h, { store: storeOf(h, namespace, { minWriteIntervalMs: 0 }) })
      expect(new Set(ofType(h, 'store_error').map((e) => e.operation))).toEqual(new Set(['get', 'set', 'delete']))
    })

    check('a held delete whose KV call throws synchronously becomes a store_error, never an uncaught throw', async () => {
      const h = freshHarness()
      const { namespace } = faultyNamespace(kv.real.namespace, (op) => {
        if (op === 'delete') throw new TypeError('binding broken: delete')
        return undefined
      })
      const auth = h.make({ store: storeOf(h, namespace) })
      await auth.getToken()
      await auth.invalidate('zeebe') // within WRITE_INTERVAL_MS of the put: held, then run from a timer
      await Promise.allSettled(pending)
      await new Promise((resolve) => setTimeout(resolve, WRITE_INTERVAL_MS + 20))
      expect(ofType(h, 'store_error')).toEqual([
        { type: 'store_error', operation: 'delete', message: 'deferred KV delete failed: TypeError: binding broken: delete' },
      ])
      expect(unhandled).toEqual([])
    })

    check('a KV get that never settles is cut off by storeTimeoutMs: tokens served, store_error names the timeout', async () => {
      const h = freshHarness()
      const { namespace } = faultyNamespace(kv.real.namespace, (op) => (op === 'get' ? never() : undefined))
      await servesTokens(h, { store: storeOf(h, namespace), storeTimeoutMs: 20 })
      const errors = ofType(h, 'store_error')
      expect(errors.length).toBeGreaterThanOrEqual(2)
      expect(errors.every((e) => e.operation === 'get' && e.message === 'Error: store get took longer than 20 ms')).toBe(true)
    })

    const junk: Array<[string, (key: string) => string]> = [
      ['text that is not JSON', () => 'eyJ.not-json'],
      ['truncated JSON', (key) => `{"v":1,"key":"${key}","token":{"sealed":"AAAA`],
      ['a JSON string', () => '"eyJhbGciOiJub25lIn0.e30."'],
      ['a JSON array', (key) => `[{"v":1,"key":"${key}"}]`],
      [
        'a record of another version',
        (key) => JSON.stringify({ v: 2, key, cooldown: { reason: 'invalid_client', until: T0 + 60_000, failures: 1 } }),
      ],
      [
        'a token in clear',
        (key) => JSON.stringify({ v: 1, key, token: { accessToken: 'eyJhbGciOiJub25lIn0.e30.', expiresAt: T0 + 300_000, receivedAt: T0 } }),
      ],
      [
        'a sealed token that is not base64url',
        (key) => JSON.stringify({ v: 1, key, token: { sealed: '%%%', expiresAt: T0 + 300_000, receivedAt: T0 } }),
      ],
    ]
    for (const [name, value] of junk) {
      check(`KV holding ${name} under the store key: ignored, replaced by a sealed record, a store_error if it parsed`, async () => {
        const h = freshHarness()
        const key = await zeebeKey(h)
        await kv.real.putRaw(key, value(key))
        const auth = h.make({ store: storeOf(h) })
        expect(await auth.getToken()).toMatch(/^eyJ/)
        expect(h.server.requests()).toBe(1)
        expect(h.events.filter((e) => e.type === 'cache_hit' && e.source === 'store')).toEqual([])
        // JSON that is not our sealed shape did not authenticate, and says so; text that is not JSON is simply absent.
        const parsed = ((text) => {
          try {
            return JSON.parse(text) as unknown
          } catch {
            return undefined
          }
        })(value(key))
        expect(ofType(h, 'store_error').length).toBe(parsed === undefined ? 0 : 2) // the read before the lock and the one under it
        expect(onlyNotAuthentic(h)).toBe(true)
        expect(h.events).toContainEqual({ type: 'token_requested', api: 'zeebe', reason: 'cold' })
        await sealedRecordUnder(key)
        expect(unhandled).toEqual([])
      })
    }

    check('a record sealed under another secret, with a real token, is not opened: a new token is fetched and replaces it', async () => {
      const h = freshHarness()
      const key = await zeebeKey(h)
      const other = freshHarness()
      const foreignToken = await other.auth.getToken()
      // A store keyed with another secret writes a valid record under our key.
      const foreign = kvStore(kv.real.namespace, {
        encryptionKey: await deriveEncryptionKey(other.credentials.clientSecret),
        minWriteIntervalMs: 0,
      })
      await foreign.set(key, { v: 1, key, token: { accessToken: foreignToken, expiresAt: T0 + 300_000, receivedAt: T0 } }, 300_000)
      const token = await h.make({ store: storeOf(h) }).getToken()
      expect(token).not.toBe(foreignToken)
      expect(h.server.requests()).toBe(1)
      expect(h.events.some((e) => e.type === 'cache_hit')).toBe(false)
      expect(ofType(h, 'store_error').length).toBeGreaterThan(0)
      expect(onlyNotAuthentic(h)).toBe(true)
      const { sealed } = await sealedRecordUnder(key)
      // The new record opens for its owner: a fresh auth object is served from KV.
      expect(await h.make({ store: storeOf(h) }).getToken()).toBe(token)
      expect(h.server.requests()).toBe(1)
      expect(sealed).not.toContain(foreignToken.split('.')[2])
    })

    check('an operate record copied under the zeebe key is not served, even with its key field rewritten', async () => {
      const h = freshHarness()
      const [zeebe, operate] = await Promise.all([zeebeKey(h), storeKey(h.credentials, h.credentials.audiences.operate)])
      expect(zeebe).not.toBe(operate)
      const operateToken = await h.make({ store: storeOf(h) }).getToken('operate')
      const copied = (await kv.real.readRaw(operate))!
      for (const value of [copied, copied.replace(operate, zeebe)]) {
        await kv.real.putRaw(zeebe, value)
        const token = await h.make({ store: storeOf(h) }).getToken('zeebe')
        expect(token).not.toBe(operateToken)
        expect(claimsOf(token).aud).toBe(h.credentials.audiences.zeebe)
      }
      expect(h.server.requests()).toBe(3)
      expect(onlyNotAuthentic(h)).toBe(true)
    })
  })

  describe('kvLeaseCoordinator faults', () => {
    const LEASE_MS = 300
    const leaseOf = (namespace: KvNamespaceLike = kv.real.namespace, leaseMs = LEASE_MS) =>
      kvLeaseCoordinator(namespace, { leaseMs, settleMs: 10, pollMs: 20, waitUntil })
    const leaseKey = async (h: Harness) => `lease:${await zeebeKey(h)}`
    const gaveUp = {
      type: 'coordinator_error',
      message: `CoordinatorUnavailableError: no KV lease for the token refresh within ${LEASE_MS} ms`,
    }

    /**
     * A cold start of five concurrent callers through the lease: one token, one request; then a new
     * auth object (fresh memory, a working store) is served from KV without a request.
     */
    async function coldStart(h: Harness, coordinator: Coordinator, extra: Parameters<Harness['make']>[0] = {}) {
      const auth = h.make({ store: storeOf(h), coordinator, ...extra })
      const tokens = await Promise.all(Array.from({ length: 5 }, () => auth.getToken()))
      expect(new Set(tokens).size).toBe(1)
      expect(tokens[0]).toMatch(/^eyJ/)
      expect(h.server.requests()).toBe(1)
      expect(await h.make({ store: storeOf(h), coordinator }).getToken()).toBe(tokens[0])
      expect(h.server.requests()).toBe(1)
      await sealedRecordUnder(await zeebeKey(h))
      expect(unhandled).toEqual([])
    }

    for (const [name, value] of [
      ['text that is not JSON', 'lease?'],
      ['a JSON array', '[1,2]'],
      ['a lease with a numeric owner', JSON.stringify({ owner: 5, since: Date.now(), until: Date.now() + 60_000 })],
      ['a lease with times as strings', JSON.stringify({ owner: 'x', since: 'now', until: 'later' })],
    ] as const) {
      check(`the lease key holds ${name}: read as no lease, overwritten with a lease, no coordinator_error`, async () => {
        const h = freshHarness()
        await kv.real.putRaw(await leaseKey(h), value)
        const { namespace, calls } = faultyNamespace(kv.real.namespace, () => undefined)
        await coldStart(h, leaseOf(namespace))
        expect(ofType(h, 'coordinator_error')).toEqual([])
        expect(calls.put).toBe(1) // the lease: the junk was overwritten, and the lock was taken
        expect(JSON.parse((await kv.real.readRaw(await leaseKey(h)))!)).toMatchObject({
          owner: expect.any(String),
          since: expect.any(Number),
          until: expect.any(Number),
        })
      })
    }

    check('KV refuses the lease write (429): the lease gives up at once with coordinator_error, one token request, one write', async () => {
      const h = freshHarness()
      const { namespace, calls } = faultyNamespace(kv.real.namespace, (op, key) =>
        op === 'put' && key.startsWith('lease:') ? tooManyRequests() : undefined,
      )
      await coldStart(h, leaseOf(namespace))
      expect(ofType(h, 'coordinator_error')).toEqual([
        {
          type: 'coordinator_error',
          message: 'CoordinatorUnavailableError: the KV lease could not be written: Error: KV PUT failed: 429 Too Many Requests',
        },
      ])
      // The lease write was tried once; the other puts are the token store's.
      expect(calls.put - 1).toBeLessThanOrEqual(1)
    })

    check('an instant namespace refusing every lease write: one attempt, no loop, a token at once', async () => {
      const h = freshHarness()
      const puts: number[] = []
      const refusing: KvNamespaceLike = {
        get: async () => null,
        put: async () => {
          puts.push(Date.now())
          throw new Error('KV PUT failed: 429 Too Many Requests')
        },
        delete: async () => {},
      }
      const auth = h.make({ store: storeOf(h), coordinator: kvLeaseCoordinator(refusing, { leaseMs: LEASE_MS, settleMs: 10, pollMs: 20 }) })
      await expect(auth.getToken()).resolves.toMatch(/^eyJ/)
      expect(ofType(h, 'coordinator_error')).toHaveLength(1)
      // Before: ~30,000 puts in 300 ms (a tight loop), then 15 (a pause per attempt) and a wait of leaseMs.
      expect(puts).toHaveLength(1)
    })

    check('KV throws when the lease is read: coordinator_error at once, quoting the KV error, one token request', async () => {
      const h = freshHarness()
      const { namespace } = faultyNamespace(kv.real.namespace, (op, key) =>
        op === 'get' && key.startsWith('lease:') ? Promise.reject(new Error('KV GET failed: 500')) : undefined,
      )
      await coldStart(h, leaseOf(namespace))
      expect(ofType(h, 'coordinator_error')).toEqual([{ type: 'coordinator_error', message: 'Error: KV GET failed: 500' }])
    })

    check('a lease read that never settles is cut off by lockTimeoutMs: one token request', async () => {
      const h = freshHarness()
      const { namespace } = faultyNamespace(kv.real.namespace, (op, key) =>
        op === 'get' && key.startsWith('lease:') ? never() : undefined,
      )
      await coldStart(h, leaseOf(namespace), { lockTimeoutMs: 50 })
      expect(ofType(h, 'coordinator_error').map((e) => e.message)).toEqual(['lock not granted within 50 ms; refreshing without it'])
    })

    check('a live lease whose holder never publishes: the lease itself gives up within leaseMs, one token request', async () => {
      const h = freshHarness()
      const stuck = JSON.stringify({ owner: 'a-stuck-isolate', since: Date.now(), until: Date.now() + 60_000 })
      await kv.real.putRaw(await leaseKey(h), stuck)
      await coldStart(h, leaseOf()) // lockTimeoutMs stays at its 15 s default: the fallback is the lease's own
      expect(ofType(h, 'coordinator_error')).toEqual([gaveUp])
      expect(await kv.real.readRaw(await leaseKey(h))).toBe(stuck) // another isolate's lease: never removed
    })

    check('the release of the lease fails: nothing escapes, no coordinator_error, one token request', async () => {
      const h = freshHarness()
      const { namespace, calls } = faultyNamespace(kv.real.namespace, (op) =>
        op === 'delete' ? Promise.reject(new Error('KV DELETE failed: 500')) : undefined,
      )
      // A lease longer than KV's one-write-per-second, so that the release is sent (a second after the lease).
      await coldStart(h, leaseOf(namespace, 1_500))
      await Promise.allSettled(pending)
      expect(calls.delete).toBe(1)
      expect(unhandled).toEqual([])
      expect(ofType(h, 'coordinator_error')).toEqual([])
    })
  })

  describe('durableObjectCoordinator faults', () => {
    const json = (body: unknown, status = 200) =>
      Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }))
    const cases: Array<[string, (path: string, body: string) => Promise<StubResponseLike>, RegExp]> = [
      [
        'the stub fetch rejects',
        () => Promise.reject(new Error('Durable Object reset')),
        /^CoordinatorUnavailableError: the TokenLockObject Durable Object could not be reached: Error: Durable Object reset$/,
      ],
      [
        'the stub fetch throws synchronously',
        () => {
          throw new TypeError('no such object')
        },
        /could not be reached: TypeError: no such object$/,
      ],
      [
        'the object answers 500',
        () => Promise.resolve(new Response('internal error', { status: 500 })),
        /^CoordinatorUnavailableError: the TokenLockObject Durable Object answered 500 to \/lock$/,
      ],
      ['the object answers 200 with HTML', () => Promise.resolve(new Response('<html>', { status: 200 })), /did not grant the lock/],
      ['the object refuses the lock', () => json({ granted: false }), /did not grant the lock within 10000 ms/],
    ]
    for (const [name, answer, message] of cases) {
      check(`${name}: tokens served, coordinator_error for each refresh, nothing unhandled`, async () => {
        const h = freshHarness()
        const { binding, paths } = brokenDurableObject(answer)
        await servesTokens(h, { store: storeOf(h), coordinator: durableObjectCoordinator(binding, { waitUntil }) })
        const errors = ofType(h, 'coordinator_error')
        expect(errors).toHaveLength(2)
        for (const error of errors) expect(error.message).toMatch(message)
        expect(paths.filter((path) => path === '/lock')).toHaveLength(2)
        // Refreshed without the lock: the object takes records from the lease holder only, so none is sent.
        expect(paths.filter((path) => path === '/publish')).toEqual([])
      })
    }

    check('the object never answers: lockTimeoutMs cuts the wait, tokens served', async () => {
      const h = freshHarness()
      const { binding } = brokenDurableObject(() => never())
      await servesTokens(h, { store: storeOf(h), coordinator: durableObjectCoordinator(binding), lockTimeoutMs: 50 })
      expect(ofType(h, 'coordinator_error').map((e) => e.message)).toEqual([
        'lock not granted within 50 ms; refreshing without it',
        'lock not granted within 50 ms; refreshing without it',
      ])
    })

    check('the lock is granted but the release never answers: releaseTimeoutMs ends the wait, no coordinator_error', async () => {
      const h = freshHarness()
      const { binding, paths } = brokenDurableObject((path) => (path === '/lock' ? json({ granted: true, lease: 'lease-1' }) : never()))
      await servesTokens(h, { store: storeOf(h), coordinator: durableObjectCoordinator(binding, { releaseTimeoutMs: 20 }) })
      expect(ofType(h, 'coordinator_error')).toEqual([])
      expect(paths).toEqual(['/lock', '/release', '/lock', '/release'])
    })

    check('a grant carrying a record of another store key is not adopted: the token is fetched', async () => {
      const h = freshHarness()
      const other = freshHarness()
      const otherKey = await zeebeKey(other)
      const foreign: StoredRecord = {
        v: 1,
        key: otherKey,
        token: { accessToken: await other.auth.getToken(), expiresAt: T0 + 300_000, receivedAt: T0 },
      }
      const { binding } = brokenDurableObject((path) =>
        path === '/lock' ? json({ granted: true, lease: 'l', record: foreign }) : Promise.resolve(new Response(null, { status: 204 })),
      )
      const token = await h.make({ store: storeOf(h), coordinator: durableObjectCoordinator(binding) }).getToken()
      expect(token).not.toBe(foreign.token!.accessToken)
      expect(h.server.requests()).toBe(1)
      expect(h.events.some((e) => e.type === 'cache_hit' || e.type === 'coordinator_error')).toBe(false)
    })
  })
})

describe.skipIf(redisStatus.skip)('Redis store and lease faults on a real redis-server', () => {
  let redis: TestRedis
  let admin: RedisClientType
  const opened: { close(): unknown }[] = []
  beforeAll(async () => {
    redis = await startRedis()
    admin = createClient({ url: redis.url })
    admin.on('error', () => {})
    await admin.connect()
  })
  afterAll(async () => {
    for (const connection of opened) await Promise.resolve(connection.close()).catch(() => {})
    admin?.destroy()
    await redis?.stop()
  })
  /** A node-redis client as users make one: default reconnects and offline queue. */
  async function connected(url = redis.url): Promise<RedisClientType> {
    const client: RedisClientType = createClient({ url })
    client.on('error', () => {})
    opened.push({ close: () => client.destroy() })
    await client.connect()
    return client
  }
  let prefixes = 0
  /** A Redis store and lease on `client`, short timeouts, a prefix of the case's own. */
  const onRedis = (h: ReturnType<typeof harness>, client: RedisClientLike, prefix = `faults${++prefixes}:`) => ({
    store: redisStore(client, { credentials: h.credentials, prefix, commandTimeoutMs: 200, retryAfterMs: 100 }),
    coordinator: redisCoordinator(client, { prefix, commandTimeoutMs: 200, retryAfterMs: 100 }),
  })
  const typesOf = (events: readonly AuthEvent[]) => new Set(events.map((e) => e.type))

  check('slow Redis (CLIENT PAUSE 3 s): tokens served past the command timeout, store_error and coordinator_error', async () => {
    const h = harness()
    const client = await connected()
    await admin.sendCommand(['CLIENT', 'PAUSE', '3000', 'ALL'])
    try {
      const started = Date.now()
      const tokens = await Promise.all(Array.from({ length: 5 }, () => h.make(onRedis(h, client)).getToken()))
      expect(new Set(tokens).size).toBe(5) // five auth objects, each on its own while Redis hangs
      expect(Date.now() - started).toBeLessThan(2_500)
      expect([...typesOf(h.events)]).toEqual(expect.arrayContaining(['store_error', 'coordinator_error']))
      expect(h.events.some((e) => e.type === 'store_error' && /took longer than 200 ms/.test(e.message))).toBe(true)
    } finally {
      await admin.sendCommand(['CLIENT', 'UNPAUSE'])
    }
    expect(unhandled).toEqual([])
  })

  check('connection refused (nothing listens on the port): tokens served, each failure an event, no hang', async () => {
    const h = harness()
    const client: RedisClientType = createClient({ url: `redis://127.0.0.1:${await freePort()}` })
    client.on('error', () => {})
    opened.push({ close: () => client.destroy() })
    void client.connect().catch(() => {}) // keeps retrying: commands wait in its offline queue
    const auth = h.make(onRedis(h, client))
    const started = Date.now()
    expect(await auth.getToken()).toMatch(/^eyJ/)
    expect(Date.now() - started).toBeLessThan(2_000)
    expect([...typesOf(h.events)]).toEqual(expect.arrayContaining(['store_error', 'coordinator_error', 'token_received']))
    // An ioredis client on the same dead port, through its adapter.
    const io = new Redis(await freePort(), '127.0.0.1', { lazyConnect: true })
    io.on('error', () => {})
    opened.push({ close: () => io.disconnect() })
    void io.connect().catch(() => {})
    const h2 = harness()
    expect(await h2.make(onRedis(h2, ioredisClient(io))).getToken()).toMatch(/^eyJ/)
    expect([...typesOf(h2.events)]).toEqual(expect.arrayContaining(['store_error', 'coordinator_error']))
    expect(unhandled).toEqual([])
  })

  check(
    'a SET that fails (Redis refuses writes: NOREPLICAS): the token is served from memory, store_error and coordinator_error',
    async () => {
      const h = harness()
      const client = await connected()
      await admin.configSet('min-replicas-to-write', '1')
      try {
        const auth = h.make(onRedis(h, client))
        const token = await auth.getToken()
        expect(await auth.getToken()).toBe(token) // memory
        expect(h.server.requests()).toBe(1)
        const setErrors = h.events.filter((e) => e.type === 'store_error' && e.operation === 'set')
        expect(setErrors).toHaveLength(1)
        expect(setErrors[0]).toMatchObject({ message: expect.stringMatching(/NOREPLICAS/) })
        expect(h.events.some((e) => e.type === 'coordinator_error' && /NOREPLICAS/.test(e.message))).toBe(true)
      } finally {
        await admin.configSet('min-replicas-to-write', '0')
      }
    },
  )

  check(
    'a corrupt value under the token key (not JSON, a forged sealed value, a record in clear): ignored, reported, replaced',
    async () => {
      for (const corrupt of ['garbage{', JSON.stringify({ sealed: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAA' }), null]) {
        const h = harness()
        const client = await connected()
        const prefix = `corrupt${++prefixes}:`
        const key = `${prefix}token:${await storeKey(h.credentials, h.credentials.audiences.zeebe)}`
        const clear = JSON.stringify({
          v: 1,
          key: await storeKey(h.credentials, h.credentials.audiences.zeebe),
          token: { accessToken: 'eyJhbGciOiJub25lIn0.eyJleHAiOjk5OTk5OTk5OTl9.', expiresAt: T0 + 3_600_000, receivedAt: T0 },
        })
        await admin.set(key, corrupt ?? clear)
        const token = await h.make(onRedis(h, client, prefix)).getToken()
        expect(token).toMatch(/^eyJ/)
        expect(h.server.requests()).toBe(1)
        expect(h.events).toContainEqual(
          expect.objectContaining({ type: 'store_error', message: expect.stringMatching(/did not authenticate/) }),
        )
        // Replaced by a sealed record that a second auth object reads without a request.
        expect(JSON.parse((await admin.get(key))!)).toEqual({ sealed: expect.any(String) })
        expect(await h.make(onRedis(h, client, prefix)).getToken()).toBe(token)
        expect(h.server.requests()).toBe(1)
      }
    },
  )
})
