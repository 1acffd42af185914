/**
 * The answers the token broker and the API proxy send: OAuth-shaped JSON, never cached, and the
 * mapping from a `TokenError` to a status and `Retry-After` that a browser can act on. No answer
 * ever carries the client secret, an upstream error text or (except the token response) a token.
 * @module
 */

import { InvalidClientError, RateLimitedError, type TokenError, TokenTimeoutError } from '../errors.ts'
import type { TokenRecord } from '../types.ts'

/**
 * A JSON answer with `Cache-Control: no-store` (RFC 6749 §5.1) and `nosniff`.
 */
export function jsonResponse(body: unknown, status = 200, headers?: HeadersInit): Response {
  const h = new Headers(headers)
  h.set('content-type', 'application/json; charset=utf-8')
  h.set('cache-control', 'no-store')
  h.set('pragma', 'no-cache')
  h.set('x-content-type-options', 'nosniff')
  return new Response(JSON.stringify(body), { status, headers: h })
}

/**
 * An OAuth 2.0 error answer (RFC 6749 §5.2): `{ error, error_description }`.
 */
export function oauthErrorResponse(status: number, error: string, description: string, headers?: HeadersInit): Response {
  return jsonResponse({ error, error_description: description }, status, headers)
}

/**
 * The token response (RFC 6749 §5.1) for a record: `expires_in` is the token's remaining life in
 * whole seconds, rounded down so the browser never uses it past the real expiry.
 */
export function tokenResponse(record: TokenRecord, now: number, headers?: HeadersInit): Response {
  const expiresIn = Math.max(0, Math.floor((record.expiresAt - now) / 1000))
  return jsonResponse({ access_token: record.accessToken, token_type: 'Bearer', expires_in: expiresIn }, 200, headers)
}

/**
 * The answer for a failed token acquisition. The status keeps the class of the failure, and
 * `Retry-After` carries the cooldown the auth object started, so a browser holds back as long as
 * the server does instead of sending a request that is refused anyway:
 *
 * | error | status | `error` |
 * | --- | --- | --- |
 * | `RateLimitedError` | 429 | `temporarily_unavailable` |
 * | `TokenTimeoutError` | 504 | `temporarily_unavailable` |
 * | `InvalidClientError` | 502 | `invalid_client` (the server's own client was refused) |
 * | any other `TokenError` | 502 | `server_error` |
 *
 * The description names the stable `code` and the upstream status only: upstream text stays out.
 */
export function tokenErrorResponse(error: TokenError, now: number, headers?: HeadersInit): Response {
  const h = new Headers(headers)
  const waitMs = error.retryAt === undefined ? 0 : Math.max(0, error.retryAt - now)
  const seconds = Math.ceil(waitMs / 1000)
  if (seconds > 0) h.set('retry-after', String(seconds))
  const upstream = error.status === undefined ? '' : `, status ${error.status}`
  const retry = seconds > 0 ? `; retry after ${seconds} s` : ''
  const describe = (what: string) => `${what} (${error.code}${upstream})${retry}`
  if (error instanceof RateLimitedError) {
    return oauthErrorResponse(429, 'temporarily_unavailable', describe('the token endpoint is rate limiting'), h)
  }
  if (error instanceof TokenTimeoutError) {
    return oauthErrorResponse(504, 'temporarily_unavailable', describe('the token endpoint did not answer in time'), h)
  }
  if (error instanceof InvalidClientError) {
    return oauthErrorResponse(502, 'invalid_client', describe("the token endpoint refused the server's client credentials"), h)
  }
  return oauthErrorResponse(502, 'server_error', describe('no token could be obtained from the token endpoint'), h)
}
