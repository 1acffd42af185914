/**
 * A fleet of 12 real Node processes (child_process.fork) on one real redis-server and one loopback
 * dev server: how many token requests a cold start costs with and without the lease, what a
 * SIGKILL of the lease holder mid-request costs, and a Redis that stops and comes back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listenDevAuthServer, type ListeningDevAuthServer } from '../../src/dev-server-node.ts'
import { startFleet, type Fleet, type Outcome, type Round } from '../../bench/fleet/fleet.ts'
import { redisStatus, startRedis, type TestRedis } from '../../bench/fleet/redis-server.ts'

const SIZE = 12
let redis: TestRedis
let dev: ListeningDevAuthServer
let fleet: Fleet
let rounds = 0
const counts: string[] = []

beforeAll(async () => {
  if (redisStatus.skip) return
  redis = await startRedis()
  dev = await listenDevAuthServer({ rateLimit: false, tokenLifetimeSeconds: 300 })
  fleet = await startFleet(SIZE, { tokenUrl: dev.tokenUrl, redisUrl: redis.url })
}, 120_000)

afterAll(async () => {
  if (counts.length) console.log(`[fleet] ${SIZE} processes cold-starting on one Redis: ${counts.join('; ')}`)
  await fleet?.stop()
  await dev?.close()
  await redis?.stop()
}, 30_000)

/** One round on every live process, with its own key prefix: the token requests it cost and what each got. */
async function round(settings: Omit<Round, 'prefix'> & { prefix?: string }, onRequesting?: (index: number) => void) {
  const before = dev.server.requests()
  const outcomes = await fleet.round({ prefix: `round${++rounds}:`, ...settings }, onRequesting ? { onRequesting } : undefined)
  return { outcomes, requests: dev.server.requests() - before }
}

function tokensOf(outcomes: readonly Outcome[]): Set<string> {
  const failed = outcomes.filter((o) => !o.ok)
  expect(failed, JSON.stringify(failed)).toEqual([])
  return new Set(outcomes.map((o) => (o.ok ? o.token : '')))
}

describe.skipIf(redisStatus.skip)('12 processes on one redis-server', () => {
  it('cold-starting at the same moment with redisStore + redisCoordinator: 1 token request, one token for all (node-redis)', async () => {
    dev.server.inject({ delayMs: 100 })
    const { outcomes, requests } = await round({ mode: 'redis', client: 'node-redis' })
    expect(outcomes).toHaveLength(SIZE)
    expect(tokensOf(outcomes).size).toBe(1)
    expect(requests).toBe(1)
    counts.push(`store + lease ${requests}`)
  })

  it('the same with pub/sub on a second connection: 1 token request', async () => {
    dev.server.inject({ delayMs: 100 })
    const { outcomes, requests } = await round({ mode: 'redis-pubsub', client: 'node-redis' })
    expect(tokensOf(outcomes).size).toBe(1)
    expect(requests).toBe(1)
    counts.push(`store + lease + pub/sub ${requests}`)
  })

  it('the same through ioredis: 1 token request', async () => {
    dev.server.inject({ delayMs: 100 })
    const { outcomes, requests } = await round({ mode: 'redis-pubsub', client: 'ioredis' })
    expect(tokensOf(outcomes).size).toBe(1)
    expect(requests).toBe(1)
  })

  it('without the coordinator every process sends its own: 12 with no shared store, 12 with the Redis store alone', async () => {
    const none = await round({ mode: 'none' })
    expect(tokensOf(none.outcomes).size).toBe(SIZE)
    expect(none.requests).toBe(SIZE)
    // Each token request takes 1 s: every process has read the empty store before the first writes.
    dev.server.inject({ delayMs: 1_000, times: SIZE })
    const storeAlone = await round({ mode: 'redis-store', client: 'node-redis' })
    tokensOf(storeAlone.outcomes)
    expect(storeAlone.requests).toBe(SIZE)
    counts.push(`no shared store ${none.requests}`, `Redis store alone ${storeAlone.requests}`)
  })

  it('a dump of Redis (KEYS, GET) after a sealed round holds no secret and no token', async () => {
    const { outcomes } = await round({ mode: 'redis-pubsub', client: 'node-redis' })
    const [token] = tokensOf(outcomes)
    const dump = await redis.dump()
    const text = JSON.stringify(dump)
    expect(Object.keys(dump).length).toBeGreaterThan(0)
    expect(text).not.toContain('dev-secret')
    expect(text).not.toContain(token!)
    expect(text).not.toMatch(/eyJ[\w-]*\.[\w-]*\./)
  })

  it('Redis stopped: every process still gets a token within a few seconds (events, no hang); restarted: they share again', async () => {
    const settings = { mode: 'redis', client: 'node-redis', prefix: 'restart:', retryAfterMs: 500 } as const
    expect((await round(settings)).requests).toBe(1)
    await redis.stop()
    try {
      const down = await round(settings)
      tokensOf(down.outcomes)
      expect(down.outcomes).toHaveLength(SIZE)
      for (const outcome of down.outcomes) {
        expect(outcome.ms).toBeLessThan(6_000)
        expect(outcome.events.some((e) => e.startsWith('store_error'))).toBe(true)
        expect(outcome.events.some((e) => e.startsWith('coordinator_error'))).toBe(true)
      }
      // Each on its own, as without Redis.
      expect(down.requests).toBe(SIZE)
      counts.push(
        `Redis stopped: ${down.requests} requests, the last token ${Math.round(Math.max(...down.outcomes.map((o) => o.ms)))} ms after the start`,
      )
    } finally {
      await redis.start()
    }
    await fleet.redisReady()
    await new Promise((resolve) => setTimeout(resolve, 600)) // the processes' pause after the failure
    dev.server.inject({ delayMs: 100 })
    const back = await round({ ...settings, prefix: 'restarted:' })
    expect(tokensOf(back.outcomes).size).toBe(1)
    expect(back.requests).toBe(1)
    counts.push(`Redis restarted: ${back.requests} request`)
  }, 60_000)

  it('the lease holder killed with SIGKILL mid-request: the others get a token by leaseMs + one request, and none waits longer', async () => {
    const leaseMs = 2_000
    // The first token request hangs: its sender is killed while it waits.
    dev.server.inject({ delayMs: 60_000 })
    let killed: number | undefined
    let killedAt = 0
    const before = dev.server.requests()
    const started = performance.now()
    const { outcomes, requests } = await round({ mode: 'redis', client: 'node-redis', leaseMs }, (index) => {
      if (killed !== undefined) return
      killed = index
      // Mid-request: once its request has reached the token endpoint (and hangs there).
      void (async () => {
        while (dev.server.requests() === before) await new Promise((resolve) => setTimeout(resolve, 2))
        killedAt = performance.now()
        fleet.kill(index)
      })()
    })
    expect(killed).toBeDefined()
    expect(outcomes).toHaveLength(SIZE - 1)
    expect(tokensOf(outcomes).size).toBe(1)
    // The killed holder's request, and one more once its lease lapsed.
    expect(requests).toBe(2)
    const longest = Math.max(...outcomes.map((o) => o.ms))
    // leaseMs from when the holder took the lease, one token request (a few ms on loopback), and a
    // poll with jitter (≤ 75 ms) plus process scheduling on a loaded 2-core machine.
    expect(longest).toBeLessThan(leaseMs + 1_500)
    expect(longest).toBeGreaterThan(leaseMs - (killedAt - started) - 100)
    counts.push(`holder killed: ${requests} requests, the rest served ${Math.round(longest)} ms after the start (leaseMs ${leaseMs})`)
  }, 30_000)
})
