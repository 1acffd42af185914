/**
 * The answers faults stand in for real ones: arbitrary statuses and malformed 200s.
 * @module
 */

import type { DevFault, MalformedBody } from './faults.ts'
import { jsonResponse } from '../http/responses.ts'

// Statuses whose Response must have a null body (Fetch standard).
const NULL_BODY = new Set([101, 103, 204, 205, 304])

/**
 * The answer for a fault with a `status`. Defaults mimic what an OAuth server or a proxy in
 * front of it would send, so tests need to spell out only what they care about.
 */
export function statusAnswer(fault: DevFault & { status: number }): Response {
  const { status } = fault
  const headers = new Headers(fault.headers ?? defaultHeaders(status))
  if (NULL_BODY.has(status)) return new Response(null, { status, headers })
  let body: string | null
  if (fault.body === undefined) {
    const error = defaultError(status)
    body = error === undefined ? null : JSON.stringify({ error, error_description: `injected ${status} fault` })
  } else {
    body = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body)
  }
  if (body !== null && !headers.has('content-type')) {
    headers.set('content-type', typeof fault.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8')
  }
  return new Response(body, { status, headers })
}

function defaultHeaders(status: number): HeadersInit {
  if (status === 429) return { 'retry-after': '1' }
  if (status >= 300 && status < 400) return { location: 'https://login.invalid/oauth/token' }
  return {}
}

function defaultError(status: number): string | undefined {
  if (status >= 300 && status < 400) return undefined
  if (status === 429) return 'rate_limited'
  if (status === 401) return 'invalid_client'
  if (status === 503) return 'temporarily_unavailable'
  if (status >= 500) return 'server_error'
  if (status >= 400) return 'invalid_request'
  return undefined
}

/**
 * A 200 answer that is not a usable token response.
 *
 * - `html`: a login page, as a misrouted request through a proxy gets.
 * - `truncated-json`: JSON cut off mid-token.
 * - `empty`: no body at all, with a JSON content type.
 * - `no-access-token`: valid JSON with `token_type` and `expires_in` only.
 * - `wrong-token-type`: a real token with `token_type: 'mac'`.
 */
export function malformedAnswer(kind: MalformedBody, valid: Record<string, unknown>): Response {
  switch (kind) {
    case 'html':
      return new Response('<!doctype html><html><head><title>Sign in</title></head><body>Sign in</body></html>', {
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
      })
    case 'truncated-json': {
      const text = JSON.stringify(valid)
      return new Response(text.slice(0, Math.floor(text.length / 2)), {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
      })
    }
    case 'empty':
      return new Response(null, { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } })
    case 'no-access-token': {
      const { access_token: _dropped, ...rest } = valid
      return jsonResponse(rest)
    }
    case 'wrong-token-type':
      return jsonResponse({ ...valid, token_type: 'mac' })
  }
}
