/**
 * The auth object's shape, the same under every strategy.
 * @module
 */

import type { Api, TokenRecord } from '../types.ts'
import type { CamundaUrls } from '../urls/index.ts'

/**
 * What `createAuth` returns.
 *
 * @example
 * ```ts
 * const auth: Auth = createAuth({ credentials })
 * const { authorization } = await auth.getHeaders('tasklist')
 * ```
 */
export interface Auth {
  /**
   * A valid access token for `api` (default `zeebe`). Waits on the network only when no valid token
   * exists; otherwise resolves from memory at once. Under `BASIC` and `NONE`, which have no token,
   * it rejects with `NoBearerTokenError`.
   */
  getToken(api?: Api): Promise<string>
  /**
   * The token of `api` with its expiry, for code that hands tokens on (a token broker says
   * `expires_in`). Same path as `getToken`.
   */
  getTokenRecord(api?: Api): Promise<TokenRecord>
  /**
   * The headers that authenticate a call to `api`: `{ authorization: 'Bearer …' }` (OAUTH,
   * BEARER), `{ authorization: 'Basic …' }` (BASIC) or `{}` (NONE). A fresh object each call.
   */
  getHeaders(api?: Api): Promise<AuthHeaders>
  /**
   * `fetch` with the credentials for `api` attached (the bearer token, or Basic). `input` may be a
   * path (`'/v2/topology'`), resolved against the API's base URL. Credentials are only ever sent to
   * the API's own origin, under its base URL: anything else is refused with `ForeignUrlError` and
   * nothing is sent. On a 401 from the API it gets a fresh token once and retries once, unless the
   * body is a stream or larger than about 1 MiB (it is not buffered for a retry: the 401 is
   * returned), or the token was itself fetched for a 401 within `unauthorizedWindowMs`, or the
   * fresh token is the refused one (a static token).
   */
  fetch(api: Api, input: RequestInfo | URL, init?: RequestInit): Promise<Response>
  /** Forgets the token of `api` (or of every API) here and in the store; cooldowns stay. */
  invalidate(api?: Api): Promise<void>
  /** Typed URL helpers for the bundle's APIs. */
  readonly urls: CamundaUrls
  /** Stops listening to the coordinator. The auth object still works, without peer updates. */
  close(): void
}

/**
 * The headers `getHeaders` resolves to: `authorization` under every strategy but `NONE`.
 *
 * @example
 * ```ts
 * const headers: AuthHeaders = await auth.getHeaders('operate')
 * await fetch(url, { headers })
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-2.1 RFC 6750 §2.1} and {@link https://www.rfc-editor.org/rfc/rfc7617#section-2 RFC 7617 §2}
 */
export interface AuthHeaders {
  authorization?: string
}
