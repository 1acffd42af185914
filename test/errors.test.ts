/**
 * The error union at run time: stable codes on every class, TokenError's own code through a
 * cooldown, read-only retryAt, the auth object's clock, and a transport failure's redacted cause.
 */
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import * as api from '../src/index.ts'
import { AuthError, createAuth, isAuthError, TokenError, TokenRequestError } from '../src/index.ts'
import { harness } from './helpers/harness.ts'
import { rejectionOf } from './helpers/thrown.ts'

describe('errors', () => {
  it('every exported error class has its own stable code, on the class and on each instance', () => {
    const classes = Object.values(api).filter(
      (value): value is typeof TokenError => typeof value === 'function' && value.prototype instanceof AuthError,
    )
    expect(classes.length).toBeGreaterThanOrEqual(16)
    const codes = classes.map((ErrorClass) => ErrorClass.code)
    expect(new Set(codes).size).toBe(classes.length)
    for (const code of codes) expect(code).toMatch(/^ERR_[A-Z_]+$/)
    expect(new TokenRequestError('x').code).toBe('ERR_TOKEN_REQUEST_FAILED')
    expect(isAuthError(new TokenRequestError('x'))).toBe(true)
    expect(isAuthError(new Error('x'))).toBe(false)
  })

  it('a custom TokenSource throwing a TokenError gives the same class and code on the first call and in its cooldown', async () => {
    const h = harness()
    const auth = h.make({
      tokenSource: async () => {
        throw new TokenError('my source failed', { status: 503 })
      },
    })
    const first = await rejectionOf(auth.getToken())
    const again = await rejectionOf(auth.getToken())
    for (const error of [first, again]) {
      expect(error.constructor).toBe(TokenError)
      expect((error as TokenError).code).toBe('ERR_TOKEN')
    }
    expect((first as TokenError).retryAt).toBe((again as TokenError).retryAt)
  })

  it("retryAfterMs is read on the auth object's clock, not Date.now", async () => {
    const h = harness()
    h.server.inject({ status: 429, headers: { 'retry-after': '30' } })
    const error = (await rejectionOf(h.auth.getToken())) as TokenError
    expect(error.retryAfterMs).toBe(30_000)
    h.advance(10_000)
    expect(error.retryAfterMs).toBe(20_000)
  })

  it('a network failure keeps what fetch threw as its cause: not enumerable, and redacted', async () => {
    const { credentials } = harness()
    const secret = credentials.clientSecret
    const socket = Object.assign(new Error(`connect ECONNREFUSED; body client_secret=${secret}`), { code: 'ECONNREFUSED' })
    const auth = createAuth({ credentials, fetch: () => Promise.reject(new TypeError('fetch failed', { cause: socket })) })
    const error = await rejectionOf(auth.getToken())
    expect(error).toBeInstanceOf(TokenRequestError)
    expect(Object.keys(error)).not.toContain('cause')
    const cause = error.cause as Error
    expect(cause).toMatchObject({ name: 'TypeError', message: 'fetch failed' })
    expect((cause.cause as Error).message).toMatch(/^connect ECONNREFUSED; body client_secret=\[redacted\]/)
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(secret)
  })
})
