/**
 * Views of the real KV binding for tests: one that records every write with its options, and one
 * whose writes fail as KV does when a key is written more than once a second.
 */
import type { KvNamespaceLike, KvWriteOptions } from '../../src/workers.ts'

export interface RecordedPut {
  readonly key: string
  readonly value: string
  readonly options: KvWriteOptions | undefined
  readonly at: number
}

/** The real namespace, with every put recorded (and still performed). */
export function recordingNamespace(inner: KvNamespaceLike): { namespace: KvNamespaceLike; puts: RecordedPut[] } {
  const puts: RecordedPut[] = []
  return {
    puts,
    namespace: {
      get: (key, options) => inner.get(key, options),
      put(key, value, options) {
        puts.push({ key, value, options, at: Date.now() })
        return inner.put(key, value, options)
      },
      delete: (key) => inner.delete(key),
    },
  }
}

/** The real namespace for reads; every write is refused the way KV refuses a key written too often. */
export function refusingNamespace(inner: KvNamespaceLike): { namespace: KvNamespaceLike; attempts: () => number } {
  let attempts = 0
  return {
    attempts: () => attempts,
    namespace: {
      get: (key, options) => inner.get(key, options),
      async put() {
        attempts++
        throw new Error('KV PUT failed: 429 Too Many Requests')
      },
      async delete() {
        attempts++
        throw new Error('KV DELETE failed: 429 Too Many Requests')
      },
    },
  }
}
