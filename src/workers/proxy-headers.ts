/**
 * Which headers the API proxy passes on, in each direction.
 * @module
 */

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
 *
 * @example
 * ```ts
 * forwardedHeaderNames(['x-correlation-id'])
 * ```
 */
export function forwardedHeaderNames(extra: readonly string[] = []): ReadonlySet<string> {
  const names = new Set(PROXY_REQUEST_HEADERS)
  for (const raw of extra) {
    const name = raw.toLowerCase()
    if (NEVER_FORWARDED.has(name)) throw new TypeError(`forwardHeaders: "${raw}" is never forwarded to Camunda`)
    names.add(name)
  }
  return names
}

/**
 * The headers for the upstream request: only the named ones from `incoming`.
 *
 * @example
 * ```ts
 * const headers = forwardedRequestHeaders(request.headers, forwardedHeaderNames())
 * ```
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
 * Response headers dropped on the way back: `Set-Cookie` (cookies of the Camunda host would be
 * set on this origin, where they mean nothing and may collide with the app's own), CORS headers
 * (they describe Camunda's origin policy, not this one), hop-by-hop headers, and
 * `Content-Encoding`/`Content-Length` (the runtime has already decoded the body it streams on).
 */
const DROPPED_RESPONSE_HEADERS = [
  'set-cookie',
  'set-cookie2',
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-connection',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-encoding',
  'content-length',
]

/**
 * The headers for the answer to the browser: the API's, minus those in the list above and every
 * `Access-Control-*`; `Cache-Control: no-store` when the API set no caching policy, since the
 * answer was fetched with the server's credentials; and `X-Content-Type-Options: nosniff` with a
 * sandboxing `Content-Security-Policy`, so nothing the API returns runs as a page of the app's origin.
 *
 * @example
 * ```ts
 * return new Response(upstream.body, { status: upstream.status, headers: returnedResponseHeaders(upstream.headers) })
 * ```
 */
export function returnedResponseHeaders(upstream: Headers): Headers {
  const headers = new Headers(upstream)
  for (const name of DROPPED_RESPONSE_HEADERS) headers.delete(name)
  for (const name of [...headers.keys()]) if (name.startsWith('access-control-')) headers.delete(name)
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store')
  // The answer is served from the app's origin: never let it run as a page there (an HTML or SVG
  // document stored in Camunda could otherwise script the same-origin token broker).
  headers.set('x-content-type-options', 'nosniff')
  headers.set('content-security-policy', "default-src 'none'; sandbox")
  return headers
}
