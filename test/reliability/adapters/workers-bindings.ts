/**
 * Workers bindings for the reliability suite, in Node: a real KV namespace from Miniflare (workerd's
 * own KV), views of it that fail the way KV can fail but cannot be made to fail locally, and a
 * Durable Object binding whose stub answers as a broken object would.
 */
import { afterAll, beforeAll } from 'vitest'
import { Miniflare } from 'miniflare'
import type { DurableObjectNamespaceLike, KvNamespaceLike, StubResponseLike } from '../../../src/workers.ts'

/** A real Workers KV namespace, served by workerd through Miniflare. */
export interface RealKv {
  readonly namespace: KvNamespaceLike
  /** Every key in the namespace with its raw value, read past KV's cache. */
  entries(): Promise<Array<[string, string | null]>>
  /** Writes a raw value, as another program (or a corrupted write) would. */
  putRaw(key: string, value: string): Promise<void>
  readRaw(key: string): Promise<string | null>
  /** Deletes every key: a namespace as a new deployment finds it. */
  clear(): Promise<void>
  dispose(): Promise<void>
}

/** Starts one Miniflare with one KV namespace. Dispose it in `afterAll`. */
/**
 * One real KV namespace for a describe block: Miniflare started before its tests and disposed
 * after, once every held write or lease release handed to `waitUntil` has settled.
 */
export function useMiniflareKv(): {
  readonly real: RealKv
  readonly pending: Promise<unknown>[]
  waitUntil(promise: Promise<unknown>): void
} {
  let real: RealKv | undefined
  const pending: Promise<unknown>[] = []
  beforeAll(async () => void (real = await miniflareKv()), 20_000)
  afterAll(async () => {
    await Promise.allSettled(pending)
    await real?.dispose()
  })
  return {
    get real() {
      if (!real) throw new Error('Miniflare KV is used before beforeAll ran')
      return real
    },
    pending,
    waitUntil: (promise) => void pending.push(promise),
  }
}

export async function miniflareKv(): Promise<RealKv> {
  const mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response() } }', kvNamespaces: ['TOKENS'] })
  const kv = await mf.getKVNamespace('TOKENS')
  const namespace = kv as unknown as KvNamespaceLike
  const real: RealKv = {
    namespace,
    async entries() {
      const keys: string[] = []
      let cursor: string | undefined
      for (;;) {
        const page = await kv.list(cursor ? { cursor } : {})
        keys.push(...page.keys.map((key) => key.name))
        if (page.list_complete) break
        cursor = page.cursor
      }
      return Promise.all(keys.map(async (key) => [key, await kv.get(key, 'text')] as [string, string | null]))
    },
    putRaw: (key, value) => kv.put(key, value, { expirationTtl: 600 }),
    readRaw: (key) => kv.get(key, 'text'),
    async clear() {
      await Promise.all((await real.entries()).map(([key]) => kv.delete(key)))
    },
    dispose: () => mf.dispose(),
  }
  return real
}

/** A KV operation, as `faultyNamespace` sees it. */
export type KvOperation = 'get' | 'put' | 'delete'

/**
 * Decides the outcome of one KV operation: `undefined` passes it to the real namespace; anything
 * else is the operation's result (a rejection, a promise that never settles, or a value for `get`).
 * A fault may also throw synchronously, as a broken binding could.
 */
export type KvFault = (operation: KvOperation, key: string, value: string | undefined) => Promise<string | null | undefined> | undefined

/** The real namespace, with each operation first offered to `fault`, and every operation counted. */
export function faultyNamespace(
  inner: KvNamespaceLike,
  fault: KvFault,
): { namespace: KvNamespaceLike; calls: Record<KvOperation, number> } {
  const calls: Record<KvOperation, number> = { get: 0, put: 0, delete: 0 }
  return {
    calls,
    namespace: {
      get(key, options) {
        calls.get++
        return (fault('get', key, undefined) as Promise<string | null> | undefined) ?? inner.get(key, options)
      },
      put(key, value, options) {
        calls.put++
        return (fault('put', key, value) as Promise<void> | undefined) ?? inner.put(key, value, options)
      },
      delete(key) {
        calls.delete++
        return (fault('delete', key, undefined) as Promise<void> | undefined) ?? inner.delete(key)
      },
    },
  }
}

/** A promise that never settles: a KV call or a Durable Object that never answers. */
export const never = <T>(): Promise<T> => new Promise<T>(() => {})

/** How KV refuses a key written more than once a second. */
export const tooManyRequests = (operation: 'PUT' | 'DELETE' = 'PUT') =>
  Promise.reject(new Error(`KV ${operation} failed: 429 Too Many Requests`))

/**
 * A Durable Object namespace whose one stub answers every request with `answer(path, body)`: a
 * real `Response`, a rejection, a synchronous throw, or a promise that never settles.
 */
export function brokenDurableObject(answer: (path: string, body: string) => Promise<StubResponseLike>): {
  binding: DurableObjectNamespaceLike<string>
  paths: string[]
} {
  const paths: string[] = []
  return {
    paths,
    binding: {
      idFromName: (name) => `id:${name}`,
      get: () => ({
        fetch(url, init) {
          const path = new URL(url).pathname
          paths.push(path)
          return answer(path, init.body)
        },
      }),
    },
  }
}
