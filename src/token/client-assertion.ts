/**
 * `private_key_jwt` (RFC 7523 §2.2, OpenID Connect Core §9): the client proves itself with a short
 * JWT signed by its private key instead of sending a secret. Signed with jose's compact JWS (the
 * claims are few and fixed; its JWT builder would only add duration parsing). The key is imported
 * once per credential set by Web Crypto itself as a non-extractable `CryptoKey` (PKCS#8 and JWK are
 * its own formats, so no second ASN.1 parser ships), which works in Workers, Deno and browsers and
 * cannot be read back out. Loaded by the exchange with `import()` on first use, so a bundler that
 * splits (Vite) leaves jose's signing out of what every page loads.
 * @module
 */

import { CompactSign } from 'jose'
import { CredentialsError } from '../errors.ts'
import type { Credentials } from '../types.ts'

/** How long an assertion is valid: long enough for one request, too short to be worth replaying. */
const LIFETIME_S = 60

const keys = new WeakMap<Credentials, Promise<{ readonly key: CryptoKey; readonly alg: string }>>()

/**
 * A fresh client assertion for `tokenUrl`: `iss` and `sub` the client id, `aud` the token URL (for
 * Auth0, its tenant URL `https://<tenant>/`), a unique `jti`, `iat`/`nbf` now and `exp` a minute
 * on, on the auth object's clock; the header carries the key's algorithm and, where the bundle
 * names them, its `kid` and `x5t#S256`.
 */
export async function clientAssertion(credentials: Credentials, tokenUrl: string, now: () => number): Promise<string> {
  const { key, alg } = await importedKey(credentials)
  const at = Math.floor(now() / 1000)
  // RFC 7523 §3's claims written out: jose's JWT builder would only add its duration parsing.
  const claims = {
    iss: credentials.clientId,
    sub: credentials.clientId,
    // Auth0 checks aud against its tenant URL with the trailing slash, not the token URL.
    aud: credentials.provider === 'auth0' ? `${new URL(tokenUrl).origin}/` : tokenUrl,
    jti: crypto.randomUUID(),
    iat: at,
    nbf: at,
    exp: at + LIFETIME_S,
  }
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({
      alg,
      typ: 'JWT',
      ...(credentials.clientAssertionKeyId !== undefined && { kid: credentials.clientAssertionKeyId }),
      ...(credentials.clientAssertionThumbprint !== undefined && { 'x5t#S256': credentials.clientAssertionThumbprint }),
    })
    .sign(key)
}

// Once per credential set; a key that does not import fails every later call the same way.
function importedKey(credentials: Credentials): Promise<{ readonly key: CryptoKey; readonly alg: string }> {
  let pending = keys.get(credentials)
  if (!pending) {
    pending = importKey(credentials.clientAssertionKey, credentials.clientAssertionAlg)
    keys.set(credentials, pending)
  }
  return pending
}

// Web Crypto's names for each JWS algorithm's key (RFC 7518 §3, RFC 8037).
const IMPORT: Readonly<Record<string, RsaHashedImportParams | EcKeyImportParams | Algorithm>> = {
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  RS384: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' },
  RS512: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' },
  PS256: { name: 'RSA-PSS', hash: 'SHA-256' },
  PS384: { name: 'RSA-PSS', hash: 'SHA-384' },
  PS512: { name: 'RSA-PSS', hash: 'SHA-512' },
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  ES384: { name: 'ECDSA', namedCurve: 'P-384' },
  ES512: { name: 'ECDSA', namedCurve: 'P-521' },
  EdDSA: { name: 'Ed25519' },
}

// The algorithm was read from the key by parseCredentials (credentials/assertion-key.ts).
async function importKey(text: string, alg: string | undefined): Promise<{ readonly key: CryptoKey; readonly alg: string }> {
  const refused = (message: string) => new CredentialsError([{ variable: 'CAMUNDA_CLIENT_ASSERTION_KEY', message }])
  const params = alg !== undefined && Object.hasOwn(IMPORT, alg) ? IMPORT[alg]! : undefined
  if (!params)
    throw refused(`has no signing algorithm this package knows (clientAssertionAlg ${String(alg)}): read it with parseCredentials`)
  try {
    const key = text.replace(/\\n/g, '\n').trim()
    const imported = key.startsWith('{')
      ? await crypto.subtle.importKey('jwk', privateJwk(key), params, false, ['sign'])
      : await crypto.subtle.importKey('pkcs8', der(key), params, false, ['sign'])
    return { key: imported, alg: alg! }
  } catch {
    // What the importer said may quote the key: fixed words only.
    throw refused(`could not be imported as a private ${alg} key: check that it is whole and of the kind its header says`)
  }
}

/** The DER bytes of a PEM. */
function der(pem: string): Uint8Array<ArrayBuffer> {
  const body = pem.replace(/-----(?:BEGIN|END) PRIVATE KEY-----|\s+/g, '')
  return Uint8Array.from(atob(body), (c) => c.charCodeAt(0))
}

/** The JWK as Web Crypto imports it: its own `alg`, `use` and `key_ops` would only contradict the call. */
function privateJwk(text: string): JsonWebKey {
  const { alg: _alg, use: _use, key_ops: _ops, ext: _ext, ...jwk } = JSON.parse(text) as JsonWebKey & { use?: string }
  return jwk
}
