/**
 * The broker and the proxy wired as examples/worker wires them: each "isolate" is a fresh auth
 * object over the real KV namespace (`TOKENS`) and the TokenLockObject Durable Object
 * (`TOKEN_LOCK`), so what one isolate fetched serves every other.
 */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { createAuth, parseCredentials } from '../../src/index.ts'
import { createDevAuthServer, devCredentials } from '../../src/dev-server.ts'
import { createCamundaProxy, createTokenBroker, durableObjectCoordinator, kvStore } from '../../src/workers.ts'

const ORIGIN = 'http://127.0.0.1:9'

function deployment() {
  // A client of its own per test: the Durable Object and KV keep records per credential set.
  const client = { clientId: `bindings-${crypto.randomUUID()}`, clientSecret: `secret-${crypto.randomUUID()}` }
  const server = createDevAuthServer({ rateLimit: false, clients: [client] })
  const credentials = parseCredentials(devCredentials(ORIGIN, client))
  /** A new isolate: empty memory, the shared KV namespace and Durable Object. */
  const isolate = () => {
    const auth = createAuth({
      credentials,
      store: kvStore(env.TOKENS, { credentials }),
      coordinator: durableObjectCoordinator(env.TOKEN_LOCK),
      fetch: server.fetch,
    })
    const authorize = (request: Request) => request.headers.get('x-app-key') === 'k'
    return { broker: createTokenBroker({ auth, authorize }), proxy: createCamundaProxy({ auth, authorize }) }
  }
  return { server, client, isolate }
}

const tokenRequest = () =>
  new Request('https://worker.test/auth/token', {
    method: 'POST',
    headers: { 'x-app-key': 'k', 'content-type': 'application/x-www-form-urlencoded' },
    body: 'api=zeebe',
  })

describe('broker and proxy over KV and the TokenLockObject', () => {
  it('20 isolates cold-starting together hand out one token, fetched by one token request', async () => {
    const { server, isolate } = deployment()
    const answers = await Promise.all(Array.from({ length: 20 }, () => isolate().broker(tokenRequest())))
    const bodies = await Promise.all(answers.map((a) => a.json() as Promise<{ access_token: string }>))
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200))
    expect(new Set(bodies.map((b) => b.access_token)).size).toBe(1)
    expect(server.requests()).toBe(1)
  })

  it('an isolate started later proxies with the token another isolate fetched, sending no token request', async () => {
    const { server, client, isolate } = deployment()
    expect((await isolate().broker(tokenRequest())).status).toBe(200)
    const later = isolate()
    const response = await later.proxy(new Request('https://worker.test/zeebe/v2/topology', { headers: { 'x-app-key': 'k' } }))
    expect(response.status).toBe(200)
    expect(server.requests()).toBe(1)
    expect(server.apiRequestLog.at(-1)).toMatchObject({ api: 'zeebe', status: 200, sub: client.clientId })
  })

  it('KV holds the token sealed: the raw values contain neither the token nor the secret', async () => {
    const { client, isolate } = deployment()
    const answer = (await (await isolate().broker(tokenRequest())).json()) as { access_token: string }
    // The write may be held back briefly (one write per key per second); wait for it.
    let values: string[] = []
    for (let i = 0; i < 50 && values.length === 0; i++) {
      const { keys } = await env.TOKENS.list()
      values = (await Promise.all(keys.map((k) => env.TOKENS.get(k.name)))).filter((v): v is string => v !== null)
      if (values.length === 0) await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(values.length).toBeGreaterThan(0)
    for (const value of values) {
      expect(value).not.toContain(answer.access_token)
      expect(value).not.toContain(client.clientSecret)
    }
  })
})
