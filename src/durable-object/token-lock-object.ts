/**
 * `TokenLockObject`: the Durable Object that serialises token refreshes across every isolate of
 * every location. `durableObjectCoordinator` addresses one object per store key (one credential set
 * and audience), so the object's lock is the one lock for that token.
 *
 * Records are kept in the object's memory only, never in Durable Object storage: a token must not
 * be stored unsealed, and memory is enough. When the object is evicted it forgets them, and the
 * next refresh falls back on the shared store (KV) or, at worst, sends one request.
 * @module
 */

import { readStoredRecord } from '../token/record.ts'
import { isObject } from '../lib/is-object.ts'
import type { StoredRecord } from '../types.ts'
import type { LockGrant } from './lock-protocol.ts'

/** Bounds on what callers may ask, so a buggy caller cannot park a lock for hours. */
const MAX_LEASE_MS = 120_000
const MAX_WAIT_MS = 120_000
const MAX_KEY_LENGTH = 512

interface Waiter {
  readonly lease: string
  readonly leaseMs: number
  readonly answer: (grant: LockGrant) => void
  timer?: ReturnType<typeof setTimeout>
}

interface KeyLock {
  holder?: { readonly lease: string; readonly timer: ReturnType<typeof setTimeout> }
  readonly queue: Waiter[]
}

/**
 * The Durable Object class. Export it from your Worker's main module and bind it (the binding name
 * is yours; the examples use `TOKEN_LOCK`). It needs no storage and no migrations beyond
 * declaring the class.
 *
 * Per key it grants the lock to one caller at a time, in arrival order; a holder that neither
 * releases nor finishes within its lease loses the lock to the next caller. Every grant carries
 * the latest record the object knows, so the next isolate in line sees its predecessor's token.
 * It takes records only from the current holder of the key's lock, with its lease (`/release`,
 * `/publish`): a record from anyone else, or under a lapsed lease, is dropped, so a caller that
 * never held the lock cannot plant a token or a day-long cooldown for the next isolates in line.
 *
 * @example
 * ```ts
 * // worker.ts
 * export { TokenLockObject } from 'camunda-edge-auth/workers'
 * // wrangler.jsonc
 * // "durable_objects": { "bindings": [{ "name": "TOKEN_LOCK", "class_name": "TokenLockObject" }] },
 * // "migrations": [{ "tag": "v1", "new_classes": ["TokenLockObject"] }]
 * ```
 */
export class TokenLockObject {
  readonly #locks = new Map<string, KeyLock>()
  readonly #records = new Map<string, StoredRecord>()

  /** Serves `/lock`, `/release` and `/publish` (see `lock-protocol.ts`). */
  async fetch(request: Request): Promise<Response> {
    if (request.method !== 'POST') return answer({ error: 'use POST' }, 405)
    let body: unknown
    try {
      body = await request.json()
    } catch {
      return answer({ error: 'body must be JSON' }, 400)
    }
    if (!isObject(body) || typeof body.key !== 'string' || body.key.length === 0 || body.key.length > MAX_KEY_LENGTH) {
      return answer({ error: 'body needs a string `key`' }, 400)
    }
    const key = body.key
    switch (new URL(request.url).pathname) {
      case '/lock': {
        const leaseMs = bounded(body.leaseMs, MAX_LEASE_MS)
        const waitMs = bounded(body.waitMs, MAX_WAIT_MS)
        if (leaseMs === undefined || waitMs === undefined) return answer({ error: '`leaseMs` and `waitMs` must be numbers >= 0' }, 400)
        return answer(await this.#lock(key, leaseMs, waitMs))
      }
      case '/release':
        // Kept before the next caller is granted, and only from the holder: a late release of a
        // lapsed lease, or a forged one, must not hand its record to the next isolate in line.
        if (this.#holds(key, body.lease)) {
          this.#keep(key, body.record)
          this.#release(key, body.lease)
        }
        return new Response(null, { status: 204 })
      case '/publish':
        if (!this.#holds(key, body.lease)) return answer({ error: 'only the holder of the lease may publish' }, 403)
        this.#keep(key, body.record)
        return new Response(null, { status: 204 })
      default:
        return answer({ error: 'no such route' }, 404)
    }
  }

  #lock(key: string, leaseMs: number, waitMs: number): Promise<LockGrant> {
    let lock = this.#locks.get(key)
    if (!lock) this.#locks.set(key, (lock = { queue: [] }))
    const entry = lock
    return new Promise<LockGrant>((resolve) => {
      const waiter: Waiter = { lease: crypto.randomUUID(), leaseMs, answer: resolve }
      entry.queue.push(waiter)
      waiter.timer = setTimeout(() => {
        const index = entry.queue.indexOf(waiter)
        if (index < 0) return
        entry.queue.splice(index, 1)
        resolve({ granted: false })
        this.#forgetIfIdle(key, entry)
      }, waitMs)
      this.#grantNext(key, entry)
    })
  }

  #grantNext(key: string, lock: KeyLock): void {
    if (lock.holder) return
    const waiter = lock.queue.shift()
    if (!waiter) {
      this.#forgetIfIdle(key, lock)
      return
    }
    clearTimeout(waiter.timer)
    const timer = setTimeout(() => this.#release(key, waiter.lease), waiter.leaseMs)
    lock.holder = { lease: waiter.lease, timer }
    const record = this.#latest(key)
    waiter.answer({ granted: true, lease: waiter.lease, ...(record && { record }) })
  }

  #release(key: string, lease: string): void {
    const lock = this.#locks.get(key)
    if (!lock?.holder || lock.holder.lease !== lease) return // a late release of a lapsed lease
    clearTimeout(lock.holder.timer)
    lock.holder = undefined
    this.#grantNext(key, lock)
  }

  /** Whether `lease` is the one the current holder of `key`'s lock was granted. */
  #holds(key: string, lease: unknown): lease is string {
    const holder = this.#locks.get(key)?.holder
    return holder !== undefined && typeof lease === 'string' && holder.lease === lease
  }

  #forgetIfIdle(key: string, lock: KeyLock): void {
    if (!lock.holder && lock.queue.length === 0 && this.#locks.get(key) === lock) this.#locks.delete(key)
  }

  /** Keeps the newer token and the later cooldown of what is known and what arrived. */
  #keep(key: string, value: unknown): void {
    const incoming = readStoredRecord(value, key, Date.now())
    if (!incoming) return
    const current = this.#latest(key)
    const tokenIsNew = incoming.token && (!current?.token || incoming.token.expiresAt > current.token.expiresAt)
    const token = tokenIsNew ? incoming.token : current?.token
    // A new token without a cooldown ends the cooldown, as it does in the auth object.
    const previousCooldown = tokenIsNew && !incoming.cooldown ? undefined : current?.cooldown
    const cooldown =
      incoming.cooldown && (!previousCooldown || incoming.cooldown.until > previousCooldown.until) ? incoming.cooldown : previousCooldown
    this.#records.set(key, { v: 1, key, ...(token && { token }), ...(cooldown && { cooldown }) })
  }

  #latest(key: string): StoredRecord | undefined {
    const record = readStoredRecord(this.#records.get(key), key, Date.now())
    if (!record) this.#records.delete(key)
    return record
  }
}

function bounded(value: unknown, max: number): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.min(value, max) : undefined
}

function answer(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
}
