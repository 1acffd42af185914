/**
 * The default coordinator: a lock per key inside this JavaScript context, and a listener list for
 * new tokens. Enough for one process; tabs and isolates need the browser or Workers coordinators.
 * @module
 */

import { noop } from '../lib/noop.ts'
import type { Coordinator } from '../types.ts'
import { recordListeners } from './listeners.ts'

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
  const listeners = recordListeners()
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
    publish: listeners.deliver,
    subscribe: listeners.subscribe,
  }
}
