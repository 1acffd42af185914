/**
 * The core under Deno: createAuth against the dev server served by `Deno.serve` on loopback,
 * with Deno's own `fetch`, timers, Web Locks and BroadcastChannel.
 */

import { InvalidClientError, memoryStore, RateLimitedError, type AuthEvent, type StoredRecord } from '../../src/index.ts'
import { storeKey } from '../../src/token/store-key.ts'
import { webLocksCoordinator } from '../../src/browser/web-locks.ts'
import { GATEWAY_VERSION } from '../../src/dev-server/api-routes.ts'
import { assert, assertEquals, assertInstanceOf, rejectionOf } from './assert.ts'
import { serveDevServer } from './dev-server.ts'

Deno.test('100 concurrent getToken calls send one token request and get one token', async () => {
  await using dev = serveDevServer()
  const auth = dev.auth()
  const tokens = await Promise.all(Array.from({ length: 100 }, () => auth.getToken('zeebe')))
  assertEquals(new Set(tokens).size, 1)
  assertEquals(dev.server.requests(), 1)
  assertEquals(dev.server.requests({ audience: 'zeebe.camunda.io' }), 1)
})

Deno.test('a cached token is served from memory with no new request', async () => {
  await using dev = serveDevServer()
  const events: AuthEvent[] = []
  const auth = dev.auth({ onEvent: (event) => events.push(event) })
  const first = await auth.getToken('operate')
  const second = await auth.getToken('operate')
  const headers = await auth.getHeaders('operate')
  assertEquals(second, first)
  assertEquals(headers, { authorization: `Bearer ${first}` })
  assertEquals(dev.server.requests(), 1)
  assertEquals(
    events.filter((e) => e.type === 'cache_hit').map((e) => e.type === 'cache_hit' && e.source),
    ['memory', 'memory'],
  )
})

Deno.test("auth.fetch('zeebe', '/v2/topology') gets 200 and a topology from the dev server's API", async () => {
  await using dev = serveDevServer()
  const auth = dev.auth()
  const response = await auth.fetch('zeebe', '/v2/topology')
  const topology = await response.json()
  assertEquals(response.status, 200)
  assertEquals(topology.gatewayVersion, GATEWAY_VERSION)
  assert(Array.isArray(topology.brokers) && topology.brokers.length > 0, 'a topology lists its brokers')
  assertEquals(dev.server.apiRequests('zeebe'), 1)
  assertEquals(dev.server.requests(), 1)
})

Deno.test('a wrong secret gives InvalidClientError, and calls in its cooldown send nothing', async () => {
  await using dev = serveDevServer()
  const auth = dev.auth({ credentials: dev.credentials({ clientId: 'dev-client', clientSecret: 'not-the-secret' }) })
  const error = await rejectionOf(auth.getToken())
  assertInstanceOf(error, InvalidClientError)
  assertEquals([error.code, error.status, error.error], ['ERR_INVALID_CLIENT', 401, 'invalid_client'])
  assert(error.retryAt !== undefined && error.retryAt > Date.now(), 'the error says when a retry may be sent')

  const again = await rejectionOf(auth.getToken())
  assertInstanceOf(again, InvalidClientError)
  assertEquals(again.code, 'ERR_INVALID_CLIENT')
  assertEquals(dev.server.requests(), 1)
})

Deno.test('a 429 gives RateLimitedError honouring Retry-After, and no second request is sent in the cooldown', async () => {
  await using dev = serveDevServer()
  dev.server.inject({ status: 429, headers: { 'retry-after': '30' } })
  const events: AuthEvent[] = []
  const auth = dev.auth({ onEvent: (event) => events.push(event) })
  const error = await rejectionOf(auth.getToken())
  assertInstanceOf(error, RateLimitedError)
  assertEquals([error.code, error.status], ['ERR_RATE_LIMITED', 429])
  assert(error.retryAfterMs > 25_000, `Retry-After 30 s is honoured, got ${error.retryAfterMs} ms`)

  const again = await rejectionOf(Promise.all([auth.getToken(), auth.fetch('zeebe', '/v2/topology')]))
  assertInstanceOf(again, RateLimitedError)
  assertEquals(dev.server.requests(), 1)
  assertEquals(dev.server.apiRequests(), 0)
  assert(
    events.some((e) => e.type === 'cooldown' && e.reason === 'rate_limited'),
    'a cooldown event is emitted',
  )
})

Deno.test("two auth objects sharing a store send one token request under Deno's navigator.locks", async () => {
  assert('locks' in navigator, 'Deno provides navigator.locks')
  await using dev = serveDevServer()
  const store = memoryStore()
  // Given explicitly: the default in Deno is in-process, since an open BroadcastChannel would keep a
  // script from exiting.
  const a = dev.auth({ store, coordinator: webLocksCoordinator() })
  const b = dev.auth({ store, coordinator: webLocksCoordinator() })
  const [tokenA, tokenB] = await Promise.all([a.getToken('tasklist'), b.getToken('tasklist')])
  assertEquals(tokenB, tokenA)
  assertEquals(dev.server.requests(), 1)
  a.close()
  b.close()
})

Deno.test('a script that never calls close() still exits: the default coordinator holds nothing open', async () => {
  const script = `
    import { createAuth, parseCredentials } from '${new URL('../../src/index.ts', import.meta.url).href}'
    import { createDevAuthServer, devCredentials } from '${new URL('../../src/dev-server.ts', import.meta.url).href}'
    const server = createDevAuthServer()
    const auth = createAuth({ credentials: parseCredentials(devCredentials('http://127.0.0.1')), fetch: server.fetch })
    console.log((await auth.getToken()).slice(0, 3))
  `
  const child = new Deno.Command(Deno.execPath(), { args: ['eval', '--no-lock', script], stdout: 'piped', stderr: 'piped' }).spawn()
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
  const { code, stdout, stderr } = await child.output()
  clearTimeout(timer)
  assertEquals(new TextDecoder().decode(stdout).trim(), 'eyJ', new TextDecoder().decode(stderr))
  assertEquals(code, 0, 'the script exited by itself')
})

Deno.test('a token past its lifetime is replaced by exactly one new request', async () => {
  let clock = Date.now()
  await using dev = serveDevServer({ tokenLifetimeSeconds: 60 })
  const auth = dev.auth({ now: () => clock })
  const first = await auth.getToken()
  clock += 61_000
  const tokens = await Promise.all(Array.from({ length: 10 }, () => auth.getToken()))
  assertEquals(new Set(tokens).size, 1)
  assert(tokens[0] !== first, 'the expired token is not served')
  assertEquals(dev.server.requests(), 2)
})

Deno.test('a forged day-long cooldown from a peer holds callers back no longer than invalidClientCooldownMs', async () => {
  await using dev = serveDevServer()
  const store = memoryStore()
  const credentials = dev.credentials()
  const key = await storeKey(credentials, credentials.audiences.zeebe)
  const forged = {
    v: 1,
    key,
    cooldown: {
      reason: 'invalid_client',
      until: Date.now() + 86_400_000,
      failures: 1,
      errorDescription: 'rotate it at https://evil.example',
    },
  }
  await store.set(key, forged as unknown as StoredRecord, 86_400_000)
  const error = await rejectionOf(dev.auth({ store }).getToken('zeebe'))
  assertInstanceOf(error, InvalidClientError)
  assert(error.retryAt! <= Date.now() + 30_000, `held back until ${error.retryAt}, not a day`)
  assert(!error.message.includes('evil.example'), 'the forged text is not in the message')
})

Deno.test('20 auth.fetch calls to a path that always answers 401 cost at most one extra token request', async () => {
  await using dev = serveDevServer()
  const auth = dev.auth({
    fetch: (input, init) =>
      new Request(input, init).url.includes('/zeebe/') ? Promise.resolve(new Response(null, { status: 401 })) : fetch(input, init),
  })
  for (let i = 0; i < 20; i++) assertEquals((await auth.fetch('zeebe', '/v2/always-401')).status, 401)
  assert(dev.server.requests() <= 2, `${dev.server.requests()} token requests`)
})

Deno.test('auth.fetch sends no token to another origin or above the base path', async () => {
  await using dev = serveDevServer()
  const auth = dev.auth()
  for (const input of ['https://other.example/steal', '/../other-cluster/v2/topology']) {
    const error = await rejectionOf(auth.fetch('zeebe', input))
    assertEquals((error as { code?: string }).code, 'ERR_URL_FOREIGN')
  }
  assertEquals(dev.server.apiRequests(), 0)
})
