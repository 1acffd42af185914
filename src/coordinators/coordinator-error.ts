/**
 * The error a cross-context coordinator (KV lease, Durable Object, Deno KV lease) throws when it
 * cannot serialise a refresh: the object is unreachable, or no lock came in time. `createAuth`
 * never lets it reach a caller: it refreshes without the lock (single flight still holds in the
 * isolate) and emits `coordinator_error` with this message.
 * @module
 */

import { AuthError } from '../errors.ts'

/**
 * The coordinator could not grant the lock. `code` is `ERR_COORDINATOR_UNAVAILABLE`.
 *
 * @example
 * ```ts
 * throw new CoordinatorUnavailableError('Durable Object answered 500 to /lock')
 * ```
 */
export class CoordinatorUnavailableError extends AuthError {
  static override code = 'ERR_COORDINATOR_UNAVAILABLE' as const
}
