/**
 * The raw IndexedDB layer of the browser store: each record is kept with the time it stops being
 * valid, so that an entry outlives neither its token nor its cooldown, whoever reads it.
 * @module
 */

import { del, get, promisifyRequest, set, type UseStore } from 'idb-keyval'
import { isObject } from '../lib/is-object.ts'
import type { TokenStore } from '../types.ts'

/** What one IndexedDB entry holds: the record as given (sealed, when encrypted) and its expiry. */
interface Entry {
  /** Epoch ms, local clock: from then on the entry reads as absent. */
  readonly expiresAt: number
  readonly record: unknown
}

/**
 * A `TokenStore` over one idb-keyval object store. An entry read after its TTL is `undefined`, and
 * is deleted in the background (only if it is still the expired one: another tab may have just
 * written a fresh record under the same key). Errors are not caught here: the caller decides.
 */
export function idbRecordStore(useStore: UseStore): TokenStore {
  return {
    async get(key) {
      const entry = await get<unknown>(key, useStore)
      if (!isEntry(entry)) return undefined
      if (entry.expiresAt > Date.now()) return entry.record
      deleteIfExpired(useStore, key).catch(() => {
        // Housekeeping only: the next write replaces the entry anyway.
      })
      return undefined
    },
    async set(key, record, ttlMs) {
      const entry: Entry = { expiresAt: Date.now() + ttlMs, record }
      await set(key, entry, useStore)
    },
    delete: (key) => del(key, useStore),
  }
}

/** Deletes `key` in one transaction with the read that proves it expired, so no fresh entry is lost. */
function deleteIfExpired(useStore: UseStore, key: string): Promise<void> {
  return useStore('readwrite', (store) => {
    const request = store.get(key)
    request.onsuccess = () => {
      if (!isEntry(request.result) || request.result.expiresAt <= Date.now()) store.delete(key)
    }
    return promisifyRequest(store.transaction)
  })
}

function isEntry(value: unknown): value is Entry {
  return isObject(value) && typeof value.expiresAt === 'number' && 'record' in value
}
