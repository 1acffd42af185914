/**
 * A token's lifetime: inside the refresh-ahead window callers keep the valid token at once while one
 * background refresh runs; past the lifetime, one new request serves every caller.
 * @module
 */
import { assert } from 'chai'
import { harness } from '../helpers/harness.ts'
import type { BehaviourGroup } from './case.ts'

/** A promise and the function that settles it: a gate a test opens when it chooses. */
function gate(): { readonly opened: Promise<void>; open(): void } {
  let open = () => {}
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { opened, open }
}

export const refreshAhead: BehaviourGroup = {
  name: 'refresh ahead and expiry',
  cases: [
    {
      name: 'callers in the refresh window get the cached token at once while one background refresh runs',
      async run() {
        const { make, server, advance, settle, eventTypes } = harness({ tokenLifetimeSeconds: 300 })
        // The refresh is held at this gate: the callers must be answered while it is still in flight.
        const refresh = gate()
        let sent = 0
        const auth = make({
          fetch: async (input, init) => {
            if (++sent === 2) await refresh.opened
            return server.fetch(input, init)
          },
        })
        const first = await auth.getToken()
        advance(241_000) // the last 60 s of 300 s
        const during = await Promise.all([auth.getToken(), auth.getToken(), auth.getToken()])
        assert.deepEqual(during, [first, first, first])
        assert.strictEqual(eventTypes().filter((type) => type === 'refresh_ahead').length, 1)
        await settle()
        assert.strictEqual(sent, 2, 'one background refresh is sent, and held at the gate')
        assert.strictEqual(server.requests(), 1)

        refresh.open()
        await settle()
        assert.strictEqual(server.requests(), 2)
        const next = await auth.getToken()
        assert.notStrictEqual(next, first, 'the refreshed token is served next')
        assert.strictEqual(server.requests(), 2)
      },
    },
    {
      name: 'a token past its lifetime is replaced by exactly one new request for every waiting caller',
      async run() {
        const { auth, server, advance } = harness({ tokenLifetimeSeconds: 60 })
        const first = await auth.getToken()
        advance(61_000)
        const tokens = await Promise.all(Array.from({ length: 10 }, () => auth.getToken()))
        assert.strictEqual(new Set(tokens).size, 1)
        assert.notStrictEqual(tokens[0], first, 'the expired token is not served')
        assert.strictEqual(server.requests(), 2)
      },
    },
  ],
}
