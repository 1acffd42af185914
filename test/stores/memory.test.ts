import { describe, expect, it } from 'vitest'
import { memoryStore } from '../../src/index.ts'

describe('memoryStore', () => {
  it("expires entries on the clock it is given (createAuth's own, for simulations)", async () => {
    const clock = { now: Date.parse('2030-01-01T00:00:00Z') }
    const store = memoryStore({ now: () => clock.now })
    const record = { v: 1 as const, key: 'k', cooldown: { reason: 'backoff' as const, until: clock.now + 1_000, failures: 1 } }
    await store.set('k', record, 1_000)
    clock.now += 999
    expect(await store.get('k')).toEqual(record)
    clock.now += 1
    expect(await store.get('k')).toBeUndefined()
  })
})
