import { describe, expect, it } from 'vitest'
import { retryAfterMs } from '../../src/token/retry-after.ts'

describe('retryAfterMs', () => {
  it('reads delay-seconds', () => {
    expect(retryAfterMs('3')).toBe(3000)
    expect(retryAfterMs(' 0 ')).toBe(0)
  })
  it('reads an HTTP date relative to now', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:07 GMT', now)).toBe(7000)
  })
  it('treats a date in the past as no wait', () => {
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT')).toBe(0)
  })
  it('ignores absent and unreadable headers', () => {
    expect(retryAfterMs(null)).toBeUndefined()
    expect(retryAfterMs('soon')).toBeUndefined()
    expect(retryAfterMs('-5')).toBeUndefined()
  })
  it('caps absurd waits at one day', () => {
    expect(retryAfterMs('99999999999')).toBe(86_400_000)
  })
})
