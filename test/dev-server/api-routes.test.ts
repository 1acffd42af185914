import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDevAuthServer } from '../../src/dev-server.ts'
import { listenDevAuthServer } from '../../src/dev-server-node.ts'
import type { ListeningDevAuthServer } from '../../src/dev-server-node.ts'
import { formRequest, GOOD } from './helpers.ts'

describe('the fake Camunda API routes', () => {
  let t = Date.now()
  const server = createDevAuthServer({ now: () => t, rateLimit: false })
  let dev: ListeningDevAuthServer
  beforeAll(async () => {
    dev = await listenDevAuthServer(server)
  })
  afterAll(() => dev.close())

  const tokenFor = async (audience: string) =>
    ((await (await server.fetch(formRequest({ ...GOOD, audience }))).json()) as { access_token: string }).access_token
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

  it('answers GET /zeebe/v2/topology with a topology for a zeebe token, over loopback', async () => {
    const res = await fetch(`${dev.url}/zeebe/v2/topology`, { headers: bearer(await tokenFor('zeebe.camunda.io')) })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      brokers: [expect.objectContaining({ nodeId: 0 })],
      clusterSize: 1,
      partitionsCount: 1,
      replicationFactor: 1,
      gatewayVersion: '8.8.0-dev',
    })
  })

  it('echoes other requests with the caller it authenticated', async () => {
    const res = await server.fetch('http://127.0.0.1/operate/v1/process-definitions/search?size=5', {
      method: 'POST',
      headers: bearer(await tokenFor('operate.camunda.io')),
      body: '{}',
    })
    expect(await res.json()).toEqual({
      api: 'operate',
      method: 'POST',
      path: '/v1/process-definitions/search',
      query: { size: '5' },
      sub: 'dev-client',
    })
  })

  it('answers 401 with a Bearer invalid_token challenge for a token of another audience', async () => {
    const res = await server.fetch('http://127.0.0.1/tasklist/v1/tasks/search', { headers: bearer(await tokenFor('zeebe.camunda.io')) })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/)
  })

  it('answers 401 without a token, with an opaque one, and with one from another server', async () => {
    expect((await server.fetch('http://127.0.0.1/zeebe/v2/topology')).status).toBe(401)
    server.inject({ opaque: true })
    expect((await server.fetch('http://127.0.0.1/zeebe/v2/topology', { headers: bearer(await tokenFor('zeebe.camunda.io')) })).status).toBe(
      401,
    )
    const stranger = createDevAuthServer()
    const foreign = ((await (await stranger.fetch(formRequest())).json()) as { access_token: string }).access_token
    expect((await server.fetch('http://127.0.0.1/zeebe/v2/topology', { headers: bearer(foreign) })).status).toBe(401)
  })

  it('answers 401 once the token has expired on the server clock', async () => {
    const token = await tokenFor('optimize.camunda.io')
    expect((await server.fetch('http://127.0.0.1/optimize/api/public/dashboard', { headers: bearer(token) })).status).toBe(200)
    t += 3_601_000
    const res = await server.fetch('http://127.0.0.1/optimize/api/public/dashboard', { headers: bearer(token) })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toContain('expired')
    t -= 3_601_000
  })

  it('counts API requests per API', () => {
    expect(server.apiRequests('zeebe')).toBeGreaterThanOrEqual(4)
    expect(server.apiRequests()).toBe(server.apiRequestLog.length)
    expect(server.apiRequestLog.find((e) => e.status === 200 && e.api === 'operate')?.sub).toBe('dev-client')
  })

  it('checks the audience set by apiAudiences', async () => {
    const custom = createDevAuthServer({
      clients: [{ clientId: 'c', clientSecret: 's', audiences: ['my-zeebe'] }],
      apiAudiences: { zeebe: 'my-zeebe' },
    })
    const token = (
      (await (await custom.fetch(formRequest({ grant_type: 'client_credentials', client_id: 'c', client_secret: 's' }))).json()) as {
        access_token: string
      }
    ).access_token
    expect((await custom.fetch('http://127.0.0.1/zeebe/v2/topology', { headers: bearer(token) })).status).toBe(200)
  })
})
