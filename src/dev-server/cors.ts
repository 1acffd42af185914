/**
 * The dev server's own CORS: any origin may call it, since it only ever runs on a developer's
 * machine or in tests. Its JSON answers are the ones the broker and the proxy send (`http/responses.ts`).
 * @module
 */

/**
 * Add `Access-Control-Allow-Origin: *` to an answer. Responses from `fetch` can have immutable
 * headers, so this copies the answer rather than editing it in place.
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
