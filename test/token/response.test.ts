import { describe, expect, it } from 'vitest'
import { TokenResponseError } from '../../src/errors.ts'
import { parseTokenResponse } from '../../src/token/response.ts'
import { thrownBy } from '../helpers/thrown.ts'

const ok = { access_token: 'abc.def.ghi', token_type: 'Bearer', expires_in: 300, scope: 'x' }

describe('parseTokenResponse', () => {
  it('returns the token, expires_in and scope of a valid answer', () => {
    expect(parseTokenResponse(ok, { status: 200 })).toEqual({ accessToken: 'abc.def.ghi', expiresIn: 300, scope: 'x' })
  })
  it('accepts token_type in any case and expires_in as a numeric string', () => {
    expect(parseTokenResponse({ ...ok, token_type: 'bearer', expires_in: '60' }, {}).expiresIn).toBe(60)
  })
  it.each([
    ['not an object', 'text', /not a JSON object/],
    ['an array', [ok], /not a JSON object/],
    ['null', null, /not a JSON object/],
    ['no access_token', { token_type: 'Bearer' }, /access_token is missing/],
    ['an empty access_token', { ...ok, access_token: '' }, /access_token is missing/],
    ['a non-string access_token', { ...ok, access_token: 42 }, /access_token is missing/],
    ['an access_token with spaces', { ...ok, access_token: 'a b' }, /not a bearer token/],
    ['a MAC token_type', { ...ok, token_type: 'mac' }, /token_type is "mac"/],
    ['no token_type', { access_token: 'x' }, /token_type is missing/],
    ['a non-numeric expires_in', { ...ok, expires_in: 'soon' }, /expires_in is not a number/],
    ['an infinite expires_in', { ...ok, expires_in: Infinity }, /expires_in is not a number/],
  ])('refuses %s with TokenResponseError', (_name, body, message) => {
    const error = thrownBy(() => parseTokenResponse(body, { status: 200 }))
    expect(error).toBeInstanceOf(TokenResponseError)
    expect((error as TokenResponseError).code).toBe('ERR_TOKEN_RESPONSE_INVALID')
    expect((error as TokenResponseError).status).toBe(200)
    expect((error as Error).message).toMatch(message)
  })
  it('does not read access_token through a __proto__ key', () => {
    const body = JSON.parse('{"__proto__": {"access_token": "x", "token_type": "Bearer"}}')
    expect(() => parseTokenResponse(body, {})).toThrow(TokenResponseError)
    expect(({} as Record<string, unknown>).access_token).toBeUndefined()
  })
})
