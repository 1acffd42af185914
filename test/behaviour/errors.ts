/**
 * Every failure is a typed error with a stable code: each way a token request can fail gives its own
 * class (a TokenError, an AuthError) with the status as evidence, and a caller in the cooldown that
 * follows gets the same class and code without a request. An API the bundle has no URL for is a
 * MissingApiUrlError naming the variable and the Console scope.
 * @module
 */
import { assert } from 'chai'
import type { DevFault } from '../../src/dev-server.ts'
import {
  AuthError,
  InvalidClientError,
  MissingApiUrlError,
  parseCredentials,
  RateLimitedError,
  RedirectRefusedError,
  TokenEndpointError,
  TokenError,
  TokenLifetimeError,
  TokenRequestError,
  TokenResponseError,
  TokenTimeoutError,
} from '../../src/index.ts'
import { harness } from '../helpers/harness.ts'
import { rejectionOf } from '../helpers/thrown.ts'
import type { BehaviourCase, BehaviourGroup } from './case.ts'

interface TokenFailure {
  /** What the token endpoint does, in words, for the case name. */
  readonly answer: string
  readonly fault: DevFault
  readonly type: typeof TokenError
  readonly code: string
  readonly status?: number
}

const FAILURES: readonly TokenFailure[] = [
  { answer: 'a 401 invalid_client', fault: { status: 401 }, type: InvalidClientError, code: 'ERR_INVALID_CLIENT', status: 401 },
  { answer: 'a 429', fault: { status: 429 }, type: RateLimitedError, code: 'ERR_RATE_LIMITED', status: 429 },
  { answer: 'a 500', fault: { status: 500 }, type: TokenEndpointError, code: 'ERR_TOKEN_ENDPOINT', status: 500 },
  { answer: 'a 200 with an HTML body', fault: { body: 'html' }, type: TokenResponseError, code: 'ERR_TOKEN_RESPONSE_INVALID', status: 200 },
  { answer: 'a 302 redirect', fault: { status: 302 }, type: RedirectRefusedError, code: 'ERR_REDIRECT_REFUSED', status: 302 },
  { answer: 'a token with no lifetime', fault: { opaque: true, expiresIn: null }, type: TokenLifetimeError, code: 'ERR_TOKEN_LIFETIME' },
  { answer: 'a reset connection', fault: { reset: true }, type: TokenRequestError, code: 'ERR_TOKEN_REQUEST_FAILED' },
  { answer: 'no answer within timeoutMs', fault: { delayMs: 5_000 }, type: TokenTimeoutError, code: 'ERR_TOKEN_TIMEOUT' },
]

function failureCase({ answer, fault, type, code, status }: TokenFailure): BehaviourCase {
  return {
    name: `${answer} gives ${type.name} (${code}), and its cooldown answers with the same class and code, sending nothing`,
    async run() {
      const { auth, server } = harness({}, { timeoutMs: 50 })
      server.inject(fault)
      const error = await rejectionOf(auth.getToken())
      assert.instanceOf(error, type)
      assert.instanceOf(error, TokenError)
      assert.isTrue(error instanceof AuthError, 'an AuthError')
      assert.deepEqual([error.name, error.code, type.code, error.api], [type.name, code, code, 'zeebe'])
      if (status !== undefined) assert.strictEqual(error.status, status)

      const held = await rejectionOf(auth.getToken())
      assert.instanceOf(held, type)
      assert.strictEqual(held.code, code)
      assert.strictEqual(server.requests(), 1)
    },
  }
}

export const errors: BehaviourGroup = {
  name: 'errors',
  cases: [
    ...FAILURES.map(failureCase),
    {
      name: 'an API without a base URL in the bundle is a MissingApiUrlError (ERR_API_URL_MISSING) naming the variable and the scope',
      async run({ fixtures }) {
        const { make, server } = harness()
        // This bundle grants Zeebe and Operate only.
        const auth = make({ credentials: parseCredentials(fixtures['credentials.json']) })
        const error = await rejectionOf(auth.fetch('tasklist', '/v1/tasks/search', { method: 'POST' }))
        assert.instanceOf(error, MissingApiUrlError)
        assert.isTrue(error instanceof AuthError, 'an AuthError')
        assert.deepEqual(
          [error.code, error.api, error.variable, error.scope],
          ['ERR_API_URL_MISSING', 'tasklist', 'CAMUNDA_TASKLIST_BASE_URL', 'Tasklist'],
        )
        assert.strictEqual(server.requests(), 0)
      },
    },
  ],
}
