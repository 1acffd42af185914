import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { createAuth, type AuthEvent, type StoredRecord, type TokenStore } from '../../src/index.ts'
import { storeKey } from '../../src/token/store-key.ts'
import { kvStore, type KvNamespaceLike } from '../../src/workers.ts'
import { newRunId, run } from '../workerd/dev-servers.ts'
import { recordingNamespace, refusingNamespace } from '../workerd/kv-namespaces.ts'
import { InvalidArgumentError } from '../../src/errors.ts'

const namespace: KvNamespaceLike = env.TOKENS

function authFor(id: string, store: TokenStore, events: AuthEvent[] = []) {
  const { server, credentials } = run(id)
  return createAuth({ credentials, store, fetch: server.fetch, onEvent: (event) => events.push(event) })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('kvStore', () => {
  it('round-trips a token: a second auth object with fresh memory reuses it, 0 extra requests', async () => {
    const id = newRunId()
    const { server, credentials } = run(id)
    const first = await authFor(id, kvStore(namespace, { credentials })).getToken()
    const events: AuthEvent[] = []
    const second = await authFor(id, kvStore(namespace, { credentials }), events).getToken()
    expect(second).toBe(first)
    expect(server.requests()).toBe(1)
    expect(events).toContainEqual({ type: 'cache_hit', api: 'zeebe', source: 'store' })
  })

  it("writes with expirationTtl equal to the token's remaining life", async () => {
    const id = newRunId()
    const { server, credentials } = run(id, { tokenLifetimeSeconds: 300 })
    const { namespace: recorded, puts } = recordingNamespace(namespace)
    const auth = createAuth({ credentials, store: kvStore(recorded, { credentials }), fetch: server.fetch })
    await auth.getToken()
    expect(puts).toHaveLength(1)
    const ttl = puts[0]!.options?.expirationTtl ?? 0
    expect(ttl).toBeGreaterThanOrEqual(295)
    expect(ttl).toBeLessThanOrEqual(300)
    // KV itself reports the same expiry.
    const listed = (await env.TOKENS.list()).keys.find((key) => key.name === puts[0]!.key)
    expect(listed?.expiration).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 290)
    expect(listed?.expiration).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 300)
  })

  it("clamps the TTL of a token that lives under 60 s to KV's minimum, and the record's expiry discards it", async () => {
    const id = newRunId()
    const { server, credentials } = run(id, { tokenLifetimeSeconds: 20 })
    const { namespace: recorded, puts } = recordingNamespace(namespace)
    const store = kvStore(recorded, { credentials })
    let clock = Date.now()
    const make = () => createAuth({ credentials, store, fetch: server.fetch, now: () => clock })
    const first = await make().getToken()
    expect(puts[0]!.options?.expirationTtl).toBe(60)
    // Still in KV after the token's own expiry, but not served: a new auth object fetches a new one.
    clock += 25_000
    const second = await make().getToken()
    expect(second).not.toBe(first)
    expect(server.requests()).toBe(2)
  })

  it('ignores corrupt records: garbage in KV means a new token is fetched, without a throw', async () => {
    const id = newRunId()
    const { server, credentials } = run(id)
    const key = await storeKey(credentials, credentials.audiences.zeebe)
    for (const garbage of [
      '{not json',
      '"a string"',
      '[1,2]',
      JSON.stringify({ v: 1, key, token: { sealed: 'AAAA', expiresAt: Date.now() + 60_000, receivedAt: Date.now() } }),
    ]) {
      await env.TOKENS.put(key, garbage)
      const token = await authFor(id, kvStore(namespace, { credentials })).getToken()
      expect(token.split('.')).toHaveLength(3)
    }
    expect(server.requests()).toBe(4)
  })

  it('keeps one write per key per second: a burst of writes sends 1 put now and the latest record once the second has passed', async () => {
    const id = newRunId()
    const { credentials } = run(id)
    const { namespace: recorded, puts } = recordingNamespace(namespace)
    const store = kvStore(recorded, { credentials })
    const key = await storeKey(credentials, 'burst')
    const until = Date.now() + 120_000
    const record = (n: number): StoredRecord => ({ v: 1, key, cooldown: { reason: 'backoff', until, failures: n } })
    for (let n = 1; n <= 20; n++) await store.set(key, record(n), 120_000)
    expect(puts).toHaveLength(1)
    // The isolate reads its own held write at once.
    expect(await store.get(key)).toEqual(record(20))
    await sleep(1_200)
    expect(puts).toHaveLength(2)
    expect(puts[1]!.at - puts[0]!.at).toBeGreaterThanOrEqual(1_000)
    // What reached KV is sealed whole; it opens as the latest record.
    expect(Object.keys(JSON.parse(puts[1]!.value))).toEqual(['sealed'])
    expect(await kvStore(namespace, { credentials }).get(key)).toEqual(record(20))
  })

  it('keeps getToken working when KV refuses every write (429), reporting store_error', async () => {
    const id = newRunId()
    const { server, credentials } = run(id)
    const { namespace: refusing, attempts } = refusingNamespace(namespace)
    const events: AuthEvent[] = []
    const auth = authFor(id, kvStore(refusing, { credentials }), events)
    const token = await auth.getToken()
    expect(await auth.getToken()).toBe(token)
    expect(attempts()).toBe(1)
    expect(server.requests()).toBe(1)
    expect(events.filter((e) => e.type === 'store_error')).toEqual([
      { type: 'store_error', operation: 'set', message: expect.stringContaining('429') },
    ])
  })

  it('reports a held write that KV refuses as store_error, with no unhandled rejection', async () => {
    const id = newRunId()
    const { credentials } = run(id)
    const { namespace: refusing, attempts } = refusingNamespace(namespace)
    const store = kvStore(refusing, { credentials, minWriteIntervalMs: 50 })
    const events: AuthEvent[] = []
    const disconnect = store.connect!((event) => events.push(event))
    const key = await storeKey(credentials, 'held')
    const record: StoredRecord = { v: 1, key, cooldown: { reason: 'backoff', until: Date.now() + 120_000, failures: 1 } }
    await expect(store.set(key, record, 120_000)).rejects.toThrow('429')
    await store.set(key, record, 120_000) // held: resolves now, fails later
    await sleep(150)
    expect(attempts()).toBe(2)
    expect(events).toEqual([{ type: 'store_error', operation: 'set', message: expect.stringContaining('deferred KV set failed') }])
    disconnect()
  })

  it('keeps neither the client secret nor the token in KV', async () => {
    const id = newRunId()
    const { credentials } = run(id)
    const token = await authFor(id, kvStore(namespace, { credentials })).getToken()
    const signature = token.split('.')[2]!
    const { keys } = await env.TOKENS.list()
    expect(keys.length).toBeGreaterThan(0)
    for (const { name } of keys) {
      const raw = (await env.TOKENS.get(name)) ?? ''
      expect(raw).not.toContain(credentials.clientSecret)
      expect(raw).not.toContain(signature)
      expect(raw).not.toContain(token.split('.')[1]!)
    }
  })

  it('refuses to store in clear: credentials or an encryption key are required', () => {
    expect(() => kvStore(namespace, {})).toThrow(InvalidArgumentError)
    const { credentials } = run(newRunId())
    expect(() => kvStore(namespace, { credentials, cacheTtlSeconds: 10 })).toThrow(InvalidArgumentError)
  })
})
