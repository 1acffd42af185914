import { describe, expectTypeOf, it } from 'vitest'
import { type AnyAuthError, type AuthErrorCode, isAuthError, type MissingApiUrlError, RateLimitedError } from '../src/index.ts'

describe('AnyAuthError is a discriminated union', () => {
  it("narrows on code: err.code === 'ERR_RATE_LIMITED' makes err a RateLimitedError", () => {
    const explain = (err: AnyAuthError) => {
      if (err.code === 'ERR_RATE_LIMITED') {
        expectTypeOf(err).toEqualTypeOf<RateLimitedError>()
        return err.retryAfterMs
      }
      if (err.code === 'ERR_API_URL_MISSING') {
        expectTypeOf(err).toEqualTypeOf<MissingApiUrlError>()
        return err.variable
      }
      return err.message
    }
    expectTypeOf(explain).returns.toEqualTypeOf<string | number>()
  })

  it('isAuthError turns a caught unknown into the union', () => {
    const caught: unknown = undefined
    if (isAuthError(caught)) expectTypeOf(caught).toEqualTypeOf<AnyAuthError>()
  })

  it('lists every code, the token base class included, and nothing else', () => {
    expectTypeOf<'ERR_TOKEN'>().toExtend<AuthErrorCode>()
    expectTypeOf<'ERR_AUTH'>().not.toExtend<AuthErrorCode>()
  })

  it('retryAt is read-only', () => {
    const error = new RateLimitedError('429', { retryAt: 1 })
    // @ts-expect-error retryAt is set through the constructor only
    error.retryAt = 2
  })
})
