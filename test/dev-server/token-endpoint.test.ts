import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDevAuthServer } from '../../src/dev-server.ts'
import { listenDevAuthServer } from '../../src/dev-server-node.ts'
import type { ListeningDevAuthServer } from '../../src/dev-server-node.ts'
import { basicHeader, formRequest, GOOD, jsonRequest } from './helpers.ts'

describe('a client-credentials request over loopback HTTP', () => {
  let dev: ListeningDevAuthServer
  beforeAll(async () => {
    dev = await listenDevAuthServer({ tokenLifetimeSeconds: 600 })
  })
  afterAll(() => dev.close())

  for (const [name, make] of [
    ['form-encoded', () => formRequest({ ...GOOD, scope: 'Zeebe' }, { origin: dev.url })],
    ['JSON', () => jsonRequest({ ...GOOD, scope: 'Zeebe' }, dev.url)],
  ] as const) {
    it(`gets an ES256 JWT that verifies against the served JWKS (${name} body)`, async () => {
      const res = await fetch(make())
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('no-store')
      const body = (await res.json()) as Record<string, unknown>
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'Zeebe' })

      const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', dev.url))
      const { payload, protectedHeader } = await jwtVerify(body.access_token as string, jwks, {
        issuer: dev.server.issuer,
        audience: 'zeebe.camunda.io',
        algorithms: ['ES256'],
      })
      expect(protectedHeader.alg).toBe('ES256')
      expect(protectedHeader.kid).toBe((await dev.server.publicJwk()).kid)
      expect(payload).toMatchObject({ sub: 'dev-client', azp: 'dev-client', client_id: 'dev-client', scope: 'Zeebe' })
      expect(payload.exp! - payload.iat!).toBe(600)
      expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(5)
      expect(typeof payload.jti).toBe('string')
    })
  }

  it('serves a JWKS with kid, alg and use, and a discovery document pointing at it', async () => {
    const jwks = (await (await fetch(`${dev.url}/.well-known/jwks.json`)).json()) as { keys: Record<string, unknown>[] }
    expect(jwks.keys).toHaveLength(1)
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' })
    expect(jwks.keys[0]).not.toHaveProperty('d')
    const discovery = (await (await fetch(`${dev.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>
    expect(discovery).toMatchObject({
      issuer: dev.server.issuer,
      token_endpoint: dev.tokenUrl,
      jwks_uri: `${dev.url}/.well-known/jwks.json`,
    })
  })
})

describe('the token endpoint in-process', () => {
  const server = createDevAuthServer({
    clients: [
      { clientId: 'dev-client', clientSecret: 'dev-secret' },
      { clientId: 'id with:colon', clientSecret: 'sec ret+&=', audiences: ['operate.camunda.io'], scopes: 'Operate Admin' },
    ],
    rateLimit: false,
  })
  const errorOf = async (res: Response) => (await res.json()) as { error: string; error_description: string }

  it('issues a unique jti per token', async () => {
    const a = (await (await server.fetch(formRequest())).json()) as { access_token: string }
    const b = (await (await server.fetch(formRequest())).json()) as { access_token: string }
    expect(decodeJwt(a.access_token).jti).not.toBe(decodeJwt(b.access_token).jti)
    expect(decodeProtectedHeader(a.access_token).kid).toBe(decodeProtectedHeader(b.access_token).kid)
  })

  it('accepts client_secret_basic with form-encoded id and secret', async () => {
    const res = await server.fetch(
      formRequest(
        { grant_type: 'client_credentials', audience: 'operate.camunda.io' },
        { headers: { authorization: basicHeader('id with:colon', 'sec ret+&=') } },
      ),
    )
    expect(res.status).toBe(200)
    const { access_token } = (await res.json()) as { access_token: string }
    expect(decodeJwt(access_token)).toMatchObject({ sub: 'id with:colon', aud: 'operate.camunda.io', scope: 'Operate Admin' })
  })

  it('refuses a wrong secret with 401 invalid_client, and challenges when Basic was used', async () => {
    const post = await server.fetch(formRequest({ ...GOOD, client_secret: 'nope' }))
    expect(post.status).toBe(401)
    expect((await errorOf(post)).error).toBe('invalid_client')
    expect(post.headers.get('www-authenticate')).toBeNull()

    const basic = await server.fetch(
      formRequest(
        { grant_type: 'client_credentials', audience: 'zeebe.camunda.io' },
        { headers: { authorization: basicHeader('dev-client', 'nope') } },
      ),
    )
    expect(basic.status).toBe(401)
    expect((await errorOf(basic)).error).toBe('invalid_client')
    expect(basic.headers.get('www-authenticate')).toMatch(/^Basic /)
  })

  it('refuses an unknown client and a missing secret with 401 invalid_client', async () => {
    expect((await server.fetch(formRequest({ ...GOOD, client_id: 'ghost' }))).status).toBe(401)
    expect((await server.fetch(formRequest({ ...GOOD, client_secret: undefined }))).status).toBe(401)
  })

  it('refuses an audience the client may not have with 400 invalid_target', async () => {
    const res = await server.fetch(formRequest({ ...GOOD, audience: 'elsewhere.example.com' }))
    expect(res.status).toBe(400)
    const err = await errorOf(res)
    expect(err.error).toBe('invalid_target')
    expect(err.error_description).toContain('elsewhere.example.com')
  })

  it('takes the RFC 8707 resource parameter as the audience', async () => {
    const res = await server.fetch(formRequest({ ...GOOD, audience: undefined, resource: 'tasklist.camunda.io' }))
    const { access_token } = (await res.json()) as { access_token: string }
    expect(decodeJwt(access_token).aud).toBe('tasklist.camunda.io')
  })

  it('requires an audience unless the client is allowed exactly one', async () => {
    const many = await server.fetch(formRequest({ ...GOOD, audience: undefined }))
    expect(many.status).toBe(400)
    expect((await errorOf(many)).error).toBe('invalid_request')

    const one = await server.fetch(
      formRequest({ grant_type: 'client_credentials', client_id: 'id with:colon', client_secret: 'sec ret+&=' }),
    )
    const { access_token } = (await one.json()) as { access_token: string }
    expect(decodeJwt(access_token).aud).toBe('operate.camunda.io')
  })

  it('refuses an unsupported grant with 400 unsupported_grant_type', async () => {
    const res = await server.fetch(formRequest({ ...GOOD, grant_type: 'password' }))
    expect(res.status).toBe(400)
    expect((await errorOf(res)).error).toBe('unsupported_grant_type')
  })

  it('grants only scopes a client with scopes has, and all of them when none are asked for', async () => {
    const creds = { grant_type: 'client_credentials', client_id: 'id with:colon', client_secret: 'sec ret+&=' }
    const refused = await server.fetch(formRequest({ ...creds, scope: 'Operate Root' }))
    expect(refused.status).toBe(400)
    expect((await errorOf(refused)).error).toBe('invalid_scope')
    const narrowed = (await (await server.fetch(formRequest({ ...creds, scope: 'Operate' }))).json()) as { scope: string }
    expect(narrowed.scope).toBe('Operate')
  })

  it('refuses a body that is neither form nor JSON, and a GET, without issuing a token', async () => {
    const text = await server.fetch(
      new Request('http://127.0.0.1/oauth/token', {
        method: 'POST',
        body: 'grant_type=client_credentials',
        headers: { 'content-type': 'text/plain' },
      }),
    )
    expect(text.status).toBe(400)
    expect((await server.fetch('http://127.0.0.1/oauth/token')).status).toBe(405)
  })

  it('answers CORS preflights so browser demos can call it', async () => {
    const res = await server.fetch('http://127.0.0.1/oauth/token', { method: 'OPTIONS' })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect((await server.fetch(formRequest())).headers.get('access-control-allow-origin')).toBe('*')
  })

  it('works detached and called the way runtimes call handlers, with extras in the second argument', async () => {
    const { fetch: handler } = server
    const denoInfo = { remoteAddr: { hostname: '127.0.0.1', port: 1 }, completed: Promise.resolve() }
    const res = await handler(formRequest(), denoInfo as unknown as RequestInit)
    expect(res.status).toBe(200)
  })
})
