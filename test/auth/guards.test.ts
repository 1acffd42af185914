import { describe, expect, it } from 'vitest'
import { guardStore, runLocked } from '../../src/auth/guards.ts'
import { inProcessCoordinator } from '../../src/coordinators/in-process.ts'
import type { AuthEvent, Coordinator, TokenStore } from '../../src/types.ts'

const boom = () => Promise.reject(new Error('disk on fire'))

describe('guardStore', () => {
  it('turns a throwing store into misses and store_error events', async () => {
    const events: AuthEvent[] = []
    const store = guardStore({ get: boom, set: boom, delete: boom }, 100, (e) => events.push(e))
    expect(await store.get('k')).toBeUndefined()
    await store.set('k', { v: 1, key: 'k' }, 1000)
    await store.delete('k')
    expect(events.map((e) => e.type === 'store_error' && e.operation)).toEqual(['get', 'set', 'delete'])
    expect(events[0]).toMatchObject({ message: 'Error: disk on fire' })
  })
  it('gives up on a store that never answers', async () => {
    const events: AuthEvent[] = []
    const never: TokenStore = { get: () => new Promise(() => {}), set: () => new Promise(() => {}), delete: () => new Promise(() => {}) }
    const store = guardStore(never, 30, (e) => events.push(e))
    expect(await store.get('k')).toBeUndefined()
    expect(events[0]).toMatchObject({ type: 'store_error', operation: 'get', message: expect.stringMatching(/longer than 30 ms/) })
  })
  it('keeps token-shaped text out of store_error messages', async () => {
    const events: AuthEvent[] = []
    const leaky: TokenStore = { get: () => Promise.reject(new Error('bad value eyJhbGc.eyJzdWIi.c2ln')), set: boom, delete: boom }
    await guardStore(leaky, 100, (e) => events.push(e)).get('k')
    expect(JSON.stringify(events)).not.toContain('eyJhbGc')
  })
})

describe('runLocked', () => {
  it('runs fn under the lock and returns its result', async () => {
    expect(
      await runLocked(
        inProcessCoordinator(),
        'k',
        async () => 42,
        1000,
        () => {},
      ),
    ).toBe(42)
  })
  it("propagates fn's own failure without running it twice", async () => {
    let runs = 0
    const run = runLocked(
      inProcessCoordinator(),
      'k',
      async () => {
        runs++
        throw new Error('exchange failed')
      },
      1000,
      () => {},
    )
    await expect(run).rejects.toThrow('exchange failed')
    expect(runs).toBe(1)
  })
  it('runs fn without the lock when the coordinator throws', async () => {
    const events: AuthEvent[] = []
    const broken: Coordinator = { withLock: () => Promise.reject(new Error('locks unavailable')) }
    expect(
      await runLocked(
        broken,
        'k',
        async () => 'ok',
        1000,
        (e) => events.push(e),
      ),
    ).toBe('ok')
    expect(events).toEqual([{ type: 'coordinator_error', message: 'Error: locks unavailable' }])
  })
  it('runs fn exactly once when the lock is never granted, and not again if it is granted later', async () => {
    let grant: (() => void) | undefined
    let runs = 0
    const stuck: Coordinator = {
      withLock: (_key, fn) =>
        new Promise((resolve) => {
          grant = () => resolve(fn())
        }),
    }
    const events: AuthEvent[] = []
    expect(
      await runLocked(
        stuck,
        'k',
        async () => ++runs,
        20,
        (e) => events.push(e),
      ),
    ).toBe(1)
    grant?.()
    await new Promise((r) => setTimeout(r, 5))
    expect(runs).toBe(1)
    expect(events[0]).toMatchObject({ type: 'coordinator_error', message: expect.stringMatching(/not granted within 20 ms/) })
  })
})

describe('inProcessCoordinator', () => {
  it('runs holders of one key one after another, and other keys in parallel', async () => {
    const coordinator = inProcessCoordinator()
    const log: string[] = []
    const hold = (name: string, ms: number) => async () => {
      log.push(`${name}+`)
      await new Promise((r) => setTimeout(r, ms))
      log.push(`${name}-`)
    }
    await Promise.all([
      coordinator.withLock('a', hold('a1', 20)),
      coordinator.withLock('a', hold('a2', 1)),
      coordinator.withLock('b', hold('b1', 1)),
    ])
    expect(log.indexOf('a1-')).toBeLessThan(log.indexOf('a2+'))
    expect(log.indexOf('b1+')).toBeLessThan(log.indexOf('a1-'))
  })
  it('releases the lock when a holder fails', async () => {
    const coordinator = inProcessCoordinator()
    await expect(coordinator.withLock('a', () => Promise.reject(new Error('x')))).rejects.toThrow('x')
    expect(await coordinator.withLock('a', async () => 'next')).toBe('next')
  })
  it('delivers published records to subscribers of that key until they unsubscribe', () => {
    const coordinator = inProcessCoordinator()
    const heard: unknown[] = []
    const stop = coordinator.subscribe!('a', (r) => heard.push(r))
    coordinator.publish!('a', { v: 1, key: 'k' })
    coordinator.publish!('b', { v: 1, key: 'k' })
    stop()
    coordinator.publish!('a', { v: 1, key: 'k' })
    expect(heard).toHaveLength(1)
  })
})
