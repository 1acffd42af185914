/**
 * The strategies without a client secret, on every runtime: BASIC's header and its API routes,
 * NONE's empty headers, BEARER's expiry from the JWT exp and its one more ask after a 401; and the
 * Basic, bearer and Entra ID fixtures parsed as each deployment hands them out.
 * @module
 */
import { assert } from 'chai'
import { SignJWT } from 'jose'
import { createDevAuthServer, devCredentials } from '../../src/dev-server.ts'
import { createAuth, NoBearerTokenError, parseCredentials } from '../../src/index.ts'
import { ORIGIN, rejectionOf, T0 } from '../helpers/harness.ts'
import type { BehaviourGroup } from './case.ts'

/** Base64 of UTF-8, written out by hand as a peer would: RFC 7617 §2.1. */
const basic = (text: string) => `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(text)))}`

export const strategies: BehaviourGroup = {
  name: 'strategies',
  cases: [
    {
      name: 'the Basic, bearer and Entra ID fixtures parse as BASIC, BEARER and OAuth with a scope and no audience',
      async run({ fixtures }) {
        const b = parseCredentials(fixtures['self-managed-basic.env'])
        assert.deepEqual([b.strategy, b.username, b.password, b.tenantId], ['BASIC', 'demo', 'demo-Password~not-real-1234', '<default>'])
        const t = parseCredentials(fixtures['bearer.env'])
        assert.deepEqual([t.strategy, t.staticToken], ['BEARER', 'placeholder.static-token.not-real'])
        const e = parseCredentials(fixtures['entra-id.env'])
        assert.deepEqual(
          [e.provider, e.scopes.zeebe, e.audiences.zeebe],
          ['entra', 'api://camunda-orchestration-cluster/.default', undefined],
        )
      },
    },
    {
      name: 'BASIC: getHeaders and auth.fetch send Basic user:password in UTF-8, no token request, and getToken says there is none',
      async run() {
        const server = createDevAuthServer({ apiAuth: 'basic', users: [{ username: 'démo', password: 'pässword' }], rateLimit: false })
        const credentials = parseCredentials(
          devCredentials(ORIGIN, undefined, { strategy: 'BASIC', user: { username: 'démo', password: 'pässword' } }),
        )
        const auth = createAuth({ credentials, fetch: server.fetch })
        assert.deepEqual(await auth.getHeaders('operate'), { authorization: basic('démo:pässword') })
        const response = await auth.fetch('zeebe', '/v2/topology')
        assert.strictEqual(response.status, 200)
        await response.body?.cancel()
        assert.strictEqual(server.requests(), 0)
        assert.instanceOf(await rejectionOf(auth.getToken()), NoBearerTokenError)
      },
    },
    {
      name: 'NONE: no Authorization header at all, and getToken says there is no token',
      async run() {
        const server = createDevAuthServer({ apiAuth: 'none' })
        const seen: (string | null)[] = []
        const auth = createAuth({
          credentials: parseCredentials(devCredentials(ORIGIN, undefined, { strategy: 'NONE' })),
          fetch: (input, init) => {
            const request = new Request(input, init)
            seen.push(request.headers.get('authorization'))
            return server.fetch(request)
          },
        })
        assert.deepEqual(await auth.getHeaders(), {})
        const response = await auth.fetch('zeebe', '/v2/topology')
        assert.strictEqual(response.status, 200)
        await response.body?.cancel()
        assert.deepEqual(seen, [null])
        assert.strictEqual(((await rejectionOf(auth.getToken())) as NoBearerTokenError).strategy, 'NONE')
      },
    },
    {
      name: 'BEARER: a handed-in JWT expires at its exp, and a 401 asks bearerToken() once more',
      async run() {
        const key = new TextEncoder().encode('a-key-of-thirty-two-bytes-long!!')
        const exp = Math.floor(T0 / 1000) + 600
        const tokens = await Promise.all(
          ['first', 'second'].map((sub) => new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(exp).sign(key)),
        )
        let calls = 0
        const sent: (string | null)[] = []
        const auth = createAuth({
          credentials: parseCredentials({ CAMUNDA_AUTH_STRATEGY: 'BEARER', ZEEBE_REST_ADDRESS: `${ORIGIN}/zeebe` }),
          bearerToken: () => tokens[Math.min(calls++, 1)]!,
          now: () => T0,
          fetch: async (input, init) => {
            const request = new Request(input, init)
            sent.push(request.headers.get('authorization'))
            return new Response(null, { status: sent.length === 1 ? 401 : 200 })
          },
        })
        assert.strictEqual((await auth.getTokenRecord()).expiresAt, exp * 1000)
        assert.strictEqual((await auth.fetch('zeebe', '/v2/topology')).status, 200)
        assert.strictEqual(calls, 2)
        assert.deepEqual(sent, [`Bearer ${tokens[0]}`, `Bearer ${tokens[1]}`])
      },
    },
  ],
}
