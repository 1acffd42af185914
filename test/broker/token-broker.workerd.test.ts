/**
 * The token broker in workerd: who gets a token, what the answer looks like, how token-endpoint
 * failures reach the browser, CORS, and that no answer ever carries the client secret. The dev
 * authorization server runs in-process as the auth object's `fetch`, on a shared fake clock.
 */
import { describe, expect, it } from 'vitest'
import { createAuth, parseCredentials, type Api } from '../../src/index.ts'
import { createDevAuthServer, devCredentials, type DevAuthServerOptions } from '../../src/dev-server.ts'
import { createTokenBroker, type TokenBrokerOptions } from '../../src/workers.ts'
import { InvalidArgumentError } from '../../src/errors.ts'

const ORIGIN = 'http://127.0.0.1:9'
const BROKER = 'https://app.example/auth/token'
const SECRET = 'broker-test-secret-0123456789-abcdef'
const CLIENT = { clientId: 'broker-client', clientSecret: SECRET }
const T0 = Date.parse('2026-06-01T12:00:00Z')

function setup(brokerOptions: Partial<TokenBrokerOptions> = {}, serverOptions: DevAuthServerOptions = {}) {
  const clock = { now: T0 }
  const now = () => clock.now
  const server = createDevAuthServer({ rateLimit: false, clients: [CLIENT], now, ...serverOptions })
  const credentials = parseCredentials(devCredentials(ORIGIN, CLIENT))
  const auth = createAuth({ credentials, fetch: server.fetch, now })
  let authorizeCalls = 0
  const broker = createTokenBroker({
    auth,
    authorize: (request) => {
      authorizeCalls++
      return request.headers.get('x-session') === 'valid'
    },
    now,
    ...brokerOptions,
  })
  const answers: { status: number; headers: string; body: string }[] = []
  /** Sends a request to the broker and keeps the whole answer for the secrecy check. */
  const send = async (init: RequestInit & { url?: string } = {}) => {
    const response = await broker(new Request(init.url ?? BROKER, { method: 'POST', ...init }))
    const body = await response.text()
    answers.push({ status: response.status, headers: JSON.stringify([...response.headers]), body })
    return { response, body, json: body ? (JSON.parse(body) as Record<string, unknown>) : undefined }
  }
  const authorized = (body?: string, type = 'application/x-www-form-urlencoded'): RequestInit => ({
    headers: { 'x-session': 'valid', ...(body !== undefined && { 'content-type': type }) },
    ...(body !== undefined && { body }),
  })
  return { server, auth, broker, send, authorized, answers, clock, authorizeCalls: () => authorizeCalls }
}

function audienceOf(token: string): unknown {
  const payload = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')
  return (JSON.parse(atob(payload)) as { aud: unknown }).aud
}

describe('token broker: who gets a token', () => {
  it('an unauthorised request gets 403 access_denied and causes no token request', async () => {
    const t = setup()
    const { response, json } = await t.send({ body: 'api=zeebe', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect(response.status).toBe(403)
    expect(json).toMatchObject({ error: 'access_denied' })
    expect(t.server.requests()).toBe(0)
  })

  it('an authorize check that throws answers 500 without its message and reports it to onError', async () => {
    const heard: unknown[] = []
    const t = setup({
      authorize: () => {
        throw new Error('session store down: password=hunter2')
      },
      onError: (error) => heard.push(error),
    })
    const { response, body } = await t.send(t.authorized('api=zeebe'))
    expect(response.status).toBe(500)
    expect(JSON.parse(body)).toMatchObject({ error: 'server_error' })
    expect(body).not.toContain('hunter2')
    expect(heard).toHaveLength(1)
    expect(t.server.requests()).toBe(0)
  })

  it('only a literal true authorizes: a truthy non-boolean is refused', async () => {
    const t = setup({ authorize: () => 'yes' as unknown as boolean })
    expect((await t.send(t.authorized('api=zeebe'))).response.status).toBe(403)
  })
})

describe('token broker: the token response', () => {
  it('an authorised POST gets a Bearer token with its remaining life as expires_in, marked no-store', async () => {
    const t = setup()
    const first = await t.send(t.authorized('api=zeebe'))
    expect(first.response.status).toBe(200)
    expect(first.response.headers.get('cache-control')).toBe('no-store')
    expect(first.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600 })
    const token = first.json!.access_token as string

    // Ten minutes later the same token is handed out, with ten minutes less to live.
    t.clock.now += 600_000
    const later = await t.send(t.authorized('api=zeebe'))
    expect(later.json).toMatchObject({ access_token: token, token_type: 'Bearer', expires_in: 3000 })
    expect(t.server.requests()).toBe(1)

    // The token is the real thing: the dev server's Zeebe API accepts it.
    const topology = await t.server.fetch(`${ORIGIN}/zeebe/v2/topology`, { headers: { authorization: `Bearer ${token}` } })
    expect(topology.status).toBe(200)
  })

  it('form, JSON and empty bodies choose the api, and an empty body means zeebe', async () => {
    const t = setup()
    const form = await t.send(t.authorized('api=operate'))
    const json = await t.send(t.authorized('{"api":"tasklist"}', 'application/json'))
    const empty = await t.send({ headers: { 'x-session': 'valid' } })
    expect(audienceOf(form.json!.access_token as string)).toBe('operate.camunda.io')
    expect(audienceOf(json.json!.access_token as string)).toBe('tasklist.camunda.io')
    expect(audienceOf(empty.json!.access_token as string)).toBe('zeebe.camunda.io')
  })

  it('an unknown or unserved api is 400 invalid_request naming the served apis, with no token request', async () => {
    const t = setup({ apis: ['zeebe', 'operate'] })
    for (const api of ['optimize', 'admin', '__proto__', 'toString', '']) {
      const { response, json } = await t.send(t.authorized(new URLSearchParams({ api }).toString()))
      expect(response.status, api).toBe(400)
      expect(json).toMatchObject({ error: 'invalid_request' })
      expect(String(json!.error_description)).toContain('zeebe, operate')
    }
    const repeated = await t.send(t.authorized('api=zeebe&api=operate'))
    expect(repeated.response.status).toBe(400)
    const notString = await t.send(t.authorized('{"api":["zeebe"]}', 'application/json'))
    expect(notString.response.status).toBe(400)
    expect(t.server.requests()).toBe(0)
  })

  it('an unknown api in the options is refused at construction', () => {
    const t = setup()
    expect(() => createTokenBroker({ auth: t.auth, authorize: () => true, apis: ['admin' as Api] })).toThrow(/unknown api "admin"/)
    expect(() => createTokenBroker({ auth: t.auth, authorize: undefined as never })).toThrow(/authorize is required/)
  })

  it('GET, PUT and HEAD are refused with 405 and never carry a token', async () => {
    const t = setup()
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const { response, body } = await t.send({ method, url: `${BROKER}?api=zeebe`, headers: { 'x-session': 'valid' } })
      expect(response.status, method).toBe(405)
      expect(response.headers.get('allow')).toBe('POST, OPTIONS')
      expect(body).not.toContain('access_token')
    }
    expect(t.server.requests()).toBe(0)
  })

  it('bodies of another media type are 415 and oversized ones 413', async () => {
    const t = setup()
    expect((await t.send(t.authorized('api=zeebe', 'text/plain'))).response.status).toBe(415)
    expect((await t.send(t.authorized(`api=zeebe&pad=${'x'.repeat(5000)}`))).response.status).toBe(413)
    expect(t.server.requests()).toBe(0)
  })
})

describe('token broker: token endpoint failures reach the browser with their cooldown', () => {
  it('a rate-limited token endpoint gives 429 with Retry-After, and the cooldown holds without another upstream request', async () => {
    const t = setup()
    t.server.inject({ status: 429, headers: { 'retry-after': '7' } })
    const first = await t.send(t.authorized('api=zeebe'))
    expect(first.response.status).toBe(429)
    expect(first.json).toMatchObject({ error: 'temporarily_unavailable' })
    expect(Number(first.response.headers.get('retry-after'))).toBe(7)

    t.clock.now += 3_000
    const second = await t.send(t.authorized('api=zeebe'))
    expect(second.response.status).toBe(429)
    expect(Number(second.response.headers.get('retry-after'))).toBe(4)
    expect(t.server.requests()).toBe(1)

    t.clock.now += 4_000
    expect((await t.send(t.authorized('api=zeebe'))).response.status).toBe(200)
    expect(t.server.requests()).toBe(2)
  })

  it('refused client credentials give 502 invalid_client and a timeout-free failure 502 server_error, both with Retry-After', async () => {
    const t = setup()
    t.server.inject({ status: 401, body: { error: 'invalid_client', error_description: `bad secret ${SECRET}` } })
    const refused = await t.send(t.authorized('api=zeebe'))
    expect(refused.response.status).toBe(502)
    expect(refused.json).toMatchObject({ error: 'invalid_client' })
    expect(Number(refused.response.headers.get('retry-after'))).toBe(30)

    t.server.inject({ status: 500 })
    const failed = await t.send(t.authorized('api=operate'))
    expect(failed.response.status).toBe(502)
    expect(failed.json).toMatchObject({ error: 'server_error' })
    expect(Number(failed.response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(String(failed.json!.error_description)).toContain('ERR_TOKEN_ENDPOINT')
  })

  it('no answer, success or failure, contains the client secret; error answers contain no token', async () => {
    const t = setup()
    t.server.inject([
      { status: 400, body: { error: 'invalid_request', error_description: `echo ${SECRET}` } },
      { status: 401, body: { error: 'invalid_client', error_description: SECRET } },
    ])
    await t.send(t.authorized('api=zeebe'))
    await t.send(t.authorized('api=operate'))
    await t.send(t.authorized('api=tasklist'))
    await t.send(t.authorized('api=optimize', 'text/plain'))
    await t.send({ body: 'api=zeebe' })
    expect(t.answers.some((a) => a.status === 200)).toBe(true)
    for (const answer of t.answers) {
      expect(answer.body + answer.headers).not.toContain(SECRET)
      if (answer.status !== 200) expect(answer.body).not.toMatch(/eyJ/)
    }
  })
})

describe('token broker: CORS', () => {
  const APP = 'https://app.example'
  const OTHER = 'https://evil.example'
  const cross = (origin: string, init: RequestInit = {}): RequestInit & { url: string } => ({
    url: 'https://broker.example/auth/token',
    ...init,
    headers: { origin, ...(init.headers as Record<string, string>) },
  })

  it('a preflight from a listed origin is answered with that exact origin, credentials and POST only', async () => {
    const t = setup({ allowOrigin: [APP] })
    const { response } = await t.send(cross(APP, { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST' } }))
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe(APP)
    expect(response.headers.get('access-control-allow-credentials')).toBe('true')
    expect(response.headers.get('access-control-allow-methods')).toBe('POST')
    expect(response.headers.get('vary')).toBe('Origin')
  })

  it('a preflight or POST from an unlisted origin is 403 without CORS headers, before authorize runs', async () => {
    const t = setup({ allowOrigin: [APP] })
    const preflight = await t.send(cross(OTHER, { method: 'OPTIONS' }))
    expect(preflight.response.status).toBe(403)
    expect(preflight.response.headers.get('access-control-allow-origin')).toBeNull()
    const post = await t.send(cross(OTHER, t.authorized('api=zeebe')))
    expect(post.response.status).toBe(403)
    expect(post.response.headers.get('access-control-allow-origin')).toBeNull()
    expect(t.authorizeCalls()).toBe(0)
    expect(t.server.requests()).toBe(0)
  })

  it('a POST from a listed origin gets the token with CORS headers that expose Retry-After; same-origin needs no listing', async () => {
    const t = setup({ allowOrigin: [APP] })
    const listed = await t.send(cross(APP, t.authorized('api=zeebe')))
    expect(listed.response.status).toBe(200)
    expect(listed.response.headers.get('access-control-allow-origin')).toBe(APP)
    expect(listed.response.headers.get('access-control-expose-headers')).toBe('retry-after')
    const same = await t.send({
      ...t.authorized('api=zeebe'),
      headers: { 'x-session': 'valid', origin: 'https://app.example', 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(same.response.status).toBe(200)
    const noCors = setup()
    expect((await noCors.send(cross(OTHER, noCors.authorized('api=zeebe')))).response.status).toBe(403)
  })

  it.each([
    ['a POST without Origin marked Sec-Fetch-Site: cross-site (a foreign form)', { 'sec-fetch-site': 'cross-site' }],
    ['a POST without Origin marked Sec-Fetch-Site: same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }],
  ])('%s is 403 before authorize runs, and no token is fetched', async (_, headers) => {
    const t = setup({ allowOrigin: [APP] })
    const init = t.authorized('api=zeebe')
    const { response, json } = await t.send({ ...init, headers: { ...(init.headers as Record<string, string>), ...headers } })
    expect(response.status).toBe(403)
    expect(json).toMatchObject({ error: 'access_denied' })
    expect(t.authorizeCalls()).toBe(0)
    expect(t.server.requests()).toBe(0)
  })

  it('a POST from its own origin or a listed one is served whatever Sec-Fetch-Site says; so is a client that sends neither', async () => {
    const t = setup({ allowOrigin: [APP] })
    const init = t.authorized('api=zeebe')
    const base = init.headers as Record<string, string>
    const sends = [
      { url: 'https://broker.example/auth/token', headers: { ...base, origin: APP, 'sec-fetch-site': 'cross-site' } },
      { url: 'https://broker.example/auth/token', headers: { ...base, origin: 'https://broker.example', 'sec-fetch-site': 'same-origin' } },
      { url: 'https://broker.example/auth/token', headers: base },
    ]
    for (const send of sends) expect((await t.send({ ...init, ...send })).response.status).toBe(200)
  })

  it('allowOrigin refuses "*" and anything that is not an exact origin', () => {
    const t = setup()
    const make = (allowOrigin: string[]) => () => createTokenBroker({ auth: t.auth, authorize: () => true, allowOrigin })
    expect(make(['*'])).toThrow(/exact origins/)
    expect(make(['https://app.example/'])).toThrow(/use "https:\/\/app.example"/)
    expect(make(['app.example'])).toThrow(InvalidArgumentError)
  })
})
