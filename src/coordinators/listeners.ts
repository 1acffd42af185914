/**
 * The listener lists coordinators keep per store key: who hears about a new record.
 * @module
 */

import type { StoredRecord } from '../types.ts'

/**
 * Listeners by store key, for a coordinator's `publish` and `subscribe`.
 */
export interface RecordListeners {
  /** Hands `record` to every listener of `key`. */
  deliver(key: string, record: StoredRecord): void
  /** Adds a listener; the function returned removes it. */
  subscribe(key: string, listener: (record: StoredRecord) => void): () => void
  /** How many keys have listeners. */
  readonly size: number
}

/**
 * Creates an empty set of listener lists.
 */
export function recordListeners(): RecordListeners {
  const byKey = new Map<string, Set<(record: StoredRecord) => void>>()
  return {
    deliver(key, record) {
      for (const listener of [...(byKey.get(key) ?? [])]) {
        try {
          listener(record)
        } catch {
          // One auth object's failure must not keep the record from the others.
        }
      }
    },
    subscribe(key, listener) {
      let set = byKey.get(key)
      if (!set) byKey.set(key, (set = new Set()))
      set.add(listener)
      return () => {
        set.delete(listener)
        if (set.size === 0 && byKey.get(key) === set) byKey.delete(key)
      }
    },
    get size() {
      return byKey.size
    },
  }
}
