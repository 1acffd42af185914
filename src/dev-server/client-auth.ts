/**
 * How the dev server tells who a client is: its secret (in the body or HTTP Basic), or a client
 * assertion (RFC 7523 §3) signed by one of its registered keys, for its token URL, short-lived, and
 * never seen before.
 * @module
 */

import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose'
import type { ResolvedClient } from './options.ts'
import type { RefusalKind } from './profiles.ts'
import type { TokenRequestParams } from './token-request.ts'

/** The longest an assertion may be valid for: OpenID Connect leaves it to the server; a few minutes is usual. */
const MAX_ASSERTION_LIFETIME_S = 600
/** How far ahead of this server's clock an assertion may say it was issued. */
const MAX_SKEW_S = 60

/** The client the request proves it is, or why it is refused. */
export async function authenticateClient(
  clients: ReadonlyMap<string, ResolvedClient>,
  params: TokenRequestParams,
  tokenUrl: string,
  nowMs: number,
  seenJtis: Map<string, number>,
): Promise<ResolvedClient | RefusalKind> {
  if (params.clientId === undefined || (params.clientSecret === undefined && params.assertion === undefined)) return 'no_authentication'
  const client = clients.get(params.clientId)
  if (!client) return 'unknown_client'
  if (params.assertion === undefined) {
    // One answer for an unknown id and a wrong secret would not confirm which ids exist; the
    // profiles that tell them apart (Entra ID) do so on purpose.
    return client.clientSecret !== undefined && sameSecret(client.clientSecret, params.clientSecret!) ? client : 'wrong_secret'
  }
  if (!client.jwks) return 'bad_assertion'
  try {
    const { payload } = await jwtVerify(params.assertion, createLocalJWKSet({ keys: client.jwks.keys as JWK[] }), {
      issuer: client.clientId,
      subject: client.clientId,
      audience: tokenUrl,
      requiredClaims: ['exp', 'jti'],
      currentDate: new Date(nowMs),
    })
    const nowS = Math.floor(nowMs / 1000)
    // Valid for at most 10 minutes from now, and not issued in the future (beyond a minute's skew):
    // the assertion's own iat would let one issued years ahead live for years.
    if (payload.exp! - nowS > MAX_ASSERTION_LIFETIME_S || (payload.iat ?? nowS) > nowS + MAX_SKEW_S) return 'bad_assertion'
    for (const [jti, exp] of seenJtis) if (exp < nowS) seenJtis.delete(jti)
    if (seenJtis.has(payload.jti!)) return 'bad_assertion'
    if (client.x5tS256 !== undefined && decodeProtectedHeader(params.assertion)['x5t#S256'] !== client.x5tS256) return 'bad_assertion'
    // Kept until it expires: a replay after that is refused by its exp anyway.
    seenJtis.set(payload.jti!, payload.exp!)
    return client
  } catch {
    return 'bad_assertion'
  }
}

/** Compare secrets without stopping at the first difference; cheap habit, even in a dev server. */
function sameSecret(expected: string, given: string): boolean {
  const a = new TextEncoder().encode(expected)
  const b = new TextEncoder().encode(given)
  let diff = a.length ^ b.length
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0)
  return diff === 0
}
