/**
 * The client secret and tokens stay out of everything Deno prints or serialises: `JSON.stringify`,
 * `Deno.inspect` (what `console.log` uses), error messages and events.
 */

import { CredentialsError, InvalidClientError, parseCredentials, type AuthEvent } from '../../src/index.ts'
import { assertEquals, assertExcludes, assertIncludes, assertInstanceOf, rejectionOf, thrownBy } from './assert.ts'
import { serveDevServer } from './dev-server.ts'
import { readFixture, SAAS_SECRET } from './fixtures.ts'

const WRONG_SECRET = 'wrong-secret-Zq8Xv2Lm5Np7Rt9W'

/** Every way Deno would show a value to a person or a log. */
function renderings(value: unknown): string {
  const error = value instanceof Error ? `${value.message}\n${value.stack}\n${String(value)}` : ''
  return [JSON.stringify(value), Deno.inspect(value, { depth: 10, showHidden: true, getters: true }), error].join('\n')
}

Deno.test('JSON.stringify, Deno.inspect (showHidden, getters) and structuredClone of credentials never show the secret', async () => {
  const credentials = parseCredentials(await readFixture('saas-credentials.txt'))
  assertEquals(credentials.clientSecret, SAAS_SECRET)
  assertExcludes(JSON.stringify(credentials), SAAS_SECRET, 'JSON.stringify(credentials)')
  for (const options of [{}, { showHidden: true, getters: true }]) {
    assertExcludes(
      Deno.inspect(credentials, { depth: 10, ...options }),
      SAAS_SECRET,
      `Deno.inspect(credentials, ${JSON.stringify(options)})`,
    )
  }
  assertExcludes(Deno.inspect(structuredClone(credentials)), SAAS_SECRET, 'a structured clone')
  assertExcludes(JSON.stringify({ ...credentials }), SAAS_SECRET, 'a spread copy')
  assertEquals(Object.keys(credentials).includes('clientSecret'), false)
})

Deno.test('a CredentialsError about a bundle that holds a secret never quotes it', () => {
  const secret = 'present-secret-Kp3Wq9Zr7Lx'
  const error = thrownBy(() =>
    parseCredentials({ ZEEBE_CLIENT_ID: 'c', ZEEBE_CLIENT_SECRET: secret, ZEEBE_AUTHORIZATION_SERVER_URL: `not a url ${secret}` }),
  )
  assertInstanceOf(error, CredentialsError)
  assertEquals(
    error.issues.map((issue) => issue.variable),
    ['ZEEBE_AUTHORIZATION_SERVER_URL'],
  )
  assertExcludes(renderings(error), secret, 'the CredentialsError')
})

Deno.test('a refused secret: the InvalidClientError and every event leave out the secret', async () => {
  await using dev = serveDevServer()
  const events: AuthEvent[] = []
  const auth = dev.auth({
    credentials: dev.credentials({ clientId: 'dev-client', clientSecret: WRONG_SECRET }),
    onEvent: (event) => events.push(event),
  })
  const error = await rejectionOf(auth.getToken())
  assertInstanceOf(error, InvalidClientError)
  assertExcludes(renderings(error), WRONG_SECRET, 'the InvalidClientError')
  assertExcludes(renderings(await rejectionOf(auth.getToken())), WRONG_SECRET, 'the cooldown error')
  assertExcludes(JSON.stringify(events), WRONG_SECRET, 'the events')
  assertEquals(
    events.some((e) => e.type === 'token_failed'),
    true,
  )
})

Deno.test('a working token and secret appear in no event', async () => {
  await using dev = serveDevServer()
  const events: AuthEvent[] = []
  const auth = dev.auth({ onEvent: (event) => events.push(event) })
  const token = await auth.getToken('zeebe')
  await (await auth.fetch('zeebe', '/v2/topology')).body?.cancel()
  assertEquals(events.map((e) => e.type).slice(0, 2), ['token_requested', 'token_received'])
  assertExcludes(JSON.stringify(events), token, 'the events')
  assertExcludes(JSON.stringify(events), 'dev-secret', 'the events')
})

Deno.test('a 401 echoing the form body (the secret form-encoded) leaves no 12-character run of it in the error or the events', async () => {
  await using dev = serveDevServer()
  const secret = 'echoed~secret with+spaces~and/ümlauts-Zq8Xv2Lm5'
  const formEncoded = new URLSearchParams({ s: secret }).toString().slice(2)
  const events: AuthEvent[] = []
  const auth = dev.auth({
    credentials: dev.credentials({ clientId: 'dev-client', clientSecret: secret }),
    // The token endpoint echoes the whole form body in its error_description.
    fetch: async (input, init) => {
      const body = await new Request(input, init).text()
      return Response.json({ error: 'invalid_client', error_description: `cannot authenticate ${body}` }, { status: 401 })
    },
    onEvent: (event) => events.push(event),
  })
  const error = await rejectionOf(auth.getToken())
  assertInstanceOf(error, InvalidClientError)
  assertIncludes(error.message, 'client_secret=[redacted]&')
  const texts = [renderings(error), renderings(await rejectionOf(auth.getToken())), JSON.stringify(events)]
  for (let at = 0; at + 12 <= formEncoded.length; at++) {
    for (const text of texts) assertExcludes(text, formEncoded.slice(at, at + 12), 'the error or an event')
  }
})
