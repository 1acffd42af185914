/**
 * Small builders for the JSON answers every route sends, so headers such as
 * `Cache-Control: no-store` are set in one place.
 * @module
 */

/**
 * A JSON answer. Token-endpoint answers must not be cached (RFC 6749 §5.1), and nothing this server
 * says is worth caching, so every JSON answer carries `Cache-Control: no-store`.
 *
 * @example
 * ```ts
 * return json({ ok: true }, 200)
 * ```
 */
export function json(body: unknown, status = 200, headers?: HeadersInit): Response {
  const h = new Headers(headers)
  h.set('content-type', 'application/json; charset=utf-8')
  h.set('cache-control', 'no-store')
  return new Response(JSON.stringify(body), { status, headers: h })
}

/**
 * An OAuth 2.0 error answer (RFC 6749 §5.2): `{ error, error_description }`.
 *
 * @example
 * ```ts
 * return oauthError(400, 'unsupported_grant_type', 'only client_credentials is supported')
 * ```
 */
export function oauthError(status: number, error: string, description: string, headers?: HeadersInit): Response {
  return json({ error, error_description: description }, status, headers)
}

/**
 * Add `Access-Control-Allow-Origin: *` to an answer. Responses from `fetch` can have immutable
 * headers, so this copies the answer rather than editing it in place.
 *
 * @example
 * ```ts
 * return withCors(await route(request))
 * ```
 */
export function withCors(response: Response): Response {
  if (response.type === 'error') return response
  const headers = new Headers(response.headers)
  headers.set('access-control-allow-origin', '*')
  headers.append('access-control-expose-headers', 'retry-after, www-authenticate')
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
}

/**
 * The answer to a CORS preflight: any origin, the methods and headers the routes use.
 *
 * @example
 * ```ts
 * if (request.method === 'OPTIONS') return preflight()
 * ```
 */
export function preflight(): Response {
  return new Response(null, {
    status: 204,
    headers: {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-max-age': '600',
    },
  })
}
