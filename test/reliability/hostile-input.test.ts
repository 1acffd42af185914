/**
 * Reliability suite, section 3: hostile input. Property tests (fast-check) feed the credential
 * parser, the token-response guard and the whole token exchange with generated junk, prototype-
 * polluting keys, huge and binary strings, throwing getters and Proxies, and hostile endpoint
 * answers. Every case must end quickly with a value or a typed error, leave every prototype as it
 * was, and keep the client secret out of every error.
 *
 * Seeds are random; a failure prints the seed and the path to replay it.
 */
import fc from 'fast-check'
import { describe } from 'vitest'
import { parseCredentials } from '../../src/credentials/index.ts'
import {
  CredentialsError,
  InvalidClientError,
  RateLimitedError,
  RedirectRefusedError,
  TokenError,
  TokenLifetimeError,
  TokenResponseError,
} from '../../src/errors.ts'
import { exchangeToken, type AudienceParam, type ClientAuthMethod } from '../../src/token/exchange.ts'
import { DEFAULT_EXPIRY_POLICY } from '../../src/token/expiry.ts'
import { parseTokenResponse } from '../../src/token/response.ts'
import type { Credentials } from '../../src/types.ts'
import { PROXY_RESPONSE_HEADERS, returnedHeaderNames, returnedResponseHeaders } from '../../src/proxy/proxy-headers.ts'
import { shown, envCase, otherSource, responseText, retryAfter, status, textCase, tokenResponseBody } from './hostile/arbitraries.ts'
import {
  SECRET,
  assertNotIn,
  assertPrototypesClean,
  describeError,
  outcome,
  snapshotPrototypes,
  timed,
  timedAsync,
} from './hostile/checks.ts'
import { section } from './summary.ts'

const { checkMany } = section('hostile input')

/** Generated cases per property. */
const RUNS = 10_000
/** Per property; a run takes a few seconds, the rest is headroom for a slow CI machine. */
const TIMEOUT_MS = 120_000

function fail(message: string): never {
  throw new Error(message)
}

/** `parseCredentials` returned frozen Credentials or threw a well-formed CredentialsError. */
function expectCredentialsOutcome(result: ReturnType<typeof outcome<Credentials>>, secretOnly: boolean): void {
  if (result.ok) {
    const c = result.value
    if (!Object.isFrozen(c) || !Object.isFrozen(c.audiences) || !Object.isFrozen(c.baseUrls) || !Object.isFrozen(c.grantedScopes)) {
      fail('Credentials are not deeply frozen')
    }
    if (c.strategy === 'OAUTH') {
      if (typeof c.clientId !== 'string' || c.clientId === '') fail('clientId is not a non-empty string')
      if (c.clientSecret === '' && c.clientAssertionKey === '') fail('OAuth credentials with neither a secret nor a key')
      if (typeof c.tokenUrl !== 'string' || !/^https?:\/\//.test(c.tokenUrl)) fail('tokenUrl is not an http(s) URL')
    } else if (c.strategy === 'BASIC') {
      if (!c.username || c.password === '') fail('BASIC credentials without a user name and password')
    } else if (c.strategy !== 'BEARER' && c.strategy !== 'NONE') {
      fail(`strategy is ${String(c.strategy)}`)
    }
    for (const name of ['clientSecret', 'password', 'staticToken', 'clientAssertionKey']) {
      if (typeof c[name as keyof Credentials] !== 'string') fail(`${name} is not a string`)
      if (Object.keys(c).includes(name)) fail(`${name} is enumerable`)
    }
    if (secretOnly && JSON.stringify(c).includes(SECRET)) fail('JSON.stringify(credentials) shows the secret')
    return
  }
  const err = result.error
  if (!(err instanceof CredentialsError)) fail(`threw ${describeError(err)}, not a CredentialsError`)
  if (err.code !== 'ERR_CREDENTIALS_INVALID') fail(`code is ${String(err.code)}`)
  if (!Array.isArray(err.issues) || err.issues.length === 0) fail('CredentialsError without issues')
  for (const issue of err.issues) {
    if (typeof issue.variable !== 'string' || issue.variable === '') fail('an issue without a variable name')
    if (typeof issue.message !== 'string' || issue.message === '') fail('an issue without a message')
  }
  if (secretOnly) assertNotIn(err, SECRET, 'the client secret')
}

/** Whether an endpoint's body is a JSON object whose `error` is `invalid_client`. */
function saysInvalidClient(text: string): boolean {
  try {
    const body: unknown = JSON.parse(text)
    return (
      typeof body === 'object' && body !== null && Object.hasOwn(body, 'error') && (body as { error: unknown }).error === 'invalid_client'
    )
  } catch {
    return false
  }
}

const TOKEN_URL = 'https://login.cloud.camunda.io/oauth/token'
const NULL_BODY_STATUSES = new Set([204, 205, 304])

describe('reliability: hostile input', () => {
  checkMany(
    'parseCredentials(env object): frozen Credentials or CredentialsError, prototypes intact, secret hidden',
    RUNS,
    () => {
      const source = fc.oneof(
        { weight: 9, arbitrary: envCase.map((c) => ({ build: c.build, secretOnly: c.secretOnly, mode: c.mode })) },
        // Only ever carries the secret as ZEEBE_CLIENT_SECRET (or in errors its getters throw).
        { weight: 1, arbitrary: otherSource.map((build) => ({ build, secretOnly: true, mode: 'other' })) },
      )
      fc.assert(
        fc.property(source, (c) => {
          const before = snapshotPrototypes()
          const input = c.build()
          expectCredentialsOutcome(
            timed(() => outcome(() => parseCredentials(input))),
            c.secretOnly,
          )
          assertPrototypesClean(before)
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT_MS,
  )

  checkMany(
    'parseCredentials(text): file text, random strings and JSON give Credentials or CredentialsError',
    RUNS,
    () => {
      fc.assert(
        fc.property(textCase, ({ text, secretOnly }) => {
          const before = snapshotPrototypes()
          expectCredentialsOutcome(
            timed(() => outcome(() => parseCredentials(text))),
            secretOnly,
          )
          assertPrototypesClean(before)
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT_MS,
  )

  checkMany(
    'parseTokenResponse(any JSON / near-valid body): a usable token or TokenResponseError',
    RUNS,
    () => {
      fc.assert(
        fc.property(tokenResponseBody, (make) => {
          const before = snapshotPrototypes()
          const body = make()
          const result = timed(() => outcome(() => parseTokenResponse(body, { status: 200 })))
          const own = (key: string): unknown =>
            typeof body === 'object' && body !== null && Object.hasOwn(body, key) ? (body as Record<string, unknown>)[key] : undefined
          if (result.ok) {
            const { accessToken, expiresIn, scope } = result.value
            if (accessToken !== own('access_token')) fail('accessToken is not the body access_token')
            if (typeof accessToken !== 'string' || accessToken === '' || accessToken.length > 16_384) fail('accessToken is unusable')
            if (!/^[\w\-.~+/]+=*$/.test(accessToken)) fail('accessToken cannot go into an Authorization header')
            const tokenType = own('token_type')
            if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') fail('accepted a token_type other than Bearer')
            if (expiresIn !== undefined && (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn)))
              fail(`expiresIn is ${String(expiresIn)}`)
            if (scope !== undefined && typeof scope !== 'string') fail('scope is not a string')
          } else {
            const err = result.error
            if (!(err instanceof TokenResponseError)) fail(`threw ${describeError(err)}, not a TokenResponseError`)
            if (err.code !== 'ERR_TOKEN_RESPONSE_INVALID' || err.status !== 200) fail('TokenResponseError without its code or status')
            // A token never appears in an error (README); short strings could match fixed text by chance.
            const token = own('access_token')
            if (typeof token === 'string' && token.length >= 12) assertNotIn(err, token, 'the access token')
          }
          assertPrototypesClean(before)
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT_MS,
  )

  checkMany(
    'exchangeToken(hostile endpoint answers): a record with a future expiry or a TokenError subclass',
    RUNS,
    async () => {
      const credentials = parseCredentials({
        ZEEBE_CLIENT_ID: 'c',
        ZEEBE_CLIENT_SECRET: SECRET,
        ZEEBE_AUTHORIZATION_SERVER_URL: TOKEN_URL,
      })
      const answer = fc.record({
        status,
        text: responseText,
        retryAfter,
        clientAuth: fc.constantFrom<ClientAuthMethod>('client_secret_post', 'client_secret_basic'),
        audienceParam: fc.constantFrom<AudienceParam>('audience', 'resource'),
      })
      type Answer = typeof answer extends fc.Arbitrary<infer T> ? T : never
      const example = (status: number, text: string, retryAfter?: string): [Answer] => [
        {
          status,
          text: shown(() => text, text.length > 100 ? `<${text.length} characters>` : text),
          retryAfter,
          clientAuth: 'client_secret_post',
          audienceParam: 'audience',
        },
      ]
      // Cases the random search has found before, run first on every run.
      const examples: [Answer][] = [
        // expires_in * 1000 overflows to -Infinity; the expiry check compared NaN and let it through.
        example(200, JSON.stringify({ access_token: 'abc', token_type: 'Bearer', expires_in: -1e307 })),
        // A 401 / 429 whose body is over 64 KiB became a TokenResponseError: no invalid-client
        // cooldown, and Retry-After ignored.
        example(401, `{"error":"invalid_client","pad":"${'x'.repeat(70_000)}"}`),
        example(429, `<html>${'x'.repeat(70_000)}</html>`, '30'),
      ]
      await fc.assert(
        fc.asyncProperty(answer, async (c) => {
          const before = snapshotPrototypes()
          const text = c.text()
          const headers = new Headers()
          if (c.retryAfter !== undefined) headers.set('retry-after', c.retryAfter)
          // Built here, not inside fetch: a generator mistake must fail the test, not become a TokenRequestError.
          const response = new Response(NULL_BODY_STATUSES.has(c.status) ? null : text, { status: c.status, headers })
          let calls = 0
          const fetchImpl = (async (_url: RequestInfo | URL, init?: RequestInit) => {
            calls++
            if (init?.redirect !== 'manual') fail('the token request may follow redirects')
            return response
          }) as typeof fetch

          const result = await timedAsync(async () => {
            try {
              return {
                ok: true as const,
                value: await exchangeToken({
                  credentials,
                  api: 'zeebe',
                  audience: 'zeebe.camunda.io',
                  clientAuth: c.clientAuth,
                  audienceParam: c.audienceParam,
                  fetch: fetchImpl,
                  timeoutMs: 1000,
                  policy: DEFAULT_EXPIRY_POLICY,
                  now: Date.now,
                }),
              }
            } catch (error) {
              return { ok: false as const, error }
            }
          })
          if (calls !== 1) fail(`fetch was called ${calls} times`)

          const ok2xx = c.status >= 200 && c.status < 300
          if (result.ok) {
            const { accessToken, expiresAt, receivedAt } = result.value
            if (!ok2xx) fail(`a token from a ${c.status} answer`)
            if (typeof accessToken !== 'string' || accessToken === '') fail('accessToken is not a non-empty string')
            if (!Number.isFinite(receivedAt) || !Number.isFinite(expiresAt)) fail(`expiresAt ${expiresAt}, receivedAt ${receivedAt}`)
            if (!(expiresAt > receivedAt)) fail(`expiresAt ${expiresAt} is not after receivedAt ${receivedAt}`)
            if (expiresAt > receivedAt + DEFAULT_EXPIRY_POLICY.maxLifetimeMs) fail('a token trusted for longer than maxLifetimeMs')
          } else {
            const err = result.error
            if (!(err instanceof TokenError)) fail(`rejected with ${describeError(err)}, not a TokenError`)
            if (typeof err.code !== 'string' || !err.code.startsWith('ERR_')) fail(`code is ${String(err.code)}`)
            if (err.status !== c.status) fail(`error status ${String(err.status)} for a ${c.status} answer`)
            if (err.retryAt !== undefined && !Number.isFinite(err.retryAt)) fail(`retryAt is ${err.retryAt}`)
            if (c.status >= 300 && c.status < 400 && !(err instanceof RedirectRefusedError)) fail(`${err.name} for a redirect`)
            if (ok2xx && !(err instanceof TokenResponseError || err instanceof TokenLifetimeError)) fail(`${err.name} for a ${c.status}`)
            if (c.status === 401 && !(err instanceof InvalidClientError)) fail(`${err.name} for a 401`)
            // README: 429 is rate limiting; `invalid_client` in the body takes precedence (any status).
            if (c.status === 429 && !saysInvalidClient(text) && !(err instanceof RateLimitedError)) fail(`${err.name} for a 429`)
            assertNotIn(err, SECRET, 'the client secret')
          }
          assertPrototypesClean(before)
        }),
        { numRuns: RUNS, examples },
      )
    },
    TIMEOUT_MS,
  )

  checkMany(
    'proxy response headers (any upstream headers, Connection naming any of them): only allowlisted ones reach the browser',
    RUNS,
    () => {
      // Names an upstream could send: the allowlist, headers that act on the app origin, and junk, in any case.
      const hostileNames = [
        'strict-transport-security',
        'clear-site-data',
        'refresh',
        'link',
        'www-authenticate',
        'authorization',
        'set-cookie',
        'alt-svc',
        'nel',
        'report-to',
        'content-encoding',
        'access-control-allow-origin',
        'x-evil',
      ]
      const name = fc
        .oneof(fc.constantFrom(...PROXY_RESPONSE_HEADERS, ...hostileNames), fc.stringMatching(/^[a-z0-9!#$%&'*+.^_`|~-]{1,20}$/))
        .chain((n) => fc.constantFrom(n, n.toUpperCase()))
      const value = fc.stringMatching(/^[\x21-\x7e]{0,30}$/)
      const upstream = fc.record({
        headers: fc.array(fc.tuple(name, value), { maxLength: 20 }),
        connection: fc.array(name, { maxLength: 4 }),
      })
      const own = new Set(['x-content-type-options', 'content-security-policy'])
      const allowed = returnedHeaderNames()
      fc.assert(
        fc.property(upstream, (c) => {
          const headers = new Headers(c.headers)
          if (c.connection.length > 0) headers.set('connection', c.connection.join(', '))
          const hop = new Set(c.connection.map((n) => n.toLowerCase()))
          const encoded = !['', 'identity', null].includes(headers.get('content-encoding')?.trim().toLowerCase() ?? null)
          const out = returnedResponseHeaders(headers, allowed)
          for (const [key, got] of out) {
            if (own.has(key)) continue
            // The proxy's default when the API set no caching policy (or named its own hop-by-hop).
            if (key === 'cache-control' && (!headers.has(key) || hop.has(key))) {
              if (got !== 'no-store') fail(`cache-control ${got} when the API passed none`)
              continue
            }
            if (!allowed.has(key)) fail(`${key} is not on the allowlist`)
            if (hop.has(key)) fail(`${key} was named in Connection`)
            if (key === 'content-length' && encoded) fail('Content-Length of an encoded body')
            // Repeated values arrive joined with ", "; Headers trims what an empty last value leaves.
            if (got !== headers.get(key)?.trim()) fail(`${key} changed from ${headers.get(key)} to ${got}`)
          }
          if (out.get('content-security-policy') !== "default-src 'none'; sandbox") fail('the sandboxing CSP is missing')
          if (out.get('x-content-type-options') !== 'nosniff') fail('nosniff is missing')
        }),
        { numRuns: RUNS },
      )
    },
    TIMEOUT_MS,
  )
})
