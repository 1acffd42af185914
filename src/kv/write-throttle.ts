/**
 * Workers KV accepts about one write per second to the same key; faster writes are refused (429).
 * This throttle keeps an isolate under that limit by coalescing: a write that comes too soon is
 * held, replaced by any later write to the same key, and sent once the second has passed. Only
 * the latest value matters for a token record, so the writes in between are safely dropped.
 * @module
 */

/**
 * A write held back by the throttle, and what a read of that key should see meanwhile.
 */
export interface QueuedWrite {
  /** What the write does, for reports. */
  readonly operation: 'set' | 'delete'
  /** The value the key will hold once the write is sent; `undefined` for a delete. */
  readonly value: string | undefined
  /** Sends the write. */
  readonly run: () => Promise<void>
}

/**
 * Options of `keyWriteThrottle`.
 */
export interface KeyWriteThrottleOptions {
  /** Least time between two writes to one key. */
  readonly intervalMs: number
  /** Hears about held-back writes that failed; nothing else does, since their caller has moved on. */
  readonly onError: (error: unknown, write: QueuedWrite) => void
  /** Keeps the isolate alive for a held-back write (a Worker's `ctx.waitUntil`). */
  readonly waitUntil?: (promise: Promise<unknown>) => void
  /** The clock. Default `Date.now`. */
  readonly now?: () => number
}

/**
 * The throttle: `write(key, queued)` sends now when the key is quiet, else holds the write.
 */
export interface KeyWriteThrottle {
  /**
   * Sends the write at once (and resolves or rejects with it) when the key was not written within
   * the interval; otherwise holds it and resolves at once. A held write's failure goes to `onError`.
   */
  write(key: string, queued: QueuedWrite): Promise<void>
  /** The write held for `key`, if any: reads must see it, or an isolate forgets its own write. */
  held(key: string): QueuedWrite | undefined
}

interface KeyState {
  lastWriteAt: number
  held?: QueuedWrite
  timer?: ReturnType<typeof setTimeout>
}

/**
 * Make a per-key write throttle.
 */
export function keyWriteThrottle(options: KeyWriteThrottleOptions): KeyWriteThrottle {
  const now = options.now ?? Date.now
  const keys = new Map<string, KeyState>()

  function prune(at: number): void {
    for (const [key, state] of keys) if (!state.timer && at - state.lastWriteAt >= options.intervalMs) keys.delete(key)
  }

  function flush(state: KeyState): Promise<void> {
    state.timer = undefined
    const queued = state.held
    state.held = undefined
    if (!queued) return Promise.resolve()
    state.lastWriteAt = now()
    // Never an unhandled rejection, nor an uncaught throw from a synchronous `run`: nobody awaits a
    // held write, and it runs from a timer.
    return Promise.resolve()
      .then(queued.run)
      .catch((error: unknown) => {
        try {
          options.onError(error, queued)
        } catch {
          // A reporting bug must not escape either.
        }
      })
  }

  return {
    write(key, queued) {
      const at = now()
      prune(at)
      let state = keys.get(key)
      if (!state) keys.set(key, (state = { lastWriteAt: Number.NEGATIVE_INFINITY }))
      if (!state.timer && at - state.lastWriteAt >= options.intervalMs) {
        state.lastWriteAt = at
        return queued.run()
      }
      state.held = queued
      if (!state.timer) {
        const s = state
        let done!: () => void
        const flushed = new Promise<void>((resolve) => (done = resolve))
        s.timer = setTimeout(() => void flush(s).then(done), Math.max(0, s.lastWriteAt + options.intervalMs - at))
        options.waitUntil?.(flushed)
      }
      return Promise.resolve()
    },
    held: (key) => keys.get(key)?.held,
  }
}
