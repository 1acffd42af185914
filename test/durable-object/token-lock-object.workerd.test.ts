import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { StoredRecord } from '../../src/index.ts'
import { CoordinatorUnavailableError } from '../../src/errors.ts'
import { durableObjectCoordinator, type DurableObjectNamespaceLike } from '../../src/workers.ts'

const binding: DurableObjectNamespaceLike<unknown> = env.TOKEN_LOCK as DurableObjectNamespaceLike<unknown>
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
    const stub = env.TOKEN_LOCK.get(env.TOKEN_LOCK.idFromName(key))
    const dead = await stub.fetch('https://token-lock.invalid/lock', {
      method: 'POST',
      body: JSON.stringify({ key, leaseMs: 200, waitMs: 1_000 }),
    })
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

describe('TokenLockObject: records only from the lease holder', () => {
  const stubFor = (key: string) => env.TOKEN_LOCK.get(env.TOKEN_LOCK.idFromName(key))
  const send = (key: string, path: string, body: Record<string, unknown>) =>
    stubFor(key).fetch(`https://token-lock.invalid${path}`, { method: 'POST', body: JSON.stringify({ key, ...body }) })
  const grant = async (key: string) =>
    (await (await send(key, '/lock', { leaseMs: 5_000, waitMs: 1_000 })).json()) as {
      granted: boolean
      lease?: string
      record?: StoredRecord
    }
  const dayLongCooldown = (key: string): StoredRecord => ({
    v: 1,
    key,
    cooldown: { reason: 'invalid_client', until: Date.now() + 24 * 3_600_000, failures: 1 },
  })
  const forgedExpiry = (key: string): StoredRecord => {
    const now = Date.now()
    return { v: 1, key, token: { accessToken: 'forged.token.value', expiresAt: now + 23 * 3_600_000, receivedAt: now } }
  }

  it.each([
    ['a 24 h cooldown', dayLongCooldown],
    ['a token with a forged expiry', forgedExpiry],
  ])('a forged /publish of %s from a caller holding no lease is refused, and the next grant carries no record', async (_, forge) => {
    const key = `forged-publish-${crypto.randomUUID()}`
    const refused = await send(key, '/publish', { record: forge(key) })
    expect(refused.status).toBe(403)
    await refused.body?.cancel()
    const withWrongLease = await send(key, '/publish', { lease: crypto.randomUUID(), record: forge(key) })
    expect(withWrongLease.status).toBe(403)
    await withWrongLease.body?.cancel()
    const next = await grant(key)
    expect(next).toMatchObject({ granted: true })
    expect(next.record).toBeUndefined()
  })

  it('a forged /publish while another caller holds the lock is refused too', async () => {
    const key = `forged-while-held-${crypto.randomUUID()}`
    const holder = await grant(key)
    expect((await send(key, '/publish', { record: dayLongCooldown(key) })).status).toBe(403)
    expect((await send(key, '/release', { lease: holder.lease })).status).toBe(204)
    expect((await grant(key)).record).toBeUndefined()
  })

  it('a /release with a wrong lease does not keep its record, and does not free the holder’s lock', async () => {
    const key = `forged-release-${crypto.randomUUID()}`
    const holder = await grant(key)
    expect((await send(key, '/release', { lease: crypto.randomUUID(), record: dayLongCooldown(key) })).status).toBe(204)
    expect((await send(key, '/release', { record: forgedExpiry(key) })).status).toBe(204)
    // Still the holder's: a second caller waits and is not granted.
    expect(await (await send(key, '/lock', { leaseMs: 1_000, waitMs: 50 })).json()).toEqual({ granted: false })
    await (await send(key, '/release', { lease: holder.lease })).body?.cancel()
    expect((await grant(key)).record).toBeUndefined()
  })

  it('a late /release of a lapsed lease does not keep its record', async () => {
    const key = `lapsed-release-${crypto.randomUUID()}`
    const lapsed = (await (await send(key, '/lock', { leaseMs: 20, waitMs: 1_000 })).json()) as { lease: string }
    await sleep(60)
    await (await send(key, '/release', { lease: lapsed.lease, record: recordFor(key) })).body?.cancel()
    expect((await grant(key)).record).toBeUndefined()
  })

  it('the holder’s /publish and /release are kept: the next grant carries the latest', async () => {
    const key = `holder-${crypto.randomUUID()}`
    const first = await grant(key)
    const published = recordFor(key, 'first.published.token')
    expect((await send(key, '/publish', { lease: first.lease, record: published })).status).toBe(204)
    await (await send(key, '/release', { lease: first.lease })).body?.cancel()
    const second = await grant(key)
    expect(second.record).toEqual(published)
    const released = recordFor(key, 'second.released.token')
    await (
      await send(key, '/release', {
        lease: second.lease,
        record: { ...released, token: { ...released.token!, expiresAt: released.token!.expiresAt + 1_000 } },
      })
    ).body?.cancel()
    expect((await grant(key)).record?.token?.accessToken).toBe('second.released.token')
  })

  it('durableObjectCoordinator does not send a record published outside a lock: the object would refuse it', async () => {
    const key = `outside-${crypto.randomUUID()}`
    const paths: string[] = []
    const watched: DurableObjectNamespaceLike<unknown> = {
      idFromName: (name) => binding.idFromName(name),
      get: (id) => {
        const stub = binding.get(id)
        return { fetch: (input, init) => (paths.push(new URL(String(input)).pathname), stub.fetch(input, init)) }
      },
    }
    const coordinator = durableObjectCoordinator(watched)
    const heard: StoredRecord[] = []
    coordinator.subscribe!(key, (record) => heard.push(record))
    coordinator.publish!(key, recordFor(key))
    expect(heard).toHaveLength(1) // this isolate's own auth objects still hear it
    await sleep(20)
    expect(paths).toEqual([])
  })
})
