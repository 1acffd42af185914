/**
 * Encryption at rest for any store: the whole record (token, times, cooldown) is sealed with
 * AES-GCM before it reaches the store, so a copied IndexedDB, a Workers KV dump or anything reading
 * the store raw holds no usable token, and anything writing it raw cannot forge a cooldown or an
 * expiry: a record that does not authenticate is ignored (and replaced by the next write).
 *
 * The store key is the AES-GCM additional data, so a sealed record copied under another key does
 * not open.
 * @module
 */

import { compactKeyText } from '../lib/key-text.ts'
import { InvalidArgumentError } from '../errors.ts'

import { base64url } from 'jose'
import { isObject } from '../lib/is-object.ts'
import type { AuthEvent, StoredRecord, TokenStore } from '../types.ts'

/** What the inner store holds: base64url of the 12-byte IV, then the sealed JSON record and its tag. */
interface SealedRecord {
  readonly sealed: string
}

/**
 * Where the key comes from: a key, or a function that makes one once (lazily, on first use).
 *
 * @example
 * ```ts
 * encryptedStore(store, () => deriveEncryptionKey(credentials.clientSecret))
 * ```
 */
export type EncryptionKeySource = CryptoKey | (() => Promise<CryptoKey>)

const NOT_AUTHENTIC =
  'a stored record did not authenticate (forged, corrupted, or not sealed by this package); it is ignored and will be replaced'

/**
 * Wraps `inner` so that records are sealed with AES-GCM under `key` before they are stored, and
 * opened on the way out. A value that does not open (tampered, forged, another key, written in
 * clear) reads as empty, and a `store_error` event says so to every auth object connected to it.
 *
 * @example
 * ```ts
 * const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
 * const store = encryptedStore(someStore, key)
 * createAuth({ credentials, store })
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc5116 RFC 5116 (AEAD, the AES-GCM construction)}
 */
export function encryptedStore(inner: TokenStore, key: EncryptionKeySource): TokenStore {
  let cached: Promise<CryptoKey> | undefined
  const getKey = () => (cached ??= typeof key === 'function' ? key() : Promise.resolve(key))
  const listeners = new Set<(event: AuthEvent) => void>()
  const rejected = (): undefined => {
    for (const emit of listeners) emit({ type: 'store_error', operation: 'get', message: NOT_AUTHENTIC })
    return undefined
  }
  return {
    async get(storeKey) {
      const value = await inner.get(storeKey)
      if (value === undefined || value === null) return undefined
      if (!isObject(value) || typeof value.sealed !== 'string') return rejected()
      let bytes: Uint8Array<ArrayBuffer>
      try {
        bytes = base64url.decode(value.sealed) as Uint8Array<ArrayBuffer>
      } catch {
        return rejected()
      }
      // A key that cannot be made is a store failure, not a forgery: let the guard report it.
      const cryptoKey = await getKey()
      try {
        const plain = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: bytes.slice(0, 12), additionalData: encode(storeKey) },
          cryptoKey,
          bytes.slice(12),
        )
        return JSON.parse(new TextDecoder().decode(plain)) as unknown
      } catch {
        return rejected()
      }
    },
    async set(storeKey, record, ttlMs) {
      const iv = crypto.getRandomValues(new Uint8Array(12))
      const cipher = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: encode(storeKey) },
        await getKey(),
        encode(JSON.stringify(record)),
      )
      const bytes = new Uint8Array(12 + cipher.byteLength)
      bytes.set(iv)
      bytes.set(new Uint8Array(cipher), 12)
      const sealed: SealedRecord = { sealed: base64url.encode(bytes) }
      // The inner store only ever sees the sealed shape; it treats records as opaque JSON.
      return inner.set(storeKey, sealed as unknown as StoredRecord, ttlMs)
    },
    delete: (storeKey) => inner.delete(storeKey),
    connect(emit) {
      listeners.add(emit)
      const disconnectInner = inner.connect?.(emit)
      return () => {
        listeners.delete(emit)
        disconnectInner?.()
      }
    },
  }
}

/**
 * A non-extractable AES-GCM key derived from the client secret with HKDF-SHA-256: every context
 * that holds the secret derives the same key, and nothing that lacks it can read the store.
 *
 * @example
 * ```ts
 * const store = encryptedStore(kv, () => deriveEncryptionKey(credentials.clientSecret))
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc5869 RFC 5869 (HKDF)}
 */
export async function deriveEncryptionKey(secret: string, info = 'camunda-edge-auth token store v1'): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', encode(secret), 'HKDF', false, ['deriveKey'])
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: encode('camunda-edge-auth'), info: encode(info) },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )
}

function encode(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text)
}

/**
 * The key of a shared store (Workers KV, Deno KV, Redis, a file): the explicit `encryptionKey` if
 * given, else one derived from the credentials' client secret, or from the private key of a
 * `private_key_jwt` bundle. Neither is a `TypeError` naming `storeName`: such a store never keeps
 * tokens in clear.
 */
export function storeEncryptionKey(
  storeName: string,
  options:
    | {
        readonly credentials?: { readonly clientSecret: string; readonly clientAssertionKey?: string }
        readonly encryptionKey?: EncryptionKeySource
      }
    | undefined,
): EncryptionKeySource {
  // Plain JavaScript may call `kvStore(env.TOKENS)` with no options at all: same message as `{}`.
  if (options?.encryptionKey) return options.encryptionKey
  const { clientSecret, clientAssertionKey } = options?.credentials ?? {}
  if (clientSecret) return () => deriveEncryptionKey(clientSecret)
  // A private key is as secret as a client secret; its own info string keeps the two derivations apart.
  if (clientAssertionKey)
    return () => deriveEncryptionKey(compactKeyText(clientAssertionKey), 'camunda-edge-auth token store v1 private_key_jwt')
  throw new InvalidArgumentError(
    `${storeName}: pass \`credentials\` (the key is derived from the client secret or private key) or \`encryptionKey\`; tokens are never stored in clear`,
  )
}
