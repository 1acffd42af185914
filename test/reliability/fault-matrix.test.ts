/**
 * Section 1, the fault matrix: every way a token endpoint can misbehave, injected through the dev
 * server's fault hooks over real loopback HTTP. For every case:
 * - the caller gets a valid token or a typed error, within the timeout;
 * - there is no unhandled rejection;
 * - no request is sent while a cooldown holds;
 * - a cached token that is still valid keeps being served through an outage of that kind;
 * - the token requests during the outage stay within the documented backoff schedule.
 */
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import {
  type AuthError,
  InvalidClientError,
  type RateLimitedError,
  RedirectRefusedError,
  TokenTimeoutError,
  createAuth,
  parseCredentials,
  type Auth,
  type AuthOptions,
} from '../../src/index.ts'
import { createDevAuthServer, devCredentials } from '../../src/dev-server.ts'
import { listenDevAuthServer, type ListeningDevAuthServer } from '../../src/dev-server-node.ts'
import { listenCollector, type Collector } from '../helpers/collector.ts'
import { maxRequestsWithin } from './backoff-bound.ts'
import { faultCases } from './fault-cases.ts'
import { section } from './summary.ts'

const { check } = section('fault matrix')

const TIMEOUT_MS = 1_000
const BACKOFF = { initialMs: 1_000, maxMs: 60_000 }
const clock = { now: Date.now() }
let dev: ListeningDevAuthServer
let elsewhere: Collector
const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => void unhandled.push(reason)

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled)
  dev = await listenDevAuthServer(createDevAuthServer({ rateLimit: false, tokenLifetimeSeconds: 300, now: () => clock.now }))
  elsewhere = await listenCollector()
})

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled)
  await dev.close()
  await elsewhere.close()
})

function freshAuth(options: Partial<AuthOptions> = {}): Auth {
  dev.server.reset()
  return createAuth({
    credentials: parseCredentials(devCredentials(dev.url)),
    timeoutMs: TIMEOUT_MS,
    backoff: BACKOFF,
    now: () => clock.now,
    ...options,
  })
}

/** The outcome of a call, or 'hung' if it has not settled within the timeout and a grace period. */
async function outcome(promise: Promise<string>): Promise<{ token: string } | { error: unknown } | 'hung'> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), TIMEOUT_MS + 2_000)
  })
  try {
    return await Promise.race([
      promise.then(
        (token) => ({ token }),
        (error: unknown) => ({ error }),
      ),
      hung,
    ])
  } finally {
    clearTimeout(timer)
  }
}

/** A bearer token string; where it is a readable JWT with `exp`, one that has not expired. */
function expectValidToken(token: string): void {
  expect(token).toMatch(/^[\w\-.~+/]+=*$/)
  let claims: ReturnType<typeof decodeJwt>
  try {
    claims = decodeJwt(token)
  } catch {
    return // opaque or malformed JWT: expires_in decided its lifetime
  }
  expect(claims.aud).toBe('zeebe.camunda.io')
  if (claims.exp !== undefined) expect(claims.exp * 1000).toBeGreaterThan(clock.now)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const FAULTS = faultCases(clock, () => elsewhere.url)

describe('fault matrix: a cold caller gets a token or a typed error, and cooldowns hold', () => {
  for (const testCase of FAULTS) {
    check(`${testCase.name}: ${testCase.expected === 'token' ? 'a valid token' : testCase.expected.name}`, async () => {
      unhandled.length = 0
      elsewhere.reset()
      const auth = freshAuth()
      dev.server.inject(testCase.fault())
      const first = await outcome(auth.getToken())
      expect(first).not.toBe('hung')
      if (testCase.expected === 'token') {
        expect(first).toHaveProperty('token')
        expectValidToken((first as { token: string }).token)
        return
      }
      const { error } = first as { error: AuthError }
      expect(error).toBeInstanceOf(testCase.expected)
      expect(error.code).toBe((testCase.expected as unknown as { code: string }).code)
      expect(dev.server.requests()).toBe(1)

      // Inside the cooldown: the same typed error, at once, and no request.
      for (let i = 0; i < 5; i++) {
        const again = await outcome(auth.getToken())
        expect((again as { error: unknown }).error).toBeInstanceOf(testCase.expected)
      }
      expect(dev.server.requests()).toBe(1)
      if (testCase.retryAfterMs !== undefined) {
        expect((error as RateLimitedError).retryAt).toBeGreaterThanOrEqual(clock.now + testCase.retryAfterMs - 1_000)
      }

      // Once the cooldown is over, one request, and the endpoint (now healthy) gives a token.
      clock.now += 61_000
      const after = await outcome(auth.getToken())
      expect(after).toHaveProperty('token')
      expect(dev.server.requests()).toBe(2)
      expect(elsewhere.hits).toBe(0)
      await sleep(5)
      expect(unhandled).toEqual([])
    })
  }
})

describe('fault matrix: a cached token is served through an outage, with requests on the backoff schedule', () => {
  const OUTAGE_MS = 40_000
  const STEP_MS = 500
  for (const testCase of FAULTS.filter((c) => c.expected !== 'token' && c.expected !== RedirectRefusedError)) {
    check(
      `outage of ${testCase.name}`,
      async () => {
        unhandled.length = 0
        const auth = freshAuth()
        const cached = await auth.getToken()
        clock.now += 250_000 // inside the refresh-ahead window of a 300 s token
        const fault = testCase.fault()
        dev.server.inject(typeof fault === 'number' ? { status: fault, times: 10_000 } : { ...fault, times: 10_000 })
        const start = dev.server.requests()
        for (let t = 0; t < OUTAGE_MS; t += STEP_MS) {
          const result = await outcome(auth.getToken())
          expect(result).toEqual({ token: cached })
          clock.now += STEP_MS
          await sleep(2)
        }
        const sent = dev.server.requests() - start
        // At least one background attempt, and never more than the schedule allows.
        expect(sent).toBeGreaterThanOrEqual(1)
        expect(sent).toBeLessThanOrEqual(maxRequestsWithin(OUTAGE_MS, BACKOFF, testCase.expected === InvalidClientError ? 30_000 : 0))
        dev.server.faults.clear()
        // Let a hung attempt time out before the next case resets the server under it.
        if (testCase.expected === TokenTimeoutError) await sleep(TIMEOUT_MS + 50)
        expect(unhandled).toEqual([])
      },
      60_000,
    )
  }
})

describe('fault matrix: client clock skew', () => {
  for (const minutes of [5, -5]) {
    check(`a client clock ${minutes > 0 ? 'ahead' : 'behind'} by 5 min still gets and caches a full-lifetime token`, async () => {
      const skew = minutes * 60_000
      const auth = freshAuth({ now: () => clock.now + skew })
      const token = await auth.getToken()
      expectValidToken(token)
      clock.now += 200_000 // well inside the 300 s lifetime on the server's clock
      expect(await auth.getToken()).toBe(token)
      expect(dev.server.requests()).toBe(1)
      clock.now += 100_000 // past it: a new token, not the expired one
      expect(await auth.getToken()).not.toBe(token)
      expect(dev.server.requests()).toBe(2)
    })
  }
})
