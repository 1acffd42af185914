/**
 * Each deployment end to end, over loopback HTTP, against the dev server playing its provider:
 * SaaS, Keycloak (300 s tokens refreshed ahead at about one request per lifetime), Entra ID (scope,
 * no audience, AADSTS codes as evidence, private_key_jwt with ES256 and RS256 keys), Okta (scope),
 * and C8 Run with Basic.
 */
import { decodeJwt } from 'jose'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createDevAuthServer, type DevAuthServerOptions, devCredentials } from '../../src/dev-server.ts'
import { listenDevAuthServer, type ListeningDevAuthServer } from '../../src/dev-server-node.ts'
import { createAuth, InvalidClientError, parseCredentials, TokenEndpointError, type AuthEvent, type AuthOptions } from '../../src/index.ts'
import { type ClientKey, clientKey } from '../helpers/keys.ts'
import { rejectionOf } from '../helpers/harness.ts'

let dev: ListeningDevAuthServer | undefined
afterEach(async () => {
  await dev?.close()
  dev = undefined
})

async function serve(options: DevAuthServerOptions): Promise<ListeningDevAuthServer> {
  dev = await listenDevAuthServer(createDevAuthServer({ rateLimit: false, ...options }))
  return dev
}

describe('Self-Managed with Keycloak', () => {
  it('gets 300 s tokens and calls every API with its own audience', async () => {
    const { url, server } = await serve({ profile: 'keycloak' })
    const credentials = parseCredentials(devCredentials(url, undefined, { profile: 'keycloak' }))
    expect(credentials.provider).toBe('keycloak')
    const auth = createAuth({ credentials })
    for (const api of ['zeebe', 'operate', 'tasklist', 'optimize'] as const) expect((await auth.fetch(api, '/')).status).toBe(200)
    const record = await auth.getTokenRecord('operate')
    // exp is a whole second, so up to one second under the 300 s of expires_in.
    expect((record.expiresAt - record.receivedAt) / 1000).toBeGreaterThan(298.9)
    expect((record.expiresAt - record.receivedAt) / 1000).toBeLessThanOrEqual(300)
    expect(server.requests()).toBe(4)
  })

  it('Identity handing back a cached token whose exp is earlier than expires_in says: the earlier exp wins', async () => {
    const { url, server } = await serve({ profile: 'keycloak' })
    const exp = Math.floor(Date.now() / 1000) + 120
    server.inject({ jwt: { exp } })
    const record = await createAuth({
      credentials: parseCredentials(devCredentials(url, undefined, { profile: 'keycloak' })),
    }).getTokenRecord()
    expect(record.expiresAt).toBe(exp * 1000)
  })

  it('ten 300 s lifetimes, a call every second: no caller waits after the first token, about one request per lifetime', async () => {
    const clock = { now: Date.parse('2026-06-01T12:00:00Z') }
    const now = () => clock.now
    const { url, server } = await serve({ profile: 'keycloak', now })
    const events: AuthEvent[] = []
    const auth = createAuth({
      credentials: parseCredentials(devCredentials(url, undefined, { profile: 'keycloak' })),
      now,
      onEvent: (e) => events.push(e),
    })
    await auth.getToken()
    for (let second = 1; second <= 3000; second++) {
      clock.now += 1_000
      await auth.getToken()
      if (second % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 2)) // let a background refresh land
    }
    const reasons = events.flatMap((e) => (e.type === 'token_requested' ? [e.reason] : []))
    expect(reasons[0]).toBe('cold')
    expect(reasons.slice(1).every((reason) => reason === 'refresh_ahead')).toBe(true)
    // Refreshed 60 s before each expiry: 3000 s / 240 s, plus the first.
    expect(server.requests()).toBeLessThanOrEqual(14)
    expect(server.requests()).toBeGreaterThanOrEqual(10)
  })
})

describe('Entra ID', () => {
  let es256: ClientKey
  let rs256: ClientKey
  beforeAll(async () => {
    ;[es256, rs256] = await Promise.all([clientKey('ES256'), clientKey('RS256')])
  })

  it('sends scope=<app id URI>/.default and no audience, and calls the API with the token', async () => {
    const { url, server } = await serve({ profile: 'entra' })
    const credentials = parseCredentials(devCredentials(url, undefined, { profile: 'entra' }))
    const auth = createAuth({ credentials })
    expect((await auth.fetch('zeebe', '/v2/topology')).status).toBe(200)
    expect(server.requestLog).toEqual([
      expect.objectContaining({ scope: 'api://camunda-orchestration-cluster/.default', auth: 'post', status: 200 }),
    ])
    expect(server.requestLog[0]?.audience).toBeUndefined()
    // One scope for every API: one token serves them all.
    await auth.getToken('operate')
    expect(server.requests()).toBe(1)
  })

  it('per-API scopes (each component its own app registration) get a token each', async () => {
    const { url, server } = await serve({
      profile: 'entra',
      apiAudiences: { operate: 'api://operate' },
      clients: [
        { clientId: 'dev-client', clientSecret: 'dev-secret', audiences: ['api://camunda-orchestration-cluster', 'api://operate'] },
      ],
    })
    const credentials = parseCredentials({
      ...devCredentials(url, undefined, { profile: 'entra' }),
      CAMUNDA_OPERATE_OAUTH_SCOPE: 'api://operate/.default',
    })
    const auth = createAuth({ credentials })
    expect((await auth.fetch('operate', '/v1/process-instances/search', { method: 'POST', body: '{}' })).status).toBe(200)
    expect((await auth.fetch('zeebe', '/v2/topology')).status).toBe(200)
    expect(server.requestLog.map((e) => e.scope)).toEqual(['api://operate/.default', 'api://camunda-orchestration-cluster/.default'])
  })

  it('AADSTS7000215 is an InvalidClientError whose evidence has the code and whose message names CAMUNDA_CLIENT_SECRET', async () => {
    const { url } = await serve({ profile: 'entra' })
    const credentials = parseCredentials(
      devCredentials(url, { clientId: 'dev-client', clientSecret: 'the-secret-id-not-value' }, { profile: 'entra' }),
    )
    const error = await rejectionOf(createAuth({ credentials }).getToken())
    expect(error).toBeInstanceOf(InvalidClientError)
    expect(error).toMatchObject({ status: 401, error: 'invalid_client', providerCode: 'AADSTS7000215' })
    expect((error as Error).message).toContain("set CAMUNDA_CLIENT_SECRET (or ZEEBE_CLIENT_SECRET) to the secret's value")
  })

  it('AADSTS700016 (an unknown app, answered 400) is an InvalidClientError too; AADSTS500011 a TokenEndpointError naming CAMUNDA_TOKEN_SCOPE', async () => {
    const { url } = await serve({ profile: 'entra' })
    const unknown = parseCredentials(devCredentials(url, { clientId: 'nobody', clientSecret: 'x-secret' }, { profile: 'entra' }))
    expect(await rejectionOf(createAuth({ credentials: unknown }).getToken())).toMatchObject({
      code: 'ERR_INVALID_CLIENT',
      status: 400,
      providerCode: 'AADSTS700016',
    })
    const wrongScope = parseCredentials({
      ...devCredentials(url, undefined, { profile: 'entra' }),
      CAMUNDA_TOKEN_SCOPE: 'api://nope/.default',
    })
    const error = await rejectionOf(createAuth({ credentials: wrongScope }).getToken())
    expect(error).toBeInstanceOf(TokenEndpointError)
    expect(error).toMatchObject({ providerCode: 'AADSTS500011' })
    expect((error as Error).message).toContain('check CAMUNDA_TOKEN_SCOPE')
  })

  it.each(['ES256', 'RS256'] as const)('private_key_jwt with an %s key: a signed assertion, no secret, x5t#S256 and kid', async (alg) => {
    const key = alg === 'ES256' ? es256 : rs256
    const thumbprint = Buffer.from('c'.repeat(32)).toString('base64url')
    const { url, server, tokenUrl } = await serve({
      profile: 'entra',
      clients: [{ clientId: 'kj-client', jwks: { keys: [key.publicJwk] }, x5tS256: thumbprint }],
    })
    const sent: string[] = []
    const fetchImpl: AuthOptions['fetch'] = async (input, init) => {
      const request = new Request(input, init)
      if (request.url === tokenUrl) sent.push(await request.clone().text())
      return fetch(request)
    }
    const credentials = parseCredentials({
      ...devCredentials(url, { clientId: 'kj-client' }, { profile: 'entra' }),
      CAMUNDA_CLIENT_ASSERTION_KEY: key.pem,
      CAMUNDA_CLIENT_ASSERTION_KEY_ID: key.publicJwk.kid,
      CAMUNDA_CLIENT_ASSERTION_CERT_THUMBPRINT: thumbprint,
    })
    const auth = createAuth({ credentials, fetch: fetchImpl })
    expect((await auth.fetch('zeebe', '/v2/topology')).status).toBe(200)
    await auth.invalidate()
    await auth.getToken()
    expect(server.requestLog.map((e) => [e.auth, e.status])).toEqual([
      ['assertion', 200],
      ['assertion', 200],
    ])
    const bodies = sent.map((body) => new URLSearchParams(body))
    expect(bodies[0]?.get('client_secret')).toBeNull()
    expect(bodies[0]?.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
    const [first, second] = bodies.map((body) => body.get('client_assertion')!)
    const header = JSON.parse(Buffer.from(first!.split('.')[0]!, 'base64url').toString())
    expect(header).toEqual({ alg, typ: 'JWT', kid: key.publicJwk.kid, 'x5t#S256': thumbprint })
    const claims = decodeJwt(first!)
    expect(claims).toMatchObject({ iss: 'kj-client', sub: 'kj-client', aud: tokenUrl })
    expect(claims.exp! - claims.iat!).toBe(60)
    expect(decodeJwt(second!).jti).not.toBe(claims.jti)
  })

  it('a key the server does not know is refused as the client (AADSTS700027), naming CAMUNDA_CLIENT_ASSERTION_KEY', async () => {
    const { url } = await serve({ profile: 'entra', clients: [{ clientId: 'kj-client', jwks: { keys: [rs256.publicJwk] } }] })
    const credentials = parseCredentials({
      ...devCredentials(url, { clientId: 'kj-client' }, { profile: 'entra' }),
      CAMUNDA_CLIENT_ASSERTION_KEY: es256.pem,
    })
    const error = await rejectionOf(createAuth({ credentials }).getToken())
    expect(error).toMatchObject({ code: 'ERR_INVALID_CLIENT', providerCode: 'AADSTS700027' })
    expect((error as Error).message).toContain('refused the client assertion')
    expect((error as Error).message).toContain('CAMUNDA_CLIENT_ASSERTION_KEY')
  })
})

describe('Okta', () => {
  it('sends the scope, and without one says which variable sets it', async () => {
    const { url, server } = await serve({ profile: 'okta' })
    const credentials = parseCredentials(devCredentials(url, undefined, { profile: 'okta' }))
    expect((await createAuth({ credentials }).fetch('zeebe', '/v2/topology')).status).toBe(200)
    expect(server.requestLog[0]).toMatchObject({ scope: 'camunda', status: 200 })
    const { CAMUNDA_TOKEN_SCOPE: _, ...noScope } = devCredentials(url, undefined, { profile: 'okta' })
    const error = await rejectionOf(createAuth({ credentials: parseCredentials(noScope) }).getToken())
    expect(error).toMatchObject({ code: 'ERR_TOKEN_ENDPOINT', error: 'invalid_scope' })
    expect((error as Error).message).toContain('set CAMUNDA_TOKEN_SCOPE')
  })
})

describe('C8 Run with Basic, and the SaaS default', () => {
  it('C8 Run: Basic on every API call, no token endpoint involved', async () => {
    const { url, server } = await serve({ apiAuth: 'basic' })
    const auth = createAuth({ credentials: parseCredentials(devCredentials(url, undefined, { strategy: 'BASIC' })) })
    expect((await auth.fetch('zeebe', '/v2/topology')).status).toBe(200)
    expect((await auth.fetch('tasklist', '/v1/tasks/search', { method: 'POST', body: '{}' })).status).toBe(200)
    expect(server.requests()).toBe(0)
  })

  it('SaaS: one token per audience, as before', async () => {
    const { url, server } = await serve({})
    const auth = createAuth({ credentials: parseCredentials(devCredentials(url)) })
    await Promise.all(Array.from({ length: 10 }, () => auth.fetch('zeebe', '/v2/topology')))
    expect(server.requests()).toBe(1)
  })
})
