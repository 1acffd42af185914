/**
 * The part of Deno KV (`Deno.Kv`) the Deno adapters use, declared structurally: the package is
 * type-checked without Deno's types, and a real `Deno.Kv` (from `Deno.openKv()`) fits it.
 * @module
 */

/**
 * A Deno KV key. This package only uses string parts.
 *
 * @example
 * ```ts
 * const key: DenoKvKey = ['camunda-edge-auth', 'token', storeKey]
 * ```
 */
export type DenoKvKey = readonly string[]

/**
 * What `kv.get` returns: the value, and its versionstamp (`null` when the key is absent).
 *
 * @example
 * ```ts
 * const { value, versionstamp }: DenoKvEntryLike = await kv.get(key)
 * ```
 */
export interface DenoKvEntryLike {
  readonly value: unknown
  readonly versionstamp: string | null
}

/**
 * An atomic operation: checks, then writes that all happen or none do.
 *
 * @example
 * ```ts
 * const result = await kv.atomic().check({ key, versionstamp: null }).set(key, lease, { expireIn: 15_000 }).commit()
 * ```
 */
export interface DenoKvAtomicLike {
  check(...checks: { key: DenoKvKey; versionstamp: string | null }[]): DenoKvAtomicLike
  set(key: DenoKvKey, value: unknown, options?: { expireIn?: number }): DenoKvAtomicLike
  delete(key: DenoKvKey): DenoKvAtomicLike
  /** `{ ok: true, versionstamp }` when every check held and the writes were made, else `{ ok: false }`. */
  commit(): Promise<{ readonly ok: boolean; readonly versionstamp?: string }>
}

/**
 * A Deno KV database, as returned by `Deno.openKv()`.
 *
 * @example
 * ```ts
 * const kv: DenoKvLike = await Deno.openKv()
 * ```
 */
export interface DenoKvLike {
  get(key: DenoKvKey): Promise<DenoKvEntryLike>
  set(key: DenoKvKey, value: unknown, options?: { expireIn?: number }): Promise<unknown>
  delete(key: DenoKvKey): Promise<void>
  atomic(): DenoKvAtomicLike
}

/**
 * The first key part of everything the Deno adapters write, unless `prefix` says otherwise.
 *
 * @example
 * ```ts
 * await kv.get([DEFAULT_KV_PREFIX, 'token', storeKey])
 * ```
 */
export const DEFAULT_KV_PREFIX = 'camunda-edge-auth'
