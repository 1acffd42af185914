/**
 * The hooks the browser and edge adapters build on: token sources, getTokenRecord, a store's
 * event connection, and cooldowns published to peers.
 */
import { describe, expect, it } from 'vitest'
import {
  RateLimitedError,
  TokenEndpointError,
  inProcessCoordinator,
  memoryStore,
  type AuthEvent,
  type StoredRecord,
  type TokenSource,
  type TokenStore,
} from '../../src/index.ts'
import { webLocksCoordinator } from '../../src/browser.ts'
import { T0, harness, rejectionOf } from '../helpers/harness.ts'
import { UnknownApiError } from '../../src/errors.ts'

describe('createAuth: token sources', () => {
  it('gets tokens from the token source instead of the token endpoint, one call for many callers', async () => {
    const calls: { api: string; audience: string | undefined; reason: string }[] = []
    const tokenSource: TokenSource = async ({ api, audience, reason, now }) => {
      calls.push({ api, audience, reason })
      return { accessToken: `minted-for-${api}`, expiresAt: now() + 600_000, receivedAt: now() }
    }
    const { make, server } = harness()
    const auth = make({ tokenSource })
    const tokens = await Promise.all(Array.from({ length: 20 }, () => auth.getToken('operate')))
    expect(new Set(tokens)).toEqual(new Set(['minted-for-operate']))
    expect(calls).toEqual([{ api: 'operate', audience: 'operate.camunda.io', reason: 'cold' }])
    expect(server.requests()).toBe(0)
  })

  it("a token source's TokenError starts the same cooldown as the endpoint's", async () => {
    let calls = 0
    const tokenSource: TokenSource = async () => {
      calls++
      throw new TokenEndpointError('broker answered 502', { api: 'zeebe', status: 502 })
    }
    const { make, advance } = harness()
    const auth = make({ tokenSource })
    await expect(auth.getToken()).rejects.toBeInstanceOf(TokenEndpointError)
    const second = await rejectionOf(auth.getToken())
    expect(second).toBeInstanceOf(TokenEndpointError)
    expect(calls).toBe(1)
    advance(61_000)
    await expect(auth.getToken()).rejects.toBeInstanceOf(TokenEndpointError)
    expect(calls).toBe(2)
  })
})

describe('createAuth: getTokenRecord', () => {
  it('gives the served token with its expiry, from memory after the first call', async () => {
    const { auth, server } = harness({ tokenLifetimeSeconds: 300 })
    const record = await auth.getTokenRecord('tasklist')
    expect(record.accessToken).toBe(await auth.getToken('tasklist'))
    expect(record.expiresAt).toBe(T0 + 300_000)
    expect(record.receivedAt).toBe(T0)
    expect(await auth.getTokenRecord('tasklist')).toBe(record)
    expect(server.requests()).toBe(1)
  })

  it('rejects an unknown API with an UnknownApiError naming the valid ones', async () => {
    const { auth } = harness()
    const error = await rejectionOf(auth.getTokenRecord('camunda' as never))
    expect(error).toBeInstanceOf(UnknownApiError)
    expect(String(error)).toContain('zeebe, operate, tasklist, optimize')
  })
})

describe('createAuth: store event connection', () => {
  it('connects the store to the event stream once and disconnects on close', async () => {
    const sinks: ((event: AuthEvent) => void)[] = []
    let disconnected = 0
    const store: TokenStore = {
      ...memoryStore(),
      connect(emit) {
        sinks.push(emit)
        return () => void disconnected++
      },
    }
    const { make, events } = harness()
    const auth = make({ store })
    expect(sinks).toHaveLength(1)
    sinks[0]!({ type: 'store_degraded', store: 'test', fallback: 'memory', message: 'quota' })
    expect(events).toContainEqual({ type: 'store_degraded', store: 'test', fallback: 'memory', message: 'quota' })
    auth.close()
    auth.close()
    expect(disconnected).toBe(1)
  })

  it('a store whose connect throws still serves tokens, with a store_error event', async () => {
    const store: TokenStore = {
      ...memoryStore(),
      connect() {
        throw new Error('no events here')
      },
    }
    const { make, events } = harness()
    const auth = make({ store })
    await expect(auth.getToken()).resolves.toMatch(/^eyJ/)
    expect(events).toContainEqual({ type: 'store_error', operation: 'get', message: 'connect failed: Error: no events here' })
  })
})

describe('createAuth: cooldowns reach peers', () => {
  it('publishes a rate-limit cooldown, so a peer with its own store holds back without a request', async () => {
    const coordinator = inProcessCoordinator()
    const published: StoredRecord[] = []
    const { make, server } = harness()
    const a = make({ coordinator, store: memoryStore() })
    const b = make({ coordinator, store: memoryStore() })
    await b.invalidate() // subscribes b to the store key
    const spy = coordinator.publish!.bind(coordinator)
    coordinator.publish = (key, record) => {
      published.push(record)
      spy(key, record)
    }
    server.inject({ status: 429, headers: { 'retry-after': '5' } })
    await expect(a.getToken()).rejects.toBeInstanceOf(RateLimitedError)
    expect(published.map((record) => record.cooldown?.reason)).toEqual(['rate_limited'])
    const error = await rejectionOf(b.getToken())
    expect(error).toBeInstanceOf(RateLimitedError)
    expect(server.requests()).toBe(1)
  })
})

describe('webLocksCoordinator', () => {
  it('is the in-process coordinator where navigator.locks is missing', async () => {
    expect((globalThis.navigator as { locks?: unknown } | undefined)?.locks).toBeUndefined()
    const coordinator = webLocksCoordinator()
    const order: string[] = []
    await Promise.all([
      coordinator.withLock('k', async () => {
        order.push('a start')
        await new Promise((resolve) => setTimeout(resolve, 5))
        order.push('a end')
      }),
      coordinator.withLock('k', async () => void order.push('b')),
    ])
    expect(order).toEqual(['a start', 'a end', 'b'])
  })
})

describe('createAuth: review fixes', () => {
  it('without a Web Crypto digest tokens are still served, from memory, with one store_error and nothing unhandled', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => void unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    const digest = crypto.subtle.digest
    // Only the store key's digest fails (the dev server signs with Web Crypto too).
    crypto.subtle.digest = (algorithm: AlgorithmIdentifier, data: BufferSource) =>
      new TextDecoder().decode(data as Uint8Array).startsWith('camunda-edge-auth secret')
        ? Promise.reject(new TypeError('crypto.subtle is not available here'))
        : digest.call(crypto.subtle, algorithm, data)
    try {
      const { auth, server, events } = harness()
      const tokens = await Promise.all([auth.getToken(), auth.getToken()])
      expect(tokens[0]).toMatch(/^eyJ/)
      expect(await auth.getToken()).toBe(tokens[0])
      expect(server.requests()).toBe(1)
      expect(events.filter((e) => e.type === 'store_error')).toEqual([
        {
          type: 'store_error',
          operation: 'get',
          message: 'no store key (TypeError: crypto.subtle is not available here); tokens are not shared',
        },
      ])
      await new Promise((resolve) => setTimeout(resolve, 5))
      expect(unhandled).toEqual([])
    } finally {
      crypto.subtle.digest = digest
      process.off('unhandledRejection', onUnhandled)
    }
  })

  it('close() right after a call, before the store key is known, leaves no subscription behind', async () => {
    let subscribed = 0
    let unsubscribed = 0
    const inner = inProcessCoordinator()
    const coordinator = {
      withLock: inner.withLock,
      subscribe: (key: string, listener: (record: StoredRecord) => void) => {
        subscribed++
        const stop = inner.subscribe!(key, listener)
        return () => (unsubscribed++, stop())
      },
    }
    const { make } = harness()
    const auth = make({ coordinator })
    const pending = auth.getToken()
    auth.close()
    await pending
    expect(subscribed - unsubscribed).toBe(0)
  })

  it('a lock the auth object stopped waiting for is withdrawn: the coordinator sees its signal abort', async () => {
    let seen: AbortSignal | undefined
    const coordinator = {
      withLock: <T>(_key: string, _fn: () => Promise<T>, options?: { readonly signal?: AbortSignal }) => {
        seen = options?.signal
        return new Promise<T>(() => {}) // never granted
      },
    }
    const { make, events } = harness({}, {}, {})
    const auth = make({ coordinator, lockTimeoutMs: 20 })
    await expect(auth.getToken()).resolves.toMatch(/^eyJ/)
    expect(seen?.aborted).toBe(true)
    expect(events).toContainEqual({ type: 'coordinator_error', message: 'lock not granted within 20 ms; refreshing without it' })
  })

  it('a secret quoted near the end of a long store error is cut out before the message is shortened', async () => {
    const secret = 'correct-horse-battery-staple!!'
    const h = harness(
      { clients: [{ clientId: 'long', clientSecret: secret }] },
      {},
      { ZEEBE_CLIENT_ID: 'long', ZEEBE_CLIENT_SECRET: secret },
    )
    const auth = h.make({
      store: { get: () => Promise.reject(new Error(`${'x'.repeat(280)} body=${secret}`)), set: async () => {}, delete: async () => {} },
    })
    await auth.getToken()
    const message = h.events.flatMap((e) => ('message' in e ? [e.message] : []))[0]!
    expect(message.length).toBeLessThanOrEqual(301)
    expect(message).not.toContain('correct')
  })
})
