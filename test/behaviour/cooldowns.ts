/**
 * Holding back: after a 429, an invalid_client or any other failure, no token request is sent until
 * the cooldown has passed, and every caller meanwhile gets the typed error at once. A cooldown that
 * comes from a store is held no longer than this context's own policy allows.
 * @module
 */
import { assert } from 'chai'
import { InvalidClientError, memoryStore, RateLimitedError, TokenEndpointError } from '../../src/index.ts'
import { storeKey } from '../../src/token/store-key.ts'
import { forgedCooldown } from '../helpers/forged-cooldown.ts'
import { harness } from '../helpers/harness.ts'
import { rejectionOf } from '../helpers/thrown.ts'
import type { BehaviourGroup } from './case.ts'

export const cooldowns: BehaviourGroup = {
  name: 'cooldowns',
  cases: [
    {
      name: 'a 429 with Retry-After: 30 gives RateLimitedError, and nothing is sent, token or API call, until 30 s have passed',
      async run() {
        const { auth, server, advance, clock, events } = harness()
        // The error's retryAfterMs counts from the real clock, so this case starts from it.
        clock.now = Date.now()
        server.inject({ status: 429, headers: { 'retry-after': '30' } })
        const error = await rejectionOf(auth.getToken())
        assert.instanceOf(error, RateLimitedError)
        assert.deepEqual([error.code, error.status, error.retryAt], ['ERR_RATE_LIMITED', 429, clock.now + 30_000])
        assert.isAbove(error.retryAfterMs, 25_000, 'Retry-After 30 s is honoured')

        const again = await rejectionOf(Promise.all([auth.getToken(), auth.fetch('zeebe', '/v2/topology')]))
        assert.instanceOf(again, RateLimitedError)
        assert.isTrue(
          events.some((event) => event.type === 'cooldown' && event.reason === 'rate_limited'),
          'a cooldown event is emitted',
        )
        advance(29_999)
        assert.instanceOf(await rejectionOf(auth.getToken()), RateLimitedError)
        assert.strictEqual(server.requests(), 1)
        assert.strictEqual(server.apiRequests(), 0)

        advance(1)
        assert.match(await auth.getToken(), /^eyJ/)
        assert.strictEqual(server.requests(), 2)
      },
    },
    {
      name: 'a refused secret gives InvalidClientError, and calls fail fast without a request for invalidClientCooldownMs',
      async run() {
        const { auth, server, advance, clock } = harness({}, {}, { ZEEBE_CLIENT_SECRET: 'not-the-secret' })
        const error = await rejectionOf(auth.getToken())
        assert.instanceOf(error, InvalidClientError)
        assert.deepEqual([error.code, error.status, error.error], ['ERR_INVALID_CLIENT', 401, 'invalid_client'])
        assert.strictEqual(error.retryAt, clock.now + 30_000, 'the error says when a retry may be sent')

        advance(29_999)
        const again = await rejectionOf(auth.getToken())
        assert.instanceOf(again, InvalidClientError)
        assert.strictEqual(again.code, 'ERR_INVALID_CLIENT')
        assert.strictEqual(server.requests(), 1)

        advance(1)
        assert.instanceOf(await rejectionOf(auth.getToken()), InvalidClientError)
        assert.strictEqual(server.requests(), 2, 'one request once the cooldown has passed')
      },
    },
    {
      name: 'failures without Retry-After back off: 1 s after the first, between 1 s and 2 s after the second, no request in between',
      async run() {
        const { auth, server, advance, clock } = harness({}, { backoff: { initialMs: 1_000, maxMs: 60_000 } })
        server.inject({ status: 502, times: 2 })
        const first = await rejectionOf(auth.getToken())
        assert.instanceOf(first, TokenEndpointError)
        assert.strictEqual(first.retryAt, clock.now + 1_000)
        advance(999)
        assert.instanceOf(await rejectionOf(auth.getToken()), TokenEndpointError)
        assert.strictEqual(server.requests(), 1)

        advance(1)
        const second = await rejectionOf(auth.getToken())
        assert.instanceOf(second, TokenEndpointError)
        assert.strictEqual(server.requests(), 2)
        const wait = second.retryAt! - clock.now
        assert.isAtLeast(wait, 1_000)
        assert.isAtMost(wait, 2_000)
        advance(wait - 1)
        assert.instanceOf(await rejectionOf(auth.getToken()), TokenEndpointError)
        assert.strictEqual(server.requests(), 2)

        advance(1)
        assert.match(await auth.getToken(), /^eyJ/)
        assert.strictEqual(server.requests(), 3)
      },
    },
    {
      name: 'a forged day-long invalid_client cooldown in a shared store holds callers back no longer than invalidClientCooldownMs',
      async run() {
        const { make, credentials, clock } = harness()
        const store = memoryStore()
        const key = await storeKey(credentials, credentials.audiences.zeebe)
        await store.set(key, forgedCooldown(key, 'invalid_client', clock.now + 86_400_000), 86_400_000)
        const error = await rejectionOf(make({ store }).getToken('zeebe'))
        assert.instanceOf(error, InvalidClientError)
        assert.isAtMost(error.retryAt!, clock.now + 30_000, 'held back for the local policy, not a day')
        assert.notInclude(error.message, 'evil.example', 'the forged text is not in the message')
      },
    },
  ],
}
