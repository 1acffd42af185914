/**
 * webLocksCoordinator without a browser: the BroadcastChannel path between coordinators of one
 * context (Node 20 has BroadcastChannel), locks through a LockManager stand-in, and the fallback to
 * the in-process coordinator where navigator.locks is missing (Node has no navigator).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { webLocksCoordinator } from '../../src/browser.ts'
import type { AuthEvent, Coordinator, StoredRecord } from '../../src/index.ts'
import { harness } from '../helpers/harness.ts'
import { inContextLockManager } from './lock-manager.ts'

const AT = Date.now()
const record = (key: string, accessToken = 'opaque-token-peer'): StoredRecord => ({
  v: 1,
  key,
  token: { accessToken, expiresAt: AT + 60_000, receivedAt: AT },
})

let channel = 0
/** A channel name no other test uses, so messages of one test never reach another. */
const freshChannel = () => `test-channel-${++channel}-${Math.random().toString(36).slice(2)}`

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

/** Resolves with the first record `coordinator` hears under `key`. */
function nextRecord(coordinator: Coordinator, key: string): Promise<StoredRecord> {
  return new Promise((resolve) => {
    const stop = coordinator.subscribe!(key, (heard) => {
      stop()
      resolve(heard)
    })
    cleanups.push(stop)
  })
}

function deferred() {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

describe('webLocksCoordinator: broadcast between coordinators of one context', () => {
  it('a record published by one coordinator reaches a subscriber of another on the same channel', async () => {
    const locks = inContextLockManager()
    const channelName = freshChannel()
    const [a, b] = [webLocksCoordinator({ locks, channelName }), webLocksCoordinator({ locks, channelName })] as const
    const heard = nextRecord(b, 'k')
    a.publish!('k', record('k'))
    expect(await heard).toEqual(record('k'))
  })

  it('the publisher’s own subscribers hear the record at once, without the channel', () => {
    const a = webLocksCoordinator({ locks: inContextLockManager(), channelName: freshChannel() })
    const heard: StoredRecord[] = []
    cleanups.push(a.subscribe!('k', (r) => heard.push(r)))
    a.publish!('k', record('k'))
    expect(heard).toEqual([record('k')])
  })

  it('subscribers hear only their key, and only their channel', async () => {
    const locks = inContextLockManager()
    const channelName = freshChannel()
    const a = webLocksCoordinator({ locks, channelName })
    const b = webLocksCoordinator({ locks, channelName })
    const elsewhere = webLocksCoordinator({ locks, channelName: freshChannel() })
    const wrong: StoredRecord[] = []
    cleanups.push(
      b.subscribe!('other-key', (r) => wrong.push(r)),
      elsewhere.subscribe!('k', (r) => wrong.push(r)),
    )
    const heard = nextRecord(b, 'k')
    a.publish!('k', record('k'))
    await heard
    expect(wrong).toEqual([])
  })

  it('malformed messages on the channel are ignored', async () => {
    const channelName = freshChannel()
    const b = webLocksCoordinator({ locks: inContextLockManager(), channelName })
    const heard: StoredRecord[] = []
    cleanups.push(b.subscribe!('k', (r) => heard.push(r)))
    const raw = new BroadcastChannel(channelName)
    cleanups.push(() => raw.close())
    for (const junk of [null, 'k', { key: 5, record: record('k') }, { key: 'k' }, { record: record('k') }]) raw.postMessage(junk)
    raw.postMessage({ key: 'k', record: record('k', 'opaque-token-last') })
    await until(() => heard.length > 0)
    expect(heard).toEqual([record('k', 'opaque-token-last')])
  })

  it('after the last unsubscribe a coordinator hears nothing more', async () => {
    const locks = inContextLockManager()
    const channelName = freshChannel()
    const a = webLocksCoordinator({ locks, channelName })
    const b = webLocksCoordinator({ locks, channelName })
    const late: StoredRecord[] = []
    b.subscribe!('k', (r) => late.push(r))() // subscribed, then unsubscribed at once
    const witness = webLocksCoordinator({ locks, channelName })
    const heard = nextRecord(witness, 'k')
    a.publish!('k', record('k'))
    await heard // the message went out and was delivered to those still listening
    expect(late).toEqual([])
  })
})

describe('webLocksCoordinator: locks', () => {
  it('serialises withLock across coordinators that share a lock manager', async () => {
    const locks = inContextLockManager()
    const [a, b] = [webLocksCoordinator({ locks }), webLocksCoordinator({ locks })] as const
    const order: string[] = []
    const release = deferred()
    const first = a.withLock('k', async () => {
      order.push('a start')
      await release.promise
      order.push('a end')
      return 'a'
    })
    const second = b.withLock('k', async () => {
      order.push('b start')
      return 'b'
    })
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(order).toEqual(['a start'])
    release.resolve()
    expect(await Promise.all([first, second])).toEqual(['a', 'b'])
    expect(order).toEqual(['a start', 'a end', 'b start'])
  })

  it('different keys do not wait for each other', async () => {
    const locks = inContextLockManager()
    const coordinator = webLocksCoordinator({ locks })
    void coordinator.withLock('k1', () => new Promise<never>(() => {})) // held for good
    expect(await coordinator.withLock('k2', async () => 'ran')).toBe('ran')
  })

  it('a request still waiting after lockTimeoutMs is withdrawn, and its function never runs', async () => {
    const locks = inContextLockManager()
    const holder = webLocksCoordinator({ locks })
    const waiter = webLocksCoordinator({ locks, lockTimeoutMs: 20 })
    const release = deferred()
    const held = holder.withLock('k', () => release.promise)
    let ran = false
    const error = await waiter
      .withLock('k', async () => void (ran = true))
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect((error as DOMException).name).toBe('TimeoutError')
    release.resolve()
    await held
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(ran).toBe(false)
  })
})

describe('webLocksCoordinator: the caller stops waiting', () => {
  it("withdraws a waiting request when the caller's signal aborts (createAuth's lockTimeoutMs), and never runs it", async () => {
    const locks = inContextLockManager()
    const holder = webLocksCoordinator({ locks })
    const waiter = webLocksCoordinator({ locks }) // no timeout of its own
    const release = deferred()
    const held = holder.withLock('k', () => release.promise)
    const caller = new AbortController()
    setTimeout(() => caller.abort(new DOMException('stopped', 'AbortError')), 20)
    let ran = false
    const error = await waiter
      .withLock('k', async () => void (ran = true), { signal: caller.signal })
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect((error as DOMException).name).toBe('AbortError')
    release.resolve()
    await held
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(ran).toBe(false)
    expect(locks.granted).toBe(1)
  })
})

describe('webLocksCoordinator through createAuth', () => {
  it('two auth objects with separate memory stores: the second hears the first one’s new token as a peer and sends no request', async () => {
    const h = harness()
    const locks = inContextLockManager()
    const channelName = freshChannel()
    const logB: AuthEvent[] = []
    const a = h.make({ coordinator: webLocksCoordinator({ locks, channelName }) })
    const b = h.make({ coordinator: webLocksCoordinator({ locks, channelName }), onEvent: (e) => logB.push(e) })
    cleanups.push(
      () => a.close(),
      () => b.close(),
    )
    await b.invalidate('zeebe') // b starts listening for zeebe's key, without a token
    const token = await a.getToken('zeebe')
    await until(() => logB.some((e) => e.type === 'cache_hit' && e.source === 'peer'))
    expect(await b.getToken('zeebe')).toBe(token)
    expect(h.server.requests()).toBe(1)
    expect(locks.granted).toBe(1)
  })
})

describe('webLocksCoordinator without navigator.locks', () => {
  it('falls back to the in-process coordinator: withLock still serialises, and publish reaches this coordinator’s subscribers only', async () => {
    expect((globalThis as { navigator?: Navigator }).navigator?.locks).toBeFalsy()
    const channelName = freshChannel()
    const coordinator = webLocksCoordinator({ channelName })
    const order: string[] = []
    const release = deferred()
    const first = coordinator.withLock('k', async () => (order.push('1'), await release.promise, order.push('1 end')))
    const second = coordinator.withLock('k', async () => void order.push('2'))
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(order).toEqual(['1'])
    release.resolve()
    await Promise.all([first, second])
    expect(order).toEqual(['1', '1 end', '2'])

    const heard: StoredRecord[] = []
    cleanups.push(coordinator.subscribe!('k', (r) => heard.push(r)))
    const outside = new BroadcastChannel(channelName)
    const overChannel: unknown[] = []
    outside.onmessage = (event) => overChannel.push(event.data)
    cleanups.push(() => outside.close())
    coordinator.publish!('k', record('k'))
    expect(heard).toEqual([record('k')])
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(overChannel).toEqual([]) // nothing leaves the context
  })
})

/** Waits (bounded) until `condition` holds: for messages that arrive on a later turn. */
async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}
