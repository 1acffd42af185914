/**
 * Degrade, never fail: a store that uses a primary store while it works and memory after the first
 * sign that it does not, telling every connected auth object once.
 * @module
 */

import { memoryStore } from '../stores/memory.ts'
import type { Emit } from '../lib/emit.ts'
import type { TokenStore } from '../types.ts'

/**
 * Options of `fallbackStore`.
 */
export interface FallbackStoreOptions {
  /** Names the primary store in `store_degraded`, e.g. `indexeddb`. */
  readonly name: string
  /** How event messages name it, e.g. `IndexedDB`. */
  readonly label: string
  /**
   * Makes the primary store ready (open the database, load keys). Called once, on first use or
   * first `connect`. A rejection or a timeout sends the store to memory for good.
   */
  readonly open: () => Promise<TokenStore>
  /** Longest wait for `open`. */
  readonly openTimeoutMs: number
}

/**
 * An error whose message is safe to put in an event as it is: it was written here, from fixed text,
 * and holds nothing from a record.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError'
}

/**
 * A store that opens its primary store lazily (bounded by `openTimeoutMs`) and uses it while it
 * works. When opening fails or times out, or any operation throws, it falls back to a fresh
 * in-memory store for the rest of its life (the failing operation is answered by memory too, so no
 * caller sees the failure) and emits one `store_degraded` event to each connected auth object; one
 * that connects later hears about it when it connects. Event messages name the failure (an error
 * name such as `QuotaExceededError`), never an error's own text, which could quote a record.
 */
export function fallbackStore(options: FallbackStoreOptions): TokenStore {
  const memory = memoryStore()
  const connections = new Set<{ readonly emit: Emit }>()
  let opening: Promise<TokenStore | undefined> | undefined
  let degradedBecause: string | undefined

  const notify = (connection: { readonly emit: Emit }, message: string): void => {
    // Later, not inside `connect`: createAuth calls it while the auth object is being built.
    queueMicrotask(() => {
      if (!connections.has(connection)) return
      try {
        connection.emit({ type: 'store_degraded', store: options.name, fallback: 'memory', message })
      } catch {
        // A listener's bug must not break the store.
      }
    })
  }

  const degrade = (message: string): void => {
    if (degradedBecause !== undefined) return
    degradedBecause = message
    for (const connection of connections) notify(connection, message)
  }

  const primary = (): Promise<TokenStore | undefined> =>
    (opening ??= within(options).catch((error: unknown) => {
      degrade(
        error instanceof StoreUnavailableError
          ? error.message
          : `${options.label} could not be opened (${errorName(error)}); tokens are kept in memory only`,
      )
      return undefined
    }))

  const run = async <T>(operation: 'get' | 'set' | 'delete', use: (store: TokenStore) => Promise<T>): Promise<T> => {
    const store = await primary()
    if (store && degradedBecause === undefined) {
      try {
        return await use(store)
      } catch (error) {
        degrade(`${options.label} failed during ${operation} (${errorName(error)}); tokens are kept in memory only`)
      }
    }
    return use(memory)
  }

  return {
    get: (key) => run('get', (store) => store.get(key)),
    set: (key, record, ttlMs) => run('set', (store) => store.set(key, record, ttlMs)),
    delete: (key) => run('delete', (store) => store.delete(key)),
    connect(emit) {
      const connection = { emit }
      connections.add(connection)
      if (degradedBecause !== undefined) notify(connection, degradedBecause)
      let disconnectPrimary: (() => void) | undefined
      // Open now rather than on the first read: the first token is then not kept waiting, and a
      // store that cannot open says so as soon as the auth object exists. Once open, the primary
      // store reports its own events (a record that did not authenticate) to the same listener.
      void primary().then((store) => {
        try {
          if (connections.has(connection)) disconnectPrimary = store?.connect?.(emit)
        } catch {
          // Its events are lost, nothing else: the store still serves.
        }
      })
      return () => {
        connections.delete(connection)
        disconnectPrimary?.()
      }
    },
  }
}

/** `open()`, or a `StoreUnavailableError` once `openTimeoutMs` have passed without it settling. */
function within({ open, openTimeoutMs: ms, label }: FallbackStoreOptions): Promise<TokenStore> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError(`${label} did not open within ${ms} ms; tokens are kept in memory only`)), ms)
  })
  // `open` may throw synchronously; inside an async function that becomes a rejection.
  const opened = (async () => open())()
  return Promise.race([opened, timeout]).finally(() => clearTimeout(timer))
}

/**
 * The name of what was thrown (`QuotaExceededError`, `InvalidStateError`), never its message: a
 * message may quote the value that failed, and that value may hold a token.
 */
export function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | null | undefined)?.name
  return typeof name === 'string' && /^[A-Za-z][\w]{0,59}$/.test(name) ? name : typeof error
}
