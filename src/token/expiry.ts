/**
 * When a token expires, on the local clock, and when to refresh it.
 *
 * The JWT `exp` is the truth, but it is on the server's clock. When the token also carries `iat`
 * close enough to our own time of request, the difference is the clock skew between us and the
 * server, and `exp` is shifted by it: a client whose clock is 5 minutes off still gets the full
 * lifetime. `expires_in` counts from when we sent the request. When both exist the earlier wins.
 * @module
 */

import { decodeJwt } from 'jose'
import { TokenLifetimeError, type TokenErrorDetails } from '../errors.ts'
import type { ExpiryPolicy, TokenRecord } from '../types.ts'

/**
 * The defaults: 10 min of skew, a day at most, 5 s margin, last 10 % or 60 s.
 */
export const DEFAULT_EXPIRY_POLICY: ExpiryPolicy = Object.freeze({
  maxClockSkewMs: 10 * 60_000,
  maxLifetimeMs: 24 * 3_600_000,
  expiryMarginMs: 5_000,
  refreshAheadRatio: 0.1,
  refreshAheadMinMs: 60_000,
})

/**
 * Builds the record for a freshly received token, or throws `TokenLifetimeError` when it has no
 * usable lifetime (expired, no `exp` and no `expires_in`, or shorter than its margin).
 */
export function tokenRecord(
  accessToken: string,
  expiresIn: number | undefined,
  requestedAt: number,
  receivedAt: number,
  policy: ExpiryPolicy,
  details: TokenErrorDetails,
): TokenRecord {
  let expiresAt = requestedAt + policy.maxLifetimeMs
  let known = false
  if (expiresIn !== undefined) {
    expiresAt = Math.min(expiresAt, requestedAt + expiresIn * 1000)
    known = true
  }
  const exp = jwtExpiry(accessToken, requestedAt, policy.maxClockSkewMs)
  if (exp !== undefined) {
    expiresAt = Math.min(expiresAt, exp)
    known = true
  }
  if (!known) {
    throw new TokenLifetimeError('The token has neither a JWT exp nor expires_in: its lifetime is unknown', details)
  }
  const record = { accessToken, expiresAt, receivedAt }
  // Written as "not after" so that NaN (an exp or expires_in of ±1e307 overflows) is refused too.
  if (!(usableUntil(record, policy) > receivedAt)) {
    throw new TokenLifetimeError(
      `The token arrived expired or about to expire (lifetime ${Math.round(expiresAt - receivedAt)} ms)`,
      details,
    )
  }
  return record
}

/**
 * Until when a token may be handed out: its expiry less a margin for latency and skew.
 */
export function usableUntil(record: TokenRecord, policy: ExpiryPolicy): number {
  const lifetime = record.expiresAt - record.receivedAt
  // A twentieth, not a tenth: the refresh window can be as small as a tenth of the lifetime, and it
  // must open before the token stops being handed out, or callers would wait for the refresh.
  return record.expiresAt - Math.min(policy.expiryMarginMs, lifetime / 20)
}

/**
 * From when a token should be refreshed in the background.
 */
export function refreshAt(record: TokenRecord, policy: ExpiryPolicy): number {
  const lifetime = record.expiresAt - record.receivedAt
  const window = Math.min(Math.max(lifetime * policy.refreshAheadRatio, policy.refreshAheadMinMs), lifetime / 2)
  return record.expiresAt - window
}

/**
 * The JWT's `exp` on the local clock, or `undefined` for an opaque token or one without `exp`.
 */
export function jwtExpiry(token: string, requestedAt: number, maxClockSkewMs: number): number | undefined {
  let claims: ReturnType<typeof decodeJwt>
  try {
    claims = decodeJwt(token)
  } catch {
    return undefined // opaque or malformed: expires_in decides
  }
  const { exp, iat } = claims
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return undefined
  let skew = 0
  if (typeof iat === 'number' && Number.isFinite(iat)) {
    // iat is whole seconds: only an offset beyond that granularity is skew.
    const offset = iat * 1000 - requestedAt
    if (Math.abs(offset) > 1000 && Math.abs(offset) <= maxClockSkewMs) skew = offset
  }
  return exp * 1000 - skew
}
