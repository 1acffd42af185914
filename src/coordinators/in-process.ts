/**
 * The default coordinator: a lock per key inside this JavaScript context, and a listener list for
 * new tokens. Enough for one process; tabs and isolates need the browser or Workers coordinators.
 * @module
 */

import type { Coordinator, StoredRecord } from '../types.ts'

/**
 * A coordinator for one JavaScript context. Give the same instance (and the same store) to several
 * auth objects so they serialise their refreshes and hear about each other's tokens.
 *
 * @example
 * ```ts
 * const coordinator = inProcessCoordinator()
 * const store = memoryStore()
 * const a = createAuth({ credentials, store, coordinator })
 * const b = createAuth({ credentials, store, coordinator }) // one token request between them
 * ```
 */
export function inProcessCoordinator(): Coordinator {
  const tails = new Map<string, Promise<unknown>>()
  const listeners = new Map<string, Set<(record: StoredRecord) => void>>()
  return {
    withLock(key, fn) {
      const previous = tails.get(key) ?? Promise.resolve()
      const run = previous.then(fn)
      const tail = run.then(noop, noop)
      tails.set(key, tail)
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key)
      })
      return run
    },
    publish(key, record) {
      for (const listener of listeners.get(key) ?? []) listener(record)
    },
    subscribe(key, listener) {
      let set = listeners.get(key)
      if (!set) listeners.set(key, (set = new Set()))
      set.add(listener)
      return () => {
        set.delete(listener)
        if (set.size === 0) listeners.delete(key)
      }
    },
  }
}

function noop(): void {}
