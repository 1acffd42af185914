/**
 * One error hierarchy for everything this package throws.
 *
 * Callers switch on `code` (stable, never reworded), not on `message`. Every error carries the
 * evidence needed to act on it — the HTTP status, the OAuth `error`, the variable name — and never a
 * client secret or a token: server-provided text is redacted before it is stored on an error.
 *
 * @example
 * ```ts
 * try {
 *   await auth.getToken('operate')
 * } catch (err) {
 *   if (err instanceof AuthError && err.code === 'ERR_INVALID_CLIENT') rotateSecret()
 * }
 * ```
 * @module
 */

import type { Api } from './types.ts'

/**
 * Every stable error code this package uses.
 *
 * @example
 * ```ts
 * const retryable: AuthErrorCode[] = ['ERR_RATE_LIMITED', 'ERR_TOKEN_TIMEOUT']
 * ```
 */
export type AuthErrorCode =
  | 'ERR_CREDENTIALS_INVALID'
  | 'ERR_API_URL_MISSING'
  | 'ERR_TOKEN_REQUEST_FAILED'
  | 'ERR_TOKEN_TIMEOUT'
  | 'ERR_TOKEN_RESPONSE_INVALID'
  | 'ERR_TOKEN_ENDPOINT'
  | 'ERR_INVALID_CLIENT'
  | 'ERR_RATE_LIMITED'
  | 'ERR_REDIRECT_REFUSED'
  | 'ERR_TOKEN_LIFETIME'
  | 'ERR_INSECURE_URL'
  | 'ERR_COORDINATOR_UNAVAILABLE'
  | 'ERR_URL_FOREIGN'

/**
 * The base class of every error this package throws.
 *
 * @example
 * ```ts
 * if (err instanceof AuthError) console.error(err.code, err.message)
 * ```
 */
export class AuthError extends Error {
  /** A stable, machine-readable code such as `ERR_RATE_LIMITED`. */
  static code: AuthErrorCode | 'ERR_AUTH' = 'ERR_AUTH'
  /** A stable, machine-readable code such as `ERR_RATE_LIMITED`. */
  readonly code: AuthErrorCode | 'ERR_AUTH'

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.code = (new.target as typeof AuthError).code
  }
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
  static override code = 'ERR_CREDENTIALS_INVALID' as const
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
  static override code = 'ERR_API_URL_MISSING' as const
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
 * A URL in the credential bundle would send the client secret over plain `http:` to a host that
 * is not loopback.
 *
 * @example
 * ```ts
 * err.code === 'ERR_INSECURE_URL' // "https is required for login.example.com"
 * ```
 */
export class InsecureUrlError extends AuthError {
  static override code = 'ERR_INSECURE_URL' as const
  readonly host: string
  constructor(host: string) {
    super(`Refusing to send the client secret over plain http to ${host}: use https (http is allowed for loopback only)`)
    this.host = host
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
  static override code = 'ERR_URL_FOREIGN' as const
  /** The origin that was refused. */
  readonly origin: string
  constructor(message: string, origin: string) {
    super(message)
    this.origin = origin
  }
}

/**
 * Fields every error about a token request carries.
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
  /** When a retry may be sent (epoch ms), if the failure set a cooldown. */
  retryAt?: number
  cause?: unknown
}

/**
 * The base class of failures to get a token: the request could not be made, or the answer was not
 * a usable token.
 *
 * @example
 * ```ts
 * if (err instanceof TokenError) console.error(err.code, err.status, err.error)
 * ```
 */
export class TokenError extends AuthError {
  readonly api: Api | undefined
  readonly status: number | undefined
  readonly error: string | undefined
  readonly errorDescription: string | undefined
  /**
   * When a new request may be sent (epoch ms), if this failure started a cooldown. Set by the auth
   * object once it has computed the cooldown (from `Retry-After` or the backoff schedule).
   */
  retryAt: number | undefined

  constructor(message: string, details: TokenErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.api = details.api
    this.status = details.status
    this.error = details.error
    this.errorDescription = details.errorDescription
    this.retryAt = details.retryAt
  }

  /** Milliseconds until a new request may be sent, or 0. */
  get retryAfterMs(): number {
    return this.retryAt === undefined ? 0 : Math.max(0, this.retryAt - Date.now())
  }
}

/**
 * The token request never got an answer: a network failure or a connection reset.
 *
 * @example
 * ```ts
 * err.code === 'ERR_TOKEN_REQUEST_FAILED'
 * ```
 */
export class TokenRequestError extends TokenError {
  static override code = 'ERR_TOKEN_REQUEST_FAILED' as const
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
  static override code = 'ERR_TOKEN_TIMEOUT' as const
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
  static override code = 'ERR_TOKEN_RESPONSE_INVALID' as const
}

/**
 * The token endpoint answered with an error status (4xx other than those below, or 5xx).
 *
 * @example
 * ```ts
 * err.code === 'ERR_TOKEN_ENDPOINT' && err.status === 502
 * ```
 */
export class TokenEndpointError extends TokenError {
  static override code = 'ERR_TOKEN_ENDPOINT' as const
}

/**
 * The client id or secret was refused (`invalid_client`). Not retried automatically: calls within
 * the cooldown fail fast with this error and send no request.
 *
 * @example
 * ```ts
 * if (err.code === 'ERR_INVALID_CLIENT') console.error('check ZEEBE_CLIENT_SECRET')
 * ```
 */
export class InvalidClientError extends TokenError {
  static override code = 'ERR_INVALID_CLIENT' as const
}

/**
 * The token endpoint asked us to slow down (429, or 503 with `Retry-After`). No request is sent
 * before `retryAt`.
 *
 * @example
 * ```ts
 * if (err.code === 'ERR_RATE_LIMITED') setTimeout(retry, err.retryAfterMs)
 * ```
 */
export class RateLimitedError extends TokenError {
  static override code = 'ERR_RATE_LIMITED' as const
}

/**
 * The token endpoint answered with a redirect. It is never followed: following it would re-send
 * the form body, client secret included, to wherever it points.
 *
 * @example
 * ```ts
 * err.code === 'ERR_REDIRECT_REFUSED' && err.status === 307
 * ```
 */
export class RedirectRefusedError extends TokenError {
  static override code = 'ERR_REDIRECT_REFUSED' as const
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
  static override code = 'ERR_TOKEN_LIFETIME' as const
}
