import { describe, expect, it } from 'vitest'
import { readStoredRecord } from '../../src/token/record.ts'
import { storeKey, STORE_KEY_PREFIX } from '../../src/token/store-key.ts'
import type { Credentials } from '../../src/types.ts'

const now = Date.parse('2026-06-01T12:00:00Z')
const token = { accessToken: 'abc.def.ghi', receivedAt: now - 1000, expiresAt: now + 60_000 }
const cooldown = { reason: 'rate_limited', until: now + 5000, failures: 1, code: 'ERR_RATE_LIMITED', status: 429 }

describe('readStoredRecord', () => {
  it('returns a valid token and cooldown', () => {
    expect(readStoredRecord({ v: 1, key: 'k', token, cooldown }, 'k', now)).toEqual({ v: 1, key: 'k', token, cooldown })
  })
  it.each([
    ['undefined', undefined],
    ['a string', 'camunda'],
    ['an array', [1]],
    ['another version', { v: 2, token }],
    ['an expired token', { v: 1, key: 'k', token: { ...token, expiresAt: now - 1 } }],
    ['a token from the future', { v: 1, key: 'k', token: { ...token, receivedAt: now + 3_600_000, expiresAt: now + 7_200_000 } }],
    ['a token living a year', { v: 1, key: 'k', token: { ...token, expiresAt: now + 365 * 86_400_000 } }],
    ['a non-string token', { v: 1, key: 'k', token: { ...token, accessToken: 42 } }],
    ['a token with a header-breaking character', { v: 1, key: 'k', token: { ...token, accessToken: 'a\r\nx: y' } }],
    ['an unknown cooldown reason', { v: 1, key: 'k', cooldown: { ...cooldown, reason: 'nap' } }],
    ['a cooldown lasting a week', { v: 1, key: 'k', cooldown: { ...cooldown, until: now + 7 * 86_400_000 } }],
    ['NaN times', { v: 1, key: 'k', token: { ...token, expiresAt: Number.NaN } }],
  ])('ignores %s', (_name, value) => {
    expect(readStoredRecord(value, 'k', now)).toBeUndefined()
  })
  it('ignores a record written under another key (another credential set)', () => {
    expect(readStoredRecord({ v: 1, key: 'other', token }, 'k', now)).toBeUndefined()
  })
  it('keeps the valid half of a record whose other half is corrupt', () => {
    expect(readStoredRecord({ v: 1, key: 'k', token, cooldown: { until: 'x' } }, 'k', now)).toEqual({ v: 1, key: 'k', token })
  })
  it('drops a cooldown code that is not one of ours', () => {
    expect(readStoredRecord({ v: 1, key: 'k', cooldown: { ...cooldown, code: '<script>' } }, 'k', now)?.cooldown?.code).toBeUndefined()
  })
})

describe('storeKey', () => {
  const credentials = {
    clientId: 'client',
    clientSecret: 'secret-one',
    tokenUrl: 'https://login.cloud.camunda.io/oauth/token',
    scope: undefined,
  } as unknown as Credentials

  it('is a prefixed SHA-256 hex digest that contains neither id nor secret', async () => {
    const key = await storeKey(credentials, 'zeebe.camunda.io')
    expect(key).toMatch(new RegExp(`^${STORE_KEY_PREFIX}[0-9a-f]{64}$`))
    expect(key).not.toContain('client')
    expect(key).not.toContain('secret')
  })
  it('is stable for the same inputs', async () => {
    expect(await storeKey(credentials, 'a')).toBe(await storeKey(credentials, 'a'))
  })
  it('differs by audience, client, rotated secret, token URL and scope', async () => {
    const base = await storeKey(credentials, 'a')
    const variants = [
      await storeKey(credentials, 'b'),
      await storeKey({ ...credentials, clientId: 'other' } as Credentials, 'a'),
      await storeKey({ ...credentials, clientSecret: 'secret-two' } as Credentials, 'a'),
      await storeKey({ ...credentials, tokenUrl: 'https://other/token' } as Credentials, 'a'),
      await storeKey({ ...credentials, scope: 'openid' } as Credentials, 'a'),
    ]
    expect(new Set([base, ...variants]).size).toBe(6)
  })
})
