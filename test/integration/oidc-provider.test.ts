/**
 * The request shapes against an independent OAuth server that we did not write (panva's
 * oidc-provider, OpenID certified), configured like each provider: Keycloak (its realm path, 300 s
 * tokens, `audience`), Entra ID (its v2.0 path, `scope=<app id URI>/.default`, no audience), Okta
 * (its custom server path, a scope), Auth0 (a required `audience`), RFC 8707 `resource`, the client
 * authenticated by client_secret_basic, client_secret_post, or private_key_jwt with ES256 and RS256.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose'
import Provider, { type ClientMetadata } from 'oidc-provider'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAuth, InvalidClientError, parseCredentials, type ParseCredentialsOptions } from '../../src/index.ts'
import { type ClientKey, clientKey } from '../helpers/keys.ts'
import { rejectionOf } from '../helpers/harness.ts'

const SECRET = 'independent-secret-0123456789'

interface Style {
  readonly name: string
  readonly route: string
  readonly ttl: number
  /** The resource a request means when it names none (oidc-provider wants an absolute URI). */
  readonly resource: (params: Record<string, unknown>) => string | undefined
  /** What a resource's tokens say as `aud`, and which scopes it has. */
  readonly server: (resource: string) => { audience: string; scope: string }
}

const STYLES = {
  keycloak: {
    name: 'keycloak',
    route: '/realms/camunda-platform/protocol/openid-connect/token',
    ttl: 300,
    resource: (p) => (typeof p.audience === 'string' ? `urn:audience:${p.audience}` : undefined),
    server: (resource) => ({ audience: resource.replace(/^urn:audience:/, ''), scope: '' }),
  },
  entra: {
    name: 'entra',
    route: '/tenant-1/oauth2/v2.0/token',
    ttl: 3599,
    resource: (p) => (typeof p.scope === 'string' && p.scope.endsWith('/.default') ? p.scope.slice(0, -9) : undefined),
    server: (resource) => ({ audience: resource, scope: `${resource}/.default` }),
  },
  okta: {
    name: 'okta',
    route: '/oauth2/default/v1/token',
    ttl: 3600,
    resource: () => 'api://default',
    server: () => ({ audience: 'api://default', scope: 'camunda' }),
  },
  auth0: {
    name: 'auth0',
    route: '/oauth/token',
    ttl: 86400,
    resource: (p) => (typeof p.audience === 'string' ? p.audience : undefined),
    server: (resource) => ({ audience: resource, scope: '' }),
  },
} satisfies Record<string, Style>

interface Running {
  readonly issuer: string
  readonly tokenUrl: string
  readonly requests: { body: Record<string, string>; authorization?: string }[]
  close(): Promise<void>
}

async function start(style: Style, keys: { es256: ClientKey; rs256: ClientKey }): Promise<Running> {
  const signing = await generateKeyPair('ES256', { extractable: true })
  const http: Server = createServer()
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  const clientCredentials: Omit<ClientMetadata, 'client_id'> = {
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    id_token_signed_response_alg: 'ES256',
  }
  const provider = new Provider(issuer, {
    clients: [
      { ...clientCredentials, client_id: 'basic-client', client_secret: SECRET, token_endpoint_auth_method: 'client_secret_basic' },
      { ...clientCredentials, client_id: 'post-client', client_secret: SECRET, token_endpoint_auth_method: 'client_secret_post' },
      ...(['es256', 'rs256'] as const).map((alg) => ({
        ...clientCredentials,
        client_id: `${alg}-client`,
        token_endpoint_auth_method: 'private_key_jwt' as const,
        token_endpoint_auth_signing_alg: alg.toUpperCase() as 'ES256' | 'RS256',
        jwks: { keys: [keys[alg].publicJwk] },
      })),
    ],
    jwks: { keys: [{ ...(await exportJWK(signing.privateKey)), alg: 'ES256', use: 'sig', kid: 'signing' }] },
    routes: { token: style.route },
    ttl: { ClientCredentials: style.ttl },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // The token endpoint passes a grant only its own parameters: `audience` is read from the body.
        defaultResource: (ctx) => style.resource({ ...ctx.oidc.params, ...(ctx.oidc.body ?? {}) }),
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => ({
          ...style.server(resource),
          accessTokenFormat: 'jwt',
          accessTokenTTL: style.ttl,
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
  })
  const requests: Running['requests'] = []
  const callback = provider.callback()
  http.on('request', (req, res) => {
    if (req.method === 'POST' && req.url === style.route) {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        requests.push({
          body: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString())),
          authorization: req.headers.authorization,
        })
      })
    }
    callback(req, res)
  })
  return {
    issuer,
    tokenUrl: `${issuer}${style.route}`,
    requests,
    close: () => new Promise((resolve) => http.close(() => resolve())),
  }
}

let keys: { es256: ClientKey; rs256: ClientKey }
const running: Partial<Record<keyof typeof STYLES, Running>> = {}
beforeAll(async () => {
  keys = { es256: await clientKey('ES256'), rs256: await clientKey('RS256') }
  for (const name of Object.keys(STYLES) as (keyof typeof STYLES)[]) running[name] = await start(STYLES[name], keys)
})
afterAll(async () => {
  for (const server of Object.values(running)) await server?.close()
})

const bundle = (server: Running, client: string, extra: Record<string, string> = {}, options?: ParseCredentialsOptions) =>
  parseCredentials(
    {
      ZEEBE_CLIENT_ID: client,
      ...(client.endsWith('-key') ? {} : { ZEEBE_CLIENT_SECRET: SECRET }),
      ZEEBE_AUTHORIZATION_SERVER_URL: server.tokenUrl,
      ZEEBE_REST_ADDRESS: 'http://127.0.0.1:1/zeebe',
      ...extra,
    },
    options,
  )

async function verified(server: Running, token: string, audience: string) {
  const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${server.issuer}/jwks`)), { issuer: server.issuer, audience })
  return payload
}

describe('against oidc-provider configured like each identity provider', () => {
  it('Keycloak: its realm path is detected, client_secret_basic with the audience, a 300 s token for it', async () => {
    const server = running.keycloak!
    const credentials = bundle(server, 'basic-client', { ZEEBE_TOKEN_AUDIENCE: 'zeebe-api' })
    expect(credentials.provider).toBe('keycloak')
    const auth = createAuth({ credentials, clientAuth: 'client_secret_basic' })
    const record = await auth.getTokenRecord()
    const claims = await verified(server, record.accessToken, 'zeebe-api')
    expect(claims.exp! - claims.iat!).toBe(300)
    const request = server.requests.at(-1)!
    expect(request.body).toEqual({ grant_type: 'client_credentials', audience: 'zeebe-api' })
    expect(Buffer.from(request.authorization!.slice(6), 'base64').toString()).toBe(`basic-client:${SECRET}`)
  })

  it('Entra ID: client_secret_post with scope=<app id URI>/.default and no audience', async () => {
    const server = running.entra!
    const credentials = bundle(server, 'post-client', { ZEEBE_TOKEN_AUDIENCE: 'api://camunda' }, { provider: 'entra' })
    const token = await createAuth({ credentials }).getToken()
    expect((await verified(server, token, 'api://camunda')).scope).toBe('api://camunda/.default')
    expect(server.requests.at(-1)!.body).toEqual({
      grant_type: 'client_credentials',
      client_id: 'post-client',
      client_secret: SECRET,
      scope: 'api://camunda/.default',
    })
  })

  it.each(['es256', 'rs256'] as const)(
    'Entra ID: private_key_jwt with an %s key, the assertion verified against the registered key',
    async (alg) => {
      const server = running.entra!
      const credentials = bundle(
        server,
        `${alg}-client`,
        { CAMUNDA_TOKEN_SCOPE: 'api://camunda/.default', CAMUNDA_CLIENT_ASSERTION_KEY: keys[alg].pem, ZEEBE_CLIENT_SECRET: '' },
        { provider: 'entra' },
      )
      expect(credentials.clientAuth).toBe('private_key_jwt')
      const auth = createAuth({ credentials })
      await verified(server, await auth.getToken(), 'api://camunda')
      const { body } = server.requests.at(-1)!
      expect(body).toMatchObject({
        client_id: `${alg}-client`,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      })
      expect(body.client_secret).toBeUndefined()
      // A second assertion, with a new jti, is accepted too (oidc-provider refuses a replayed one).
      await auth.invalidate()
      await auth.getToken()
    },
  )

  it('Okta: the custom server path, a scope, its own audience', async () => {
    const server = running.okta!
    const credentials = bundle(server, 'post-client', { CAMUNDA_TOKEN_SCOPE: 'camunda' }, { provider: 'okta' })
    const token = await createAuth({ credentials, clientAuth: 'client_secret_basic' }).getToken()
    expect((await verified(server, token, 'api://default')).scope).toBe('camunda')
  })

  it('Auth0: the audience it requires, and RFC 8707 resource for servers that take that instead', async () => {
    const server = running.auth0!
    const credentials = bundle(server, 'post-client', { ZEEBE_TOKEN_AUDIENCE: 'https://zeebe.example.com' }, { provider: 'auth0' })
    await verified(server, await createAuth({ credentials }).getToken(), 'https://zeebe.example.com')
    expect(server.requests.at(-1)!.body.audience).toBe('https://zeebe.example.com')
    const viaResource = await createAuth({ credentials, audienceParam: 'resource' }).getToken()
    await verified(server, viaResource, 'https://zeebe.example.com')
    expect(server.requests.at(-1)!.body).toMatchObject({ resource: 'https://zeebe.example.com' })
    expect(server.requests.at(-1)!.body.audience).toBeUndefined()
  })

  it('a private key the server does not have for the client is refused as the client: InvalidClientError', async () => {
    const server = running.entra!
    const credentials = bundle(
      server,
      'es256-client',
      {
        CAMUNDA_TOKEN_SCOPE: 'api://camunda/.default',
        CAMUNDA_CLIENT_ASSERTION_KEY: (await clientKey('ES256')).pem,
        ZEEBE_CLIENT_SECRET: '',
      },
      { provider: 'entra' },
    )
    const error = await rejectionOf(createAuth({ credentials }).getToken())
    expect(error).toBeInstanceOf(InvalidClientError)
    expect(error).toMatchObject({ error: 'invalid_client' })
  })
})
