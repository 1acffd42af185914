/**
 * CORS for the token broker: exact origins only, never `*`, answers to preflights; and, for the
 * broker and the proxy alike, the refusal of requests pages of other sites made.
 * @module
 */

import { InvalidArgumentError } from '../errors.ts'

import { oauthErrorResponse } from './responses.ts'

/**
 * The validated CORS settings of a broker.
 */
export interface CorsPolicy {
  readonly origins: ReadonlySet<string>
  readonly allowCredentials: boolean
  readonly allowHeaders: string
}

/** Headers a page may send to the broker by default: its body type, and an app's own credential. */
const DEFAULT_ALLOW_HEADERS = ['content-type', 'authorization']

/**
 * Checks and normalises the CORS options. Each origin must be exactly an origin
 * (`https://app.example.com`, no path, no trailing slash); `*` is refused, because tokens must only
 * reach pages the operator named.
 */
export function corsPolicy(options: {
  readonly allowOrigin?: readonly string[] | undefined
  readonly allowCredentials?: boolean | undefined
  readonly allowHeaders?: readonly string[] | undefined
}): CorsPolicy {
  const origins = exactOrigins(options.allowOrigin)
  const allowHeaders = (options.allowHeaders ?? DEFAULT_ALLOW_HEADERS).map((name) => name.toLowerCase())
  for (const name of allowHeaders) {
    if (!/^[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(name)) throw new InvalidArgumentError(`allowHeaders entry "${name}" is not a header name`)
  }
  return { origins, allowCredentials: options.allowCredentials ?? true, allowHeaders: allowHeaders.join(', ') }
}

/**
 * The `allowOrigin` list of the broker or the proxy, checked: each entry must be exactly an origin
 * (`https://app.example.com`, no path, no trailing slash), and `*` is refused, because tokens and
 * the server's access must only reach pages the operator named.
 */
export function exactOrigins(list: readonly string[] | undefined): ReadonlySet<string> {
  const origins = new Set<string>()
  for (const origin of list ?? []) {
    if (origin === '*') throw new InvalidArgumentError('allowOrigin must list exact origins; "*" would hand tokens to any site')
    let parsed: URL
    try {
      parsed = new URL(origin)
    } catch {
      throw new InvalidArgumentError(`allowOrigin entry "${origin}" is not an origin such as https://app.example.com`)
    }
    if (parsed.origin !== origin) {
      throw new InvalidArgumentError(`allowOrigin entry "${origin}" is not an exact origin; use "${parsed.origin}"`)
    }
    origins.add(origin)
  }
  return origins
}

/**
 * The CORS headers for an answer to `request`: `Access-Control-Allow-Origin` naming its origin when
 * that origin is listed, and `Vary: Origin` whenever CORS is configured, so caches keep answers to
 * different origins apart. `Retry-After` is exposed: it is not a CORS-safelisted header, and a
 * page must read it to honour a cooldown.
 */
export function corsHeaders(policy: CorsPolicy, request: Request): Headers {
  const headers = new Headers()
  if (policy.origins.size === 0) return headers
  headers.set('vary', 'Origin')
  const origin = request.headers.get('origin')
  if (origin !== null && policy.origins.has(origin)) {
    headers.set('access-control-allow-origin', origin)
    if (policy.allowCredentials) headers.set('access-control-allow-credentials', 'true')
    headers.set('access-control-expose-headers', 'retry-after')
  }
  return headers
}

/** Methods a page cannot use to change anything: a sibling subdomain may still link to or load these. */
const SAFE_METHODS = new Set(['GET', 'HEAD'])

/**
 * True for a request a page of another site, or of a sibling subdomain, made: an `Origin` that is
 * neither the handler's own nor listed (`null` included); or, without `Origin`,
 * `Sec-Fetch-Site: cross-site`, or `same-site` on a method other than GET and HEAD (a sibling's
 * form or fetch: `same-site` means another origin of the same registrable domain). Requests from
 * non-browser clients carry neither header and pass on to `authorize`. The broker and the proxy
 * both refuse these before `authorize` runs (CSRF).
 */
export function foreignSiteRequest(origins: ReadonlySet<string>, request: Request): boolean {
  const origin = request.headers.get('origin')
  if (origin !== null) return !origins.has(origin) && origin !== new URL(request.url).origin
  const site = request.headers.get('sec-fetch-site')
  return site === 'cross-site' || (site === 'same-site' && !SAFE_METHODS.has(request.method.toUpperCase()))
}

/**
 * The answer to `OPTIONS`: a CORS preflight for a listed origin (POST only, the allowed headers,
 * cached 10 min), 403 for any other origin, and `Allow: POST, OPTIONS` without an `Origin`.
 */
export function preflightResponse(policy: CorsPolicy, request: Request): Response {
  const origin = request.headers.get('origin')
  if (origin === null) return new Response(null, { status: 204, headers: { allow: 'POST, OPTIONS' } })
  if (!policy.origins.has(origin)) {
    return oauthErrorResponse(403, 'access_denied', 'cross-origin requests from this origin are not allowed', corsHeaders(policy, request))
  }
  const headers = corsHeaders(policy, request)
  headers.set('access-control-allow-methods', 'POST')
  headers.set('access-control-allow-headers', policy.allowHeaders)
  headers.set('access-control-max-age', '600')
  return new Response(null, { status: 204, headers })
}
