/**
 * Stores and coordinators are optional help, never a point of failure: every call to them is
 * bounded in time, and a throw or a timeout becomes an event and a fallback.
 * @module
 */

import type { Emit } from '../lib/emit.ts'
import { errorMessage } from '../lib/error-message.ts'
import { withTimeout } from '../lib/with-timeout.ts'
import type { Coordinator, StoredRecord, TokenStore } from '../types.ts'

/**
 * A store whose operations never throw and never hang: a failed `get` reads as empty, a failed
 * `set` or `delete` is dropped (memory still holds the token), and each failure emits `store_error`.
 */
export function guardStore(store: TokenStore, timeoutMs: number, emit: Emit): TokenStore {
  const guard = async <T>(operation: 'get' | 'set' | 'delete', run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await withTimeout(run(), timeoutMs, `store ${operation} took longer than ${timeoutMs} ms`)
    } catch (error) {
      emit({ type: 'store_error', operation, message: errorMessage(error) })
      return undefined
    }
  }
  return {
    get: (key) => guard('get', () => store.get(key)),
    set: async (key, record: StoredRecord, ttlMs) => void (await guard('set', () => store.set(key, record, ttlMs))),
    delete: async (key) => void (await guard('delete', () => store.delete(key))),
  }
}

/**
 * Runs `fn` under the coordinator's lock for `key`. If the coordinator throws, or has not started
 * `fn` within `timeoutMs`, `fn` runs anyway (exactly once) and `coordinator_error` is emitted: a
 * stuck lock holder in another tab must not freeze this one.
 */
export async function runLocked<T>(coordinator: Coordinator, key: string, fn: () => Promise<T>, timeoutMs: number, emit: Emit): Promise<T> {
  let run: Promise<T> | undefined
  const once = () => (run ??= fn())
  let timer: ReturnType<typeof setTimeout> | undefined
  // Aborted when this side stops waiting, so the coordinator can withdraw its queued request.
  const waiting = new AbortController()
  const timedOut = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      if (!run) emit({ type: 'coordinator_error', message: `lock not granted within ${timeoutMs} ms; refreshing without it` })
      waiting.abort()
      resolve(once())
    }, timeoutMs)
  })
  try {
    return await Promise.race([coordinator.withLock(key, once, { signal: waiting.signal }), timedOut])
  } catch (error) {
    if (run) return run // the failure is fn's own (or came after it started): report fn's outcome
    emit({ type: 'coordinator_error', message: errorMessage(error) })
    return once()
  } finally {
    clearTimeout(timer)
  }
}
