/**
 * The `BEARER` strategy's token source: a token handed in (CAMUNDA_OAUTH_TOKEN, or `createAuth`'s
 * `bearerToken` function) becomes a token record like any other, so memory, single flight, refresh
 * ahead and the one retry after a 401 work as they do for OAuth. Its expiry is the JWT `exp`, or a
 * day for a token that has none.
 * @module
 */

import { TokenLifetimeError, TokenRequestError, TokenResponseError } from '../errors.ts'
import { errorMessage } from '../lib/error-message.ts'
import { tokenRecord } from '../token/expiry.ts'
import { credentialsRedactor, redact } from '../token/redact.ts'
import { isBearerToken } from '../token/response.ts'
import type { TokenSource } from '../types.ts'

/** A token source over `source`; `from` names it in errors (`CAMUNDA_OAUTH_TOKEN` or `bearerToken()`). */
export function bearerTokenSource(source: () => string | Promise<string>, from: string): TokenSource {
  return async ({ api, credentials, policy, now }) => {
    const details = { api }
    let token: unknown
    try {
      token = await source()
    } catch (error) {
      // What the function threw may quote a token: only a redacted message is kept.
      throw new TokenRequestError(`${from} failed: ${redact(errorMessage(error), credentialsRedactor(credentials), 300)}`, details)
    }
    if (!isBearerToken(token))
      throw new TokenResponseError(`${from} returned no bearer token (RFC 6750 characters, at most 16 KiB)`, details)
    const at = now()
    try {
      // expires_in of a whole lifetime: a JWT's `exp` is earlier and wins; an opaque token lives a day.
      return tokenRecord(token, policy.maxLifetimeMs / 1000, at, at, policy, details)
    } catch (error) {
      if (!(error instanceof TokenLifetimeError)) throw error
      throw new TokenLifetimeError(`The token from ${from} has expired (its JWT exp is past): hand in a fresh one`, details)
    }
  }
}
