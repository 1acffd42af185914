/**
 * The part of a Workers KV binding this package uses, as structural types. The real binding
 * (`KVNamespace` from `@cloudflare/workers-types`) fits them, so the package typechecks and
 * bundles without the Workers types.
 * @module
 */

/**
 * Options of a KV read that this package sends.
 *
 * @example
 * ```ts
 * await namespace.get(key, { type: 'text', cacheTtl: 60 })
 * ```
 */
export interface KvReadOptions {
  readonly type: 'text'
  /** Seconds the value may be served from the location's cache; KV's minimum is 30. */
  readonly cacheTtl?: number
}

/**
 * Options of a KV write that this package sends.
 *
 * @example
 * ```ts
 * await namespace.put(key, value, { expirationTtl: 300 })
 * ```
 */
export interface KvWriteOptions {
  /** Seconds until KV deletes the value; KV's minimum is 60. */
  readonly expirationTtl?: number
}

/**
 * A Workers KV namespace binding, as far as this package uses it.
 *
 * @example
 * ```ts
 * const namespace: KvNamespaceLike = env.TOKENS
 * ```
 */
export interface KvNamespaceLike {
  get(key: string, options: KvReadOptions): Promise<string | null>
  put(key: string, value: string, options?: KvWriteOptions): Promise<void>
  delete(key: string): Promise<void>
}
