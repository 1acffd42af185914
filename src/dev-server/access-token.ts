/**
 * Minting access tokens: an ES256 JWT in the shape of RFC 9068, or one of the odd shapes faults
 * ask for.
 * @module
 */

import { SignJWT, base64url } from 'jose'
import type { JwtShape } from './faults.ts'
import type { SigningKey } from './keys.ts'

/**
 * What goes into one access token.
 */
export interface AccessTokenClaims {
  readonly issuer: string
  readonly clientId: string
  /** One audience, or several (Keycloak names all of a client's audiences when none was asked for). */
  readonly audience: string | readonly string[]
  readonly scope: string
  /** Issue time, epoch ms. */
  readonly nowMs: number
  readonly lifetimeSeconds: number
}

/**
 * Sign an access token. `iat` is the whole second of issue and `exp = floor(now + lifetime)`, so
 * `exp` never claims more life than the token has (see `tokenLifetimeSeconds`).
 */
export async function mintAccessToken(key: SigningKey, claims: AccessTokenClaims, shape: JwtShape = {}): Promise<string> {
  const nowS = claims.nowMs / 1000
  const iat = shape.iat === undefined ? Math.floor(nowS) : shape.iat
  const exp = shape.exp === undefined ? Math.floor(nowS + claims.lifetimeSeconds) : shape.exp
  const payload: Record<string, unknown> = {
    // azp and client_id are what Auth0 (SaaS) and RFC 9068 use to name the client.
    azp: claims.clientId,
    client_id: claims.clientId,
    ...(claims.scope ? { scope: claims.scope } : {}),
    ...(iat === null ? {} : { iat }),
    ...(exp === null ? {} : { exp }),
  }
  const jwt = await new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid })
    .setIssuer(claims.issuer)
    .setSubject(claims.clientId)
    .setAudience(typeof claims.audience === 'string' ? claims.audience : [...claims.audience])
    .setJti(crypto.randomUUID())
    .sign(key.privateKey)
  if (!shape.malformed) return jwt
  // Keep the real header and signature so only the payload is wrong: a decoder has to look inside.
  // The payload is valid base64url (so still a legal bearer token) of JSON cut short.
  const [header, , signature] = jwt.split('.')
  return `${header}.${base64url.encode('{"exp":')}.${signature}`
}

/**
 * An opaque access token: random, no dots, nothing a client can decode.
 */
export function opaqueToken(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(32)))
}
