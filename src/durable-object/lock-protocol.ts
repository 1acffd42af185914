/**
 * The messages between `durableObjectCoordinator` (in each isolate) and the `TokenLockObject`
 * Durable Object: plain JSON over the object's `fetch`, so the class needs no RPC support.
 *
 * - `POST /lock` `{ key, leaseMs, waitMs }` → `{ granted: true, lease, record? }` once the lock is
 *   this caller's, or `{ granted: false }` after `waitMs`.
 * - `POST /release` `{ key, lease, record? }` → 204: frees the lock, keeping `record` first; when
 *   `lease` is not the current holder's (lapsed, or never granted) nothing is freed or kept.
 * - `POST /publish` `{ key, lease, record }` → 204: keeps `record` as the latest for `key`, from the
 *   current holder only; any other caller gets 403 and nothing is kept.
 * @module
 */

import type { StoredRecord } from '../types.ts'

/**
 * The origin requests to the object are addressed to. Only the path matters to the object.
 */
export const LOCK_ORIGIN = 'https://token-lock.invalid'

/**
 * A lock request.
 */
export interface LockRequest {
  readonly key: string
  /** How long the lock stays this caller's without a release: a dead isolate cannot hold it longer. */
  readonly leaseMs: number
  /** How long to wait in the queue before answering `{ granted: false }`. */
  readonly waitMs: number
}

/**
 * The answer to a lock request. `record` is the latest record the object knows for the key: the
 * caller hands it to its auth objects before refreshing, so a refresh a peer just did is not repeated.
 */
export type LockGrant = { readonly granted: true; readonly lease: string; readonly record?: StoredRecord } | { readonly granted: false }

/**
 * A release, with the record stored under the lock (if any), kept before the next caller is granted.
 */
export interface ReleaseRequest {
  readonly key: string
  readonly lease: string
  readonly record?: StoredRecord
}

/**
 * A record sent by the lock's current holder before its release. `durableObjectCoordinator` sends
 * the record with the release instead, and a record published outside a lock not at all.
 */
export interface PublishRequest {
  readonly key: string
  /** The lease of the current holder: the object refuses a record from anyone else. */
  readonly lease: string
  readonly record: StoredRecord
}
