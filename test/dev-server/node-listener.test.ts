import { request as httpRequest, Agent } from 'node:http'
import { describe, expect, it } from 'vitest'
import { createDevAuthServer, devCredentials } from '../../src/dev-server.ts'
import { listenDevAuthServer } from '../../src/dev-server-node.ts'
import { formRequest } from './helpers.ts'
import { InvalidArgumentError } from '../../src/errors.ts'

describe('listenDevAuthServer', () => {
  it('listens on 127.0.0.1 on a free port and reports its URLs', async () => {
    const dev = await listenDevAuthServer()
    try {
      expect(dev.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(dev.tokenUrl).toBe(`${dev.url}/oauth/token`)
      expect((await fetch(formRequest(undefined, { origin: dev.url }))).status).toBe(200)
      expect(dev.server.requests()).toBe(1)
    } finally {
      await dev.close()
    }
  })

  it('serves a server made elsewhere, sharing its state', async () => {
    const server = createDevAuthServer()
    const dev = await listenDevAuthServer(server)
    try {
      await fetch(formRequest(undefined, { origin: dev.url }))
      expect(server.requests()).toBe(1)
      expect(dev.server).toBe(server)
    } finally {
      await dev.close()
    }
  })

  it('closes promptly even with an idle keep-alive connection open, and then refuses connections', async () => {
    const dev = await listenDevAuthServer()
    const agent = new Agent({ keepAlive: true })
    await new Promise<void>((resolve, reject) => {
      httpRequest(`${dev.url}/.well-known/jwks.json`, { agent }, (res) => {
        res.resume()
        res.on('end', resolve)
      })
        .on('error', reject)
        .end()
    })
    const started = performance.now()
    await dev.close()
    expect(performance.now() - started).toBeLessThan(1_000)
    await expect(fetch(`${dev.url}/.well-known/jwks.json`)).rejects.toThrow(TypeError)
    agent.destroy()
  })

  it('refuses to listen on a non-loopback address', async () => {
    await expect(listenDevAuthServer({}, { host: '0.0.0.0' })).rejects.toThrow(InvalidArgumentError)
  })

  it('answers unknown routes with 404', async () => {
    const dev = await listenDevAuthServer()
    try {
      expect((await fetch(`${dev.url}/nope`)).status).toBe(404)
    } finally {
      await dev.close()
    }
  })
})

describe('devCredentials', () => {
  it('names the Camunda variables pointing at the server', () => {
    expect(devCredentials('http://127.0.0.1:4321/')).toEqual({
      ZEEBE_CLIENT_ID: 'dev-client',
      ZEEBE_CLIENT_SECRET: 'dev-secret',
      ZEEBE_AUTHORIZATION_SERVER_URL: 'http://127.0.0.1:4321/oauth/token',
      CAMUNDA_OAUTH_URL: 'http://127.0.0.1:4321/oauth/token',
      ZEEBE_TOKEN_AUDIENCE: 'zeebe.camunda.io',
      CAMUNDA_OPERATE_OAUTH_AUDIENCE: 'operate.camunda.io',
      CAMUNDA_TASKLIST_OAUTH_AUDIENCE: 'tasklist.camunda.io',
      CAMUNDA_OPTIMIZE_OAUTH_AUDIENCE: 'optimize.camunda.io',
      ZEEBE_REST_ADDRESS: 'http://127.0.0.1:4321/zeebe',
      CAMUNDA_OPERATE_BASE_URL: 'http://127.0.0.1:4321/operate',
      CAMUNDA_TASKLIST_BASE_URL: 'http://127.0.0.1:4321/tasklist',
      CAMUNDA_OPTIMIZE_BASE_URL: 'http://127.0.0.1:4321/optimize',
      CAMUNDA_CREDENTIALS_SCOPES: 'Zeebe,Operate,Tasklist,Optimize',
    })
  })

  it('gets tokens from a listening server with the names it gives', async () => {
    const dev = await listenDevAuthServer()
    try {
      const env = devCredentials(dev.url)
      const res = await fetch(env.ZEEBE_AUTHORIZATION_SERVER_URL!, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: env.ZEEBE_CLIENT_ID!,
          client_secret: env.ZEEBE_CLIENT_SECRET!,
          audience: env.ZEEBE_TOKEN_AUDIENCE!,
        }),
      })
      const { access_token } = (await res.json()) as { access_token: string }
      const topology = await fetch(`${env.ZEEBE_REST_ADDRESS}/v2/topology`, { headers: { authorization: `Bearer ${access_token}` } })
      expect(topology.status).toBe(200)
    } finally {
      await dev.close()
    }
  })
})
