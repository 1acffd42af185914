/**
 * One audience's state and its transitions, directly: set, adopt, drop, satisfied.
 */
import { describe, expect, it } from 'vitest'
import { activeCooldown, adoptRecord, dropToken, emptySlot, satisfied, setToken } from '../../src/auth/slot.ts'
import { DEFAULT_EXPIRY_POLICY } from '../../src/token/expiry.ts'
import type { StoredRecord, TokenRecord } from '../../src/types.ts'

const T0 = Date.parse('2030-01-01T00:00:00Z')
const policy = DEFAULT_EXPIRY_POLICY
const cooldownPolicy = { backoff: { initialMs: 1_000, maxMs: 60_000 }, invalidClientCooldownMs: 30_000, maxRetryAfterMs: 600_000 }
const token = (name: string, lifetimeMs = 300_000): TokenRecord => ({ accessToken: name, receivedAt: T0, expiresAt: T0 + lifetimeMs })
const record = (fields: Partial<StoredRecord>): StoredRecord => ({ v: 1, key: 'k', ...fields })

describe('slot', () => {
  it('setToken works out the times once: usable until the margin, refresh from the window', () => {
    const slot = emptySlot('zeebe.camunda.io')
    setToken(slot, token('a'), policy)
    expect(slot.usableUntil).toBe(T0 + 300_000 - 5_000)
    expect(slot.refreshAt).toBe(T0 + 300_000 - 60_000)
    expect(slot.bearer).toBe('Bearer a')
    expect(satisfied(slot, 'cold', T0)).toBe(true)
    expect(satisfied(slot, 'refresh_ahead', T0 + 250_000)).toBe(false)
    expect(satisfied(slot, 'expired', T0 + 296_000)).toBe(false)
  })

  it('adopts a newer token, never an older one, and never one the API refused', () => {
    const slot = emptySlot(undefined)
    expect(adoptRecord(slot, record({ token: token('a') }), T0, policy, cooldownPolicy, 30_000)).toBe(true)
    expect(adoptRecord(slot, record({ token: token('older', 100_000) }), T0, policy, cooldownPolicy, 30_000)).toBe(false)
    expect(slot.token?.accessToken).toBe('a')
    dropToken(slot, 'unauthorized', 'a')
    expect(slot.token).toBeUndefined()
    expect(slot.nextReason).toBe('unauthorized')
    expect(adoptRecord(slot, record({ token: token('a') }), T0, policy, cooldownPolicy, 30_000)).toBe(false)
    expect(adoptRecord(slot, record({ token: token('b', 400_000) }), T0, policy, cooldownPolicy, 30_000)).toBe(true)
    expect(slot.nextReason).toBeUndefined()
  })

  it('drops only the token it was asked to: a 401 for a token already replaced changes nothing', () => {
    const slot = emptySlot(undefined)
    setToken(slot, token('new'), policy)
    dropToken(slot, 'unauthorized', 'old')
    expect(slot.token?.accessToken).toBe('new')
  })

  it('adopts a cooldown clamped to local policy, and the later of two', () => {
    const slot = emptySlot(undefined)
    adoptRecord(
      slot,
      record({ cooldown: { reason: 'invalid_client', until: T0 + 86_400_000, failures: 1 } }),
      T0,
      policy,
      cooldownPolicy,
      30_000,
    )
    expect(activeCooldown(slot, T0)?.until).toBe(T0 + 30_000)
    adoptRecord(slot, record({ cooldown: { reason: 'backoff', until: T0 + 5_000, failures: 1 } }), T0, policy, cooldownPolicy, 30_000)
    expect(slot.cooldown?.until).toBe(T0 + 30_000)
    expect(activeCooldown(slot, T0 + 30_000)).toBeUndefined()
  })

  it("adopts a token's 401 window, cut to this context's own", () => {
    const slot = emptySlot(undefined)
    adoptRecord(slot, record({ token: token('a'), unauthorizedUntil: T0 + 86_400_000 }), T0, policy, cooldownPolicy, 30_000)
    expect(slot.unauthorizedUntil).toBe(T0 + 30_000)
  })

  it('a new token without a cooldown ends the cooldown; with one, keeps it', () => {
    const slot = emptySlot(undefined)
    slot.cooldown = { reason: 'backoff', until: T0 + 10_000, failures: 1 }
    adoptRecord(slot, record({ token: token('a') }), T0, policy, cooldownPolicy, 30_000)
    expect(slot.cooldown).toBeUndefined()
    adoptRecord(
      slot,
      record({ token: token('b', 400_000), cooldown: { reason: 'backoff', until: T0 + 10_000, failures: 1 } }),
      T0,
      policy,
      cooldownPolicy,
      30_000,
    )
    expect(slot.cooldown?.until).toBe(T0 + 10_000)
  })
})
