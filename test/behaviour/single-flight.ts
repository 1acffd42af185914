/**
 * One token request per credential set, however many callers: concurrent callers join one
 * acquisition, later ones are served from memory, and auth objects sharing a store and a
 * coordinator share the request too.
 * @module
 */
import { assert } from 'chai'
import { inProcessCoordinator, memoryStore } from '../../src/index.ts'
import { harness } from '../helpers/harness.ts'
import type { BehaviourGroup } from './case.ts'

export const singleFlight: BehaviourGroup = {
  name: 'single flight',
  cases: [
    {
      name: '100 concurrent getToken calls send one token request and all get the same token',
      async run() {
        const { auth, server } = harness()
        const tokens = await Promise.all(Array.from({ length: 100 }, () => auth.getToken('zeebe')))
        assert.strictEqual(new Set(tokens).size, 1)
        assert.match(tokens[0]!, /^eyJ/)
        assert.strictEqual(server.requests(), 1)
        assert.strictEqual(server.requests({ audience: 'zeebe.camunda.io' }), 1)
      },
    },
    {
      name: 'a cached token is served from memory, also as a bearer header, with no new request',
      async run() {
        const { auth, server, events } = harness()
        const first = await auth.getToken('operate')
        const second = await auth.getToken('operate')
        const headers = await auth.getHeaders('operate')
        assert.strictEqual(second, first)
        assert.deepEqual(headers, { authorization: `Bearer ${first}` })
        assert.strictEqual(server.requests(), 1)
        assert.deepEqual(
          events.flatMap((event) => (event.type === 'cache_hit' ? [event.source] : [])),
          ['memory', 'memory'],
        )
      },
    },
    {
      name: 'two auth objects sharing a store and a coordinator send one token request between them',
      async run() {
        const { make, server } = harness()
        const store = memoryStore()
        const coordinator = inProcessCoordinator()
        const [a, b] = [make({ store, coordinator }), make({ store, coordinator })]
        const [tokenA, tokenB] = await Promise.all([a.getToken('tasklist'), b.getToken('tasklist')])
        assert.strictEqual(tokenB, tokenA)
        assert.strictEqual(server.requests(), 1)
      },
    },
  ],
}
