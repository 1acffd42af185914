/**
 * Running the caller's `authorize` check, shared by the token broker and the API proxy: only a
 * literal `true` lets a request through, and a check that throws fails closed with a 500 that
 * says nothing about why.
 * @module
 */

import { oauthErrorResponse } from './responses.ts'

/**
 * Decides whether a request may have a token (broker) or reach a Camunda API (proxy). Look at
 * headers only (a session cookie, a `Cf-Access-Jwt-Assertion` header verified against your
 * Cloudflare Access team's keys, an API key header): the body belongs to the handler and must
 * not be read here. Only `true` lets the request through.
 *
 * @example
 * ```ts
 * const authorize: RequestAuthorizer = async (request) => (await readSession(request))?.user !== undefined
 * ```
 */
export type RequestAuthorizer = (request: Request) => boolean | Promise<boolean>

/**
 * What the handlers report through their `onError` option: a thrown `authorize` check, or an
 * upstream failure. Never carries a token or the client secret (the error is the caller's own, or
 * one of this package's redacted errors).
 *
 * @example
 * ```ts
 * createTokenBroker({ auth, authorize, onError: (error) => console.error('broker:', error) })
 * ```
 */
export type HandlerErrorListener = (error: unknown, request: Request) => void

/**
 * `undefined` when `authorize` said `true`; otherwise the answer to send: 403 `access_denied`, or
 * 500 `server_error` when the check threw (the error goes to `onError`, not to the client).
 */
export async function checkAuthorized(
  authorize: RequestAuthorizer,
  request: Request,
  onError: HandlerErrorListener | undefined,
  headers?: HeadersInit,
): Promise<Response | undefined> {
  let allowed: unknown
  try {
    allowed = await authorize(request)
  } catch (error) {
    report(onError, error, request)
    return oauthErrorResponse(500, 'server_error', 'the authorization check failed', headers)
  }
  return allowed === true ? undefined : oauthErrorResponse(403, 'access_denied', 'the request was not authorized', headers)
}

/**
 * Hands `error` to the listener; a listener that throws is ignored, as `onEvent` is.
 */
export function report(onError: HandlerErrorListener | undefined, error: unknown, request: Request): void {
  try {
    onError?.(error, request)
  } catch {
    // A listener's bug must not change the answer.
  }
}
