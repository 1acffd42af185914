/**
 * Key pairs for private_key_jwt tests, made with jose on web APIs alone (every runtime can use
 * them): the private key as a PKCS#8 PEM and as a JWK, for CAMUNDA_CLIENT_ASSERTION_KEY, and the
 * public JWK a server registers for the client.
 */
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, type JWK } from 'jose'

/** One client key: what the bundle holds and what the server knows. */
export interface ClientKey {
  readonly alg: 'ES256' | 'RS256' | 'PS256'
  readonly pem: string
  readonly privateJwk: JWK
  readonly publicJwk: JWK & { readonly kid: string }
}

/** A fresh key pair for `alg`, its public JWK with an RFC 7638 thumbprint as `kid`. */
export async function clientKey(alg: ClientKey['alg']): Promise<ClientKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  const publicJwk = await exportJWK(publicKey)
  const kid = await calculateJwkThumbprint(publicJwk)
  return {
    alg,
    pem: await exportPKCS8(privateKey),
    privateJwk: { ...(await exportJWK(privateKey)), alg },
    publicJwk: { ...publicJwk, kid, alg, use: 'sig' },
  }
}
