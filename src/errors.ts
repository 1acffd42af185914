/**
 * One error hierarchy for everything this package throws.
 *
 * Callers switch on `code` (stable, never reworded), not on `message`. Every class declares its own
 * literal `code`, so `AnyAuthError` is a discriminated union: `err.code === 'ERR_RATE_LIMITED'`
 * narrows `err` to `RateLimitedError`. Every error carries the evidence needed to act on it — the
 * HTTP status, the OAuth `error`, the variable name — and never a client secret or a token:
 * server-provided text is redacted before it is stored on an error.
 *
 * @example
 * ```ts
 * try {
 *   await auth.getToken('operate')
 * } catch (err) {
 *   if (isAuthError(err) && err.code === 'ERR_RATE_LIMITED') setTimeout(retry, err.retryAfterMs)
 * }
 * ```
 * @module
 */

import type { Api, AuthStrategy } from './types.ts'

/**
 * Every stable error code this package uses, one per class.
 *
 * @example
 * ```ts
 * const retryable: AuthErrorCode[] = ['ERR_RATE_LIMITED', 'ERR_TOKEN_TIMEOUT']
 * ```
 */
export type AuthErrorCode = AnyAuthError['code']

/**
 * The base class of every error this package throws. Never thrown itself: catch it, then narrow
 * with `isAuthError` and `code`.
 *
 * @example
 * ```ts
 * if (err instanceof AuthError) console.error(err.code, err.message)
 * ```
 */
export abstract class AuthError extends Error {
  /** A stable, machine-readable code such as `ERR_RATE_LIMITED`; each class narrows it to its own. */
  readonly code: AuthErrorCode

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    // Each class names its code once, as a static; the instance's is read from it.
    this.code = (new.target as unknown as { code: AuthErrorCode }).code
  }
}

/**
 * Whether `value` is one of this package's errors, typed as the union of them all, so that a
 * check of `code` narrows it to its class.
 *
 * @example
 * ```ts
 * catch (err) {
 *   if (isAuthError(err) && err.code === 'ERR_API_URL_MISSING') console.error(`set ${err.variable}`)
 * }
 * ```
 */
export function isAuthError(value: unknown): value is AnyAuthError {
  return value instanceof AuthError
}

/**
 * One problem found in a credential bundle: which variable, and what is wrong with it.
 *
 * @example
 * ```ts
 * err.issues // [{ variable: 'ZEEBE_CLIENT_SECRET', message: 'is missing: set ZEEBE_CLIENT_SECRET or CAMUNDA_CLIENT_SECRET' }]
 * ```
 */
export interface CredentialsIssue {
  /** The variable's name as it appears in the bundle, e.g. `ZEEBE_CLIENT_SECRET`. */
  readonly variable: string
  /** What is wrong, in words. Never contains a secret value. */
  readonly message: string
}

/**
 * The credential bundle is missing something or holds a bad value. `issues` lists every problem
 * at once, by variable name.
 *
 * @example
 * ```ts
 * try { parseCredentials(text) } catch (err) {
 *   if (err instanceof CredentialsError) for (const i of err.issues) console.error(i.variable, i.message)
 * }
 * ```
 */
export class CredentialsError extends AuthError {
  static readonly code = 'ERR_CREDENTIALS_INVALID'
  declare readonly code: 'ERR_CREDENTIALS_INVALID'
  /** Every problem found, by variable name. */
  readonly issues: readonly CredentialsIssue[]

  constructor(issues: readonly CredentialsIssue[]) {
    const list = issues.map((i) => `${i.variable}: ${i.message}`).join('; ')
    super(`Invalid Camunda credentials: ${list}`)
    this.issues = Object.freeze(issues.map((i) => Object.freeze({ variable: i.variable, message: i.message })))
  }
}

/**
 * The credential bundle has no base URL for the API that was asked for. Names the variable to set
 * and the Console scope that makes the Console include it.
 *
 * @example
 * ```ts
 * try { urls.optimize('/api/public/dashboard') } catch (err) {
 *   if (err instanceof MissingApiUrlError) console.error(`set ${err.variable} (scope ${err.scope})`)
 * }
 * ```
 */
export class MissingApiUrlError extends AuthError {
  static readonly code = 'ERR_API_URL_MISSING'
  declare readonly code: 'ERR_API_URL_MISSING'
  readonly api: Api
  /** The variable that would hold the base URL, e.g. `CAMUNDA_OPERATE_BASE_URL`. */
  readonly variable: string
  /** The Console scope that grants the API, e.g. `Operate`. */
  readonly scope: string

  constructor(api: Api, variable: string, scope: string, hint = '') {
    super(
      `No base URL for the ${api} API: set ${variable}${hint}. The Camunda Console adds it to the ` +
        `credential bundle of an API client that has the ${scope} scope.`,
    )
    this.api = api
    this.variable = variable
    this.scope = scope
  }
}

/**
 * A name that is not one of the Camunda APIs was passed where an API is expected (`getToken`,
 * `getHeaders`, `fetch`).
 *
 * @example
 * ```ts
 * await auth.getToken('admin') // UnknownApiError: Unknown Camunda API "admin": use zeebe, operate, tasklist, optimize
 * ```
 */
export class UnknownApiError extends AuthError {
  static readonly code = 'ERR_API_UNKNOWN'
  declare readonly code: 'ERR_API_UNKNOWN'
  /** What was passed, as text. */
  readonly api: string
  constructor(api: unknown, known: readonly string[]) {
    super(`Unknown Camunda API "${String(api)}": use ${known.join(', ')}`)
    this.api = String(api)
  }
}

/**
 * An option or argument is wrong: a bug in the calling code, found when a store, handler or URL
 * is made. The message names the option and says what it must be.
 *
 * @example
 * ```ts
 * kvStore(env.TOKENS, {}) // InvalidArgumentError: kvStore: pass `credentials` … or `encryptionKey`
 * ```
 */
export class InvalidArgumentError extends AuthError {
  static readonly code = 'ERR_INVALID_ARGUMENT'
  declare readonly code: 'ERR_INVALID_ARGUMENT'
}

/**
 * A request would send a secret or a token over plain `http:` to a host that is neither loopback
 * nor listed in CAMUNDA_ALLOW_INSECURE_HTTP. Nothing was sent. (`parseCredentials` refuses such a
 * bundle up front; this guards credentials made any other way.)
 *
 * @example
 * ```ts
 * err.code === 'ERR_INSECURE_URL' // "Refusing to send the client secret over plain http to login.example.com: …"
 * ```
 */
export class InsecureUrlError extends AuthError {
  static readonly code = 'ERR_INSECURE_URL'
  declare readonly code: 'ERR_INSECURE_URL'
  readonly host: string
  /** The variable that allows the host: `CAMUNDA_ALLOW_INSECURE_HTTP`. */
  readonly variable = 'CAMUNDA_ALLOW_INSECURE_HTTP'
  constructor(host: string, what = 'the client secret') {
    super(
      `Refusing to send ${what} over plain http to ${host}: use https, or allow the host with CAMUNDA_ALLOW_INSECURE_HTTP=${host} (only loopback needs no opt-in)`,
    )
    this.host = host
  }
}

/**
 * `getToken` or `getTokenRecord` was called on an auth object whose strategy has no bearer token:
 * `BASIC` sends a user name and password on every call, `NONE` sends nothing. `getHeaders` and
 * `fetch` work under every strategy.
 *
 * @example
 * ```ts
 * const headers = await auth.getHeaders('zeebe') // instead of getToken, under BASIC or NONE
 * ```
 */
export class NoBearerTokenError extends AuthError {
  static readonly code = 'ERR_NO_BEARER_TOKEN'
  declare readonly code: 'ERR_NO_BEARER_TOKEN'
  /** The strategy that has no token. */
  readonly strategy: AuthStrategy
  readonly api: Api
  constructor(strategy: AuthStrategy, api: Api) {
    super(
      `getToken('${api}'): the ${strategy} strategy (CAMUNDA_AUTH_STRATEGY=${strategy}) has no bearer token; ` +
        `${strategy === 'BASIC' ? 'each call carries the user name and password' : 'calls carry no credentials'}. ` +
        'Use auth.getHeaders(api) or auth.fetch(api, …), which work under every strategy',
    )
    this.strategy = strategy
    this.api = api
  }
}

/**
 * `auth.fetch` was asked to send an API's bearer token somewhere other than under that API's base
 * URL: another origin, or a path that climbs out of the base path. Nothing was sent.
 *
 * @example
 * ```ts
 * await auth.fetch('zeebe', 'https://other.example/steal') // ForeignUrlError: … refused https://other.example
 * ```
 */
export class ForeignUrlError extends AuthError {
  static readonly code = 'ERR_URL_FOREIGN'
  declare readonly code: 'ERR_URL_FOREIGN'
  /** The origin that was refused. */
  readonly origin: string
  constructor(message: string, origin: string) {
    super(message)
    this.origin = origin
  }
}

/**
 * A cross-context coordinator (KV lease, Durable Object, Deno KV lease) could not serialise a
 * refresh: the object is unreachable, or no lock came in time. `createAuth` never lets it reach a
 * caller: it refreshes without the lock and emits `coordinator_error` with this message.
 *
 * @example
 * ```ts
 * throw new CoordinatorUnavailableError('Durable Object answered 500 to /lock')
 * ```
 */
export class CoordinatorUnavailableError extends AuthError {
  static readonly code = 'ERR_COORDINATOR_UNAVAILABLE'
  declare readonly code: 'ERR_COORDINATOR_UNAVAILABLE'
}

/**
 * Fields every error about a token request carries, set through the constructor.
 *
 * @example
 * ```ts
 * new TokenEndpointError('Token endpoint answered 502', { api: 'zeebe', status: 502 })
 * ```
 */
export interface TokenErrorDetails {
  /** Which API the token was for. */
  api?: Api
  /** The HTTP status of the token endpoint's answer, when there was one. */
  status?: number
  /** The OAuth `error` code from the answer, e.g. `invalid_client`. */
  error?: string
  /** The OAuth `error_description`, redacted. */
  errorDescription?: string
  /** The identity provider's own error code, such as Entra ID's `AADSTS7000215`. */
  providerCode?: string
  /** When a retry may be sent (epoch ms), if the failure set a cooldown. */
  retryAt?: number
  /** What failed underneath (a network error), redacted; never enumerable. */
  cause?: unknown
  /** The clock `retryAfterMs` is read on. Default `Date.now`; the auth object passes its own. */
  now?: () => number
}

/**
 * The base class of failures to get a token: the request could not be made, or the answer was not
 * a usable token. A custom `TokenSource` may throw it as it is (`ERR_TOKEN`); callers then get the
 * same class and code during the cooldown that follows.
 *
 * @example
 * ```ts
 * if (err instanceof TokenError) console.error(err.code, err.status, err.error)
 * ```
 */
export class TokenError extends AuthError {
  static readonly code: TokenErrorCode = 'ERR_TOKEN'
  declare readonly code: TokenErrorCode
  readonly api: Api | undefined
  readonly status: number | undefined
  readonly error: string | undefined
  readonly errorDescription: string | undefined
  /** The identity provider's own error code, such as Entra ID's `AADSTS7000215`. */
  readonly providerCode: string | undefined
  /** When a new request may be sent (epoch ms), if this failure started a cooldown. */
  readonly retryAt: number | undefined
  readonly #now: () => number

  constructor(message: string, details: TokenErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.api = details.api
    this.status = details.status
    this.error = details.error
    this.errorDescription = details.errorDescription
    this.providerCode = details.providerCode
    this.retryAt = details.retryAt
    this.#now = details.now ?? Date.now
  }

  /** Milliseconds until a new request may be sent, or 0. */
  get retryAfterMs(): number {
    return this.retryAt === undefined ? 0 : Math.max(0, this.retryAt - this.#now())
  }
}

/**
 * The codes of `TokenError` and its subclasses.
 *
 * @example
 * ```ts
 * const code: TokenErrorCode = err.code // when err is a TokenError
 * ```
 */
export type TokenErrorCode =
  | 'ERR_TOKEN'
  | 'ERR_TOKEN_REQUEST_FAILED'
  | 'ERR_TOKEN_TIMEOUT'
  | 'ERR_TOKEN_RESPONSE_INVALID'
  | 'ERR_TOKEN_ENDPOINT'
  | 'ERR_INVALID_CLIENT'
  | 'ERR_RATE_LIMITED'
  | 'ERR_REDIRECT_REFUSED'
  | 'ERR_TOKEN_LIFETIME'

/**
 * The token request never got an answer: a network failure or a connection reset. `cause` holds
 * what `fetch` threw, redacted.
 *
 * @example
 * ```ts
 * err.code === 'ERR_TOKEN_REQUEST_FAILED'
 * ```
 */
export class TokenRequestError extends TokenError {
  static override readonly code = 'ERR_TOKEN_REQUEST_FAILED'
  declare readonly code: 'ERR_TOKEN_REQUEST_FAILED'
}

/**
 * The token endpoint did not answer within the timeout.
 *
 * @example
 * ```ts
 * createAuth({ credentials, timeoutMs: 5_000 }) // err.code === 'ERR_TOKEN_TIMEOUT' after 5 s
 * ```
 */
export class TokenTimeoutError extends TokenError {
  static override readonly code = 'ERR_TOKEN_TIMEOUT'
  declare readonly code: 'ERR_TOKEN_TIMEOUT'
}

/**
 * The token endpoint answered 2xx with something that is not a usable bearer token: not JSON, an
 * HTML page, no `access_token`, a `token_type` other than Bearer, a malformed `expires_in`.
 *
 * @example
 * ```ts
 * err.code === 'ERR_TOKEN_RESPONSE_INVALID' && err.status === 200
 * ```
 */
export class TokenResponseError extends TokenError {
  static override readonly code = 'ERR_TOKEN_RESPONSE_INVALID'
  declare readonly code: 'ERR_TOKEN_RESPONSE_INVALID'
}

/**
 * The token endpoint answered with an error status (4xx other than those below, or 5xx).
 *
 * @example
 * ```ts
 * err.code === 'ERR_TOKEN_ENDPOINT' && err.status === 502
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 RFC 6749 §5.2 (error response)}
 */
export class TokenEndpointError extends TokenError {
  static override readonly code = 'ERR_TOKEN_ENDPOINT'
  declare readonly code: 'ERR_TOKEN_ENDPOINT'
}

/**
 * The client id or secret was refused (`invalid_client`). Not retried automatically: calls within
 * the cooldown fail fast with this error and send no request.
 *
 * @example
 * ```ts
 * if (err.code === 'ERR_INVALID_CLIENT') console.error('check ZEEBE_CLIENT_SECRET')
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 RFC 6749 §5.2}
 */
export class InvalidClientError extends TokenError {
  static override readonly code = 'ERR_INVALID_CLIENT'
  declare readonly code: 'ERR_INVALID_CLIENT'
}

/**
 * The token endpoint asked us to slow down (429, or 503 with `Retry-After`). No request is sent
 * before `retryAt`.
 *
 * @example
 * ```ts
 * if (err.code === 'ERR_RATE_LIMITED') setTimeout(retry, err.retryAfterMs)
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3 RFC 9110 §10.2.3 (Retry-After)}
 */
export class RateLimitedError extends TokenError {
  static override readonly code = 'ERR_RATE_LIMITED'
  declare readonly code: 'ERR_RATE_LIMITED'
}

/**
 * The token endpoint answered with a redirect. It is never followed: following it would re-send
 * the form body, client secret included, to wherever it points.
 *
 * @example
 * ```ts
 * err.code === 'ERR_REDIRECT_REFUSED' && err.status === 307
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.11 RFC 9700 §4.11 (open redirection)}
 */
export class RedirectRefusedError extends TokenError {
  static override readonly code = 'ERR_REDIRECT_REFUSED'
  declare readonly code: 'ERR_REDIRECT_REFUSED'
}

/**
 * The token has no usable lifetime: it is already expired, or neither its JWT `exp` nor
 * `expires_in` give a time in the future.
 *
 * @example
 * ```ts
 * err.code === 'ERR_TOKEN_LIFETIME'
 * ```
 */
export class TokenLifetimeError extends TokenError {
  static override readonly code = 'ERR_TOKEN_LIFETIME'
  declare readonly code: 'ERR_TOKEN_LIFETIME'
}

/**
 * Every error this package throws, as a union that a check of `code` narrows.
 *
 * @example
 * ```ts
 * function explain(err: AnyAuthError): string {
 *   switch (err.code) {
 *     case 'ERR_RATE_LIMITED': return `retry in ${err.retryAfterMs} ms`
 *     case 'ERR_API_URL_MISSING': return `set ${err.variable}`
 *     default: return err.message
 *   }
 * }
 * ```
 */
export type AnyAuthError =
  | CredentialsError
  | MissingApiUrlError
  | UnknownApiError
  | InvalidArgumentError
  | InsecureUrlError
  | NoBearerTokenError
  | ForeignUrlError
  | CoordinatorUnavailableError
  | (TokenError & { readonly code: 'ERR_TOKEN' })
  | TokenRequestError
  | TokenTimeoutError
  | TokenResponseError
  | TokenEndpointError
  | InvalidClientError
  | RateLimitedError
  | RedirectRefusedError
  | TokenLifetimeError
