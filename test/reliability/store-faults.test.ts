/**
 * Section 2, store and coordinator faults: stores that throw, hang or hold junk, and coordinators
 * that never grant the lock or throw. In every case the bad record is ignored or replaced, nothing
 * crashes, and getToken still succeeds while the endpoint works.
 */
import { afterAll, beforeAll, describe, expect, vi } from 'vitest'
import { memoryStore, storeKey, type Coordinator, type StoredRecord, type TokenStore } from '../../src/index.ts'
import { IDBDatabase as FakeIDBDatabase, IDBObjectStore as FakeIDBObjectStore, indexedDB as fakeIndexedDB } from 'fake-indexeddb'
import { indexedDBStore } from '../../src/browser.ts'
import { freshDbName, putRaw, rawEntries, rawKeyEntry } from '../browser-unit/raw-idb.ts'
import { harness } from '../helpers/harness.ts'
import { section } from './summary.ts'

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
  check('every operation throws a non-Error', async () => void (await getsTokens({ store: broken({ get: throws('x'), set: throws(42), delete: throws(null) }) })))
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
    ['a record of another version', (key) => ({ v: 2, key, token: { accessToken: 'x', expiresAt: Date.now() * 2, receivedAt: Date.now() } })],
    ['a record with NaN times', (key) => ({ v: 1, key, token: { accessToken: 'abc', expiresAt: Number.NaN, receivedAt: 0 } })],
    ['a record with an oversized token', (key) => ({ v: 1, key, token: { accessToken: 'a'.repeat(1_000_000), expiresAt: Date.now() + 60_000, receivedAt: Date.now() } })],
    ['a record with a header-injecting token', (key) => ({ v: 1, key, token: { accessToken: 'a\r\nx-evil: 1', expiresAt: Date.now() + 60_000, receivedAt: Date.now() } })],
    ['a record with __proto__ keys', (key) => JSON.parse(`{"v":1,"key":"${key}","__proto__":{"token":{"accessToken":"p","expiresAt":9e12,"receivedAt":1}}}`)],
    ['a cooldown lasting a year', (key) => ({ v: 1, key, cooldown: { reason: 'invalid_client', until: Date.now() + 365 * 86_400_000, failures: 1 } })],
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
    const other = harness({ clients: [{ clientId: 'other', clientSecret: 'other-secret' }] }, {}, { ZEEBE_CLIENT_ID: 'other', ZEEBE_CLIENT_SECRET: 'other-secret' })
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
  check('the lock throws synchronously', async () => void (await getsTokens({ coordinator: { withLock: throwsSync } as unknown as Coordinator })))
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
    withIndexedDB(undefined, async () => expectDegradedOnce((await getsTokens({ store: indexedDBStore() })).events)))
  check('opening throws a SecurityError', () =>
    withIndexedDB({ open: () => { throw dom('SecurityError') } }, async () => expectDegradedOnce((await getsTokens({ store: indexedDBStore() })).events)))
  check('opening never settles', () =>
    withIndexedDB({ open: () => ({}) }, async () => expectDegradedOnce((await getsTokens({ store: indexedDBStore({ openTimeoutMs: 20 }) })).events)))
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
    }))
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
      }))
  }

  const junkEntries: Array<[string, (key: string) => unknown]> = [
    ['a string', () => 'eyJ.not.an.entry'],
    ['an entry without expiry', (key) => ({ record: { v: 1, key } })],
    ['an entry whose record is a string', () => ({ expiresAt: Date.now() + 60_000, record: 'junk' })],
    ['a sealed token that is not base64url', (key) => ({ expiresAt: Date.now() + 60_000, record: { v: 1, key, token: { sealed: '%%%', expiresAt: Date.now() + 60_000, receivedAt: Date.now() } } })],
    ['a sealed token too short for its IV', (key) => ({ expiresAt: Date.now() + 60_000, record: { v: 1, key, token: { sealed: 'AAAA', expiresAt: Date.now() + 60_000, receivedAt: Date.now() } } })],
    ['a token in clear', (key) => ({ expiresAt: Date.now() + 60_000, record: { v: 1, key, token: { accessToken: 'eyJhbGciOiJub25lIn0.e30.', expiresAt: Date.now() + 60_000, receivedAt: Date.now() } } })],
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
        expect(events.filter((e) => e.type === 'store_degraded' || e.type === 'store_error')).toEqual([])
        const stored = new Map(await rawEntries(dbName)).get(key) as { record?: { token?: { sealed?: unknown } } }
        expect(typeof stored.record?.token?.sealed).toBe('string')
      }))
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
      }))
  }
})
