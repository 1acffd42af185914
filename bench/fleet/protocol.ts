/**
 * What the fleet harness and its child processes say to each other over IPC.
 * @module
 */

/** How each process of one round gets its token. */
export type FleetMode =
  /** createAuth's defaults: each process its own memory. */
  | 'none'
  /** `redisStore` alone (the in-process coordinator). */
  | 'redis-store'
  /** `redisStore` + `redisCoordinator` (the lease). */
  | 'redis'
  /** `redisStore` + `redisCoordinator` with pub/sub on a second connection. */
  | 'redis-pubsub'
  /** `fileStore` + `fileLockCoordinator` in `dir`. */
  | 'file'
  /** `@camunda8/sdk`'s OAuthProvider with its disk cache in `dir`. */
  | 'sdk-disk'

/** One round: every process makes a fresh auth object and gets one token. */
export interface Round {
  readonly mode: FleetMode
  readonly client?: 'node-redis' | 'ioredis'
  /** Redis key prefix, so that rounds never share a record. */
  readonly prefix?: string
  readonly leaseMs?: number
  readonly retryAfterMs?: number
  readonly lockTimeoutMs?: number
  /** The folder of `file` and `sdk-disk`. */
  readonly dir?: string
}

/** What a child reports. */
export type ChildMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'redis-ready' }
  /** It is sending a token request now. */
  | { readonly type: 'requesting' }
  | { readonly type: 'token'; readonly token: string; readonly ms: number; readonly events: readonly string[] }
  | { readonly type: 'failed'; readonly message: string; readonly ms: number; readonly events: readonly string[] }
