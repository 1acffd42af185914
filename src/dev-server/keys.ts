/**
 * The server's signing key: one ES256 key pair, made on first use and kept for the server's life.
 * @module
 */

import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose'
import type { CryptoKey, JWK } from 'jose'

/**
 * A public key as served in the JWKS: with `kid`, `alg` and `use`.
 *
 * @example
 * ```ts
 * const jwk: DevPublicJwk = await server.publicJwk()
 * const key = await importJWK(jwk, jwk.alg)
 * ```
 */
export type DevPublicJwk = JWK & { readonly kid: string; readonly alg: 'ES256'; readonly use: 'sig' }

/**
 * The key pair and its public JWK.
 */
export interface SigningKey {
  readonly privateKey: CryptoKey
  readonly publicKey: CryptoKey
  readonly kid: string
  readonly publicJwk: DevPublicJwk
}

/**
 * A lazily made signing key. Made lazily because key generation is async and a server that only
 * serves faults never needs it; made once because a key that changed per token would break JWKS
 * caching, which is part of what tests exercise. The private key is not extractable: nothing needs
 * to export it (the public key is always extractable).
 */
export function lazySigningKey(): () => Promise<SigningKey> {
  let pending: Promise<SigningKey> | undefined
  return () => (pending ??= makeKey())
}

async function makeKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  const jwk = await exportJWK(publicKey)
  // The RFC 7638 thumbprint is a stable, collision-free kid that needs no counter.
  const kid = await calculateJwkThumbprint(jwk)
  const publicJwk: DevPublicJwk = Object.freeze({ ...jwk, kid, alg: 'ES256', use: 'sig' })
  return Object.freeze({ privateKey, publicKey, kid, publicJwk })
}
