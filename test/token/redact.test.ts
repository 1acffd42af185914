import { describe, expect, it } from 'vitest'
import { redact } from '../../src/token/redact.ts'

describe('redact', () => {
  it('removes the given secrets', () => {
    expect(redact('bad secret s3cr3t-value here', ['s3cr3t-value'])).toBe('bad secret [redacted] here')
  })
  it('removes anything JWT-shaped', () => {
    expect(redact('token eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl expired', [])).toBe('token [redacted] expired')
  })
  it('removes long opaque token-like runs that contain a digit', () => {
    expect(redact('last token SENTINELTOKEN-a1b2c3d4e5f6a7b8c9d0 refused', [])).toBe('last token [redacted] refused')
  })
  it('keeps prose, error codes and plain URLs readable', () => {
    const text = 'invalid_client: Client authentication failed at https://login.cloud.camunda.io/oauth/token'
    expect(redact(text, [])).toBe(text)
  })
  it('ignores secrets too short to search for safely', () => {
    expect(redact('a b c', ['a'])).toBe('a b c')
  })
  it('cuts long text', () => {
    expect(redact('x '.repeat(400), [], 10)).toBe('x x x x x …')
  })
})
