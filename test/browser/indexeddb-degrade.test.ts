// @vitest-environment happy-dom
/**
 * indexedDBStore degrades, never fails: without IndexedDB, when it will not open, when it hangs,
 * and when it breaks mid-life, getToken still works, and each connected auth object hears exactly
 * one store_degraded event whose message holds no token and no secret.
 */
import 'fake-indexeddb/auto'
import { IDBObjectStore as FakeIDBObjectStore } from 'fake-indexeddb'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { indexedDBStore, type IndexedDBStoreOptions } from '../../src/browser.ts'
import type { AuthEvent, TokenStore } from '../../src/index.ts'
import { harness } from '../helpers/harness.ts'
import { freshDbName, putRaw, rawEntries } from './raw-idb.ts'

const realIndexedDB = globalThis.indexedDB
const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => void unhandled.push(reason)

beforeEach(() => {
  unhandled.length = 0
  process.on('unhandledRejection', onUnhandled)
})

afterEach(() => {
  process.off('unhandledRejection', onUnhandled)
  globalThis.indexedDB = realIndexedDB
  vi.restoreAllMocks()
})

/** Replaces the global IndexedDB factory for this test. */
function useIndexedDB(factory: unknown): void {
  globalThis.indexedDB = factory as IDBFactory
}

/** A factory whose open request never fires a single event. */
const stuckFactory = { open: () => ({}) }

/** Makes Web Crypto refuse to generate AES-GCM keys (the dev server's signing keys still work). */
function refuseAesKeys(error: DOMException): void {
  const original = crypto.subtle.generateKey.bind(crypto.subtle) as (...args: unknown[]) => Promise<unknown>
  vi.spyOn(crypto.subtle, 'generateKey').mockImplementation(((algorithm: { name?: string }, ...rest: unknown[]) =>
    algorithm?.name === 'AES-GCM' ? Promise.reject(error) : original(algorithm, ...rest)) as typeof crypto.subtle.generateKey)
}

/**
 * Two auth objects connected to one store, each with its own event log; the first fetches a token,
 * the second finds it in the store (memory, by then), and the first gets a new one after an
 * invalidation, which writes to the store again.
 */
async function twoAuthObjects(store: TokenStore) {
  const h = harness()
  const logs: AuthEvent[][] = [[], []]
  const auths = logs.map((log) => h.make({ store, onEvent: (event) => log.push(event) }))
  const tokens: string[] = []
  for (const auth of auths) tokens.push(await auth.getToken())
  for (const token of tokens) expect(token).toMatch(/^eyJ/)
  expect(tokens[1]).toBe(tokens[0])
  await auths[0]!.invalidate()
  const again = await auths[0]!.getToken()
  expect(again).toMatch(/^eyJ/)
  await h.settle()
  return { h, logs, tokens: [...tokens, again] }
}

function degradedEvents(log: readonly AuthEvent[]) {
  return log.filter((event): event is Extract<AuthEvent, { type: 'store_degraded' }> => event.type === 'store_degraded')
}

/** Exactly one store_degraded per log, from indexeddb to memory, with no token or secret in it, and no store_error. */
function expectOneDegradedEach(logs: readonly AuthEvent[][], tokens: readonly string[], secret: string, message: RegExp) {
  for (const log of logs) {
    const degraded = degradedEvents(log)
    expect(degraded).toHaveLength(1)
    expect(degraded[0]).toMatchObject({ type: 'store_degraded', store: 'indexeddb', fallback: 'memory' })
    expect(degraded[0]!.message).toMatch(message)
    const text = JSON.stringify(log)
    expect(text).not.toContain(secret)
    for (const token of tokens) expect(text).not.toContain(token)
    expect(log.some((event) => event.type === 'store_error')).toBe(false)
  }
  expect(unhandled).toEqual([])
}

describe('indexedDBStore degrades to memory', () => {
  const cases: Array<[string, () => void, RegExp, IndexedDBStoreOptions?]> = [
    ['IndexedDB is missing', () => useIndexedDB(undefined), /not available/],
    [
      'opening throws',
      () =>
        useIndexedDB({
          open: () => {
            throw new DOMException('The operation is insecure.', 'SecurityError')
          },
        }),
      /could not be opened \(SecurityError\)/,
    ],
    [
      'opening fails with an error event',
      () =>
        useIndexedDB({
          open: () => {
            const request: { error: DOMException; onerror?: () => void } = { error: new DOMException('Internal error.', 'UnknownError') }
            setTimeout(() => request.onerror?.(), 1)
            return request
          },
        }),
      /could not be opened \(UnknownError\)/,
    ],
    ['opening never settles', () => useIndexedDB(stuckFactory), /did not open within 30 ms/, { openTimeoutMs: 30 }],
    [
      'the encryption key cannot be created',
      () => refuseAesKeys(new DOMException('Algorithm: Unrecognized name', 'NotSupportedError')),
      /encryption key could not be created or read \(NotSupportedError\)/,
    ],
  ]

  for (const [name, breakIt, message, options] of cases) {
    it(`when ${name}: tokens are still served, and each connected auth object hears one store_degraded`, async () => {
      breakIt()
      const store = indexedDBStore({ dbName: freshDbName('degrade'), ...options })
      const { h, logs, tokens } = await twoAuthObjects(store)
      expectOneDegradedEach(logs, tokens, h.credentials.clientSecret, message)
      // The second auth object was served from the store's memory: one request, plus one after the invalidation.
      expect(h.server.requests()).toBe(2)
    })
  }

  it('when an operation throws mid-life (quota exceeded on put): the failing write goes to memory, once-only event, no token in the message', async () => {
    const dbName = freshDbName('midlife')
    // In clear, and the error quotes the value it was given: the message must still not show it.
    const store = indexedDBStore({ dbName, encrypt: false })
    const h = harness()
    const logs: AuthEvent[][] = [[], []]
    const [first, second] = logs.map((log) => h.make({ store, onEvent: (event) => log.push(event) })) as [
      ReturnType<typeof h.make>,
      ReturnType<typeof h.make>,
    ]
    const healthy = await first.getToken()
    expect(JSON.stringify(await rawEntries(dbName))).toContain(healthy)

    vi.spyOn(FakeIDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, value: unknown) {
      throw new DOMException(`cannot store ${JSON.stringify(value)}`, 'QuotaExceededError')
    })
    await first.invalidate()
    const afterBreak = await first.getToken()
    expect(afterBreak).not.toBe(healthy)
    // The write failed in IndexedDB and landed in memory: the second auth object reads it there.
    expect(await second.getToken()).toBe(afterBreak)
    expect(h.server.requests()).toBe(2)
    await h.settle()
    expectOneDegradedEach(logs, [healthy, afterBreak], h.credentials.clientSecret, /failed during set \(QuotaExceededError\)/)
    // From then on IndexedDB is left alone: the deleted entry stays deleted, nothing more is written.
    await first.invalidate()
    await first.getToken()
    expect(await rawEntries(dbName)).toEqual([])
  })

  it('a degradation before anyone connected is reported to each auth object that connects later, once', async () => {
    useIndexedDB(undefined)
    const store = indexedDBStore({ dbName: freshDbName('early') })
    expect(await store.get('k')).toBeUndefined()
    await store.set('k', { v: 1, key: 'k', cooldown: { reason: 'backoff', until: Date.now() + 5_000, failures: 1 } }, 5_000)
    expect(await store.get('k')).toMatchObject({ key: 'k' }) // memory answers
    const { h, logs, tokens } = await twoAuthObjects(store)
    expectOneDegradedEach(logs, tokens, h.credentials.clientSecret, /not available/)
  })

  it('an auth object that closed before the store degraded hears nothing', async () => {
    useIndexedDB(stuckFactory)
    const store = indexedDBStore({ dbName: freshDbName('closed'), openTimeoutMs: 20 })
    const h = harness()
    const closedLog: AuthEvent[] = []
    h.make({ store, onEvent: (event) => closedLog.push(event) }).close()
    const openLog: AuthEvent[] = []
    expect(await h.make({ store, onEvent: (event) => openLog.push(event) }).getToken()).toMatch(/^eyJ/)
    await h.settle()
    expect(degradedEvents(openLog)).toHaveLength(1)
    expect(degradedEvents(closedLog)).toHaveLength(0)
  })

  it('opens once: a store that gave up on IndexedDB does not try it again', async () => {
    const open = vi.fn(() => ({}))
    useIndexedDB({ open })
    const store = indexedDBStore({ dbName: freshDbName('once'), openTimeoutMs: 10 })
    for (let i = 0; i < 3; i++) expect(await store.get('k')).toBeUndefined()
    await store.set('k', { v: 1, key: 'k', cooldown: { reason: 'backoff', until: Date.now() + 5_000, failures: 1 } }, 5_000)
    expect(open).toHaveBeenCalledTimes(1)
  })

  it('when the key cannot be created, records already in IndexedDB are left as they are', async () => {
    const dbName = freshDbName('key-fails')
    const h = harness()
    await h.make({ store: indexedDBStore({ dbName }) }).getToken()
    const before = await rawEntries(dbName)
    // A store of another page that finds a key entry it cannot use, and cannot make a new one.
    const [keyEntry] = before.filter(([key]) => typeof key !== 'string')
    await putRaw(dbName, [[keyEntry![0], 'not a key']])
    refuseAesKeys(new DOMException('no', 'OperationError'))
    const log: AuthEvent[] = []
    expect(await h.make({ store: indexedDBStore({ dbName }), onEvent: (event) => log.push(event) }).getToken()).toMatch(/^eyJ/)
    await h.settle()
    expect(degradedEvents(log)).toHaveLength(1)
    const after = await rawEntries(dbName)
    expect(after.filter(([key]) => typeof key === 'string')).toEqual(before.filter(([key]) => typeof key === 'string'))
  })
})
