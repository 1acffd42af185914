/**
 * Records on a Redis channel are sealed exactly as a store seals them: by `encryptedStore` itself,
 * over a store that holds one value. One sealing, written once, and no bytes added to the entries
 * that only store.
 * @module
 */

import { encryptedStore } from '../stores/encrypted.ts'
import type { StoredRecord, TokenStore } from '../types.ts'

/** A store of one value, for one seal or one open. */
function oneValue(value?: unknown): TokenStore & { value: unknown } {
  const store = {
    value,
    get: async () => store.value,
    set: async (_key: string, record: StoredRecord) => void (store.value = record),
    delete: async () => void (store.value = undefined),
  }
  return store
}

/** `record` sealed under `storeKey` (AES-GCM, the store key as additional data), as text. */
export async function sealMessage(key: CryptoKey, storeKey: string, record: StoredRecord): Promise<string> {
  const inner = oneValue()
  await encryptedStore(inner, key).set(storeKey, record, 0)
  return JSON.stringify(inner.value)
}

/** What `sealMessage` sealed under `storeKey`, or `undefined` when `message` does not open. */
export function openMessage(key: CryptoKey, storeKey: string, message: string): Promise<unknown> {
  let value: unknown
  try {
    value = JSON.parse(message)
  } catch {
    return Promise.resolve(undefined)
  }
  return encryptedStore(oneValue(value), key).get(storeKey)
}
