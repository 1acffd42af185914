/**
 * The browser side of the token broker, in Node with the global fetch: createAuth with
 * brokerTokenSource against createTokenBroker served on a real loopback HTTP server. The broker's
 * own auth object gets its tokens from the in-process dev server; both sides share a fake clock.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  createAuth,
  parseCredentials,
  InvalidClientError,
  RateLimitedError,
  TokenEndpointError,
  type AuthOptions,
} from '../../src/index.ts'
import { brokerTokenSource } from '../../src/browser.ts'
import { createDevAuthServer, devCredentials } from '../../src/dev-server.ts'
import { createTokenBroker } from '../../src/workers.ts'
import { rejectionOf } from '../helpers/thrown.ts'
import { serveHandler, type ServedHandler } from './serve.ts'
import { InvalidArgumentError } from '../../src/errors.ts'

const T0 = Date.parse('2026-06-01T12:00:00Z')
const SECRET = 'browser-broker-secret-0123456789'
const CLIENT = { clientId: 'server-client', clientSecret: SECRET }
const servers: ServedHandler[] = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function setup(serverAuth: Partial<AuthOptions> = {}) {
  const clock = { now: T0 }
  const now = () => clock.now
  const dev = createDevAuthServer({ rateLimit: false, clients: [CLIENT], now })
  const auth = createAuth({
    credentials: parseCredentials(devCredentials('http://127.0.0.1:9', CLIENT)),
    fetch: dev.fetch,
    now,
    ...serverAuth,
  })
  const broker = createTokenBroker({ auth, authorize: (request) => request.headers.get('x-app-session') === 'ok', now })
  const served = await serveHandler(broker)
  servers.push(served)
  const browser = (session: string | undefined = 'ok', extra: Partial<AuthOptions> = {}) =>
    createAuth({
      ...brokerTokenSource({ url: `${served.url}/auth/token`, init: session ? { headers: { 'x-app-session': session } } : {} }),
      now,
      ...extra,
    })
  return { dev, clock, served, browser, brokerRequests: () => served.received.length }
}

describe('brokerTokenSource: tokens from the broker', () => {
  it('gets one token per API from the broker, which the APIs accept, and serves repeats from memory', async () => {
    const t = await setup()
    const auth = t.browser()
    const zeebe = await auth.getToken('zeebe')
    const operate = await auth.getToken('operate')
    expect(zeebe).not.toBe(operate)
    for (const [api, token] of [
      ['zeebe', zeebe],
      ['operate', operate],
    ] as const) {
      const answer = await t.dev.fetch(`http://127.0.0.1:9/${api}/v2/x`, { headers: { authorization: `Bearer ${token}` } })
      expect(answer.status, api).toBe(200)
    }
    await Promise.all(Array.from({ length: 20 }, () => auth.getToken('zeebe')))
    expect(t.brokerRequests()).toBe(2)
    expect(t.dev.requests()).toBe(2)
  })

  it('the token expires in the browser when it expires on the server', async () => {
    const t = await setup()
    await t.browser().getToken('zeebe')
    t.clock.now += 1_000_000
    const record = await t.browser().getTokenRecord('zeebe')
    // Issued at T0 for 3600 s: whoever asks later gets the remaining life, never more.
    expect(record.expiresAt).toBeLessThanOrEqual(T0 + 3_600_000)
    expect(record.expiresAt).toBeGreaterThan(T0 + 3_600_000 - 2_000)
  })

  it('never sends a secret or client credentials: each request is POST api=<api> and nothing else', async () => {
    const t = await setup()
    const auth = t.browser()
    await auth.getToken('zeebe')
    await auth.getToken('tasklist')
    expect(t.served.received.map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', '/auth/token', 'api=zeebe'],
      ['POST', '/auth/token', 'api=tasklist'],
    ])
    for (const request of t.served.received) {
      expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded')
      expect(request.headers.authorization).toBeUndefined()
      expect(JSON.stringify(request)).not.toMatch(/client_secret|client_id|grant_type|dev-secret/)
    }
  })

  it('an API outside apis is an InvalidArgumentError and asks the broker nothing', async () => {
    const t = await setup()
    const auth = createAuth({ ...brokerTokenSource({ url: `${t.served.url}/auth/token`, apis: ['zeebe'] }) })
    const error = await rejectionOf(auth.getToken('operate'))
    expect(error).toBeInstanceOf(InvalidArgumentError)
    expect(error.message).toMatch(/operate API is not among apis \(zeebe\)/)
    expect(t.brokerRequests()).toBe(0)
  })
})

describe('brokerTokenSource: failures are typed and cooled down', () => {
  it('a refused request (403) is a TokenEndpointError with status 403 and access_denied, and is backed off', async () => {
    const t = await setup()
    const auth = t.browser('wrong')
    const error = await rejectionOf(auth.getToken('zeebe'))
    expect(error).toBeInstanceOf(TokenEndpointError)
    expect(error).toMatchObject({ status: 403, error: 'access_denied' })
    expect(await rejectionOf(auth.getToken('zeebe'))).toBeInstanceOf(TokenEndpointError)
    expect(t.brokerRequests()).toBe(1)
    expect(t.dev.requests()).toBe(0)
  })

  it('a rate-limited broker (429 + Retry-After) holds every caller back until Retry-After has passed', async () => {
    const t = await setup()
    t.dev.inject({ status: 429, headers: { 'retry-after': '5' } })
    const auth = t.browser()
    const error = (await rejectionOf(auth.getToken('zeebe'))) as RateLimitedError
    expect(error).toBeInstanceOf(RateLimitedError)
    expect(error.retryAt).toBe(T0 + 5_000)

    t.clock.now += 3_000
    expect(await rejectionOf(auth.getToken('zeebe'))).toBeInstanceOf(RateLimitedError)
    expect(t.brokerRequests()).toBe(1)

    t.clock.now += 2_000
    expect(await auth.getToken('zeebe')).toMatch(/^eyJ/)
    expect(t.brokerRequests()).toBe(2)
    expect(t.dev.requests()).toBe(2)
  })

  it('a broker that says Retry-After: 86400 holds the browser back for maxRetryAfterMs (10 min), not a day', async () => {
    // What a forged 24 h rate_limited record in the broker's store made the broker say.
    const broker = await serveHandler(async () =>
      Response.json({ error: 'temporarily_unavailable' }, { status: 429, headers: { 'retry-after': '86400' } }),
    )
    servers.push(broker)
    const now = () => T0
    const auth = createAuth({ ...brokerTokenSource({ url: `${broker.url}/auth/token` }), now })
    const error = (await rejectionOf(auth.getToken('zeebe'))) as RateLimitedError
    expect(error).toBeInstanceOf(RateLimitedError)
    expect(error.retryAt).toBe(T0 + 600_000)
    const shorter = createAuth({ ...brokerTokenSource({ url: `${broker.url}/auth/token` }), now, maxRetryAfterMs: 60_000 })
    expect(((await rejectionOf(shorter.getToken('zeebe'))) as RateLimitedError).retryAt).toBe(T0 + 60_000)
  })

  it("Retry-After on a failure other than 429 still sets the browser's cooldown, as long as the server's", async () => {
    // The server backs off 10-20 s after a 500; the browser's own backoff would be 1 s.
    const t = await setup({ backoff: { initialMs: 20_000, maxMs: 20_000 } })
    t.dev.inject({ status: 500 })
    const auth = t.browser()
    const error = (await rejectionOf(auth.getToken('zeebe'))) as TokenEndpointError
    expect(error).toBeInstanceOf(TokenEndpointError)
    expect(error.status).toBe(502)
    expect(error.retryAt! - T0).toBeGreaterThanOrEqual(10_000)
    t.clock.now += 5_000
    expect(await rejectionOf(auth.getToken('zeebe'))).toBeInstanceOf(TokenEndpointError)
    expect(t.brokerRequests()).toBe(1)
  })

  it('refused server credentials reach the browser as InvalidClientError, without the secret', async () => {
    const t = await setup()
    t.dev.inject({ status: 401, body: { error: 'invalid_client', error_description: `wrong ${SECRET}` } })
    const error = await rejectionOf(t.browser().getToken('zeebe'))
    expect(error).toBeInstanceOf(InvalidClientError)
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(SECRET)
  })
})

describe('brokerTokenSource: the credentials', () => {
  it('hold no secret, name the broker as token URL and give each API its own audience', () => {
    const { credentials } = brokerTokenSource({ url: 'https://app.example/auth/token', baseUrls: { zeebe: 'https://app.example/zeebe' } })
    expect(credentials.clientSecret).toBe('')
    expect(Object.keys(credentials)).not.toContain('clientSecret')
    expect(JSON.parse(JSON.stringify(credentials))).toMatchObject({
      clientSecret: '[redacted]',
      tokenUrl: 'https://app.example/auth/token',
    })
    expect(new Set(Object.values(credentials.audiences)).size).toBe(4)
    expect(credentials.baseUrls).toEqual({ zeebe: 'https://app.example/zeebe' })
    expect(Object.isFrozen(credentials)).toBe(true)
    expect(createAuth({ credentials }).urls.zeebe('/v2/topology')).toBe('https://app.example/zeebe/v2/topology')
  })

  it('relative URLs resolve against location; without a location they are refused with an InvalidArgumentError', () => {
    const had = Object.getOwnPropertyDescriptor(globalThis, 'location')
    Object.defineProperty(globalThis, 'location', { value: { href: 'https://app.example/tasks/list' }, configurable: true })
    try {
      const { credentials } = brokerTokenSource({ url: '/auth/token', baseUrls: { zeebe: '/zeebe', operate: 'operate' } })
      expect(credentials.tokenUrl).toBe('https://app.example/auth/token')
      expect(credentials.baseUrls).toEqual({ zeebe: 'https://app.example/zeebe', operate: 'https://app.example/tasks/operate' })
    } finally {
      if (had) Object.defineProperty(globalThis, 'location', had)
      else delete (globalThis as { location?: unknown }).location
    }
    expect(() => brokerTokenSource({ url: '/auth/token' })).toThrow(/relative.*pass an absolute URL/)
    expect(() => brokerTokenSource({ url: 'https://a.example/t', apis: ['admin' as never] })).toThrow(/unknown api "admin"/)
  })

  it('a broker on plain http off loopback is refused before any request, as any token URL is', async () => {
    const auth = createAuth({ ...brokerTokenSource({ url: 'http://app.example/auth/token' }) })
    expect(await rejectionOf(auth.getToken('zeebe'))).toMatchObject({ code: 'ERR_INSECURE_URL' })
  })
})
