/**
 * The coordinator for browsers: one refresh across every tab of an origin. A Web Lock named after
 * the store key serialises refreshes, and a `BroadcastChannel` hands each new record to the other
 * tabs, which then need no store read. Where `navigator.locks` is missing it is the in-process
 * coordinator; `createAuth` picks it by default.
 * @module
 */

import type { Coordinator, StoredRecord } from '../types.ts'
import { inProcessCoordinator } from '../coordinators/in-process.ts'
import { recordListeners } from '../coordinators/listeners.ts'

/**
 * Options of `webLocksCoordinator`.
 *
 * @example
 * ```ts
 * webLocksCoordinator({ channelName: 'my-tool-tokens', lockTimeoutMs: 10_000 })
 * ```
 */
export interface WebLocksCoordinatorOptions {
  /** The `BroadcastChannel` name new records travel on. Default `camunda-edge-auth`. */
  readonly channelName?: string
  /**
   * How long a tab waits for the lock before its request is withdrawn (the auth object then
   * refreshes without it and emits `coordinator_error`). Default: no limit of its own; the auth
   * object's `lockTimeoutMs` withdraws the request when it stops waiting.
   */
  readonly lockTimeoutMs?: number
  /** The lock manager. Default `navigator.locks`. */
  readonly locks?: LockRequester
}

/**
 * The part of `LockManager` (`navigator.locks`) the coordinator uses. Declared here so the module
 * type-checks on runtimes whose types lack the DOM's (Deno, Workers).
 *
 * @example
 * ```ts
 * const locks: LockRequester = navigator.locks
 * webLocksCoordinator({ locks })
 * ```
 */
export interface LockRequester {
  request<T>(name: string, options: { signal?: AbortSignal }, callback: () => Promise<T>): Promise<T>
}

/**
 * After the lock is granted, how long to let a message already on its way arrive before `fn`
 * runs, when none came from another tab while waiting. The previous holder posts its record and
 * then releases the lock, but a browser does not promise to deliver the message before the grant:
 * without a shared store (`indexedDBStore`), a tab that ran at once could miss the token and fetch
 * its own. A record that arrives ends the wait at once.
 */
const SETTLE_MS = 20

interface Message {
  readonly key: string
  readonly record: StoredRecord
}

/**
 * A coordinator over Web Locks and `BroadcastChannel`, shared by every tab, window and worker of
 * the origin. A closed or crashed tab releases its lock, so the next tab in line takes over.
 *
 * @example
 * ```ts
 * import { createAuth } from 'camunda-edge-auth'
 * import { indexedDBStore, webLocksCoordinator } from 'camunda-edge-auth/browser'
 *
 * const auth = createAuth({ credentials, store: indexedDBStore(), coordinator: webLocksCoordinator() })
 * ```
 */
export function webLocksCoordinator(options: WebLocksCoordinatorOptions = {}): Coordinator {
  const locks = options.locks ?? (globalThis.navigator as { locks?: LockRequester } | undefined)?.locks
  if (!locks) return inProcessCoordinator()
  const channelName = options.channelName ?? 'camunda-edge-auth'
  const lockTimeoutMs = options.lockTimeoutMs
  const listeners = recordListeners()
  let channel: BroadcastChannel | undefined

  const deliver = listeners.deliver
  /** Per key: how many records other tabs have sent, and who waits for the next one. */
  const arrivals = new Map<string, number>()
  const awaiting = new Map<string, Set<() => void>>()
  /** Resolves when a record for `key` arrives from another tab, or after SETTLE_MS. */
  const settle = (key: string): Promise<void> =>
    new Promise((resolve) => {
      let set = awaiting.get(key)
      if (!set) awaiting.set(key, (set = new Set()))
      const done = () => {
        clearTimeout(timer)
        set.delete(done)
        if (set.size === 0 && awaiting.get(key) === set) awaiting.delete(key)
        resolve()
      }
      const timer = setTimeout(done, SETTLE_MS)
      set.add(done)
    })
  const open = (): BroadcastChannel | undefined => {
    if (channel || typeof BroadcastChannel !== 'function') return channel
    channel = new BroadcastChannel(channelName)
    channel.onmessage = ({ data }: MessageEvent<Partial<Message> | null>) => {
      if (typeof data?.key !== 'string' || !data.record) return
      deliver(data.key, data.record)
      arrivals.set(data.key, (arrivals.get(data.key) ?? 0) + 1)
      for (const done of [...(awaiting.get(data.key) ?? [])]) done()
    }
    // Node's channel would otherwise keep the process alive.
    ;(channel as { unref?: () => void }).unref?.()
    return channel
  }

  return {
    async withLock<T>(key: string, fn: () => Promise<T>, { signal }: { readonly signal?: AbortSignal } = {}) {
      // One signal from the caller's and our own timeout, built by hand: AbortSignal.any and
      // AbortSignal.timeout are missing from browsers that have Web Locks (Safari 15.4-17).
      const withdraw = new AbortController()
      const abort = () => withdraw.abort(signal?.reason ?? new DOMException('the caller stopped waiting', 'AbortError'))
      if (signal?.aborted) abort()
      signal?.addEventListener('abort', abort, { once: true })
      const timer =
        lockTimeoutMs === undefined
          ? undefined
          : setTimeout(() => withdraw.abort(new DOMException(`lock not granted within ${lockTimeoutMs} ms`, 'TimeoutError')), lockTimeoutMs)
      const arrivedBefore = arrivals.get(key) ?? 0
      try {
        return await locks.request(key, { signal: withdraw.signal }, async () => {
          clearTimeout(timer)
          // Nothing heard from another tab since asking: a record posted just before the lock was
          // released may still be on its way.
          if (listeners.size > 0 && (arrivals.get(key) ?? 0) === arrivedBefore) await settle(key)
          return fn()
        })
      } finally {
        clearTimeout(timer)
        signal?.removeEventListener('abort', abort)
      }
    },
    publish(key, record) {
      deliver(key, record)
      const wasOpen = channel !== undefined
      try {
        open()?.postMessage({ key, record } satisfies Message)
      } finally {
        if (!wasOpen && listeners.size === 0) close()
      }
    },
    subscribe(key, listener) {
      open()
      const unsubscribe = listeners.subscribe(key, listener)
      return () => {
        unsubscribe()
        if (listeners.size === 0) close()
      }
    },
  }

  function close(): void {
    channel?.close()
    channel = undefined
  }
}

/**
 * The coordinator `createAuth` uses when none is given: Web Locks in browsers, in-process elsewhere.
 * Deno has `navigator.locks` too, but a script there is one context, and an open
 * `BroadcastChannel` (which Deno cannot unref) would keep it from exiting.
 */
export function defaultCoordinator(): Coordinator {
  return 'Deno' in globalThis ? inProcessCoordinator() : webLocksCoordinator()
}
