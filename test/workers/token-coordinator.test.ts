import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { StoredRecord } from '../../src/index.ts'
import { CoordinatorUnavailableError, durableObjectCoordinator, type DurableObjectNamespaceLike } from '../../src/workers.ts'

const binding: DurableObjectNamespaceLike<unknown> = env.TOKEN_COORDINATOR as DurableObjectNamespaceLike<unknown>
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function recordFor(key: string, token = 'header.payload.signature'): StoredRecord {
  const now = Date.now()
  return { v: 1, key, token: { accessToken: token, expiresAt: now + 300_000, receivedAt: now } }
}

describe('durableObjectCoordinator', () => {
  it('grants the lock to one isolate at a time, in order', async () => {
    const key = `order-${crypto.randomUUID()}`
    const order: string[] = []
    const isolates = ['a', 'b', 'c'].map((name) => ({ name, coordinator: durableObjectCoordinator(binding) }))
    await Promise.all(
      isolates.map(({ name, coordinator }) =>
        coordinator.withLock(key, async () => {
          order.push(`${name}:start`)
          await sleep(20)
          order.push(`${name}:end`)
        }),
      ),
    )
    expect(order).toHaveLength(6)
    for (let i = 0; i < 6; i += 2) expect(order[i]!.split(':')[0]).toBe(order[i + 1]!.split(':')[0])
  })

  it("hands the previous holder's record to the next holder's listeners before its fn runs", async () => {
    const key = `record-${crypto.randomUUID()}`
    const first = durableObjectCoordinator(binding)
    const second = durableObjectCoordinator(binding)
    const heard: StoredRecord[] = []
    const unsubscribe = second.subscribe!(key, (record) => heard.push(record))
    const record = recordFor(key)
    await first.withLock(key, async () => first.publish!(key, record))
    let heardBeforeFn = -1
    await second.withLock(key, async () => {
      heardBeforeFn = heard.length
    })
    expect(heardBeforeFn).toBe(1)
    expect(heard[0]).toEqual(record)
    unsubscribe()
    // Unsubscribed: the next grant reaches nobody.
    await second.withLock(key, async () => {})
    expect(heard).toHaveLength(1)
  })

  it('lets the next isolate in when a holder never releases, once its lease ends', async () => {
    const key = `lease-${crypto.randomUUID()}`
    const stub = env.TOKEN_COORDINATOR.get(env.TOKEN_COORDINATOR.idFromName(key))
    const dead = await stub.fetch('https://token-coordinator.invalid/lock', { method: 'POST', body: JSON.stringify({ key, leaseMs: 200, waitMs: 1_000 }) })
    expect(await dead.json()).toMatchObject({ granted: true })
    const started = Date.now()
    const result = await durableObjectCoordinator(binding).withLock(key, async () => 'ran')
    expect(result).toBe('ran')
    expect(Date.now() - started).toBeGreaterThanOrEqual(150)
  })

  it('throws CoordinatorUnavailableError when the lock is not granted within waitMs', async () => {
    const key = `wait-${crypto.randomUUID()}`
    const holder = durableObjectCoordinator(binding)
    let release!: () => void
    let granted!: () => void
    const holding = new Promise<void>((resolve) => (granted = resolve))
    const held = holder.withLock(key, () => {
      granted()
      return new Promise<void>((resolve) => (release = resolve))
    })
    await holding
    const error = await durableObjectCoordinator(binding, { waitMs: 50 })
      .withLock(key, async () => 'ran')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CoordinatorUnavailableError)
    expect((error as CoordinatorUnavailableError).code).toBe('ERR_COORDINATOR_UNAVAILABLE')
    release()
    await held
  })

  it('throws CoordinatorUnavailableError when the object cannot be reached', async () => {
    const unreachable: DurableObjectNamespaceLike<string> = {
      idFromName: (name) => name,
      get: () => ({
        fetch: async () => {
          throw new Error('connection refused')
        },
      }),
    }
    let ran = false
    const error = await durableObjectCoordinator(unreachable)
      .withLock('k', async () => {
        ran = true
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CoordinatorUnavailableError)
    expect(ran).toBe(false)
  })

  it('ignores records that are not valid for the key', async () => {
    const key = `foreign-${crypto.randomUUID()}`
    const publisher = durableObjectCoordinator(binding)
    await publisher.withLock(key, async () => publisher.publish!(key, recordFor('another-key')))
    const heard: StoredRecord[] = []
    const next = durableObjectCoordinator(binding)
    next.subscribe!(key, (record) => heard.push(record))
    await next.withLock(key, async () => {})
    expect(heard).toEqual([])
  })
})
