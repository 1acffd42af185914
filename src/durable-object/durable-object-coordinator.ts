/**
 * `durableObjectCoordinator`: each isolate's side of the `TokenLockObject` Durable Object. One
 * object per store key, so one lock per credential set and audience across every isolate.
 *
 * An isolate asks the object only when its memory and the store hold no usable token (that is when
 * `createAuth` calls `withLock`). The grant carries the latest record the object knows; it is handed
 * to this isolate's auth objects before the refresh runs, so when a peer has just refreshed, the
 * refresh finds the peer's token and sends nothing. The record stored under the lock travels back
 * with the release, so the object has it before it grants the next caller. A record from a
 * refresh that ran without the lock (the object unreachable or busy past `waitMs`) is not sent:
 * the object takes records only from the lease holder. The next isolate finds it in the store, or
 * refreshes once.
 * @module
 */

import { errorMessage } from '../lib/error-message.ts'
import type { Coordinator, StoredRecord } from '../types.ts'
import type { DurableObjectNamespaceLike, DurableObjectStubLike, StubResponseLike } from './bindings.ts'
import { CoordinatorUnavailableError } from '../errors.ts'
import { recordListeners } from '../coordinators/listeners.ts'
import { LOCK_ORIGIN, type LockGrant, type LockRequest, type ReleaseRequest } from './lock-protocol.ts'

/**
 * Options of `durableObjectCoordinator`.
 *
 * @example
 * ```ts
 * durableObjectCoordinator(env.TOKEN_LOCK, { leaseMs: 15_000, waitMs: 10_000, waitUntil: (p) => ctx.waitUntil(p) })
 * ```
 */
export interface DurableObjectCoordinatorOptions {
  /**
   * How long the lock stays this isolate's if it never releases it (it crashed, or was evicted).
   * Default 15 s; keep it above `createAuth`'s `timeoutMs` (10 s by default).
   */
  readonly leaseMs?: number
  /**
   * How long to wait in the object's queue. After it `withLock` throws, and `createAuth` refreshes
   * without the lock and emits `coordinator_error`. Default 10 s (below `createAuth`'s 15 s
   * `lockTimeoutMs`, so the object's answer comes first).
   */
  readonly waitMs?: number
  /** Longest wait for the release to reach the object before going on (the lease ends it anyway). Default 2 s. */
  readonly releaseTimeoutMs?: number
  /** Keeps the isolate alive for a release still on its way (a Worker's `ctx.waitUntil`). */
  readonly waitUntil?: (promise: Promise<unknown>) => void
}

/**
 * A `Coordinator` over the `TokenLockObject` Durable Object: one token refresh at a time per
 * credential set across all isolates, and each new record handed to the next isolate that asks.
 * If the object cannot be reached, `withLock` throws `CoordinatorUnavailableError`; `createAuth`
 * then refreshes without the lock and emits `coordinator_error`.
 *
 * @example
 * ```ts
 * import { createAuth, parseCredentials } from 'camunda-edge-auth'
 * import { durableObjectCoordinator, kvStore } from 'camunda-edge-auth/workers'
 * export { TokenLockObject } from 'camunda-edge-auth/workers'
 *
 * export default {
 *   async fetch(request: Request, env: Env) {
 *     const credentials = parseCredentials(env)
 *     const auth = createAuth({
 *       credentials,
 *       store: kvStore(env.TOKENS, { credentials }),
 *       coordinator: durableObjectCoordinator(env.TOKEN_LOCK),
 *     })
 *     return auth.fetch('zeebe', '/v2/topology')
 *   },
 * }
 * ```
 */
export function durableObjectCoordinator<Id>(
  binding: DurableObjectNamespaceLike<Id>,
  options: DurableObjectCoordinatorOptions = {},
): Coordinator {
  const leaseMs = options.leaseMs ?? 15_000
  const waitMs = options.waitMs ?? 10_000
  const releaseTimeoutMs = options.releaseTimeoutMs ?? 2_000
  const listeners = recordListeners()
  /** Per key, the locks this isolate holds now, each with the latest record published under it. */
  const held = new Map<string, { record?: StoredRecord }[]>()

  const deliver = listeners.deliver
  const stubOf = (key: string): DurableObjectStubLike => binding.get(binding.idFromName(key))
  const post = (stub: DurableObjectStubLike, path: string, body: LockRequest | ReleaseRequest) =>
    stub.fetch(`${LOCK_ORIGIN}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

  async function lock(stub: DurableObjectStubLike, key: string): Promise<Extract<LockGrant, { granted: true }>> {
    let response: StubResponseLike
    try {
      response = await post(stub, '/lock', { key, leaseMs, waitMs })
    } catch (error) {
      throw new CoordinatorUnavailableError(`the TokenLockObject Durable Object could not be reached: ${errorMessage(error)}`, {
        cause: error,
      })
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {})
      throw new CoordinatorUnavailableError(`the TokenLockObject Durable Object answered ${response.status} to /lock`)
    }
    const grant = (await response.json().catch(() => undefined)) as Partial<LockGrant> | undefined
    if (grant?.granted !== true || typeof grant.lease !== 'string') {
      throw new CoordinatorUnavailableError(`the TokenLockObject Durable Object did not grant the lock within ${waitMs} ms`)
    }
    return grant as Extract<LockGrant, { granted: true }>
  }

  async function release(stub: DurableObjectStubLike, key: string, lease: string, record: StoredRecord | undefined): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const sent = post(stub, '/release', { key, lease, ...(record && { record }) }).then((response) => response.body?.cancel())
    // The request may end before the release arrives: keep the isolate alive for it where we can.
    options.waitUntil?.(sent.catch(() => {}))
    try {
      await Promise.race([sent, new Promise((resolve) => (timer = setTimeout(resolve, releaseTimeoutMs)))])
    } catch {
      // The lease ends the lock anyway; the record still reached this isolate's store and memory.
    } finally {
      clearTimeout(timer)
      sent.catch(() => {})
    }
  }

  return {
    async withLock(key, fn) {
      const stub = stubOf(key)
      const grant = await lock(stub, key)
      // Before fn: the auth object adopts the peer's token, and its refresh then sends nothing.
      if (grant.record) deliver(key, grant.record)
      const hold: { record?: StoredRecord } = {}
      let holds = held.get(key)
      if (!holds) held.set(key, (holds = []))
      holds.push(hold)
      try {
        return await fn()
      } finally {
        holds.splice(holds.indexOf(hold), 1)
        if (holds.length === 0 && held.get(key) === holds) held.delete(key)
        await release(stub, key, grant.lease, hold.record)
      }
    },
    publish(key, record) {
      deliver(key, record)
      const holds = held.get(key)
      if (holds?.length) {
        for (const hold of holds) hold.record = record // travels with the release
        return
      }
      // Published outside a lock (the object was unreachable or busy, so the refresh ran without
      // it): the object takes records from the lease holder only, so this isolate keeps it to itself.
    },
    subscribe: listeners.subscribe,
  }
}
