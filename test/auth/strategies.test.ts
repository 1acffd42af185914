/**
 * createAuth under each strategy, against the in-process dev server: BASIC and NONE send no token
 * request and say so from getToken; BEARER runs a handed-in token through memory, refresh ahead and
 * the 401 retry; and the options that belong to one strategy are refused under another.
 */
import { decodeJwt, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { createDevAuthServer, devCredentials } from '../../src/dev-server.ts'
import {
  CredentialsError,
  createAuth,
  ForeignUrlError,
  InvalidArgumentError,
  NoBearerTokenError,
  parseCredentials,
  TokenLifetimeError,
  TokenRequestError,
  UnknownApiError,
  type AuthEvent,
  type Credentials,
  type TokenStore,
} from '../../src/index.ts'
import { clientKey } from '../helpers/keys.ts'
import { ORIGIN, rejectionOf, T0 } from '../helpers/harness.ts'

const clock = { now: T0 }
const now = () => clock.now

function basicServer() {
  return createDevAuthServer({ apiAuth: 'basic', users: [{ username: 'démo', password: 'pässword~1' }], now, rateLimit: false })
}

/** A fetch that records the Authorization header of every request it passes on. */
function recording(server: { fetch: typeof fetch }) {
  const sent: (string | null)[] = []
  const fetchImpl: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    sent.push(request.headers.get('authorization'))
    return server.fetch(request)
  }
  return { sent, fetch: fetchImpl }
}

const jwt = (exp: number, sub = 'user') =>
  new SignJWT({ sub })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode('k'.repeat(32)))

describe('BASIC', () => {
  const credentials = parseCredentials(
    devCredentials(ORIGIN, undefined, { strategy: 'BASIC', user: { username: 'démo', password: 'pässword~1' } }),
  )

  it('getHeaders gives Basic base64(user:password) in UTF-8 (RFC 7617), a fresh object each call', async () => {
    const auth = createAuth({ credentials, fetch: basicServer().fetch })
    const headers = await auth.getHeaders('operate')
    const expected = `Basic ${Buffer.from('démo:pässword~1', 'utf8').toString('base64')}`
    expect(headers).toEqual({ authorization: expected })
    expect(await auth.getHeaders()).not.toBe(headers)
  })

  it('auth.fetch calls a Basic-auth API (C8 Run style) with no token request at all', async () => {
    const server = basicServer()
    const auth = createAuth({ credentials, fetch: server.fetch })
    const response = await auth.fetch('zeebe', '/v2/topology')
    expect(response.status).toBe(200)
    expect((await response.json()).gatewayVersion).toBe('8.8.0-dev')
    expect(server.requests()).toBe(0)
    expect(server.apiRequestLog.at(-1)).toMatchObject({ sub: 'démo', status: 200 })
  })

  it('a 401 to a wrong password goes back once: nothing to refresh, no retry', async () => {
    const server = basicServer()
    const wrong = parseCredentials(devCredentials(ORIGIN, undefined, { strategy: 'BASIC', user: { username: 'démo', password: 'wrong' } }))
    const { sent, fetch } = recording(server)
    const response = await createAuth({ credentials: wrong, fetch }).fetch('zeebe', '/v2/topology', { method: 'POST', body: 'x' })
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic/)
    expect(sent).toHaveLength(1)
  })

  it('getToken and getTokenRecord reject with NoBearerTokenError saying why and what to use instead', async () => {
    const auth = createAuth({ credentials })
    for (const error of [await rejectionOf(auth.getToken('tasklist')), await rejectionOf(auth.getTokenRecord())]) {
      expect(error).toBeInstanceOf(NoBearerTokenError)
      expect(error).toMatchObject({ code: 'ERR_NO_BEARER_TOKEN', strategy: 'BASIC' })
      expect((error as Error).message).toContain('getHeaders')
    }
    expect(await rejectionOf(auth.getHeaders('admin' as 'zeebe'))).toBeInstanceOf(UnknownApiError)
  })

  it('the password goes only under the API base URL: another origin is a ForeignUrlError and nothing is sent', async () => {
    const { sent, fetch } = recording(basicServer())
    const error = await rejectionOf(createAuth({ credentials, fetch }).fetch('zeebe', 'https://elsewhere.example/steal'))
    expect(error).toBeInstanceOf(ForeignUrlError)
    expect(sent).toEqual([])
  })
})

describe('NONE', () => {
  const credentials = parseCredentials(devCredentials(ORIGIN, undefined, { strategy: 'NONE' }))

  it('getHeaders is empty and auth.fetch sends no Authorization header', async () => {
    const server = createDevAuthServer({ apiAuth: 'none', now })
    const { sent, fetch } = recording(server)
    const auth = createAuth({ credentials, fetch })
    expect(await auth.getHeaders()).toEqual({})
    expect((await auth.fetch('operate', '/v1/process-instances/search', { method: 'POST', body: '{}' })).status).toBe(200)
    expect(sent).toEqual([null])
    expect(server.requests()).toBe(0)
  })

  it('getToken rejects with NoBearerTokenError', async () => {
    expect(await rejectionOf(createAuth({ credentials }).getToken())).toMatchObject({ code: 'ERR_NO_BEARER_TOKEN', strategy: 'NONE' })
  })
})

describe('BEARER', () => {
  const bearer = (token?: string) =>
    parseCredentials({
      CAMUNDA_AUTH_STRATEGY: 'BEARER',
      ZEEBE_REST_ADDRESS: `${ORIGIN}/zeebe`,
      ...(token && { CAMUNDA_OAUTH_TOKEN: token }),
    })

  it('a static opaque token is sent as it is, and kept for a day', async () => {
    const auth = createAuth({ credentials: bearer('static-opaque-token-0123'), now })
    expect(await auth.getHeaders()).toEqual({ authorization: 'Bearer static-opaque-token-0123' })
    expect((await auth.getTokenRecord()).expiresAt).toBe(T0 + 86_400_000)
  })

  it('a static JWT expires at its exp', async () => {
    const exp = Math.floor(T0 / 1000) + 600
    const auth = createAuth({ credentials: bearer(await jwt(exp)), now })
    expect((await auth.getTokenRecord()).expiresAt).toBe(exp * 1000)
  })

  it('a static JWT already expired is a TokenLifetimeError that names CAMUNDA_OAUTH_TOKEN', async () => {
    const auth = createAuth({ credentials: bearer(await jwt(Math.floor(T0 / 1000) - 10)), now })
    const error = await rejectionOf(auth.getToken())
    expect(error).toBeInstanceOf(TokenLifetimeError)
    expect((error as Error).message).toContain('CAMUNDA_OAUTH_TOKEN')
  })

  it('a 401 to a static token goes back without a retry: the same token would be refused again', async () => {
    const server = createDevAuthServer({ now })
    const { sent, fetch } = recording(server)
    const auth = createAuth({ credentials: bearer('not-a-token-the-api-knows'), fetch, now })
    expect((await auth.fetch('zeebe', '/v2/topology')).status).toBe(401)
    expect(sent).toHaveLength(1)
  })

  it('bearerToken(): one call for many concurrent callers, another ahead of exp while callers keep the valid one', async () => {
    let calls = 0
    const bearerToken = async () => jwt(Math.floor(clock.now / 1000) + 300, `call-${++calls}`)
    const events: AuthEvent[] = []
    const auth = createAuth({ credentials: bearer(), bearerToken, now, onEvent: (e) => events.push(e) })
    const first = await Promise.all(Array.from({ length: 20 }, () => auth.getToken()))
    expect(new Set(first).size).toBe(1)
    expect(calls).toBe(1)
    clock.now += 250_000 // inside the last 60 s
    expect(await auth.getToken()).toBe(first[0])
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(calls).toBe(2)
    expect(await auth.getToken()).not.toBe(first[0])
    expect(events.filter((e) => e.type === 'token_requested').map((e) => (e as { reason: string }).reason)).toEqual([
      'cold',
      'refresh_ahead',
    ])
  })

  it('bearerToken(): a 401 asks the function once more and retries once with what it returns', async () => {
    const server = createDevAuthServer({ now, rateLimit: false })
    const credentials = parseCredentials(devCredentials(ORIGIN))
    const issuer = createAuth({ credentials, fetch: server.fetch, now })
    const tokens = ['refused-by-the-api-0123', await issuer.getToken('zeebe')]
    let calls = 0
    const { sent, fetch } = recording(server)
    const auth = createAuth({ credentials: bearer(), bearerToken: () => tokens[calls++]!, fetch, now })
    const response = await auth.fetch('zeebe', '/v2/topology')
    expect(response.status).toBe(200)
    expect(calls).toBe(2)
    expect(sent).toEqual([`Bearer ${tokens[0]}`, `Bearer ${tokens[1]}`])
  })

  it('bearerToken() that throws is a TokenRequestError whose message has no token in it', async () => {
    const leaked = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlMTIzNDU2Nzg5'
    const auth = createAuth({ credentials: bearer(), bearerToken: () => Promise.reject(new Error(`session gone, last ${leaked}`)), now })
    const error = await rejectionOf(auth.getToken())
    expect(error).toBeInstanceOf(TokenRequestError)
    expect((error as Error).message).toContain('bearerToken() failed: Error: session gone')
    expect((error as Error).message).not.toContain(leaked)
  })

  it('keeps handed-in tokens out of any store given: nothing in the bundle tells two sets of them apart', async () => {
    const touched: string[] = []
    const store: TokenStore = {
      get: async () => void touched.push('get'),
      set: async () => void touched.push('set'),
      delete: async () => void touched.push('delete'),
    }
    await createAuth({ credentials: bearer('static-opaque-token-0123'), store }).getToken()
    expect(touched).toEqual([])
  })

  it('without a token anywhere, createAuth is a CredentialsError naming CAMUNDA_OAUTH_TOKEN and the option', () => {
    expect(() => createAuth({ credentials: bearer() })).toThrow(CredentialsError)
    expect(() => createAuth({ credentials: bearer() })).toThrow(/CAMUNDA_OAUTH_TOKEN.*bearerToken/)
  })
})

describe('options of one strategy under another', () => {
  it('bearerToken under OAUTH is an InvalidArgumentError naming CAMUNDA_AUTH_STRATEGY', () => {
    expect(() => createAuth({ credentials: parseCredentials(devCredentials(ORIGIN)), bearerToken: () => 'x' })).toThrow(
      InvalidArgumentError,
    )
    expect(() => createAuth({ credentials: parseCredentials(devCredentials(ORIGIN)), bearerToken: () => 'x' })).toThrow(
      /CAMUNDA_AUTH_STRATEGY=BEARER/,
    )
  })

  it('clientAuth private_key_jwt without a key is an InvalidArgumentError naming CAMUNDA_CLIENT_ASSERTION_KEY', () => {
    expect(() => createAuth({ credentials: parseCredentials(devCredentials(ORIGIN)), clientAuth: 'private_key_jwt' })).toThrow(
      /CAMUNDA_CLIENT_ASSERTION_KEY/,
    )
  })

  it('a secret-based clientAuth for a bundle that holds only a private key is an InvalidArgumentError: no empty secret is sent', async () => {
    const key = await clientKey('ES256')
    const credentials = parseCredentials({ ...devCredentials(ORIGIN, { clientId: 'kj-client' }), CAMUNDA_CLIENT_ASSERTION_KEY: key.pem })
    for (const clientAuth of ['client_secret_basic', 'client_secret_post'] as const) {
      expect(() => createAuth({ credentials, clientAuth })).toThrow(InvalidArgumentError)
      expect(() => createAuth({ credentials, clientAuth })).toThrow(
        /needs a client secret \(CAMUNDA_CLIENT_SECRET\), and the credentials hold none/,
      )
    }
  })

  it('an unknown strategy on credentials made by hand is an InvalidArgumentError naming the four, not an OAuth attempt', () => {
    const credentials = parseCredentials(devCredentials(ORIGIN, undefined, { strategy: 'BASIC' }))
    const wrong = { ...credentials, password: credentials.password, strategy: 'basic' } as unknown as Credentials
    expect(() => createAuth({ credentials: wrong })).toThrow(InvalidArgumentError)
    expect(() => createAuth({ credentials: wrong })).toThrow(/strategy basic.*OAUTH, BASIC, BEARER or NONE/)
  })

  it('CAMUNDA_OAUTH_TIMEOUT_MS and CAMUNDA_OAUTH_TOKEN_REFRESH_THRESHOLD_MS are the defaults of timeoutMs and expiryMarginMs', async () => {
    const server = createDevAuthServer({ now, rateLimit: false, tokenLifetimeSeconds: 300 })
    const credentials = parseCredentials({
      ...devCredentials(ORIGIN),
      CAMUNDA_OAUTH_TIMEOUT_MS: '50',
      CAMUNDA_OAUTH_TOKEN_REFRESH_THRESHOLD_MS: '1000',
    })
    server.inject({ delayMs: 1_000 })
    expect(await rejectionOf(createAuth({ credentials, fetch: server.fetch, now }).getToken())).toMatchObject({ code: 'ERR_TOKEN_TIMEOUT' })
    // A margin of 1 s: the token is handed out until 1 s before it expires, not 5 s.
    const auth = createAuth({ credentials, fetch: server.fetch, now, timeoutMs: 5_000 })
    const token = await auth.getToken()
    clock.now += 296_000
    expect(await auth.getToken()).toBe(token)
  })
})

describe('private_key_jwt: the assertion audience', () => {
  /** The client_assertion of the first token request to `tokenUrl`, answered with a refusal (Auth0 is not reachable here). */
  async function assertionFor(tokenUrl: string, extra: Record<string, string> = {}) {
    const key = await clientKey('ES256')
    const credentials = parseCredentials({
      CAMUNDA_CLIENT_ID: 'kj-client',
      CAMUNDA_OAUTH_URL: tokenUrl,
      CAMUNDA_CLIENT_ASSERTION_KEY: key.pem,
      ZEEBE_TOKEN_AUDIENCE: 'https://camunda.example.com/zeebe',
      ZEEBE_REST_ADDRESS: 'https://camunda.example.com/zeebe',
      ...extra,
    })
    let body = ''
    const fetchImpl: typeof fetch = async (input, init) => {
      body = await new Request(input, init).text()
      return Response.json({ error: 'access_denied' }, { status: 403 })
    }
    await rejectionOf(createAuth({ credentials, fetch: fetchImpl }).getToken())
    return decodeJwt(new URLSearchParams(body).get('client_assertion')!)
  }

  it('Auth0 wants its tenant URL with the trailing slash as aud, not the token URL', async () => {
    expect((await assertionFor('https://my-tenant.eu.auth0.com/oauth/token')).aud).toBe('https://my-tenant.eu.auth0.com/')
    expect((await assertionFor('https://login.example.com/oauth/token', { CAMUNDA_OAUTH_PROVIDER: 'auth0' })).aud).toBe(
      'https://login.example.com/',
    )
  })

  it('every other provider gets the token URL (RFC 7523 §3)', async () => {
    expect((await assertionFor('https://my-org.okta.com/oauth2/default/v1/token')).aud).toBe(
      'https://my-org.okta.com/oauth2/default/v1/token',
    )
  })
})
