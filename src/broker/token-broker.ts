/**
 * `createTokenBroker`: a fetch handler that gives browser code a short-lived access token, and
 * never the client secret, once the request passes the operator's `authorize` check.
 *
 * Protocol: `POST` with `api=zeebe` (form) or `{"api":"zeebe"}` (JSON); an empty body means
 * `zeebe`. The answer is an OAuth token response, `{ access_token, token_type: 'Bearer',
 * expires_in }`, with `Cache-Control: no-store`. Every other method is refused with 405, so tokens
 * never travel in URLs, browser history or access logs. Errors are OAuth-shaped JSON; failures of
 * the token endpoint keep their class (429, 502, 504) and carry `Retry-After`, so the browser's
 * auth object (see `brokerTokenSource`) cools down exactly as the server's does.
 * @module
 */

import type { Auth } from '../auth/create-auth.ts'
import { TokenError, InvalidArgumentError } from '../errors.ts'
import type { Api } from '../types.ts'
import { isApi } from '../lib/is-api.ts'
import { servedApis } from '../http/served-apis.ts'
import { checkAuthorized, report, type HandlerErrorListener, type RequestAuthorizer } from '../http/authorize.ts'
import { corsHeaders, corsPolicy, foreignSiteRequest, preflightResponse } from '../http/cors.ts'
import { readBrokerBody } from './broker-request.ts'
import { oauthErrorResponse, tokenErrorResponse, tokenResponse } from '../http/responses.ts'

/**
 * Options of {@link createTokenBroker}.
 *
 * @example
 * ```ts
 * const options: TokenBrokerOptions = {
 *   auth,
 *   authorize: (request) => request.headers.get('cf-access-authenticated-user-email') !== null,
 *   apis: ['zeebe', 'tasklist'],
 * }
 * ```
 */
export interface TokenBrokerOptions {
  /** The server-side auth object (holding the secret) whose tokens are handed out. */
  readonly auth: Pick<Auth, 'getTokenRecord'>
  /**
   * Whether the request may have a token. Only `true` lets it through; `false` answers 403
   * `access_denied` and no token is fetched; a throw answers 500 and goes to `onError`.
   */
  readonly authorize: RequestAuthorizer
  /** The APIs tokens may be asked for. Default: all four. Others answer 400 `invalid_request`. */
  readonly apis?: readonly Api[]
  /**
   * Origins of pages on other origins that may call the broker (exact origins, e.g.
   * `https://app.example.com`; `*` is refused). Default: none, i.e. same-origin pages only. A
   * request whose `Origin` is neither the broker's own nor listed, or that comes without `Origin`
   * marked `Sec-Fetch-Site: cross-site` or `same-site`, is refused with 403 before `authorize` runs.
   */
  readonly allowOrigin?: readonly string[]
  /** Send `Access-Control-Allow-Credentials: true` to listed origins, so cookies reach `authorize`. Default `true`. */
  readonly allowCredentials?: boolean
  /** Request headers listed origins may send. Default `content-type, authorization`. */
  readonly allowHeaders?: readonly string[]
  /** Hears errors the client is not told about: a throwing `authorize`, an unexpected failure. */
  readonly onError?: HandlerErrorListener
  /** The clock for `expires_in` and `Retry-After`, in epoch ms. Default `Date.now`; share the auth object's. */
  readonly now?: () => number
}

/**
 * Creates the token broker: `(request) => Promise<Response>`, a Worker fetch handler to mount on
 * a route such as `POST /auth/token`. Pair it with `brokerTokenSource` in the browser.
 *
 * | request | answer |
 * | --- | --- |
 * | `POST` `api=zeebe`, authorized | 200 `{ access_token, token_type: 'Bearer', expires_in }` |
 * | from another site (`Origin` not own or listed; no `Origin` and `Sec-Fetch-Site: cross-site` or `same-site`) | 403 `access_denied`, before `authorize` |
 * | `authorize` says no | 403 `access_denied`, no token fetched |
 * | `authorize` throws | 500 `server_error` |
 * | unknown or unserved `api` | 400 `invalid_request` naming the served APIs |
 * | not `POST` (nor a preflight) | 405, `Allow: POST` |
 * | token endpoint rate limiting | 429 + `Retry-After` (see `tokenErrorResponse`) |
 *
 * @example
 * ```ts
 * import { createAuth, parseCredentials } from 'camunda-edge-auth'
 * import { createTokenBroker } from 'camunda-edge-auth/workers'
 *
 * const auth = createAuth({ credentials: parseCredentials(env) })
 * const broker = createTokenBroker({ auth, authorize: (request) => hasSession(request) })
 * export default { fetch: (request: Request) => broker(request) }
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.1 RFC 6749 §5.1 (the token response it answers with)}
 */
export function createTokenBroker(options: TokenBrokerOptions): (request: Request) => Promise<Response> {
  const { auth, authorize, onError } = options
  if (typeof auth?.getTokenRecord !== 'function')
    throw new InvalidArgumentError('createTokenBroker: pass the auth object from createAuth()')
  if (typeof authorize !== 'function') {
    throw new InvalidArgumentError('createTokenBroker: authorize is required; it decides who may have a token')
  }
  const apis = servedApis(options.apis, 'createTokenBroker')
  const defaultApi: Api = apis.includes('zeebe') ? 'zeebe' : apis[0]!
  const cors = corsPolicy(options)
  const now = options.now ?? Date.now

  return async function tokenBroker(request: Request): Promise<Response> {
    const headers = corsHeaders(cors, request)
    if (request.method === 'OPTIONS') return preflightResponse(cors, request)
    if (request.method !== 'POST') {
      headers.set('allow', 'POST, OPTIONS')
      return oauthErrorResponse(405, 'invalid_request', 'use POST: tokens are not handed out in URLs', headers)
    }
    if (foreignSiteRequest(cors.origins, request)) {
      return oauthErrorResponse(403, 'access_denied', 'cross-origin requests from this origin are not allowed', headers)
    }
    const refused = await checkAuthorized(authorize, request, onError, headers)
    if (refused) return refused

    const body = await readBrokerBody(request)
    if (!body.ok) return oauthErrorResponse(body.status, 'invalid_request', body.description, headers)
    const api = body.api ?? defaultApi
    if (!isApi(api) || !apis.includes(api)) {
      return oauthErrorResponse(400, 'invalid_request', `unknown api; this broker serves ${apis.join(', ')}`, headers)
    }

    try {
      const record = await auth.getTokenRecord(api)
      return tokenResponse(record, now(), headers)
    } catch (error) {
      if (error instanceof TokenError) return tokenErrorResponse(error, now(), headers)
      report(onError, error, request)
      return oauthErrorResponse(500, 'server_error', 'the token could not be obtained', headers)
    }
  }
}
