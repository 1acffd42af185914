/**
 * camunda-edge-auth/deno: Deno adapters. A Deno KV token store, and an atomic Deno KV lease that
 * serialises token refreshes across Deno Deploy isolates.
 *
 * @example
 * ```ts
 * import { createAuth, parseCredentials } from 'camunda-edge-auth'
 * import { denoKvLeaseCoordinator, denoKvStore } from 'camunda-edge-auth/deno'
 *
 * const kv = await Deno.openKv()
 * const credentials = parseCredentials(Deno.env.toObject())
 * const auth = createAuth({ credentials, store: denoKvStore(kv, { credentials }), coordinator: denoKvLeaseCoordinator(kv) })
 * ```
 * @module camunda-edge-auth/deno
 */
export { denoKvStore, type DenoKvStoreOptions } from './deno/kv-store.ts'
export { denoKvLeaseCoordinator, type DenoKvLeaseOptions } from './deno/kv-lease.ts'
export { DEFAULT_KV_PREFIX, type DenoKvAtomicLike, type DenoKvEntryLike, type DenoKvKey, type DenoKvLike } from './deno/kv-like.ts'
