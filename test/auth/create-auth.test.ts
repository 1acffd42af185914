import { describe, expect, it } from 'vitest'
import {
  InsecureUrlError,
  InvalidClientError,
  RateLimitedError,
  TokenEndpointError,
  TokenTimeoutError,
  createAuth,
  inProcessCoordinator,
  memoryStore,
  type Coordinator,
  type Credentials,
  type TokenStore,
} from '../../src/index.ts'
import { claimsOf, harness, rejectionOf } from '../helpers/harness.ts'
import { UnknownApiError } from '../../src/errors.ts'

describe('createAuth: single flight and caching', () => {
  it('100 concurrent getToken calls send one token request', async () => {
    const { auth, server } = harness()
    const tokens = await Promise.all(Array.from({ length: 100 }, () => auth.getToken('zeebe')))
    expect(new Set(tokens).size).toBe(1)
    expect(server.requests()).toBe(1)
  })

  it('serves a cached token from memory without a request', async () => {
    const { auth, server, events } = harness()
    const first = await auth.getToken()
    events.length = 0
    expect(await auth.getToken()).toBe(first)
    expect(server.requests()).toBe(1)
    expect(events).toEqual([{ type: 'cache_hit', api: 'zeebe', source: 'memory' }])
  })

  it('requests each API with its own audience', async () => {
    const { auth, server } = harness()
    const [zeebe, operate] = await Promise.all([auth.getToken('zeebe'), auth.getToken('operate')])
    expect(claimsOf(zeebe).aud).toBe('zeebe.camunda.io')
    expect(claimsOf(operate).aud).toBe('operate.camunda.io')
    expect(server.requests({ audience: 'zeebe.camunda.io' })).toBe(1)
    expect(server.requests({ audience: 'operate.camunda.io' })).toBe(1)
  })

  it('shares one token between APIs that share an audience', async () => {
    const env = { CAMUNDA_OPERATE_OAUTH_AUDIENCE: 'zeebe.camunda.io', CAMUNDA_TASKLIST_OAUTH_AUDIENCE: 'zeebe.camunda.io' }
    const { auth, server } = harness({}, {}, env)
    const tokens = await Promise.all([auth.getToken('zeebe'), auth.getToken('operate'), auth.getToken('tasklist')])
    expect(new Set(tokens).size).toBe(1)
    expect(server.requests()).toBe(1)
  })

  it('getHeaders gives a bearer authorization header, a fresh object each call', async () => {
    const { auth, server } = harness()
    const headers = await auth.getHeaders('tasklist')
    expect(headers.authorization).toMatch(/^Bearer eyJ/)
    const again = await auth.getHeaders('tasklist')
    expect(again).toEqual(headers)
    expect(again).not.toBe(headers)
    Object.assign(again, { 'content-type': 'application/json' })
    expect(await auth.getHeaders('tasklist')).toEqual(headers)
    expect(server.requests()).toBe(1)
  })

  it('getHeaders inside the refresh window still starts the background refresh', async () => {
    const { auth, server, advance, settle } = harness({ tokenLifetimeSeconds: 300 })
    const first = (await auth.getHeaders()).authorization
    advance(250_000)
    expect((await auth.getHeaders()).authorization).toBe(first)
    await settle()
    expect(server.requests()).toBe(2)
  })

  it('two auth objects sharing a store and coordinator send one request', async () => {
    const { make, server } = harness()
    const store = memoryStore()
    const coordinator = inProcessCoordinator()
    const a = make({ store, coordinator })
    const b = make({ store, coordinator })
    const [ta, tb] = await Promise.all([a.getToken(), b.getToken()])
    expect(ta).toBe(tb)
    expect(server.requests()).toBe(1)
  })

  it.each(['camunda', 'toString', '__proto__', 'constructor'])(
    'rejects the unknown API name %j with an UnknownApiError naming the choices',
    async (name) => {
      const { auth } = harness()
      const error = await rejectionOf(auth.getToken(name as never))
      expect(error).toBeInstanceOf(UnknownApiError)
      expect(error.message).toMatch(/zeebe, operate, tasklist, optimize/)
      await expect(auth.getHeaders(name as never)).rejects.toBeInstanceOf(UnknownApiError)
    },
  )
})

describe('createAuth: expiry and refresh ahead', () => {
  it('gives the still-valid token at once inside the refresh window and refreshes once in the background', async () => {
    const { auth, server, advance, settle, eventTypes, events } = harness({ tokenLifetimeSeconds: 300 })
    const first = await auth.getToken()
    advance(241_000) // last 60 s of 300 s
    events.length = 0
    const during = await Promise.all([auth.getToken(), auth.getToken(), auth.getToken()])
    expect(during).toEqual([first, first, first])
    expect(eventTypes().filter((t) => t === 'refresh_ahead')).toHaveLength(1)
    await settle()
    expect(server.requests()).toBe(2)
    const next = await auth.getToken()
    expect(next).not.toBe(first)
    expect(server.requests()).toBe(2)
  })

  it('refreshes a 4 s token at half its life, not on every call', async () => {
    const { auth, server, advance, settle } = harness({ tokenLifetimeSeconds: 4 })
    await auth.getToken()
    for (let i = 0; i < 19; i++) {
      advance(100) // up to 1.9 s: before the window
      await auth.getToken()
    }
    expect(server.requests()).toBe(1)
    advance(200) // 2.1 s
    await auth.getToken()
    await settle()
    expect(server.requests()).toBe(2)
  })

  it('keeps serving the valid token when the background refresh fails', async () => {
    const { auth, server, advance, settle, events } = harness({ tokenLifetimeSeconds: 300 })
    const first = await auth.getToken()
    server.inject({ status: 500 })
    advance(250_000)
    expect(await auth.getToken()).toBe(first)
    await settle()
    expect(server.requests()).toBe(2)
    expect(await auth.getToken()).toBe(first)
    expect(events).toContainEqual({ type: 'token_failed', api: 'zeebe', code: 'ERR_TOKEN_ENDPOINT', status: 500 })
  })

  it('never hands out a token past its margin: the caller waits for a new one', async () => {
    const { auth, server, advance } = harness({ tokenLifetimeSeconds: 300 })
    const first = await auth.getToken()
    advance(296_000) // inside the 5 s margin
    const second = await auth.getToken()
    expect(second).not.toBe(first)
    expect(server.requests()).toBe(2)
  })

  it('invalidate drops the token so the next call requests a new one', async () => {
    const { auth, server, events } = harness()
    const first = await auth.getToken('operate')
    await auth.invalidate('operate')
    expect(await auth.getToken('operate')).not.toBe(first)
    expect(server.requests()).toBe(2)
    expect(events).toContainEqual({ type: 'token_requested', api: 'operate', reason: 'invalidated' })
  })
})

describe('createAuth: rate limits and bad credentials', () => {
  it('honours Retry-After: no request before it passes, then one', async () => {
    const { auth, server, advance, events } = harness()
    server.inject({ status: 429, headers: { 'retry-after': '3' } })
    const error = await rejectionOf(auth.getToken())
    expect(error).toBeInstanceOf(RateLimitedError)
    expect(error).toMatchObject({ code: 'ERR_RATE_LIMITED', status: 429 })
    expect(events).toContainEqual({ type: 'rate_limited', api: 'zeebe', status: 429, retryAfterMs: 3000 })
    for (let i = 0; i < 5; i++) await expect(auth.getToken()).rejects.toBeInstanceOf(RateLimitedError)
    advance(2900)
    await expect(auth.getToken()).rejects.toBeInstanceOf(RateLimitedError)
    expect(server.requests()).toBe(1)
    advance(200)
    await expect(auth.getToken()).resolves.toMatch(/^eyJ/)
    expect(server.requests()).toBe(2)
  })

  it('honours Retry-After given as an HTTP date on a 503', async () => {
    const { auth, server, advance, clock } = harness()
    server.inject({ status: 503, headers: { 'retry-after': new Date(clock.now + 10_000).toUTCString() } })
    await expect(auth.getToken()).rejects.toBeInstanceOf(RateLimitedError)
    advance(9_000)
    await expect(auth.getToken()).rejects.toBeInstanceOf(RateLimitedError)
    advance(1_000)
    await expect(auth.getToken()).resolves.toBeTruthy()
    expect(server.requests()).toBe(2)
  })

  it('backs off exponentially after failures without Retry-After', async () => {
    const { auth, server, advance } = harness({}, { backoff: { initialMs: 1000, maxMs: 8000 } })
    server.inject({ status: 502, times: 10 })
    const sent: number[] = []
    for (let t = 0; t < 20_000; t += 100) {
      await auth.getToken().catch(() => {})
      sent.push(server.requests())
      advance(100)
    }
    // Waits of [d/2, d] with d = 1, 2, 4, 8 s: far fewer requests than calls.
    const requests = server.requests()
    expect(requests).toBeGreaterThanOrEqual(4)
    expect(requests).toBeLessThanOrEqual(8)
  })

  it('does not retry invalid_client within its cooldown and fails fast with the same error', async () => {
    const { make, server, advance } = harness()
    const auth = make({ credentials: withSecret(harness().credentials, 'wrong-secret') })
    const first = await rejectionOf(auth.getToken())
    expect(first).toBeInstanceOf(InvalidClientError)
    expect(first).toMatchObject({ code: 'ERR_INVALID_CLIENT', status: 401, error: 'invalid_client' })
    const again = await rejectionOf(auth.getToken())
    expect(again).toBeInstanceOf(InvalidClientError)
    expect(again).toMatchObject({ status: 401, error: 'invalid_client' })
    expect(server.requests()).toBe(1)
    advance(30_000)
    await expect(auth.getToken()).rejects.toBeInstanceOf(InvalidClientError)
    expect(server.requests()).toBe(2)
  })

  it('shares cooldowns through the store: another auth object sends nothing', async () => {
    const { make, server, clock } = harness()
    const store = memoryStore()
    const a = make({ store })
    server.inject({ status: 429, headers: { 'retry-after': '60' } })
    await expect(a.getToken()).rejects.toBeInstanceOf(RateLimitedError)
    const b = make({ store })
    const error = await rejectionOf(b.getToken())
    expect(error).toBeInstanceOf(RateLimitedError)
    expect((error as RateLimitedError).retryAt).toBe(clock.now + 60_000)
    expect(server.requests()).toBe(1)
  })

  it('times out a token request that hangs', async () => {
    const { auth, server } = harness({}, { timeoutMs: 100 })
    server.inject({ delayMs: 5_000 })
    const error = await rejectionOf(auth.getToken())
    expect(error).toBeInstanceOf(TokenTimeoutError)
    expect(error).toMatchObject({ code: 'ERR_TOKEN_TIMEOUT' })
  })

  it('turns a 500 into TokenEndpointError with the status', async () => {
    const { auth, server } = harness()
    server.inject({ status: 500 })
    expect(await rejectionOf(auth.getToken())).toMatchObject({ code: 'ERR_TOKEN_ENDPOINT', status: 500 })
    expect((await rejectionOf(auth.getToken())) as TokenEndpointError).toBeInstanceOf(TokenEndpointError)
  })
})

describe('createAuth: the request', () => {
  it('sends client_secret_basic when asked', async () => {
    const { auth, server } = harness({}, { clientAuth: 'client_secret_basic' })
    await auth.getToken()
    expect(server.requestLog[0]).toMatchObject({ clientId: 'dev-client', status: 200 })
  })

  it("sends the audience as RFC 8707 'resource' when asked", async () => {
    const { auth, server } = harness({}, { audienceParam: 'resource' })
    expect(claimsOf(await auth.getToken('optimize')).aud).toBe('optimize.camunda.io')
    expect(server.requests({ audience: 'optimize.camunda.io' })).toBe(1)
  })

  it('sends the scope when the bundle sets one', async () => {
    const { auth } = harness({}, {}, { CAMUNDA_TOKEN_SCOPE: 'Zeebe' })
    expect(claimsOf(await auth.getToken()).scope).toBe('Zeebe')
  })

  it('refuses to send the secret over plain http to a non-loopback host', async () => {
    const { make, server, credentials } = harness()
    const insecure = Object.freeze({ ...credentials, clientSecret: 'x', tokenUrl: 'http://login.example.com/token' }) as Credentials
    const error = await rejectionOf(make({ credentials: insecure }).getToken())
    expect(error).toBeInstanceOf(InsecureUrlError)
    expect(server.requests()).toBe(0)
  })

  it('refuses credentials that are not from parseCredentials', () => {
    expect(() => createAuth({ credentials: {} as Credentials })).toThrow(/parseCredentials/)
  })
})

describe('createAuth: stores and coordinators degrade', () => {
  const boom = () => Promise.reject(new Error('store down'))

  it('works with a store that throws on every call, and reports store_error', async () => {
    const { make, server, events } = harness()
    const auth = make({ store: { get: boom, set: boom, delete: boom } })
    const tokens = await Promise.all(Array.from({ length: 10 }, () => auth.getToken()))
    expect(new Set(tokens).size).toBe(1)
    expect(await auth.getToken()).toBe(tokens[0])
    expect(server.requests()).toBe(1)
    expect(events.some((e) => e.type === 'store_error')).toBe(true)
  })

  it('ignores and replaces corrupt records in the store', async () => {
    const { make, server } = harness()
    const records = new Map<string, unknown>()
    const store: TokenStore = {
      get: async (key) => records.get(key),
      set: async (key, record) => void records.set(key, record),
      delete: async (key) => void records.delete(key),
    }
    const first = make({ store })
    await first.getToken()
    const [key] = records.keys()
    records.set(key!, { v: 1, key, token: { accessToken: 'not valid!', expiresAt: 'soon' } })
    const second = make({ store })
    await expect(second.getToken()).resolves.toMatch(/^eyJ/)
    expect(server.requests()).toBe(2)
    expect(records.get(key!)).toMatchObject({ v: 1, token: { accessToken: expect.stringMatching(/^eyJ/) } })
  })

  it('reads a valid token another context stored, without a request', async () => {
    const { make, server, events } = harness()
    const store = memoryStore()
    const token = await make({ store }).getToken()
    events.length = 0
    expect(await make({ store }).getToken()).toBe(token)
    expect(server.requests()).toBe(1)
    expect(events).toContainEqual({ type: 'cache_hit', api: 'zeebe', source: 'store' })
  })

  it('gets a token when the coordinator lock never resolves', async () => {
    const { make, events } = harness()
    const stuck: Coordinator = { withLock: () => new Promise(() => {}) }
    const auth = make({ coordinator: stuck, lockTimeoutMs: 50 })
    await expect(auth.getToken()).resolves.toMatch(/^eyJ/)
    expect(events.some((e) => e.type === 'coordinator_error')).toBe(true)
  })

  it('ignores an onEvent listener that throws', async () => {
    const { make } = harness()
    const auth = make({
      onEvent: () => {
        throw new Error('listener bug')
      },
    })
    await expect(auth.getToken()).resolves.toMatch(/^eyJ/)
  })
})

describe('createAuth: auth.fetch', () => {
  it('adds the bearer token and resolves a path against the API base URL', async () => {
    const { auth, server } = harness()
    const response = await auth.fetch('zeebe', '/v2/topology')
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ clusterSize: 1 })
    expect(server.apiRequests('zeebe')).toBe(1)
  })

  it('on a 401 gets a fresh token once and retries once, body included', async () => {
    const { make, server } = harness()
    const seen: string[] = []
    let answered401 = false
    const auth = make({
      fetch: async (input, init) => {
        const request = new Request(input, init)
        if (request.url.includes('/operate/')) {
          seen.push(`${request.headers.get('authorization')?.slice(-12)} ${await request.clone().text()}`)
          if (!answered401) {
            answered401 = true
            return new Response('expired', { status: 401 })
          }
        }
        return server.fetch(request)
      },
    })
    const response = await auth.fetch('operate', '/v1/process-instances/search', { method: 'POST', body: '{"filter":{}}' })
    expect(response.status).toBe(200)
    expect(server.requests()).toBe(2)
    expect(seen).toHaveLength(2)
    expect(seen[0]).not.toBe(seen[1])
    expect(seen[1]).toMatch(/\{"filter":\{\}\}$/)
  })

  it('retries only once when the API keeps answering 401', async () => {
    const { make, server } = harness()
    let apiCalls = 0
    const auth = make({
      fetch: async (input, init) => {
        const request = new Request(input, init)
        if (request.url.includes('/tasklist/')) {
          apiCalls++
          return new Response(null, { status: 401 })
        }
        return server.fetch(request)
      },
    })
    expect((await auth.fetch('tasklist', '/v1/tasks/search', { method: 'POST' })).status).toBe(401)
    expect(apiCalls).toBe(2)
    expect(server.requests()).toBe(2)
  })
})

function withSecret(credentials: Credentials, secret: string): Credentials {
  return Object.freeze(Object.defineProperty({ ...credentials }, 'clientSecret', { value: secret, enumerable: false }))
}
