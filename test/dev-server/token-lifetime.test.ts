import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { createDevAuthServer } from '../../src/dev-server.ts'
import { formRequest } from './helpers.ts'
import { InvalidArgumentError } from '../../src/errors.ts'

async function issue(server: ReturnType<typeof createDevAuthServer>) {
  const body = (await (await server.fetch(formRequest())).json()) as { access_token: string; expires_in: number }
  return { expiresIn: body.expires_in, claims: decodeJwt(body.access_token) }
}

describe('the token lifetime', () => {
  it('is 3600 s by default', async () => {
    const { expiresIn, claims } = await issue(createDevAuthServer())
    expect(expiresIn).toBe(3600)
    expect(claims.exp! - claims.iat!).toBe(3600)
  })

  it('is configurable, and expires_in agrees with exp - iat', async () => {
    const { expiresIn, claims } = await issue(createDevAuthServer({ tokenLifetimeSeconds: 120, now: () => 1_700_000_000_900 }))
    expect(expiresIn).toBe(120)
    expect(claims.iat).toBe(1_700_000_000)
    expect(claims.exp).toBe(1_700_000_120)
  })

  it('may be fractional: expires_in keeps it, exp is whole seconds and never later than the real expiry', async () => {
    const now = 1_700_000_000_600
    const { expiresIn, claims } = await issue(createDevAuthServer({ tokenLifetimeSeconds: 2.5, now: () => now }))
    expect(expiresIn).toBe(2.5)
    expect(Number.isInteger(claims.exp)).toBe(true)
    expect(claims.exp! * 1000).toBeLessThanOrEqual(now + 2_500)
    expect(claims.exp).toBe(1_700_000_003)
  })

  it('must be a positive number', () => {
    expect(() => createDevAuthServer({ tokenLifetimeSeconds: 0 })).toThrow(InvalidArgumentError)
    expect(() => createDevAuthServer({ tokenLifetimeSeconds: Number.NaN })).toThrow(InvalidArgumentError)
  })
})
