/**
 * Encryption at rest for any store: the access token is sealed with AES-GCM before it reaches the
 * store, so a copied IndexedDB, a Workers KV dump or anything reading the store raw holds no
 * usable token. Expiry times and cooldowns stay readable; they are not secret.
 *
 * The store key is the AES-GCM additional data, so a sealed token copied under another key does not
 * open.
 * @module
 */

import { base64url } from 'jose'
import { isObject } from '../token/record.ts'
import type { StoredRecord, TokenStore } from '../types.ts'

/** A token as written to the inner store: the token itself sealed, the times in clear. */
interface SealedToken {
  /** base64url of the 12-byte IV followed by the ciphertext and tag. */
  readonly sealed: string
  readonly expiresAt: number
  readonly receivedAt: number
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

/**
 * Wraps `inner` so that tokens are encrypted with AES-GCM under `key` before they are stored, and
 * decrypted on the way out. A record that does not decrypt (wrong key, tampered, foreign) reads as
 * having no token.
 *
 * @example
 * ```ts
 * const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
 * const store = encryptedStore(someStore, key)
 * createAuth({ credentials, store })
 * ```
 */
export function encryptedStore(inner: TokenStore, key: EncryptionKeySource): TokenStore {
  let cached: Promise<CryptoKey> | undefined
  const getKey = () => (cached ??= typeof key === 'function' ? key() : Promise.resolve(key))
  return {
    async get(storeKey) {
      const value = await inner.get(storeKey)
      if (!isObject(value) || !isObject(value.token)) return value
      const { sealed, expiresAt, receivedAt } = value.token
      const { token: _sealed, ...rest } = value
      if (typeof sealed !== 'string') return rest
      try {
        const bytes = base64url.decode(sealed)
        const plain = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: bytes.slice(0, 12), additionalData: encode(storeKey) },
          await getKey(),
          bytes.slice(12),
        )
        return { ...rest, token: { accessToken: new TextDecoder().decode(plain), expiresAt, receivedAt } }
      } catch {
        return rest // not ours, or tampered: no token
      }
    },
    async set(storeKey, record, ttlMs) {
      if (!record.token) return inner.set(storeKey, record, ttlMs)
      const iv = crypto.getRandomValues(new Uint8Array(12))
      const cipher = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: encode(storeKey) },
        await getKey(),
        encode(record.token.accessToken),
      )
      const bytes = new Uint8Array(12 + cipher.byteLength)
      bytes.set(iv)
      bytes.set(new Uint8Array(cipher), 12)
      const token: SealedToken = { sealed: base64url.encode(bytes), expiresAt: record.token.expiresAt, receivedAt: record.token.receivedAt }
      // The inner store only ever sees the sealed shape; it treats records as opaque JSON.
      return inner.set(storeKey, { ...record, token } as unknown as StoredRecord, ttlMs)
    },
    delete: (storeKey) => inner.delete(storeKey),
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
 * The key of a shared store (Workers KV, Deno KV): the explicit `encryptionKey` if given, else one
 * derived from the credentials' client secret. Neither is a `TypeError` naming `storeName`: such a
 * store never keeps tokens in clear.
 *
 * @example
 * ```ts
 * const key = sharedStoreKey('kvStore', { credentials })
 * const store = encryptedStore(raw, key)
 * ```
 */
export function sharedStoreKey(
  storeName: string,
  options: { readonly credentials?: { readonly clientSecret: string }; readonly encryptionKey?: EncryptionKeySource },
): EncryptionKeySource {
  if (options.encryptionKey) return options.encryptionKey
  const secret = options.credentials?.clientSecret
  if (!secret) {
    throw new TypeError(`${storeName}: pass \`credentials\` (the key is derived from the client secret) or \`encryptionKey\`; tokens are never stored in clear`)
  }
  return () => deriveEncryptionKey(secret)
}
