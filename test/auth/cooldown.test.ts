import { describe, expect, it } from 'vitest'
import { clampCooldown, cooldownError, nextCooldown } from '../../src/auth/cooldown.ts'
import { InvalidClientError, RateLimitedError, TokenEndpointError, TokenTimeoutError } from '../../src/errors.ts'

const policy = { backoff: { initialMs: 1000, maxMs: 60_000 }, invalidClientCooldownMs: 30_000, maxRetryAfterMs: 600_000 }
const now = 1_000_000

describe('nextCooldown', () => {
  it('waits Retry-After when the server asks for longer than the backoff', () => {
    const error = new RateLimitedError('429', { status: 429, retryAt: now + 7000 })
    expect(nextCooldown(error, undefined, now, policy)).toMatchObject({
      reason: 'rate_limited',
      until: now + 7000,
      failures: 1,
      status: 429,
    })
  })
  it('waits at least the initial backoff even when Retry-After is 0', () => {
    const error = new RateLimitedError('429', { status: 429, retryAt: now })
    expect(nextCooldown(error, undefined, now, policy).until).toBe(now + 1000)
  })
  it('holds invalid_client for the invalid-client cooldown', () => {
    const error = new InvalidClientError('401', { status: 401, error: 'invalid_client' })
    expect(nextCooldown(error, undefined, now, policy)).toMatchObject({
      reason: 'invalid_client',
      until: now + 30_000,
      error: 'invalid_client',
    })
  })
  it('backs off exponentially with jitter in [d/2, d], capped at maxMs', () => {
    let previous: ReturnType<typeof nextCooldown> | undefined
    const waits: Array<[number, number]> = []
    for (let failure = 1; failure <= 9; failure++) {
      const low = nextCooldown(new TokenEndpointError('500', { status: 500 }), previous, now, policy, () => 0)
      const high = nextCooldown(new TokenEndpointError('500', { status: 500 }), previous, now, policy, () => 1)
      waits.push([low.until - now, high.until - now])
      previous = high
    }
    expect(waits).toEqual([
      [1000, 1000],
      [1000, 2000],
      [2000, 4000],
      [4000, 8000],
      [8000, 16_000],
      [16_000, 32_000],
      [30_000, 60_000],
      [30_000, 60_000],
      [30_000, 60_000],
    ])
  })
  it('keeps backing off when the server keeps asking for short waits', () => {
    let previous: ReturnType<typeof nextCooldown> | undefined
    for (let failure = 1; failure <= 6; failure++) {
      previous = nextCooldown(new RateLimitedError('429', { status: 429, retryAt: now + 1000 }), previous, now, policy, () => 0)
    }
    expect(previous!.until - now).toBe(16_000)
  })
  it('honours a Retry-After of a day for maxRetryAfterMs only', () => {
    const error = new RateLimitedError('429', { status: 429, retryAt: now + 86_400_000 })
    expect(nextCooldown(error, undefined, now, policy).until).toBe(now + 600_000)
  })
  it('keeps no server text: an error_description never reaches the record', () => {
    const error = new InvalidClientError('401', {
      status: 401,
      error: 'invalid_client',
      errorDescription: 'rotate it at https://evil.example',
    })
    expect(JSON.stringify(nextCooldown(error, undefined, now, policy))).not.toContain('evil')
    const odd = new TokenEndpointError('400', { status: 400, error: 'see https://evil.example' })
    expect(nextCooldown(odd, undefined, now, policy)).not.toHaveProperty('error')
  })
  it('starts a new streak once the last cooldown is long past', () => {
    const old = { reason: 'backoff' as const, until: now - 10 * 60_000, failures: 6 }
    expect(nextCooldown(new TokenTimeoutError('t'), old, now, policy).failures).toBe(1)
  })
})

describe('clampCooldown', () => {
  const day = now + 86_400_000
  it.each([
    ['invalid_client', 30_000],
    ['rate_limited', 600_000],
    ['backoff', 60_000],
  ] as const)('cuts a forged day-long %s cooldown to local policy (%d ms)', (reason, longest) => {
    expect(clampCooldown({ reason, until: day, failures: 1 }, now, policy).until).toBe(now + longest)
  })
  it('leaves a cooldown within policy as it is', () => {
    const cooldown = { reason: 'rate_limited' as const, until: now + 5_000, failures: 2 }
    expect(clampCooldown(cooldown, now, policy)).toBe(cooldown)
  })
})

describe('cooldownError', () => {
  it('rebuilds the same class, status and OAuth error in another context', () => {
    const cooldown = {
      reason: 'invalid_client' as const,
      until: now + 5000,
      failures: 1,
      code: 'ERR_INVALID_CLIENT',
      status: 401,
      error: 'invalid_client',
    }
    const error = cooldownError(cooldown, 'operate', now)
    expect(error).toBeInstanceOf(InvalidClientError)
    expect(error).toMatchObject({ code: 'ERR_INVALID_CLIENT', status: 401, error: 'invalid_client', api: 'operate', retryAt: now + 5000 })
    expect(error.message).toMatch(/held back for 5 s/)
  })
})
