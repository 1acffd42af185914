/**
 * The guard over a token endpoint's 2xx answer (RFC 6749 §5.1). Hand-written on purpose: it checks
 * four fields, and keeping zod out of the token path keeps the core bundle small.
 * @module
 */

import { TokenResponseError, type TokenErrorDetails } from '../errors.ts'

/**
 * The fields of a successful token response that this package uses.
 */
export interface TokenResponse {
  readonly accessToken: string
  /** Seconds, when the server sent a usable number. */
  readonly expiresIn: number | undefined
  readonly scope: string | undefined
}

/** RFC 6750 §2.1 `b64token`, which also covers JWTs; anything else can't go into a header. */
const BEARER_TOKEN = /^[\w\-.~+/]+=*$/
/** A token larger than this is not a Camunda token; it would also bloat every request. */
const MAX_TOKEN_LENGTH = 16_384

/**
 * Whether `value` can be sent as a bearer token: RFC 6750 characters, at most 16 KiB. Checked on
 * every token from the endpoint and again on every token read back from a store.
 */
export function isBearerToken(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_TOKEN_LENGTH && BEARER_TOKEN.test(value)
}

/**
 * Checks a parsed JSON body and returns the fields of a usable bearer token, or throws
 * `TokenResponseError` naming the field that is wrong.
 *
 * `expires_in` may be a number or a numeric string (some servers send strings); zero or negative
 * values pass through and are refused later as having no usable lifetime.
 */
export function parseTokenResponse(body: unknown, details: TokenErrorDetails): TokenResponse {
  const fail = (what: string): never => {
    throw new TokenResponseError(`Token endpoint answered ${details.status ?? ''} without a usable token: ${what}`, details)
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail('the body is not a JSON object')
  const record = body as Record<string, unknown>
  const accessToken = own(record, 'access_token')
  if (typeof accessToken !== 'string' || accessToken === '') return fail('access_token is missing')
  if (!isBearerToken(accessToken)) {
    return fail('access_token is not a bearer token string')
  }
  const tokenType = own(record, 'token_type')
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
    return fail(`token_type is ${describeTokenType(tokenType)}, expected Bearer`)
  }
  const rawExpiresIn = own(record, 'expires_in')
  let expiresIn: number | undefined
  if (rawExpiresIn !== undefined && rawExpiresIn !== null) {
    expiresIn =
      typeof rawExpiresIn === 'string' && /^-?\d+(\.\d+)?$/.test(rawExpiresIn.trim()) ? Number(rawExpiresIn) : (rawExpiresIn as number)
    if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn)) return fail('expires_in is not a number')
  }
  const scope = own(record, 'scope')
  return { accessToken, expiresIn, scope: typeof scope === 'string' ? scope : undefined }
}

/**
 * Registered OAuth token types (RFC 6749 §7.1, RFC 9449, the IANA registry) and `mac`: the only
 * token_type values quoted in an error.
 */
const KNOWN_TOKEN_TYPES: ReadonlySet<string> = new Set(['bearer', 'mac', 'dpop', 'pop', 'n_a'])

// token_type is server text: a confused server may put the access token (or an echoed client
// secret) there, and errors never carry either. Quoting any string (as this once did, up to 40
// characters) leaked both, so only a known type name, possibly padded with whitespace, is quoted.
function describeTokenType(tokenType: unknown): string {
  if (typeof tokenType !== 'string') return 'missing'
  return KNOWN_TOKEN_TYPES.has(tokenType.trim().toLowerCase()) ? JSON.stringify(tokenType.slice(0, 40)) : 'not a known token type'
}

/** Own properties only: a `__proto__` key in JSON must not be read through the prototype. */
function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined
}
