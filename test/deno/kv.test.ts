/// <reference lib="deno.unstable" />
/**
 * The Deno KV adapters (src/deno/), on a real in-memory Deno KV (`Deno.openKv(':memory:')`, which
 * needs `--unstable-kv`): two auth objects stand for two Deno Deploy isolates sharing a database.
 */

import { inProcessCoordinator, type AuthEvent } from '../../src/index.ts'
import { storeKey } from '../../src/token/store-key.ts'
import { CoordinatorUnavailableError, InvalidArgumentError } from '../../src/errors.ts'
import { DEFAULT_KV_PREFIX, denoKvLeaseCoordinator, denoKvStore } from '../../src/deno.ts'
import { assert } from 'chai'
import { forgedCooldown } from '../helpers/forged-cooldown.ts'
import { assertExcludes } from '../helpers/leaks.ts'
import { rejectionOf, thrownBy } from '../helpers/thrown.ts'
import { serveDevServer } from './dev-server.ts'

async function openKv(): Promise<Deno.Kv & Disposable> {
  const kv = await Deno.openKv(':memory:')
  return Object.assign(kv, { [Symbol.dispose]: () => kv.close() })
}

async function entries(kv: Deno.Kv, ...prefix: string[]): Promise<Deno.KvEntry<unknown>[]> {
  return await Array.fromAsync(kv.list({ prefix: [DEFAULT_KV_PREFIX, ...prefix] }))
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

Deno.test('two isolates sharing Deno KV (store and lease) send one token request for a cold start', async () => {
  await using dev = serveDevServer()
  using kv = await openKv()
  const credentials = dev.credentials()
  const isolate = () => dev.auth({ store: denoKvStore(kv, { credentials }), coordinator: denoKvLeaseCoordinator(kv, { pollMs: 5 }) })
  const [a, b] = [isolate(), isolate()]
  const tokens = await Promise.all([a.getToken('optimize'), b.getToken('optimize'), a.getToken('optimize'), b.getToken('optimize')])
  assert.strictEqual(new Set(tokens).size, 1)
  assert.strictEqual(dev.server.requests(), 1)
  assert.strictEqual((await entries(kv, 'lease')).length, 0, 'the lease is released after the refresh')
})

Deno.test('without the lease the same two isolates send two requests (the lease is what prevents it)', async () => {
  await using dev = serveDevServer()
  using kv = await openKv()
  const credentials = dev.credentials()
  const isolate = () => dev.auth({ store: denoKvStore(kv, { credentials }), coordinator: inProcessCoordinator() })
  await Promise.all([isolate().getToken('optimize'), isolate().getToken('optimize')])
  assert.strictEqual(dev.server.requests(), 2)
})

Deno.test('the lease admits one holder at a time, and every waiter gets its turn', async () => {
  using kv = await openKv()
  let active = 0
  let most = 0
  const ran: number[] = []
  await Promise.all(
    Array.from({ length: 5 }, (_, i) =>
      denoKvLeaseCoordinator(kv, { pollMs: 2 }).withLock('key', async () => {
        most = Math.max(most, ++active)
        await sleep(5)
        active--
        ran.push(i)
      }),
    ),
  )
  assert.strictEqual(most, 1)
  assert.strictEqual(ran.length, 5)
})

Deno.test('a lapsed lease left by a crashed isolate is taken over', async () => {
  using kv = await openKv()
  await kv.set([DEFAULT_KV_PREFIX, 'lease', 'key'], { owner: 'crashed', until: Date.now() - 1 })
  const result = await denoKvLeaseCoordinator(kv).withLock('key', async () => 'ran')
  assert.strictEqual(result, 'ran')
})

Deno.test('a live lease held elsewhere: withLock gives up after waitMs, and createAuth refreshes without it', async () => {
  await using dev = serveDevServer()
  using kv = await openKv()
  const credentials = dev.credentials()
  const coordinator = denoKvLeaseCoordinator(kv, { waitMs: 30, pollMs: 5 })
  let ran = false
  await kv.set([DEFAULT_KV_PREFIX, 'lease', 'key'], { owner: 'busy', until: Date.now() + 60_000 })
  const error = await rejectionOf(coordinator.withLock('key', async () => (ran = true)))
  assert.instanceOf(error, CoordinatorUnavailableError)
  assert.deepEqual([error.code, ran], ['ERR_COORDINATOR_UNAVAILABLE', false])

  // The lease of the auth object's own store key is busy: it still gets its token, and says why it went without.
  await kv.set([DEFAULT_KV_PREFIX, 'lease', await storeKey(credentials, credentials.audiences.zeebe)], {
    owner: 'busy',
    until: Date.now() + 60_000,
  })
  const events: AuthEvent[] = []
  const auth = dev.auth({ store: denoKvStore(kv, { credentials }), coordinator, onEvent: (event) => events.push(event) })
  assert((await auth.getToken('zeebe')).length > 0)
  assert.strictEqual(dev.server.requests(), 1)
  assert(
    events.some((e) => e.type === 'coordinator_error'),
    'a coordinator_error event is emitted',
  )
})

Deno.test('records in Deno KV hold the token sealed: no token or secret in the raw values', async () => {
  await using dev = serveDevServer()
  using kv = await openKv()
  const credentials = dev.credentials()
  const auth = dev.auth({ store: denoKvStore(kv, { credentials }) })
  const token = await auth.getToken('zeebe')
  const stored = await entries(kv, 'token')
  assert.strictEqual(stored.length, 1)
  const raw = JSON.stringify(stored.map((entry) => entry.value))
  assert.include(raw, '"sealed"')
  assertExcludes(raw, token, 'the raw KV record')
  assertExcludes(raw, credentials.clientSecret, 'the raw KV record')

  // Another isolate with the same credentials opens it, and needs no request of its own.
  const other = dev.auth({ store: denoKvStore(kv, { credentials }) })
  assert.strictEqual(await other.getToken('zeebe'), token)
  assert.strictEqual(dev.server.requests(), 1)
})

Deno.test('every Deno KV entry, through refreshes, a lease and a 429 cooldown, holds no token or secret', async () => {
  await using dev = serveDevServer()
  using kv = await openKv()
  const credentials = dev.credentials()
  const auth = dev.auth({ store: denoKvStore(kv, { credentials }), coordinator: denoKvLeaseCoordinator(kv, { pollMs: 5 }) })
  const tokens = [await auth.getToken('zeebe'), await auth.getToken('operate')]
  await auth.invalidate('zeebe')
  tokens.push(await auth.getToken('zeebe'))
  dev.server.inject({ status: 429, headers: { 'retry-after': '30' } })
  await auth.invalidate('operate')
  await rejectionOf(auth.getToken('operate'))
  const all = await Array.fromAsync(kv.list({ prefix: [] }))
  const raw = JSON.stringify(all.map((entry) => [entry.key, entry.value]))
  // The cooldown is there (a second reader honours it without a request), sealed like the tokens.
  const before = dev.server.requests()
  const reader = dev.auth({ store: denoKvStore(kv, { credentials }) })
  assert.strictEqual(((await rejectionOf(reader.getToken('operate'))) as { code?: string }).code, 'ERR_RATE_LIMITED')
  assert.strictEqual(dev.server.requests(), before)
  assertExcludes(raw, 'rate_limited', 'Deno KV (a cooldown in clear)')
  for (const token of tokens) {
    assertExcludes(raw, token, 'Deno KV')
    assertExcludes(raw, token.split('.')[1]!, 'Deno KV (a token payload)')
  }
  assertExcludes(raw, credentials.clientSecret, 'Deno KV')
  assert(!/eyJ[\w-]+\.eyJ/.test(raw), 'nothing JWT-shaped in Deno KV')
})

Deno.test('a lease whose commit keeps failing gives up by waitMs, pausing between attempts instead of spinning', async () => {
  // A fault real Deno KV only shows under contention: a stand-in whose atomic commit always fails.
  let commits = 0
  const failing = {
    get: async () => ({ key: [], value: null, versionstamp: null }),
    set: async () => ({ ok: true, versionstamp: '1' }),
    delete: async () => {},
    list: () => ({ async *[Symbol.asyncIterator]() {} }),
    atomic() {
      const op = { check: () => op, set: () => op, delete: () => op, commit: async () => (commits++, { ok: false }) }
      return op
    },
  } as unknown as Deno.Kv
  const started = Date.now()
  const error = await rejectionOf(
    denoKvLeaseCoordinator(failing, { leaseMs: 200, waitMs: 200, pollMs: 50 }).withLock('k', async () => 'ran'),
  )
  assert.instanceOf(error, CoordinatorUnavailableError)
  assert(Date.now() - started < 5_000, 'gave up (a spinning loop never settles)')
  assert(commits <= 6, `one commit per pollMs at most, got ${commits}`)
})

Deno.test('denoKvStore refuses to store in clear: it needs credentials or an encryption key', async () => {
  using kv = await openKv()
  const error = thrownBy(() => denoKvStore(kv, {}))
  assert.instanceOf(error, InvalidArgumentError)
  assert(error.message.includes('never stored in clear'), error.message)
})

Deno.test('a forged 24 h invalid_client cooldown written into Deno KV is ignored and replaced, with a store_error', async () => {
  await using dev = serveDevServer()
  using kv = await openKv()
  const credentials = dev.credentials()
  const key = await storeKey(credentials, credentials.audiences.zeebe)
  await kv.set([DEFAULT_KV_PREFIX, 'token', key], forgedCooldown(key, 'invalid_client', Date.now() + 86_400_000))
  const events: AuthEvent[] = []
  const auth = dev.auth({ store: denoKvStore(kv, { credentials }), onEvent: (event) => events.push(event) })
  assert((await auth.getToken('zeebe')).startsWith('eyJ'), 'a token despite the forged cooldown')
  assert.strictEqual(dev.server.requests(), 1)
  assert(
    events.some((e) => e.type === 'store_error' && /did not authenticate/.test(e.message)),
    'the forgery is reported',
  )
  const [entry] = await entries(kv, 'token')
  assert.deepEqual(Object.keys(entry!.value as object), ['sealed'])
})
