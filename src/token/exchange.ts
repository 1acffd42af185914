/**
 * The client-credentials exchange (RFC 6749 §4.4): one `fetch` to the token endpoint, and a typed
 * error for every way it can go wrong.
 *
 * The request never follows redirects: a plain `fetch` follows a 307 and re-sends the form body,
 * client secret included, to wherever the `Location` points.
 * @module
 */

import { refuseInsecure } from '../urls/insecure-http.ts'
import { AUDIENCE_VARIABLES } from '../credentials/providers.ts'
import {
  InvalidClientError,
  RateLimitedError,
  RedirectRefusedError,
  TokenEndpointError,
  TokenRequestError,
  TokenResponseError,
  TokenTimeoutError,
  type TokenErrorDetails,
} from '../errors.ts'
import type { Api, ClientAuthMethod, Credentials, ExpiryPolicy, TokenRecord } from '../types.ts'
import { providerHint } from './provider-errors.ts'

export type { ClientAuthMethod } from '../types.ts'
import { tokenRecord } from './expiry.ts'
import { parseJson } from '../lib/parse-json.ts'
import { readBoundedText } from '../lib/read-bounded.ts'
import { credentialsRedactor, formEncode, type Redactor, redact } from './redact.ts'
import { parseTokenResponse } from './response.ts'
import { retryAfterMs } from './retry-after.ts'

/**
 * Which form parameter carries the audience: Camunda's `audience`, or RFC 8707's `resource`.
 *
 * @example
 * ```ts
 * createAuth({ credentials, audienceParam: 'resource' })
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc8707#section-2 RFC 8707 §2 (resource indicators)}
 */
export type AudienceParam = 'audience' | 'resource'

/**
 * Everything one exchange needs.
 */
export interface ExchangeOptions {
  readonly credentials: Credentials
  readonly api: Api
  readonly audience: string | undefined
  /** The `scope` parameter; default the credentials' `scope`. */
  readonly scope?: string | undefined
  /** Signs a fresh client assertion for the token URL, for `private_key_jwt`. */
  readonly clientAssertion?: (tokenUrl: string) => Promise<string>
  readonly clientAuth: ClientAuthMethod
  readonly audienceParam: AudienceParam
  readonly fetch: typeof fetch
  readonly timeoutMs: number
  readonly policy: ExpiryPolicy
  readonly now: () => number
  /**
   * Replaces the client-credentials request (method, headers, body) for sources that authenticate
   * otherwise, such as a token broker; the client secret is then not sent. The answer is read the
   * same way, with the same typed errors.
   */
  readonly request?: RequestInit
}

/** Error bodies larger than this are not read: the status alone tells the story. */
const MAX_BODY_BYTES = 65_536

/**
 * Requests a token and returns its record, or throws a `TokenError` subclass that carries the
 * status, the OAuth `error` and a redacted `error_description`.
 */
export async function exchangeToken(options: ExchangeOptions): Promise<TokenRecord> {
  const { credentials, api, fetch: fetchImpl, timeoutMs, now } = options
  const url = new URL(credentials.tokenUrl)
  refuseInsecure(url, credentials.insecureHosts ?? [], 'the client credentials')
  const init = options.request ?? (await buildRequest(options, url.href))
  const signal = AbortSignal.timeout(timeoutMs)
  const requestedAt = now()
  let response: Response
  try {
    response = await fetchImpl(url.href, { ...init, redirect: 'manual', signal })
  } catch (cause) {
    throw transportError(cause, signal, { api }, credentials, url.host)
  }

  const status = response.status
  const details: TokenErrorDetails = { api, status }
  // With redirect: 'manual', browsers answer an opaque redirect with status 0.
  if (response.type === 'opaqueredirect' || (status >= 300 && status < 400)) {
    await discard(response)
    throw new RedirectRefusedError(
      `Token endpoint answered ${status || 'a redirect'}; redirects are not followed so the client secret stays put`,
      details,
    )
  }

  let text: string
  try {
    text = await readText(response, signal)
  } catch (cause) {
    if (!(cause instanceof TokenResponseError)) throw transportError(cause, signal, details, credentials, url.host)
    // An oversized error page (a WAF's, say) must not hide what its status says: 429 still cools
    // down by Retry-After, 401 still stops retries. Only a 2xx needs its body.
    if (status >= 200 && status < 300) throw cause
    text = ''
  }
  const body = parseJson(text)

  if (status >= 200 && status < 300) {
    if (body === undefined) {
      const what = text.trim() === '' ? 'an empty body' : /^\s*</.test(text) ? 'an HTML page' : 'a body that is not JSON'
      throw new TokenResponseError(`Token endpoint answered ${status} with ${what}`, details)
    }
    const token = parseTokenResponse(body, details)
    return tokenRecord(token.accessToken, token.expiresIn, requestedAt, now(), options.policy, details)
  }

  const oauth = oauthError(body, credentials)
  const said = oauth.error ? ` ${oauth.error}${oauth.errorDescription ? `: ${oauth.errorDescription}` : ''}` : ''
  const hint = providerHint(oauth.providerCode)
  // Honoured on any failure (a token broker sends it with every cooldown); createAuth cuts it to
  // maxRetryAfterMs and never waits less than its own backoff.
  const wait = retryAfterMs(response.headers.get('retry-after'), now())
  const failure: TokenErrorDetails = { ...details, ...oauth, ...(wait !== undefined && { retryAt: now() + wait }) }
  // The status outranks the body: a 429 that also says invalid_client is still a rate limit.
  if (status === 429 || (status === 503 && wait !== undefined)) {
    throw new RateLimitedError(
      `Token endpoint is rate limiting (${status}${said})${wait === undefined ? '' : `; Retry-After ${Math.ceil(wait / 1000)} s`}`,
      failure,
    )
  }
  if (status === 401 || oauth.error === 'invalid_client' || hint?.invalidClient) {
    const what = options.clientAuth === 'private_key_jwt' ? 'client assertion' : 'client id or secret'
    throw new InvalidClientError(`Token endpoint refused the ${what} (${status}${said})${hint ? `; ${hint.text}` : ''}`, failure)
  }
  throw new TokenEndpointError(
    `Token endpoint answered ${status}${said}${hint ? `; ${hint.text}` : missingParameter(options, status, oauth)}`,
    failure,
  )
}

// A parameter the bundle did not give (an audience, a scope) and the server asks for: name the
// variable that sets it, whoever the server is (a SaaS file repointed at a test server, Okta).
function missingParameter(
  { api, audience, scope }: ExchangeOptions,
  status: number,
  oauth: { error?: string; errorDescription?: string },
): string {
  const said = `${oauth.error} ${oauth.errorDescription}`
  if (status !== 400) return ''
  // Scope first: "the authorization server resource … 'scope' must be provided" (Okta) is about the scope.
  if (scope === undefined && /scope/i.test(said)) return `; no scope was sent for the ${api} API: set CAMUNDA_TOKEN_SCOPE`
  if (audience === undefined && /audience|resource/i.test(said))
    return `; no audience was sent for the ${api} API: set ${AUDIENCE_VARIABLES[api]}`
  return ''
}

/** RFC 7523 §2.2: the assertion's type, sent beside it. */
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

/** The form body and headers for the configured client authentication and audience parameter. */
async function buildRequest(options: ExchangeOptions, tokenUrl: string): Promise<RequestInit> {
  const { credentials, audience, clientAuth, audienceParam } = options
  const scope = 'scope' in options ? options.scope : credentials.scope
  const body = new URLSearchParams({ grant_type: 'client_credentials' })
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  }
  if (clientAuth === 'client_secret_basic') {
    // RFC 6749 §2.3.1: both parts are form-encoded before base64.
    headers.authorization = `Basic ${btoa(`${formEncode(credentials.clientId)}:${formEncode(credentials.clientSecret)}`)}`
  } else {
    body.set('client_id', credentials.clientId)
    if (clientAuth === 'private_key_jwt') {
      body.set('client_assertion_type', JWT_BEARER)
      body.set('client_assertion', (await options.clientAssertion?.(tokenUrl)) ?? '')
    } else {
      body.set('client_secret', credentials.clientSecret)
    }
  }
  if (audience !== undefined) body.set(audienceParam, audience)
  if (scope !== undefined) body.set('scope', scope)
  return { method: 'POST', headers, body: body.toString() }
}

/** A failed `fetch` or body read: a timeout if our signal fired, otherwise a request error. */
function transportError(cause: unknown, signal: AbortSignal, details: TokenErrorDetails, credentials: Credentials, host: string): Error {
  // The host, never the path or query: that is where to look, and all that is safe to say.
  if (signal.aborted) {
    return new TokenTimeoutError(`Token endpoint ${host} did not answer in time`, details)
  }
  const secrets = credentialsRedactor(credentials)
  const reason = cause instanceof Error ? cause.message : String(cause)
  return new TokenRequestError(`Token request to ${host} failed: ${redact(reason, secrets)}`, {
    ...details,
    cause: redactedCause(cause, secrets),
  })
}

/**
 * What `fetch` threw, kept as the error's `cause` for diagnosis (undici puts the socket error in
 * its own `cause`), with every message redacted: a runtime may quote the request in it.
 */
function redactedCause(cause: unknown, secrets: Redactor, depth = 0): Error {
  const inner =
    cause instanceof Error && cause.cause !== undefined && depth < 3 ? redactedCause(cause.cause, secrets, depth + 1) : undefined
  const copy = new Error(redact(cause instanceof Error ? cause.message : String(cause), secrets), inner && { cause: inner })
  copy.name = cause instanceof Error ? cause.name : 'Error'
  return copy
}

/** Reads at most MAX_BODY_BYTES of the body as text; the timeout signal also bounds a trickle. */
async function readText(response: Response, signal: AbortSignal): Promise<string> {
  const text = await readBoundedText(response.body, MAX_BODY_BYTES, signal)
  if (text !== undefined) return text
  throw new TokenResponseError(`Token endpoint answered ${response.status} with a body over ${MAX_BODY_BYTES} bytes`, {
    status: response.status,
  })
}

/**
 * The OAuth `error` and `error_description` of an error body, redacted and cut short, and the
 * provider's own code where it names one (Entra ID's `AADSTS…`, at the start of its description).
 */
function oauthError(body: unknown, credentials: Credentials): { error?: string; errorDescription?: string; providerCode?: string } {
  if (typeof body !== 'object' || body === null) return {}
  const { error, error_description: description } = body as Record<string, unknown>
  const secrets = credentialsRedactor(credentials)
  const errorDescription =
    typeof description === 'string' && Object.hasOwn(body, 'error_description') ? redact(description, secrets, 300) : undefined
  const providerCode = errorDescription && /^AADSTS\d{1,9}\b/.exec(errorDescription)?.[0]
  return {
    ...(typeof error === 'string' && Object.hasOwn(body, 'error') ? { error: redact(error, secrets, 100) } : {}),
    ...(errorDescription !== undefined && { errorDescription }),
    ...(providerCode && { providerCode }),
  }
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {})
}
