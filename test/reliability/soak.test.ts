/**
 * Section 5, the soak: 10,000 getToken calls over 20 simulated token lifetimes, with a random fault
 * injected into 10 % of the token requests. Expected:
 * - no failure reaches a caller while a valid token existed;
 * - token requests within 10 % of the minimum: the requests a fault-free run needs, plus one retry
 *   per injected fault;
 * - memory that does not grow with the number of calls.
 */
import { setImmediate as tick } from 'node:timers/promises'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { createAuth, parseCredentials, type Auth } from '../../src/index.ts'
import { createDevAuthServer, devCredentials, type FaultInput } from '../../src/dev-server.ts'
import { section } from './summary.ts'

const { check } = section('soak')

const LIFETIME_S = 300
const LIFETIMES = 20
const CALLS = 10_000
const FAULT_RATE = 0.1
const SEED = Number(process.env.SOAK_SEED ?? 20_261_127)

const FAULTS: readonly FaultInput[] = [
  500,
  502,
  503,
  504,
  { status: 429, headers: { 'retry-after': '1' } },
  { body: 'html' },
  { body: 'truncated-json' },
  { body: 'empty' },
  { reset: true },
  { expiresIn: 0 },
]

const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => void unhandled.push(reason)
beforeAll(() => void process.on('unhandledRejection', onUnhandled))
afterAll(() => void process.off('unhandledRejection', onUnhandled))

/** A small seeded PRNG (mulberry32), so a failing soak can be replayed with SOAK_SEED. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

interface SoakResult {
  readonly requests: number
  readonly faults: number
  readonly failuresWhileValid: number
  readonly failuresWithoutToken: number
  readonly distinctTokens: number
  readonly auth: Auth
  readonly clock: { now: number }
}

async function soak(faultRate: number): Promise<SoakResult> {
  const clock = { now: Date.parse('2026-06-01T00:00:00Z') }
  const now = () => clock.now
  const server = createDevAuthServer({ rateLimit: false, tokenLifetimeSeconds: LIFETIME_S, now })
  const rand = random(SEED)
  let faults = 0
  // Requests sent and settled: the simulated clock only moves on once every request has settled,
  // so the run does not depend on how fast this machine signs tokens.
  let pending = 0
  const auth = createAuth({
    credentials: parseCredentials(devCredentials('http://127.0.0.1:9')),
    now,
    onEvent: (event) => {
      if (event.type === 'token_requested') pending++
      if (event.type === 'token_received' || event.type === 'token_failed') pending--
    },
    fetch: (input, init) => {
      if (rand() < faultRate) {
        faults++
        server.inject(FAULTS[Math.floor(rand() * FAULTS.length)]!)
      }
      return server.fetch(input, init)
    },
  })
  const stepMs = (LIFETIMES * LIFETIME_S * 1000) / CALLS
  // The latest token a caller received, and when it stops being valid (its JWT exp).
  let validUntil = 0
  let failuresWhileValid = 0
  let failuresWithoutToken = 0
  const tokens = new Set<string>()
  for (let call = 0; call < CALLS; call++) {
    try {
      const token = await auth.getToken()
      tokens.add(token)
      validUntil = Math.max(validUntil, (decodeJwt(token).exp ?? 0) * 1000)
    } catch {
      // 5 s: the margin inside which no token is handed out.
      if (clock.now < validUntil - 5_000) failuresWhileValid++
      else failuresWithoutToken++
    }
    await tick()
    for (let spins = 0; pending > 0; spins++) {
      if (spins > 100_000) throw new Error('a token request never settled')
      await tick()
    }
    clock.now += stepMs
  }
  await new Promise((resolve) => setTimeout(resolve, 20))
  return { requests: server.requests(), faults, failuresWhileValid, failuresWithoutToken, distinctTokens: tokens.size, auth, clock }
}

function heapAfterGc(): number {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

describe('soak: 10,000 calls over 20 token lifetimes with 10 % faults', () => {
  let baseline: SoakResult
  let faulty: SoakResult

  check(
    'a fault-free run: every call succeeds, about one request per lifetime',
    async () => {
      baseline = await soak(0)
      expect(baseline.failuresWhileValid + baseline.failuresWithoutToken).toBe(0)
      // Refreshing in the last 60 s of 300 s: 20 lifetimes take about 20 · 300 / 240 requests.
      expect(baseline.requests).toBeGreaterThanOrEqual(LIFETIMES)
      expect(baseline.requests).toBeLessThanOrEqual(Math.ceil((LIFETIMES * LIFETIME_S) / (LIFETIME_S - 60)) + 1)
    },
    60_000,
  )

  check(
    'with 10 % faults: no failure reaches a caller while a valid token exists',
    async () => {
      faulty = await soak(FAULT_RATE)
      console.log(
        `[reliability] soak: ${CALLS} calls, seed ${SEED}, ${faulty.requests} token requests (fault-free: ${baseline.requests}), ` +
          `${faulty.faults} faults injected, ${faulty.failuresWhileValid} failures while a token was valid, ` +
          `${faulty.failuresWithoutToken} while none was`,
      )
      expect(faulty.faults).toBeGreaterThan(0)
      expect(faulty.failuresWhileValid).toBe(0)
      expect(unhandled).toEqual([])
    },
    60_000,
  )

  check('with 10 % faults: token requests within 10 % of the minimum (fault-free requests + one retry per fault)', () => {
    const minimum = baseline.requests + faulty.faults
    expect(faulty.requests).toBeGreaterThanOrEqual(baseline.requests)
    expect(faulty.requests).toBeLessThanOrEqual(Math.ceil(minimum * 1.1))
  })

  check(
    'memory does not grow with the number of calls',
    async () => {
      const { auth } = faulty
      for (let i = 0; i < 10_000; i++) await auth.getToken()
      const before = heapAfterGc()
      for (let i = 0; i < 100_000; i++) await auth.getToken()
      const after = heapAfterGc()
      console.log(
        `[reliability] soak: heap after 10k more calls ${(before / 1e6).toFixed(1)} MB, after 100k more ${(after / 1e6).toFixed(1)} MB`,
      )
      // 100,000 calls that each kept even 16 bytes would add 1.6 MB.
      expect(after - before).toBeLessThan(1_000_000)
    },
    60_000,
  )
})
