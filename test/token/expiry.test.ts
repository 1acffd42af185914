import { describe, expect, it } from 'vitest'
import { TokenLifetimeError } from '../../src/errors.ts'
import { DEFAULT_EXPIRY_POLICY as policy, refreshAt, tokenRecord, usableUntil } from '../../src/token/expiry.ts'
import { unsignedJwt } from '../helpers/jwt.ts'

const t0 = Date.parse('2026-06-01T12:00:00Z')

describe('token expiry', () => {
  it('takes the JWT exp', () => {
    const jwt = unsignedJwt({ exp: t0 / 1000 + 300 })
    expect(tokenRecord(jwt, undefined, t0, t0, policy, {}).expiresAt).toBe(t0 + 300_000)
  })
  it('falls back to expires_in for an opaque token, counted from the request', () => {
    expect(tokenRecord('opaque-token', 120, t0, t0 + 50, policy, {}).expiresAt).toBe(t0 + 120_000)
  })
  it('uses the earlier of exp and expires_in', () => {
    const jwt = unsignedJwt({ exp: t0 / 1000 + 300 })
    expect(tokenRecord(jwt, 100, t0, t0, policy, {}).expiresAt).toBe(t0 + 100_000)
    expect(tokenRecord(jwt, 900, t0, t0, policy, {}).expiresAt).toBe(t0 + 300_000)
  })
  it.each([5, -5])('corrects a client clock %i minutes off using iat', (minutes) => {
    const server = t0 + minutes * 60_000
    const jwt = unsignedJwt({ iat: server / 1000, exp: server / 1000 + 300 })
    const record = tokenRecord(jwt, undefined, t0, t0, policy, {})
    expect(record.expiresAt).toBe(t0 + 300_000)
  })
  it('refuses a JWT whose exp is in the past', () => {
    const jwt = unsignedJwt({ exp: t0 / 1000 - 60 })
    expect(() => tokenRecord(jwt, undefined, t0, t0, policy, {})).toThrow(TokenLifetimeError)
  })
  it('refuses a JWT whose iat is an hour old and exp in the past (too far to be skew)', () => {
    const jwt = unsignedJwt({ iat: t0 / 1000 - 3600, exp: t0 / 1000 - 60 })
    expect(() => tokenRecord(jwt, undefined, t0, t0, policy, {})).toThrow(TokenLifetimeError)
  })
  it('refuses a token without exp or expires_in', () => {
    expect(() => tokenRecord(unsignedJwt({ sub: 'x' }), undefined, t0, t0, policy, {})).toThrow(/lifetime is unknown/)
    expect(() => tokenRecord('opaque', undefined, t0, t0, policy, {})).toThrow(TokenLifetimeError)
  })
  it('refuses zero and negative expires_in', () => {
    expect(() => tokenRecord('opaque', 0, t0, t0, policy, {})).toThrow(TokenLifetimeError)
    expect(() => tokenRecord('opaque', -10, t0, t0, policy, {})).toThrow(TokenLifetimeError)
  })
  it('caps a huge lifetime at maxLifetimeMs', () => {
    const jwt = unsignedJwt({ exp: t0 / 1000 + 10 * 365 * 86400 })
    expect(tokenRecord(jwt, 1e12, t0, t0, policy, {}).expiresAt).toBe(t0 + policy.maxLifetimeMs)
  })
  it('treats a JWT with malformed segments as opaque', () => {
    expect(tokenRecord('eyJ.broken.jwt', 60, t0, t0, policy, {}).expiresAt).toBe(t0 + 60_000)
  })

  it('opens the refresh window before the expiry margin even with a 10 % window', () => {
    const tight = { ...policy, refreshAheadMinMs: 0 }
    for (const lifetime of [1_000, 4_000, 60_000, 300_000, 86_400_000]) {
      const record = { accessToken: 'x', receivedAt: t0, expiresAt: t0 + lifetime }
      expect(refreshAt(record, tight)).toBeLessThan(usableUntil(record, tight))
      expect(refreshAt(record, policy)).toBeLessThan(usableUntil(record, policy))
    }
  })
  it('refreshes in the last 60 s of a 300 s token', () => {
    const record = { accessToken: 'x', receivedAt: t0, expiresAt: t0 + 300_000 }
    expect(refreshAt(record, policy)).toBe(t0 + 240_000)
  })
  it('refreshes in the last 10 % of a 24 h token', () => {
    const record = { accessToken: 'x', receivedAt: t0, expiresAt: t0 + 86_400_000 }
    expect(refreshAt(record, policy)).toBe(t0 + 86_400_000 * 0.9)
  })
  it('never refreshes before half the lifetime of a short token', () => {
    const record = { accessToken: 'x', receivedAt: t0, expiresAt: t0 + 4_000 }
    expect(refreshAt(record, policy)).toBe(t0 + 2_000)
  })
  it('keeps a margin before expiry: 5 s, or a twentieth of a short lifetime', () => {
    expect(usableUntil({ accessToken: 'x', receivedAt: t0, expiresAt: t0 + 300_000 }, policy)).toBe(t0 + 295_000)
    expect(usableUntil({ accessToken: 'x', receivedAt: t0, expiresAt: t0 + 4_000 }, policy)).toBe(t0 + 3_800)
  })
})

describe('token expiry: overflow', () => {
  it('refuses an expires_in so negative that times overflow to -Infinity (found by the hostile-input suite)', () => {
    expect(() => tokenRecord('opaque', -1e307, t0, t0, policy, {})).toThrow(TokenLifetimeError)
    expect(() => tokenRecord(unsignedJwt({ exp: -1e306 }), undefined, t0, t0, policy, {})).toThrow(TokenLifetimeError)
  })
})
