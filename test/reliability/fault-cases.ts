/**
 * The fault cases of the reliability suite, shared by the fault matrix and the secret-leak scan:
 * each is a dev-server fault and what a caller must get for it.
 */
import {
  type AuthError,
  InvalidClientError,
  RateLimitedError,
  RedirectRefusedError,
  TokenEndpointError,
  TokenLifetimeError,
  TokenRequestError,
  TokenResponseError,
  TokenTimeoutError,
} from '../../src/index.ts'
import type { FaultInput } from '../../src/dev-server.ts'

export interface FaultCase {
  readonly name: string
  readonly fault: () => FaultInput
  /** The typed error a caller gets, or 'token' when the answer is still a usable token. */
  readonly expected: typeof AuthError | 'token'
  /** The Retry-After the fault asks for, in ms, when it asks for one. */
  readonly retryAfterMs?: number
}

/** Every fault, with times taken from `clock` and the redirect pointing at `elsewhere()`. */
export function faultCases(clock: { now: number }, elsewhere: () => string): readonly FaultCase[] {
  const seconds = () => Math.floor(clock.now / 1000)
  return [
    {
      name: '429 with Retry-After in seconds',
      fault: () => ({ status: 429, headers: { 'retry-after': '2' } }),
      expected: RateLimitedError,
      retryAfterMs: 2_000,
    },
    {
      name: '429 with Retry-After as an HTTP date',
      fault: () => ({ status: 429, headers: { 'retry-after': new Date(clock.now + 3_000).toUTCString() } }),
      expected: RateLimitedError,
      retryAfterMs: 3_000,
    },
    { name: '429 without Retry-After', fault: () => ({ status: 429, headers: {} }), expected: RateLimitedError },
    {
      name: '503 with Retry-After',
      fault: () => ({ status: 503, headers: { 'retry-after': '2' } }),
      expected: RateLimitedError,
      retryAfterMs: 2_000,
    },
    { name: '500', fault: () => 500, expected: TokenEndpointError },
    { name: '502', fault: () => 502, expected: TokenEndpointError },
    { name: '503 without Retry-After', fault: () => 503, expected: TokenEndpointError },
    { name: '504', fault: () => 504, expected: TokenEndpointError },
    { name: 'an HTML error page', fault: () => ({ body: 'html' }), expected: TokenResponseError },
    { name: 'truncated JSON', fault: () => ({ body: 'truncated-json' }), expected: TokenResponseError },
    { name: 'an empty body', fault: () => ({ body: 'empty' }), expected: TokenResponseError },
    { name: 'a 200 without access_token', fault: () => ({ body: 'no-access-token' }), expected: TokenResponseError },
    { name: 'a token_type that is not Bearer', fault: () => ({ body: 'wrong-token-type' }), expected: TokenResponseError },
    { name: 'expires_in 0', fault: () => ({ expiresIn: 0 }), expected: TokenLifetimeError },
    { name: 'a negative expires_in', fault: () => ({ expiresIn: -300 }), expected: TokenLifetimeError },
    { name: 'expires_in as a numeric string', fault: () => ({ expiresIn: '300' }), expected: 'token' },
    { name: 'expires_in as a word', fault: () => ({ expiresIn: 'soon' }), expected: TokenResponseError },
    { name: 'a huge expires_in', fault: () => ({ expiresIn: 1e15 }), expected: 'token' },
    { name: 'a JWT with exp in the past', fault: () => ({ jwt: { exp: seconds() - 60 } }), expected: TokenLifetimeError },
    { name: 'a JWT without exp (expires_in decides)', fault: () => ({ jwt: { exp: null } }), expected: 'token' },
    { name: 'a JWT without exp and no expires_in', fault: () => ({ jwt: { exp: null }, expiresIn: null }), expected: TokenLifetimeError },
    { name: 'a JWT with exp far in the future', fault: () => ({ jwt: { exp: seconds() + 10 * 365 * 86_400 } }), expected: 'token' },
    { name: 'a JWT with malformed segments (expires_in decides)', fault: () => ({ jwt: { malformed: true } }), expected: 'token' },
    {
      name: 'a JWT with malformed segments and no expires_in',
      fault: () => ({ jwt: { malformed: true }, expiresIn: null }),
      expected: TokenLifetimeError,
    },
    { name: 'an opaque token (expires_in decides)', fault: () => ({ opaque: true }), expected: 'token' },
    { name: 'a connection reset', fault: () => ({ reset: true }), expected: TokenRequestError },
    { name: 'a hang past the timeout', fault: () => ({ delayMs: 10_000 }), expected: TokenTimeoutError },
    { name: 'a body trickled past the timeout', fault: () => ({ trickleMs: 25 }), expected: TokenTimeoutError },
    { name: 'a body trickled slowly within the timeout', fault: () => ({ trickleMs: 1, trickleBytes: 16 }), expected: 'token' },
    { name: '401 invalid_client', fault: () => 401, expected: InvalidClientError },
    {
      name: 'a redirect to another origin',
      fault: () => ({ status: 307, headers: { location: elsewhere() } }),
      expected: RedirectRefusedError,
    },
  ]
}
