/**
 * The private key of `private_key_jwt` (CAMUNDA_CLIENT_ASSERTION_KEY), read far enough to know
 * what it is: an unencrypted PKCS#8 PEM or a private JWK, and the JWS algorithm it signs with. The
 * key itself is imported (as a non-extractable `CryptoKey`) only when the first assertion is signed.
 * @module
 */

import { isObject } from '../lib/is-object.ts'
import { parseJson } from '../lib/parse-json.ts'

/** What kind of key the text holds, and the algorithm its assertions are signed with. */
export interface AssertionKeyInfo {
  readonly format: 'pkcs8' | 'jwk'
  readonly alg: string
}

const PKCS8 = /^-----BEGIN PRIVATE KEY-----\s+([A-Za-z0-9+/=\s]+?)\s*-----END PRIVATE KEY-----$/

// The AlgorithmIdentifier OIDs of PKCS#8 (their DER content bytes, in hex) and the JWS algorithm
// each key signs with: RFC 7518 §3 (RS256, PS256, ES*), RFC 8037 (EdDSA).
const KEY_OIDS: Readonly<Record<string, string>> = {
  '2a864886f70d010101': 'RS256',
  '2a864886f70d01010a': 'PS256',
  '2b6570': 'EdDSA',
}
const CURVES: Readonly<Record<string, string>> = {
  '2a8648ce3d030107': 'ES256',
  '2b81040022': 'ES384',
  '2b81040023': 'ES512',
}
const EC_KEY = '2a8648ce3d0201'
const JWK_CURVES: Readonly<Record<string, string>> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512', Ed25519: 'EdDSA' }
const RSA_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']

/**
 * The key's format and algorithm, or why it cannot be used: fixed words that never quote the key.
 * A literal `\n` (two characters, as single-line env files hold a PEM) counts as a line break.
 */
export function readAssertionKey(text: string): AssertionKeyInfo | { readonly issue: string } {
  const key = text.replace(/\\n/g, '\n').trim()
  if (key.startsWith('{')) return readJwk(key)
  const pem = /^-----BEGIN ([A-Z ]+)-----/.exec(key)?.[1]
  if (pem === 'RSA PRIVATE KEY' || pem === 'EC PRIVATE KEY') {
    return { issue: `is a ${pem === 'RSA PRIVATE KEY' ? 'PKCS#1' : 'SEC1'} key: convert it to PKCS#8 with openssl pkcs8 -topk8 -nocrypt` }
  }
  if (pem === 'ENCRYPTED PRIVATE KEY')
    return { issue: 'is encrypted: decrypt it to an unencrypted PKCS#8 key (openssl pkcs8 -topk8 -nocrypt)' }
  if (pem === 'PUBLIC KEY' || pem === 'CERTIFICATE') return { issue: `is a ${pem.toLowerCase()}, not the private key that signs` }
  const body = PKCS8.exec(key)?.[1]
  if (body === undefined) return { issue: 'must be an unencrypted PKCS#8 PEM (-----BEGIN PRIVATE KEY-----) or a private JWK as JSON' }
  let der: Uint8Array
  try {
    der = Uint8Array.from(atob(body.replace(/\s+/g, '')), (c) => c.charCodeAt(0))
  } catch {
    return { issue: 'is a PEM whose body is not base64' }
  }
  const alg = pkcs8Algorithm(der)
  return alg
    ? { format: 'pkcs8', alg }
    : { issue: 'is a PKCS#8 key of a kind that cannot sign a client assertion (use RSA, EC P-256/384/521 or Ed25519)' }
}

/** The issue of `readAssertionKey`, or `undefined` for a usable key: what the schema checks. */
export function assertionKeyIssue(text: string): string | undefined {
  const read = readAssertionKey(text)
  return 'issue' in read ? read.issue : undefined
}

function readJwk(text: string): AssertionKeyInfo | { readonly issue: string } {
  const jwk = parseJson(text)
  // The JSON parser's message would quote the key: only fixed words here.
  if (!isObject(jwk)) return { issue: 'starts with "{" but is not a JSON object (a private JWK)' }
  if (typeof jwk.d !== 'string') return { issue: 'is a JWK without its private part ("d"): a public key cannot sign' }
  const alg = typeof jwk.alg === 'string' ? jwk.alg : undefined
  if (jwk.kty === 'RSA') {
    if (alg !== undefined && !RSA_ALGS.includes(alg)) return { issue: 'is an RSA JWK whose "alg" is not RS256/384/512 or PS256/384/512' }
    return { format: 'jwk', alg: alg ?? 'RS256' }
  }
  const curveAlg = typeof jwk.crv === 'string' && Object.hasOwn(JWK_CURVES, jwk.crv) ? JWK_CURVES[jwk.crv] : undefined
  if ((jwk.kty === 'EC' || jwk.kty === 'OKP') && curveAlg !== undefined) {
    // RFC 7518 §6.2 and RFC 8037 §2: the NIST curves are EC keys, Ed25519 an OKP key.
    if ((jwk.kty === 'OKP') !== (curveAlg === 'EdDSA')) {
      return { issue: `is a JWK whose key type ${jwk.kty} does not match its curve ${String(jwk.crv)}` }
    }
    if (alg !== undefined && alg !== curveAlg && !(curveAlg === 'EdDSA' && alg === 'Ed25519')) {
      return { issue: `is a JWK whose "alg" does not match its curve (${String(jwk.crv)} signs ${curveAlg})` }
    }
    return { format: 'jwk', alg: curveAlg }
  }
  return { issue: 'is a JWK of a kind that cannot sign a client assertion (use RSA, EC P-256/384/521 or Ed25519)' }
}

// PrivateKeyInfo ::= SEQUENCE { version INTEGER, AlgorithmIdentifier SEQUENCE { OID, params }, … }
// (RFC 5208 §5): only the first few elements are read, each as tag, length, content.
function pkcs8Algorithm(der: Uint8Array): string | undefined {
  let at = 0
  const next = (tag: number, enter: boolean): string | undefined => {
    if (der[at] !== tag) return undefined
    let length = der[at + 1] ?? 0
    let start = at + 2
    if (length & 0x80) {
      const bytes = length & 0x7f
      length = 0
      for (let i = 0; i < bytes; i++) length = length * 256 + (der[start + i] ?? 0)
      start += bytes
    }
    at = enter ? start : start + length
    return Array.from(der.subarray(start, start + length), (b) => b.toString(16).padStart(2, '0')).join('')
  }
  if (next(0x30, true) === undefined || next(0x02, false) === undefined || next(0x30, true) === undefined) return undefined
  const oid = next(0x06, false)
  if (oid === undefined) return undefined
  if (oid === EC_KEY) {
    const curve = next(0x06, false)
    return curve !== undefined && Object.hasOwn(CURVES, curve) ? CURVES[curve] : undefined
  }
  return Object.hasOwn(KEY_OIDS, oid) ? KEY_OIDS[oid] : undefined
}
