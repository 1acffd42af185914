/**
 * A LockManager stand-in for one JavaScript context: exclusive locks granted in request order,
 * waiting requests withdrawn when their signal aborts. Enough of the Web Locks API for
 * webLocksCoordinator, which needs nothing else; the real one is tested in Chromium.
 */
type Grant = () => void

export function inContextLockManager(): LockManager & { readonly granted: number } {
  const waiting = new Map<string, Grant[]>()
  const held = new Set<string>()
  let granted = 0

  function acquire(name: string, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    if (!held.has(name)) {
      held.add(name)
      granted++
      return Promise.resolve()
    }
    return new Promise((resolve, reject) => {
      const queue = waiting.get(name) ?? []
      waiting.set(name, queue)
      const grant: Grant = () => {
        signal?.removeEventListener('abort', withdraw)
        granted++
        resolve()
      }
      const withdraw = () => {
        queue.splice(queue.indexOf(grant), 1)
        reject(signal!.reason)
      }
      signal?.addEventListener('abort', withdraw, { once: true })
      queue.push(grant)
    })
  }

  function release(name: string): void {
    const next = waiting.get(name)?.shift()
    if (next) next()
    else held.delete(name)
  }

  async function request(name: string, ...args: unknown[]): Promise<unknown> {
    const callback = args.at(-1) as (lock: Lock) => unknown
    const options = (args.length > 1 ? args[0] : {}) as LockOptions
    await acquire(name, options.signal)
    try {
      return await callback({ name, mode: 'exclusive' } as Lock)
    } finally {
      release(name)
    }
  }

  return {
    request,
    query: async () => ({ held: [], pending: [] }),
    get granted() {
      return granted
    },
  } as unknown as LockManager & { readonly granted: number }
}
