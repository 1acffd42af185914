import { describe, expect, it } from 'vitest'
import { createDevAuthServer } from '../../src/dev-server.ts'
import { formRequest, GOOD } from './helpers.ts'

describe('request counting', () => {
  it('counts every token request per client and audience, failed ones included', async () => {
    const server = createDevAuthServer({ rateLimit: false })
    await server.fetch(formRequest())
    await server.fetch(formRequest())
    await server.fetch(formRequest({ ...GOOD, audience: 'operate.camunda.io' }))
    await server.fetch(formRequest({ ...GOOD, client_secret: 'wrong' }))
    await server.fetch(formRequest({ ...GOOD, client_id: 'other' }))

    expect(server.requests()).toBe(5)
    expect(server.requests({ clientId: 'dev-client' })).toBe(4)
    expect(server.requests({ audience: 'zeebe.camunda.io' })).toBe(4)
    expect(server.requests({ clientId: 'dev-client', audience: 'zeebe.camunda.io' })).toBe(3)
    expect(server.requests({ audience: 'tasklist.camunda.io' })).toBe(0)
    expect(server.requestLog.map((e) => e.status)).toEqual([200, 200, 200, 401, 401])
  })

  it('does not count requests to other routes', async () => {
    const server = createDevAuthServer()
    await server.fetch('http://127.0.0.1/.well-known/jwks.json')
    await server.fetch('http://127.0.0.1/oauth/token') // GET: 405, not a token request
    expect(server.requests()).toBe(0)
  })

  it('forgets counts, windows and faults on reset()', async () => {
    const server = createDevAuthServer({ rateLimit: { limit: 1, windowMs: 60_000 } })
    await server.fetch(formRequest())
    server.inject({ status: 500, times: 3 })
    server.reset()
    expect(server.requests()).toBe(0)
    expect(server.faults.pending).toBe(0)
    expect((await server.fetch(formRequest())).status).toBe(200)
  })
})

describe('the rate limit', () => {
  it('answers 429 with Retry-After past the limit, counting failed requests, until the window slides', async () => {
    let t = 1_000_000
    const server = createDevAuthServer({ rateLimit: { limit: 2, windowMs: 5_000 }, now: () => t })

    expect((await server.fetch(formRequest({ ...GOOD, client_secret: 'wrong' }))).status).toBe(401)
    t += 1_000
    expect((await server.fetch(formRequest())).status).toBe(200)
    t += 500
    const limited = await server.fetch(formRequest())
    expect(limited.status).toBe(429)
    // The failed request at t0 frees its slot at t0 + 5 s: 3.5 s from now, rounded up.
    expect(limited.headers.get('retry-after')).toBe('4')
    expect(((await limited.json()) as { error: string }).error).toBe('rate_limited')
    expect(server.requests()).toBe(3)

    t += 3_500
    expect((await server.fetch(formRequest())).status).toBe(200)
  })

  it('keeps one window per client', async () => {
    const server = createDevAuthServer({
      clients: [
        { clientId: 'a', clientSecret: 'a' },
        { clientId: 'b', clientSecret: 'b' },
      ],
      rateLimit: { limit: 1, windowMs: 60_000, retryAfterSeconds: 7 },
    })
    const req = (id: string) => formRequest({ ...GOOD, client_id: id, client_secret: id })
    expect((await server.fetch(req('a'))).status).toBe(200)
    const limited = await server.fetch(req('a'))
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('7')
    expect((await server.fetch(req('b'))).status).toBe(200)
  })

  it('lets a demo fetch the four audiences at once under the default limit', async () => {
    const server = createDevAuthServer()
    const audiences = ['zeebe.camunda.io', 'operate.camunda.io', 'tasklist.camunda.io', 'optimize.camunda.io']
    const statuses = await Promise.all(audiences.map(async (audience) => (await server.fetch(formRequest({ ...GOOD, audience }))).status))
    expect(statuses).toEqual([200, 200, 200, 200])
  })
})
