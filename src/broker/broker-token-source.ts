/**
 * `brokerTokenSource`: the browser side of the token broker. Browser code gets its tokens from a
 * server route (`createTokenBroker`) instead of the token endpoint, so the page never holds the
 * client secret, while everything else (memory, single flight across tabs, refresh ahead,
 * cooldowns) is the ordinary `createAuth`.
 * @module
 */

import { createCredentials } from '../credentials/credentials.ts'
import { InvalidArgumentError } from '../errors.ts'
import { exchangeToken } from '../token/exchange.ts'
import { APIS, type Api, type Credentials, type TokenSource } from '../types.ts'
import { isApi } from '../lib/is-api.ts'

/**
 * Options of {@link brokerTokenSource}.
 *
 * @example
 * ```ts
 * const options: BrokerTokenSourceOptions = { url: '/auth/token', baseUrls: { zeebe: '/zeebe' }, init: { credentials: 'include' } }
 * ```
 */
export interface BrokerTokenSourceOptions {
  /** The broker's URL, e.g. `/auth/token`; a relative URL is resolved against `location.href`. */
  readonly url: string | URL
  /** The APIs to ask the broker for. Default: all four (the broker decides which it serves). */
  readonly apis?: readonly Api[]
  /**
   * Base URLs for `auth.urls` and `auth.fetch`, typically the routes of `createCamundaProxy`
   * (`{ zeebe: '/zeebe' }`); relative ones are resolved against `location.href`.
   */
  readonly baseUrls?: Readonly<Partial<Record<Api, string>>>
  /**
   * Extra `fetch` options for the broker request: `credentials` (default `'same-origin'`; use
   * `'include'` for a broker on another origin that checks cookies), `headers` (a CSRF header, an
   * app token), `mode`… `method`, `body`, `redirect` and `signal` are always the broker protocol's.
   */
  readonly init?: RequestInit
}

/**
 * What `brokerTokenSource` returns: spread it into `createAuth`'s options.
 *
 * @example
 * ```ts
 * const { credentials, tokenSource }: BrokerTokenSource = brokerTokenSource({ url: '/auth/token' })
 * ```
 */
export interface BrokerTokenSource {
  /**
   * Credentials without a secret (`clientSecret` is `''`, not enumerable): the broker's absolute
   * URL as `tokenUrl`, one audience per API (so each API has its own token and store key), and
   * the base URLs.
   */
  readonly credentials: Credentials
  /** Asks the broker for a token, with the typed errors and `Retry-After` handling of the exchange. */
  readonly tokenSource: TokenSource
}

/** The `clientId` of broker credentials: part of the store key, never sent anywhere. */
const BROKER_CLIENT_ID = 'camunda-edge-auth-broker'

/**
 * Credentials and a token source that get tokens from a token broker, for
 * `createAuth({ ...brokerTokenSource(options), store, coordinator })`.
 *
 * Each token request is `POST url` with the body `api=<api>` and no secret. The answer is read
 * exactly like a token endpoint's: 403 gives `TokenEndpointError` (status 403, `access_denied`),
 * 429 gives `RateLimitedError` honouring `Retry-After`, and a `Retry-After` on any other failure
 * sets the cooldown too, so every tab holds back as long as the broker asks. As with any token
 * URL, plain `http:` is refused except on loopback.
 *
 * @example
 * ```ts
 * import { createAuth } from 'camunda-edge-auth'
 * import { brokerTokenSource, indexedDBStore } from 'camunda-edge-auth/browser'
 *
 * const auth = createAuth({ ...brokerTokenSource({ url: '/auth/token', baseUrls: { zeebe: '/zeebe' } }), store: indexedDBStore() })
 * const topology = await auth.fetch('zeebe', '/v2/topology')
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5 RFC 6749 §5 (the responses it reads)}
 */
export function brokerTokenSource(options: BrokerTokenSourceOptions): BrokerTokenSource {
  const tokenUrl = resolve(options.url, 'url')
  const apis = options.apis ?? APIS
  if (apis.length === 0) throw new InvalidArgumentError(`brokerTokenSource: apis is empty; name at least one of ${APIS.join(', ')}`)
  const audiences: Partial<Record<Api, string>> = {}
  for (const api of apis) {
    if (!isApi(api)) throw new InvalidArgumentError(`brokerTokenSource: unknown api "${String(api)}"; use ${APIS.join(', ')}`)
    // Distinct per API: createAuth shares one token between APIs with the same audience.
    audiences[api] = `${BROKER_CLIENT_ID}:${api}`
  }
  const baseUrls: Partial<Record<Api, string>> = {}
  for (const [api, base] of Object.entries(options.baseUrls ?? {})) {
    if (!isApi(api)) throw new InvalidArgumentError(`brokerTokenSource: unknown api "${api}" in baseUrls; use ${APIS.join(', ')}`)
    if (base !== undefined) baseUrls[api] = resolve(base, `baseUrls.${api}`)
  }
  const credentials = createCredentials(
    {
      strategy: 'OAUTH',
      provider: 'generic',
      clientId: BROKER_CLIENT_ID,
      clientAuth: 'client_secret_post',
      clientAssertionAlg: undefined,
      clientAssertionKeyId: undefined,
      clientAssertionThumbprint: undefined,
      tokenUrl,
      audiences,
      scopes: {},
      scope: undefined,
      username: undefined,
      tenantId: undefined,
      timeoutMs: undefined,
      expiryMarginMs: undefined,
      insecureHosts: [],
      grantedScopes: [],
      clusterId: undefined,
      region: undefined,
      zeebeGrpcAddress: undefined,
      baseUrls,
      saas: false,
    },
    { clientSecret: '', password: '', staticToken: '', clientAssertionKey: '' },
  )
  const served = new Set<string>(apis)
  const init = options.init ?? {}

  const tokenSource: TokenSource = async (request) => {
    if (!served.has(request.api)) {
      // Not a TokenError: asking for an API this page was not set up for is a bug, not a cooldown.
      throw new InvalidArgumentError(`brokerTokenSource: the ${request.api} API is not among apis (${[...served].join(', ')})`)
    }
    const headers = new Headers(init.headers)
    headers.set('content-type', 'application/x-www-form-urlencoded')
    headers.set('accept', 'application/json')
    // The exchange honours the Retry-After the broker sends with every cooldown.
    return exchangeToken({
      ...request,
      clientAuth: 'client_secret_post',
      audienceParam: 'audience',
      request: {
        ...init,
        method: 'POST',
        headers,
        body: new URLSearchParams({ api: request.api }).toString(),
        credentials: init.credentials ?? 'same-origin',
      },
    })
  }
  return Object.freeze({ credentials, tokenSource })
}

/** `value` as an absolute URL, resolved against the page's location when relative. */
function resolve(value: string | URL, what: string): string {
  const base = (globalThis as { location?: { href?: string } }).location?.href
  try {
    return new URL(value, base).href
  } catch {
    throw new InvalidArgumentError(
      base === undefined
        ? `brokerTokenSource: ${what} "${String(value)}" is relative and there is no location to resolve it against; pass an absolute URL`
        : `brokerTokenSource: ${what} "${String(value)}" is not a URL`,
    )
  }
}
