/**
 * Which headers the API proxy passes on, in each direction.
 * @module
 */

import { InvalidArgumentError } from '../errors.ts'

/**
 * The request headers forwarded to the Camunda API by default: what describes the body and the
 * wanted answer, conditional requests, and tracing. Everything else stays behind, in particular
 * `Authorization` and `Cookie` (the browser's credentials for this origin, not Camunda's),
 * `Cf-Access-Jwt-Assertion` and other `Cf-*` headers, `Origin`, `Referer`, `Host` and the
 * hop-by-hop headers (`Connection`, `Keep-Alive`, `TE`, `Trailer`, `Transfer-Encoding`, `Upgrade`,
 * `Proxy-*`). `Content-Length` is left to the runtime, which streams the body.
 *
 * @example
 * ```ts
 * PROXY_REQUEST_HEADERS.includes('content-type') // true
 * ```
 */
export const PROXY_REQUEST_HEADERS: readonly string[] = Object.freeze([
  'accept',
  'accept-language',
  'content-type',
  'content-encoding',
  'content-language',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'range',
  'traceparent',
  'tracestate',
  'x-request-id',
])

/** Never forwarded, even when listed in `forwardHeaders`: they carry credentials or belong to one hop. */
const NEVER_FORWARDED = new Set([
  'authorization',
  'cookie',
  'proxy-authorization',
  'cf-access-jwt-assertion',
  'cf-access-client-id',
  'cf-access-client-secret',
  'host',
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
])

/**
 * The full list of forwarded request header names: the defaults plus `extra`. Throws `TypeError`
 * for a header that must never be forwarded (`authorization`, `cookie`, hop-by-hop ones).
 */
export function forwardedHeaderNames(extra: readonly string[] = []): ReadonlySet<string> {
  return listedNames(
    PROXY_REQUEST_HEADERS,
    extra,
    (name) => NEVER_FORWARDED.has(name),
    (raw) => `forwardHeaders: "${raw}" is never forwarded to Camunda`,
  )
}

/** `defaults` plus the lower-cased `extra` names; the first refused one throws `TypeError`. */
function listedNames(
  defaults: readonly string[],
  extra: readonly string[],
  refused: (name: string) => boolean,
  message: (raw: string) => string,
): ReadonlySet<string> {
  const names = new Set(defaults)
  for (const raw of extra) {
    const name = raw.toLowerCase()
    if (refused(name)) throw new InvalidArgumentError(message(raw))
    names.add(name)
  }
  return names
}

/**
 * The headers for the upstream request: only the named ones from `incoming`.
 */
export function forwardedRequestHeaders(incoming: Headers, names: ReadonlySet<string>): Headers {
  const headers = new Headers()
  for (const name of names) {
    const value = incoming.get(name)
    if (value !== null) headers.set(name, value)
  }
  return headers
}

/**
 * The response headers passed back to the browser by default: what a JSON/REST client reads
 * (the body's type, language, disposition and, for an unencoded body, length), caching and
 * conditional requests (`Cache-Control`, `Expires`, `ETag`, `Last-Modified`, `Vary`, `Age`, `Date`),
 * range answers (`Accept-Ranges`, `Content-Range`), `Retry-After`, `Location` (redirects are passed
 * back, not followed), `Allow` and a request id. Everything else is dropped: headers that act on
 * the app's origin (`Set-Cookie`, `Strict-Transport-Security`, `Clear-Site-Data`, `Refresh`,
 * `Link`, `Alt-Svc`, reporting, CORS and other policy headers), `WWW-Authenticate` (a login
 * prompt of the Camunda host shown on the app's origin), credentials, hop-by-hop headers (and any
 * the API names in `Connection`), and headers nobody listed.
 *
 * @example
 * ```ts
 * PROXY_RESPONSE_HEADERS.includes('etag') // true
 * ```
 */
export const PROXY_RESPONSE_HEADERS: readonly string[] = Object.freeze([
  'accept-ranges',
  'age',
  'allow',
  'cache-control',
  'content-disposition',
  'content-language',
  'content-length',
  'content-range',
  'content-type',
  'date',
  'etag',
  'expires',
  'last-modified',
  'location',
  'retry-after',
  'vary',
  'x-request-id',
])

/**
 * Never returned, even when listed in `returnHeaders`: they would act on the app's origin (cookies,
 * HSTS, wiping its storage, redirects and preloads, alternative services, reports sent elsewhere,
 * CORS and page policies), carry credentials or a login prompt, belong to one hop, or describe an
 * encoding the runtime has already undone. `Content-Security-Policy` and `X-Content-Type-Options`
 * are the proxy's own.
 */
const NEVER_RETURNED = new Set([
  'set-cookie',
  'set-cookie2',
  'strict-transport-security',
  'clear-site-data',
  'refresh',
  'link',
  'alt-svc',
  'nel',
  'report-to',
  'reporting-endpoints',
  'content-security-policy',
  'content-security-policy-report-only',
  'x-content-type-options',
  'permissions-policy',
  'cross-origin-opener-policy',
  'cross-origin-embedder-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'service-worker-allowed',
  'x-frame-options',
  'accept-ch',
  'www-authenticate',
  'proxy-authenticate',
  'authorization',
  'proxy-authorization',
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-encoding',
])

/**
 * The full list of returned response header names: the defaults plus `extra`. Throws `TypeError`
 * for a header that must never reach the browser (see `PROXY_RESPONSE_HEADERS`) and for any
 * `Access-Control-*` header.
 */
export function returnedHeaderNames(extra: readonly string[] = []): ReadonlySet<string> {
  const refused = (name: string) => NEVER_RETURNED.has(name) || name.startsWith('access-control-')
  return listedNames(PROXY_RESPONSE_HEADERS, extra, refused, (raw) => `returnHeaders: "${raw}" is never returned to the browser`)
}

/**
 * The headers for the answer to the browser: only the named ones from the API's answer, minus any
 * the API names in `Connection` (hop-by-hop by its own say), and `Content-Length` only for a body
 * sent without `Content-Encoding` (the runtime streams the decoded body, whose length differs).
 * Then `Cache-Control: no-store` when the API set no caching policy, since the answer was fetched
 * with the server's credentials; and `X-Content-Type-Options: nosniff` with a sandboxing
 * `Content-Security-Policy`, so nothing the API returns runs as a page of the app's origin.
 */
export function returnedResponseHeaders(upstream: Headers, names: ReadonlySet<string>): Headers {
  const hopByHop = new Set((upstream.get('connection') ?? '').split(',').map((name) => name.trim().toLowerCase()))
  const encoding = upstream.get('content-encoding')?.trim().toLowerCase()
  const encoded = encoding !== undefined && encoding !== '' && encoding !== 'identity'
  const headers = new Headers()
  for (const name of names) {
    if (hopByHop.has(name) || (encoded && name === 'content-length')) continue
    const value = upstream.get(name)
    if (value !== null) headers.set(name, value)
  }
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store')
  // The answer is served from the app's origin: never let it run as a page there (an HTML or SVG
  // document stored in Camunda could otherwise script the same-origin token broker).
  headers.set('x-content-type-options', 'nosniff')
  headers.set('content-security-policy', "default-src 'none'; sandbox")
  return headers
}
