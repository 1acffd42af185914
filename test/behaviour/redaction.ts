/**
 * The client secret and tokens never show: not in the credentials written out, not in an error about
 * a bundle, not in a refused request's error or its events, and not when a token endpoint echoes the
 * request body (the secret form-encoded) in its error_description. "Written out" includes the
 * runtime's own inspector where the runner gives one (Node's `util.inspect`, `Deno.inspect`).
 * @module
 */
import { assert } from 'chai'
import { CredentialsError, InvalidClientError, parseCredentials } from '../../src/index.ts'
import { SAAS_SECRET } from '../helpers/fixtures.ts'
import { harness } from '../helpers/harness.ts'
import { assertExcludes, assertNoRunOf, renderings } from '../helpers/leaks.ts'
import { rejectionOf, thrownBy } from '../helpers/thrown.ts'
import type { BehaviourGroup } from './case.ts'

/** The shortest echo of a secret that counts as a leak (README, "What redaction removes"). */
const RUN = 12

export const redaction: BehaviourGroup = {
  name: 'redaction',
  cases: [
    {
      name: 'credentials keep the secret readable, yet JSON.stringify, the inspector, a spread copy, structuredClone and Object.keys never show it',
      async run({ fixtures, inspect }) {
        const credentials = parseCredentials(fixtures['saas-credentials.txt'])
        assert.strictEqual(credentials.clientSecret, SAAS_SECRET)
        assertExcludes(renderings(credentials, inspect), SAAS_SECRET, 'the credentials written out')
        assertExcludes(renderings({ ...credentials }, inspect), SAAS_SECRET, 'a spread copy')
        assertExcludes(renderings(structuredClone(credentials), inspect), SAAS_SECRET, 'a structured clone')
        assert.notInclude(Object.keys(credentials), 'clientSecret')
      },
    },
    {
      name: 'a CredentialsError about a bundle that holds a secret never quotes it',
      async run({ inspect }) {
        const secret = 'present-secret-Kp3Wq9Zr7Lx'
        const error = thrownBy(() =>
          parseCredentials({ ZEEBE_CLIENT_ID: 'c', ZEEBE_CLIENT_SECRET: secret, ZEEBE_AUTHORIZATION_SERVER_URL: `not a url ${secret}` }),
        )
        assert.instanceOf(error, CredentialsError)
        assert.deepEqual(
          error.issues.map((issue) => issue.variable),
          ['ZEEBE_AUTHORIZATION_SERVER_URL'],
        )
        assertExcludes(renderings(error, inspect), secret, 'the CredentialsError')
      },
    },
    {
      name: 'a refused secret: the InvalidClientError, the cooldown error and every event leave it out',
      async run({ inspect }) {
        const secret = 'wrong-secret-Zq8Xv2Lm5Np7Rt9W'
        const { auth, events } = harness({}, {}, { ZEEBE_CLIENT_SECRET: secret })
        const error = await rejectionOf(auth.getToken())
        assert.instanceOf(error, InvalidClientError)
        assertExcludes(renderings(error, inspect), secret, 'the InvalidClientError')
        assertExcludes(renderings(await rejectionOf(auth.getToken()), inspect), secret, 'the cooldown error')
        assertExcludes(JSON.stringify(events), secret, 'the events')
        assert.isTrue(
          events.some((event) => event.type === 'token_failed'),
          'the failure is reported',
        )
      },
    },
    {
      name: 'a working token and the secret appear in no event',
      async run() {
        const { auth, events, credentials } = harness()
        const token = await auth.getToken('zeebe')
        await (await auth.fetch('zeebe', '/v2/topology')).body?.cancel()
        assert.deepEqual(events.map((event) => event.type).slice(0, 2), ['token_requested', 'token_received'])
        assertExcludes(JSON.stringify(events), token, 'the events')
        assertExcludes(JSON.stringify(events), credentials.clientSecret, 'the events')
      },
    },
    {
      name: `a 401 echoing the form body (the secret form-encoded) leaves no ${RUN}-character run of it in the error or the events`,
      async run({ inspect }) {
        const secret = 'echoed~secret with+spaces~and/ümlauts-Zq8Xv2Lm5'
        const formEncoded = new URLSearchParams({ s: secret }).toString().slice(2)
        const { auth, events } = harness(
          {},
          {
            // The token endpoint echoes the whole form body in its error_description.
            fetch: async (input, init) => {
              // Decoded by hand: workerd warns when text() reads a form body.
              const body = new TextDecoder().decode(await new Request(input, init).arrayBuffer())
              return Response.json({ error: 'invalid_client', error_description: `cannot authenticate ${body}` }, { status: 401 })
            },
          },
          { ZEEBE_CLIENT_SECRET: secret },
        )
        const error = await rejectionOf(auth.getToken())
        assert.instanceOf(error, InvalidClientError)
        assert.include(error.message, 'client_secret=[redacted]&')
        const texts = [renderings(error, inspect), renderings(await rejectionOf(auth.getToken()), inspect), JSON.stringify(events)]
        assertNoRunOf(texts, formEncoded, RUN, 'the error or an event')
      },
    },
  ],
}
