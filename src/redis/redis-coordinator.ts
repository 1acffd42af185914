/**
 * A lock across processes, held as a lease in Redis: one token refresh per credential set however
 * many processes of a fleet start cold together.
 *
 * - **Taking it**: `SET <prefix>lease:<store key> <owner> NX PX <leaseMs>`, the owner a random
 *   value of this attempt. Exactly one process's `SET` succeeds while the key lives.
 * - **Releasing it**: one `EVAL` that deletes the key only if it still holds this owner, so a
 *   holder whose lease lapsed (it was slow, or paused) can never release the next holder's.
 * - **Waiting**: the others try again every `pollMs` (with jitter, so a fleet does not poll in
 *   step), and watch the record `redisStore` keeps under the same prefix. When it changes (the
 *   holder wrote its token, or its cooldown), a waiter stops waiting and runs its refresh, which
 *   reads the record and sends nothing: waiters do not queue for the lease one by one. They give
 *   up when `waitMs` passes or `createAuth` stops waiting (its `lockTimeoutMs`); then `createAuth`
 *   refreshes without the lock and emits `coordinator_error`.
 * - **A holder that dies** (killed, crashed) leaves a lease that Redis expires after `leaseMs`.
 * - **Records by pub/sub** (optional, `subscriber`): the holder publishes its new record, sealed
 *   like a stored one, on `<prefix>record:<store key>`; a waiting process takes it from the
 *   message and stops waiting, with no further read. It needs a second connection: Redis takes no
 *   other command on a subscribed one.
 * - **Failures**: every command is bounded (`commandTimeoutMs`, then Redis is left alone for
 *   `retryAfterMs`); a failure costs the lock, never a token: `withLock` throws
 *   `CoordinatorUnavailableError` and `createAuth` goes on without it.
 * @module
 */

import { CoordinatorUnavailableError, InvalidArgumentError } from '../errors.ts'
import { errorMessage } from '../lib/error-message.ts'
import { noop } from '../lib/noop.ts'
import { positiveMs } from '../lib/positive-ms.ts'
import { recordListeners } from '../coordinators/listeners.ts'
import { storeEncryptionKey, type EncryptionKeySource } from '../stores/encrypted.ts'
import type { Coordinator, Credentials, StoredRecord } from '../types.ts'
import { openMessage, sealMessage } from './sealed-message.ts'
import { DEFAULT_REDIS_PREFIX, type RedisClientLike, type RedisSubscriberLike, type RedisTiming, redisCalls, replyText } from './client.ts'

/** The record's value before the first look: any value read later differs from it. */
const UNREAD = Symbol('unread')

/** Deletes the lease only if it still holds this owner: compare and delete in one atomic step. */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"

/**
 * Options of `redisCoordinator`.
 *
 * @example
 * ```ts
 * redisCoordinator(client, { leaseMs: 15_000, subscriber: await client.duplicate().connect(), credentials })
 * ```
 */
export interface RedisCoordinatorOptions extends RedisTiming {
  /**
   * How long a holder is trusted to finish its refresh: a killed process's lease lapses after it.
   * Default 12 s: above `createAuth`'s `timeoutMs` (10 s), so a slow but live holder is not
   * doubled, and with a poll below its `lockTimeoutMs` (15 s), so the waiters of a killed holder
   * take the lease over before they give up on it.
   */
  readonly leaseMs?: number
  /**
   * The longest wait for another process's lease before refreshing without it. Default `leaseMs`
   * + 2 s: one lease lapsing, and time to take it over.
   */
  readonly waitMs?: number
  /** About how often a waiting process tries the lease again (± half, at random). Default 50 ms. */
  readonly pollMs?: number
  /** The first part of every key and channel. Default `camunda-edge-auth:`; give `redisStore` the same. */
  readonly prefix?: string
  /**
   * A second connection to the same Redis, for pub/sub: the holder's new record reaches waiting
   * processes in a message, not by another read. Published records are sealed, so `credentials` or
   * `encryptionKey` is needed with it.
   */
  readonly subscriber?: RedisSubscriberLike
  /** With `subscriber`: the key that seals published records is derived from the client secret. */
  readonly credentials?: Credentials
  /** With `subscriber`: an explicit AES-GCM key instead (the same as `redisStore`'s). */
  readonly encryptionKey?: EncryptionKeySource
}

/**
 * A `Coordinator` that serialises token refreshes across processes through a lease in Redis
 * (`SET NX PX`, released by compare-and-delete). Pair it with `redisStore` on the same Redis, so
 * that the processes that waited find the holder's token.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis'
 * import { createAuth, parseCredentials } from 'camunda-edge-auth'
 * import { redisCoordinator, redisStore } from 'camunda-edge-auth/redis'
 *
 * const client = await createClient({ url: process.env.REDIS_URL }).connect()
 * const subscriber = await client.duplicate().connect() // optional: records by pub/sub
 * const credentials = parseCredentials(process.env)
 * const auth = createAuth({
 *   credentials,
 *   store: redisStore(client, { credentials }),
 *   coordinator: redisCoordinator(client, { subscriber, credentials }),
 * })
 * ```
 * @see {@link https://redis.io/docs/latest/develop/use/patterns/distributed-locks/ Redis: distributed locks with a single instance}
 */
export function redisCoordinator(client: RedisClientLike, options: RedisCoordinatorOptions = {}): Coordinator {
  const leaseMs = options.leaseMs ?? 12_000
  const waitMs = options.waitMs ?? leaseMs + 2_000
  const pollMs = options.pollMs ?? 50
  positiveMs('redisCoordinator', {
    leaseMs,
    waitMs,
    pollMs,
    commandTimeoutMs: options.commandTimeoutMs,
    retryAfterMs: options.retryAfterMs,
  })
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX
  const call = redisCalls('redisCoordinator', options)
  const { subscriber } = options
  const pubsub = subscriber && channels(client, subscriber, prefix, sealingKey(options))

  async function release(leaseKey: string, owner: string): Promise<void> {
    await client.eval(RELEASE, { keys: [leaseKey], arguments: [owner] })
  }

  return {
    async withLock(key, fn, lockOptions) {
      const signal = lockOptions?.signal
      const leaseKey = `${prefix}lease:${key}`
      const recordKey = `${prefix}token:${key}`
      let baseline: string | undefined | typeof UNREAD = UNREAD
      const deadline = Date.now() + waitMs
      const heard = pubsub?.watch(key)
      try {
        for (;;) {
          if (signal?.aborted) throw new CoordinatorUnavailableError('the wait for the Redis lease was withdrawn')
          const owner = randomOwner()
          let taken: unknown
          let sent = false
          try {
            taken = await call('SET NX', () => {
              sent = true
              return client.set(leaseKey, owner, { condition: 'NX', expiration: { type: 'PX', value: leaseMs } })
            })
          } catch (error) {
            // A client that queues while disconnected may still send this SET later: the release
            // queued behind it on the same connection then deletes the lease straight after.
            if (sent) release(leaseKey, owner).catch(noop)
            throw new CoordinatorUnavailableError(`the Redis lease could not be taken: ${errorMessage(error)}`, { cause: error })
          }
          if (taken === 'OK') {
            try {
              return await fn()
            } finally {
              // Not awaited: the token is not kept from its caller by one more round trip. Past the
              // bounded calls on purpose, so a Redis that just failed still gets it queued; a
              // release that fails leaves the lease to lapse after leaseMs.
              release(leaseKey, owner).catch(noop)
            }
          }
          // The holder's record came by pub/sub: the refresh finds it in memory and sends nothing.
          if (heard?.came) return await fn()
          // Or a new record came to the store since this wait began: the holder wrote it. The
          // refresh reads it and sends nothing (or meets the holder's cooldown). A record that
          // went (its PX expiry, invalidate()) is no news: keep waiting for the lease.
          let record: string | undefined
          try {
            record = replyText(await call('GET', () => client.get(recordKey)))
          } catch (error) {
            throw new CoordinatorUnavailableError(`the Redis lease could not be watched: ${errorMessage(error)}`, { cause: error })
          }
          if (baseline !== UNREAD && record !== baseline && record !== undefined) return await fn()
          baseline = record
          const left = deadline - Date.now()
          if (left <= 0) throw new CoordinatorUnavailableError(`no Redis lease for the token refresh within ${waitMs} ms`)
          await pause(Math.min(left, pollMs * (0.5 + Math.random())), signal, heard)
          if (heard?.came) return await fn()
        }
      } finally {
        heard?.stop()
      }
    },
    ...(pubsub && { publish: pubsub.publish, subscribe: pubsub.subscribe }),
  }
}

/** The key published records are sealed with: required with a subscriber, never used without. */
function sealingKey(options: RedisCoordinatorOptions): () => Promise<CryptoKey> {
  if (!options.credentials && !options.encryptionKey) {
    throw new InvalidArgumentError(
      "redisCoordinator: with `subscriber`, pass `credentials` (or `encryptionKey`, the same as redisStore's): published records are sealed like stored ones, never sent in clear",
    )
  }
  const source = storeEncryptionKey('redisCoordinator', options)
  let cached: Promise<CryptoKey> | undefined
  return () => (cached ??= typeof source === 'function' ? source() : Promise.resolve(source))
}

/** A wait for one key's record: `came` turns true when a message for it is heard. */
interface Heard {
  came: boolean
  wake?: () => void
  stop(): void
}

/**
 * Records by pub/sub: sealed records out on `PUBLISH`, opened records in to this process's
 * listeners and to its waiting `withLock` calls. One Redis subscription per store key with
 * listeners here; a message that does not open (forged, another credential set) is dropped.
 */
function channels(client: RedisClientLike, subscriber: RedisSubscriberLike, prefix: string, key: () => Promise<CryptoKey>) {
  const listeners = recordListeners()
  const counts = new Map<string, number>()
  const waiting = new Map<string, Set<Heard>>()
  const channelOf = (storeKey: string) => `${prefix}record:${storeKey}`
  const keyOfChannel = (channel: string) => channel.slice(`${prefix}record:`.length)

  const onMessage = (message: string, channel: string): void => {
    const storeKey = keyOfChannel(channel)
    void key()
      .then((cryptoKey) => openMessage(cryptoKey, storeKey, message))
      .then((record) => {
        if (record === undefined) return
        // Listeners validate what they are handed (readStoredRecord), as they do a store's value.
        listeners.deliver(storeKey, record as StoredRecord)
        for (const heard of waiting.get(storeKey) ?? []) {
          heard.came = true
          heard.wake?.()
        }
      })
      .catch(noop)
  }

  return {
    publish(storeKey: string, record: StoredRecord): void {
      void key()
        .then((cryptoKey) => sealMessage(cryptoKey, storeKey, record))
        .then((sealed) => client.publish(channelOf(storeKey), sealed))
        .catch(noop) // a lost message costs a waiter one read of the store, nothing more
    },
    subscribe(storeKey: string, listener: (record: StoredRecord) => void): () => void {
      const unsubscribe = listeners.subscribe(storeKey, listener)
      const count = counts.get(storeKey) ?? 0
      counts.set(storeKey, count + 1)
      if (count === 0) void Promise.resolve(subscriber.subscribe(channelOf(storeKey), onMessage)).catch(noop)
      let done = false
      return () => {
        if (done) return
        done = true
        unsubscribe()
        const left = (counts.get(storeKey) ?? 1) - 1
        if (left > 0) return void counts.set(storeKey, left)
        counts.delete(storeKey)
        void Promise.resolve(subscriber.unsubscribe(channelOf(storeKey), onMessage)).catch(noop)
      }
    },
    watch(storeKey: string): Heard {
      let set = waiting.get(storeKey)
      if (!set) waiting.set(storeKey, (set = new Set()))
      const heard: Heard = {
        came: false,
        stop: () => {
          set.delete(heard)
          if (set.size === 0 && waiting.get(storeKey) === set) waiting.delete(storeKey)
        },
      }
      set.add(heard)
      return heard
    },
  }
}

/** Sleeps `ms`, or less when the signal aborts or the awaited record comes. */
function pause(ms: number, signal: AbortSignal | undefined, heard: Heard | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      if (heard) heard.wake = undefined
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
    if (heard) heard.wake = done
  })
}

/** A lease owner no other attempt shares: 128 random bits. */
function randomOwner(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('')
}
