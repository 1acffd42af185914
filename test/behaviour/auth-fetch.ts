/**
 * auth.fetch: a path under the API's base URL gets the bearer token; an API that keeps answering 401
 * costs at most one extra token request; a URL outside the base URL gets nothing.
 * @module
 */
import { assert } from 'chai'
import { GATEWAY_VERSION } from '../../src/dev-server/api-routes.ts'
import { AuthError, ForeignUrlError } from '../../src/index.ts'
import { harness } from '../helpers/harness.ts'
import { rejectionOf } from '../helpers/thrown.ts'
import type { BehaviourGroup } from './case.ts'

export const authFetch: BehaviourGroup = {
  name: 'auth.fetch',
  cases: [
    {
      name: "auth.fetch('zeebe', '/v2/topology') gets 200 and the dev server's topology, for one token request",
      async run() {
        const { auth, server } = harness()
        const response = await auth.fetch('zeebe', '/v2/topology')
        const topology = await response.json()
        assert.strictEqual(response.status, 200)
        assert.strictEqual(topology.gatewayVersion, GATEWAY_VERSION)
        assert.isTrue(Array.isArray(topology.brokers) && topology.brokers.length > 0, 'a topology lists its brokers')
        assert.strictEqual(server.apiRequests('zeebe'), 1)
        assert.strictEqual(server.requests(), 1)
      },
    },
    {
      name: 'twenty auth.fetch calls to a path that always answers 401 cost at most one extra token request',
      async run() {
        const { make, server } = harness()
        const auth = make({
          fetch: (input, init) =>
            new Request(input, init).url.includes('/zeebe/')
              ? Promise.resolve(new Response(null, { status: 401 }))
              : server.fetch(input, init),
        })
        for (let i = 0; i < 20; i++) assert.strictEqual((await auth.fetch('zeebe', '/v2/always-401')).status, 401)
        assert.isAtMost(server.requests(), 2)
      },
    },
    {
      name: 'auth.fetch sends no token to another origin or above the base path: ForeignUrlError (ERR_URL_FOREIGN)',
      async run() {
        const { auth, server } = harness()
        for (const input of ['https://other.example/steal', '/../other-cluster/v2/topology']) {
          const error = await rejectionOf(auth.fetch('zeebe', input))
          assert.instanceOf(error, ForeignUrlError, input)
          assert.isTrue(error instanceof AuthError, 'an AuthError')
          assert.strictEqual(error.code, 'ERR_URL_FOREIGN')
        }
        assert.strictEqual(server.apiRequests(), 0)
      },
    },
  ],
}
