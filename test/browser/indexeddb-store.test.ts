// @vitest-environment happy-dom
/**
 * indexedDBStore over fake-indexeddb, in a DOM-like global scope: tokens shared through IndexedDB,
 * sealed at rest under one shared non-extractable key, expiring with their TTL.
 */
import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { indexedDBStore } from '../../src/browser.ts'
import type { StoredRecord } from '../../src/index.ts'
import { storeKey } from '../../src/token/store-key.ts'
import { harness } from '../helpers/harness.ts'
import { freshDbName, putRaw, rawEntries, rawKeyEntry } from './raw-idb.ts'

const JWT_LIKE = /eyJ[\w-]*\.[\w-]*\.[\w-]*/

afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

/** A valid record for `key`, with an opaque token. */
function recordFor(key: string, accessToken: string): StoredRecord {
  const now = Date.now()
  return { v: 1, key, token: { accessToken, expiresAt: now + 300_000, receivedAt: now } }
}

/** The token entries of a raw database: everything but the encryption key. */
async function tokenEntries(dbName: string) {
  return (await rawEntries(dbName)).filter(([key]) => typeof key === 'string')
}

describe('indexedDBStore: sharing through createAuth', () => {
  it('a second auth object with its own memory and store instance gets the first one’s token from IndexedDB, with no token request', async () => {
    const dbName = freshDbName('roundtrip')
    const h = harness()
    const first = h.make({ store: indexedDBStore({ dbName }) })
    const token = await first.getToken()
    expect(h.server.requests()).toBe(1)

    const events: string[] = []
    const second = h.make({
      store: indexedDBStore({ dbName }),
      onEvent: (e) => events.push(e.type === 'cache_hit' ? `cache_hit:${e.source}` : e.type),
    })
    expect(await second.getToken()).toBe(token)
    expect(h.server.requests()).toBe(1)
    expect(events).toContain('cache_hit:store')
    expect(events).not.toContain('store_degraded')
  })

  it('one store instance shared by two auth objects serves the second from the store', async () => {
    const store = indexedDBStore({ dbName: freshDbName('shared-instance') })
    const h = harness()
    const token = await h.make({ store }).getToken('operate')
    expect(await h.make({ store }).getToken('operate')).toBe(token)
    expect(h.server.requests()).toBe(1)
  })

  it('an invalidated token is deleted from IndexedDB, so the next auth object fetches a new one', async () => {
    const dbName = freshDbName('invalidate')
    const h = harness()
    const first = h.make({ store: indexedDBStore({ dbName }) })
    const token = await first.getToken()
    await first.invalidate()
    expect(await tokenEntries(dbName)).toEqual([])
    const fresh = await h.make({ store: indexedDBStore({ dbName }) }).getToken()
    expect(fresh).not.toBe(token)
    expect(h.server.requests()).toBe(2)
  })
})

describe('indexedDBStore: encrypted at rest', () => {
  it('the raw database holds neither the secret, nor the token, nor anything JWT-shaped, and the key is a non-extractable CryptoKey', async () => {
    const dbName = freshDbName('raw')
    const h = harness()
    const auth = h.make({ store: indexedDBStore({ dbName }) })
    const tokens = await Promise.all((['zeebe', 'operate', 'tasklist', 'optimize'] as const).map((api) => auth.getToken(api)))
    expect(tokens.every((token) => JWT_LIKE.test(token))).toBe(true)

    const entries = await rawEntries(dbName)
    const records = entries.filter(([key]) => typeof key === 'string')
    const keys = entries.filter(([key]) => typeof key !== 'string')
    expect(records.length).toBe(4) // one per audience
    const text = JSON.stringify(records)
    expect(text).not.toContain(h.credentials.clientSecret)
    for (const token of tokens) expect(text).not.toContain(token)
    expect(text).not.toMatch(JWT_LIKE)
    expect(text).not.toContain('accessToken')
    expect(text).toContain('sealed')

    expect(keys).toHaveLength(1)
    const key = keys[0]![1] as CryptoKey
    expect(key).toBeInstanceOf(CryptoKey)
    expect(key.extractable).toBe(false)
    expect(key.algorithm.name).toBe('AES-GCM')
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow()
  })

  it('records copied into another database (with its own key) yield no token, and auth fetches a new one', async () => {
    const source = freshDbName('copy-from')
    const target = freshDbName('copy-to')
    const h = harness()
    const token = await h.make({ store: indexedDBStore({ dbName: source }) }).getToken()
    const copied = await tokenEntries(source)
    expect(copied).toHaveLength(1)

    const targetStore = indexedDBStore({ dbName: target })
    await targetStore.get('warm-up') // creates the target database and its own key
    await putRaw(target, copied)
    expect(await tokenEntries(target)).toEqual(copied)

    const key = await storeKey(h.credentials, h.credentials.audiences.zeebe)
    // The entry is there, but it does not open under the target's key: the whole record reads as absent.
    expect(await targetStore.get(key)).toBeUndefined()

    const fresh = await h.make({ store: targetStore }).getToken()
    expect(fresh).not.toBe(token)
    expect(h.server.requests()).toBe(2)
  })

  it('a sealed token moved to another store key does not open (the key is the additional data)', async () => {
    const dbName = freshDbName('moved')
    const store = indexedDBStore({ dbName })
    await store.set('camunda-edge-auth:v2:a', recordFor('camunda-edge-auth:v2:a', 'opaque-token-a1b2c3'), 60_000)
    const [[, value]] = (await tokenEntries(dbName)) as [[string, unknown]]
    await putRaw(dbName, [['camunda-edge-auth:v2:b', value]])
    expect(((await store.get('camunda-edge-auth:v2:a')) as StoredRecord).token?.accessToken).toBe('opaque-token-a1b2c3')
    expect(await store.get('camunda-edge-auth:v2:b')).toBeUndefined()
  })

  it('stores created at the same time against a new database end up with one key and read each other’s records', async () => {
    const dbName = freshDbName('race')
    const generateKey = vi.spyOn(crypto.subtle, 'generateKey')
    const stores = Array.from({ length: 5 }, () => indexedDBStore({ dbName }))
    await Promise.all(stores.map((store, i) => store.set(`k${i}`, recordFor(`k${i}`, `opaque-token-${i}-x9`), 60_000)))
    // More than one candidate key was generated: the race really happened.
    expect(generateKey.mock.calls.length).toBeGreaterThan(1)

    const keys = (await rawEntries(dbName)).filter(([key]) => typeof key !== 'string')
    expect(keys).toHaveLength(1)
    for (const [i, store] of stores.entries()) {
      const other = (i + 1) % stores.length
      const read = (await store.get(`k${other}`)) as StoredRecord
      expect(read.token?.accessToken).toBe(`opaque-token-${other}-x9`)
    }
  })

  it('an entry where the key should be that is not a usable key is replaced, and the store keeps working', async () => {
    const dbName = freshDbName('bad-key')
    await indexedDBStore({ dbName }).get('create-the-database')
    const [keyEntry] = await rawKeyEntry(dbName)
    const extractable = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt'])
    await putRaw(dbName, [[keyEntry, extractable]])

    const store = indexedDBStore({ dbName })
    await store.set('k', recordFor('k', 'opaque-token-after-replace'), 60_000)
    expect(((await store.get('k')) as StoredRecord).token?.accessToken).toBe('opaque-token-after-replace')
    const [, key] = await rawKeyEntry(dbName)
    expect((key as CryptoKey).extractable).toBe(false)
  })
})

describe('indexedDBStore: expiry', () => {
  it('an entry read after its TTL is undefined, and is deleted from IndexedDB', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const dbName = freshDbName('ttl')
    const store = indexedDBStore({ dbName })
    await store.set('k', recordFor('k', 'opaque-token-ttl'), 60_000)
    vi.advanceTimersByTime(59_000)
    expect(((await store.get('k')) as StoredRecord).token?.accessToken).toBe('opaque-token-ttl')
    vi.advanceTimersByTime(1_000)
    expect(await store.get('k')).toBeUndefined()
    await vi.waitFor(async () => expect(await tokenEntries(dbName)).toEqual([]))
  })

  it('the background delete of an expired entry spares a fresh record written under the same key', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const dbName = freshDbName('ttl-race')
    const store = indexedDBStore({ dbName })
    await store.set('k', recordFor('k', 'opaque-token-old'), 1_000)
    vi.advanceTimersByTime(2_000)
    const [read] = await Promise.all([store.get('k'), store.set('k', recordFor('k', 'opaque-token-new'), 60_000)])
    expect(read).toBeUndefined()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(((await store.get('k')) as StoredRecord).token?.accessToken).toBe('opaque-token-new')
  })
})

describe('indexedDBStore: encrypt: false', () => {
  it('stores records readable in the raw database, and still shares tokens between auth objects', async () => {
    const dbName = freshDbName('plain')
    const h = harness()
    const token = await h.make({ store: indexedDBStore({ dbName, encrypt: false }) }).getToken()
    const entries = await rawEntries(dbName)
    expect(entries.every(([key]) => typeof key === 'string')).toBe(true) // no key is created
    expect(JSON.stringify(entries)).toContain(token)
    expect(await h.make({ store: indexedDBStore({ dbName, encrypt: false }) }).getToken()).toBe(token)
    expect(h.server.requests()).toBe(1)
  })

  it('an encrypting store ignores tokens written in clear, and a plain one ignores sealed tokens', async () => {
    const dbName = freshDbName('mixed')
    await indexedDBStore({ dbName, encrypt: false }).set('plain', recordFor('plain', 'opaque-token-plain'), 60_000)
    await indexedDBStore({ dbName }).set('sealed', recordFor('sealed', 'opaque-token-sealed'), 60_000)
    expect(await indexedDBStore({ dbName }).get('plain')).toBeUndefined()
    const plainRead = (await indexedDBStore({ dbName, encrypt: false }).get('sealed')) as { token?: Record<string, unknown> }
    expect(plainRead.token?.accessToken).toBeUndefined()
  })
})
