/**
 * `createCamundaProxy`: a fetch handler that forwards `/zeebe/*`, `/operate/*`, `/tasklist/*` and
 * `/optimize/*` to the Camunda APIs of the credential bundle, with the server's bearer token, so
 * browser code calls Camunda without ever holding a token or the secret.
 *
 * What crosses: the method, the path below the API prefix, the query, the body (streamed) and an
 * allowlist of request headers (see `PROXY_REQUEST_HEADERS`); back, the status, the body and an
 * allowlist of response headers (see `PROXY_RESPONSE_HEADERS`). What does not: the browser's
 * `Authorization` and `Cookie` headers and every other header not on the list, paths that could
 * leave the API's base URL (400), and on the way back every header not on its list (`Set-Cookie`,
 * HSTS, `Clear-Site-Data`, `Link`, `WWW-Authenticate`, CORS, hop-by-hop…). Redirects from the API
 * are passed back, never followed.
 * @module
 */

import type { Auth } from '../auth/create-auth.ts'
import { MissingApiUrlError, TokenError, InvalidArgumentError } from '../errors.ts'
import type { Api } from '../types.ts'
import type { DynamicUrlBuilder } from '../urls/create-urls.ts'
import { servedApis } from '../http/served-apis.ts'
import { checkAuthorized, report, type HandlerErrorListener, type RequestAuthorizer } from '../http/authorize.ts'
import { exactOrigins, foreignSiteRequest } from '../http/cors.ts'
import { oauthErrorResponse, tokenErrorResponse } from '../http/responses.ts'
import { forwardedHeaderNames, forwardedRequestHeaders, returnedHeaderNames, returnedResponseHeaders } from './proxy-headers.ts'
import { matchProxyRoute, proxyPrefix, unsafePathReason, upstreamUrl } from './proxy-path.ts'

/**
 * Options of {@link createCamundaProxy}.
 *
 * @example
 * ```ts
 * const options: CamundaProxyOptions = { auth, authorize: (request) => isSignedIn(request), apis: ['zeebe'], prefix: '/api' }
 * ```
 */
export interface CamundaProxyOptions {
  /** The server-side auth object: its token is attached, and its base URLs are the targets. */
  readonly auth: Pick<Auth, 'fetch' | 'urls'>
  /** Whether the request may reach Camunda. Only `true` lets it through; `false` answers 403, a throw 500. */
  readonly authorize: RequestAuthorizer
  /**
   * The APIs to forward. Default: every API the bundle has a base URL for. Naming one without a
   * base URL throws `MissingApiUrlError` here, at construction.
   */
  readonly apis?: readonly Api[]
  /** Where the proxy is mounted: `/api` serves `/api/zeebe/*` and so on. Default `''`. */
  readonly prefix?: string
  /** Request headers to forward besides `PROXY_REQUEST_HEADERS`. `authorization`, `cookie` and hop-by-hop headers are refused. */
  readonly forwardHeaders?: readonly string[]
  /**
   * Response headers to pass back besides `PROXY_RESPONSE_HEADERS`, e.g. a tracing header of your
   * gateway. Headers that act on the app's origin (`set-cookie`, `strict-transport-security`,
   * `clear-site-data`, `link`, `refresh`, CORS…), credentials and hop-by-hop headers are refused.
   */
  readonly returnHeaders?: readonly string[]
  /**
   * Origins besides the proxy's own whose pages may call it (exact, e.g. `https://app.example.com`;
   * checked as the broker's: a path, a trailing slash or `*` throws at construction).
   * Requests from any other origin, or without `Origin` marked `Sec-Fetch-Site: cross-site` (or
   * `same-site` on a method other than GET and HEAD: a sibling subdomain's form), are refused
   * before `authorize` runs: a foreign page must not reach Camunda with the user's cookies (CSRF).
   * The proxy sends no CORS headers; a listed origin only passes this check.
   */
  readonly allowOrigin?: readonly string[]
  /** Hears errors the client is not told about: a throwing `authorize`, an unreachable API. */
  readonly onError?: HandlerErrorListener
  /** The clock for `Retry-After`, in epoch ms. Default `Date.now`; share the auth object's. */
  readonly now?: () => number
}

/** Methods a fetch cannot send, or that would reflect the request back. */
const REFUSED_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK'])

/**
 * Creates the API proxy: `(request) => Promise<Response>`, a Worker fetch handler.
 *
 * | request | answer |
 * | --- | --- |
 * | `/{api}/…` for a served API, authorized | the API's answer (body streamed, allowlisted headers only) |
 * | no served API prefix | 404 |
 * | from another site (`Origin` not own or listed; no `Origin` and `Sec-Fetch-Site: cross-site`, or `same-site` on a non-GET/HEAD) | 403 `access_denied` |
 * | `authorize` says no / throws | 403 `access_denied` / 500 `server_error` |
 * | a path that could leave the base URL (`..`, `%2e%2e`, `%2f`, `\`, `//`) | 400 `invalid_request` |
 * | no token (token endpoint failing) | 429 / 502 / 504 + `Retry-After`, as the broker |
 * | the API unreachable | 502 `bad_gateway` |
 *
 * A 401 from the API makes the auth object fetch a fresh token and retry once (`auth.fetch`).
 *
 * @example
 * ```ts
 * import { createAuth, parseCredentials } from 'camunda-edge-auth'
 * import { createCamundaProxy } from 'camunda-edge-auth/workers'
 *
 * const auth = createAuth({ credentials: parseCredentials(env) })
 * const proxy = createCamundaProxy({ auth, authorize: (request) => hasSession(request) })
 * // GET /zeebe/v2/topology → ZEEBE_REST_ADDRESS/v2/topology with Authorization: Bearer …
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-2.1 RFC 6750 §2.1 (the bearer header it attaches)}
 */
export function createCamundaProxy(options: CamundaProxyOptions): (request: Request) => Promise<Response> {
  const { auth, authorize, onError } = options
  if (typeof auth?.fetch !== 'function' || typeof auth.urls !== 'object') {
    throw new InvalidArgumentError('createCamundaProxy: pass the auth object from createAuth()')
  }
  if (typeof authorize !== 'function') {
    throw new InvalidArgumentError('createCamundaProxy: authorize is required; it decides who may call Camunda')
  }
  const prefix = proxyPrefix(options.prefix)
  const bases = baseUrls(auth.urls, options.apis)
  const apis = [...bases.keys()]
  const headerNames = forwardedHeaderNames(options.forwardHeaders)
  const returnedNames = returnedHeaderNames(options.returnHeaders)
  const now = options.now ?? Date.now
  const allowedOrigins = exactOrigins(options.allowOrigin)

  return async function camundaProxy(request: Request): Promise<Response> {
    const url = new URL(request.url)
    const route = matchProxyRoute(url.pathname, prefix, apis)
    if (!route)
      return oauthErrorResponse(
        404,
        'not_found',
        `no Camunda API here; this proxy serves ${apis.map((api) => `${prefix}/${api}/`).join(', ')}`,
      )
    if (REFUSED_METHODS.has(request.method.toUpperCase())) {
      return oauthErrorResponse(405, 'invalid_request', `${request.method} is not forwarded`)
    }
    if (foreignSiteRequest(allowedOrigins, request)) {
      return oauthErrorResponse(403, 'access_denied', 'requests from other sites are not forwarded')
    }
    const refused = await checkAuthorized(authorize, request, onError)
    if (refused) return refused

    const reason = unsafePathReason(route.path)
    const target = reason === undefined ? upstreamUrl(bases.get(route.api)!, route.path, url.search) : undefined
    if (!target) {
      return oauthErrorResponse(400, 'invalid_request', `refused path: ${reason ?? 'it leaves the API base URL'}`)
    }

    const init: RequestInit & { duplex?: 'half' } = {
      method: request.method,
      headers: forwardedRequestHeaders(request.headers, headerNames),
      redirect: 'manual',
    }
    if (request.body !== null && request.method !== 'GET' && request.method !== 'HEAD') {
      init.body = request.body
      // Streams the body instead of buffering it (required by fetch for stream bodies).
      init.duplex = 'half'
    }

    let upstream: Response
    try {
      upstream = await auth.fetch(route.api, target.href, init)
    } catch (error) {
      if (error instanceof TokenError) return tokenErrorResponse(error, now())
      report(onError, error, request)
      return oauthErrorResponse(502, 'bad_gateway', `the ${route.api} API could not be reached`)
    }
    return answer(upstream, returnedNames)
  }
}

/** The base URL of each served API; a named API without one is a configuration error. */
function baseUrls(urls: Auth['urls'], named: readonly Api[] | undefined): ReadonlyMap<Api, string> {
  const bases = new Map<Api, string>()
  for (const api of servedApis(named, 'createCamundaProxy')) {
    try {
      bases.set(api, (urls[api] as DynamicUrlBuilder)(''))
    } catch (error) {
      if (!(error instanceof MissingApiUrlError) || named !== undefined) throw error
    }
  }
  if (bases.size === 0) throw new InvalidArgumentError('createCamundaProxy: the credentials have no API base URL to forward to')
  return bases
}

/** The API's answer with the response headers filtered; statuses a Response cannot carry become 502. */
function answer(upstream: Response, headerNames: ReadonlySet<string>): Response {
  if (upstream.status < 200 || upstream.status > 599) {
    void upstream.body?.cancel().catch(() => {})
    return oauthErrorResponse(502, 'bad_gateway', `the API answered with status ${upstream.status}`)
  }
  return new Response(upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: returnedResponseHeaders(upstream.headers, headerNames),
  })
}
