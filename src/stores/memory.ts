/**
 * The default store: a `Map` in this context's memory, with a TTL per entry.
 * @module
 */

import type { StoredRecord, TokenStore } from '../types.ts'

/**
 * A store that lives in memory, shared by every auth object it is given to. Entries disappear after
 * their TTL.
 *
 * @example
 * ```ts
 * const store = memoryStore()
 * const zeebe = createAuth({ credentials, store })
 * const again = createAuth({ credentials, store }) // shares zeebe's tokens
 * ```
 */
export function memoryStore(options: { readonly now?: () => number } = {}): TokenStore {
  // The auth object passes its own clock, so a simulated clock expires entries too.
  const now = options.now ?? Date.now
  const entries = new Map<string, { record: StoredRecord; expiresAt: number }>()
  return {
    async get(key) {
      const entry = entries.get(key)
      if (entry && entry.expiresAt <= now()) entries.delete(key)
      return entry && entry.expiresAt > now() ? entry.record : undefined
    },
    async set(key, record, ttlMs) {
      entries.set(key, { record, expiresAt: now() + ttlMs })
    },
    async delete(key) {
      entries.delete(key)
    },
  }
}
