/**
 * Slips a new user makes, each answered by a typed error that names what is wrong and how to fix it.
 */
import { describe, expect, it } from 'vitest'
import {
  type AuthError,
  CredentialsError,
  MissingApiUrlError,
  TokenEndpointError,
  TokenRequestError,
  createAuth,
  parseCredentials,
} from '../../src/index.ts'
import { createDevAuthServer } from '../../src/dev-server.ts'
import { kvStore, type KvNamespaceLike } from '../../src/workers.ts'
import { readFixture } from '../credentials/fixtures.ts'
import { harness } from '../helpers/harness.ts'
import { rejectionOf, thrownBy } from '../helpers/thrown.ts'
import { InvalidArgumentError } from '../../src/errors.ts'

const messageOf = (error: unknown) => (error as Error).message

describe('bad input gets a clear, typed error', () => {
  it('createAuth(parseCredentials(text)), the credentials where the options belong, says to call createAuth({ credentials })', () => {
    const { credentials } = harness()
    const error = thrownBy(() => createAuth(credentials as never))
    expect(error).toBeInstanceOf(CredentialsError)
    expect(messageOf(error)).toContain('call createAuth({ credentials })')
  })

  it.each([
    './credentials.txt',
    '/home/me/Downloads/credentials.txt',
    '~/credentials.env',
    'credentials.txt',
    'C:\\Users\\me\\credentials.txt',
  ])('a file path (%s) passed to parseCredentials says it looks like a path and how to read the file', (path) => {
    const error = thrownBy(() => parseCredentials(path))
    expect(error).toBeInstanceOf(CredentialsError)
    expect(messageOf(error)).toMatch(/looks like a file path/)
    expect(messageOf(error)).toContain("readFileSync(path, 'utf8')")
    expect(messageOf(error)).toContain('Deno.readTextFile(path)')
  })

  it('kvStore(env.TOKENS) without options, from plain JavaScript, gets the same message as kvStore(ns, {})', () => {
    const namespace: KvNamespaceLike = { get: async () => null, put: async () => {}, delete: async () => {} }
    const none = thrownBy(() => (kvStore as (ns: KvNamespaceLike) => unknown)(namespace))
    const empty = thrownBy(() => kvStore(namespace, {}))
    expect(none).toBeInstanceOf(InvalidArgumentError)
    expect(messageOf(none)).toBe(messageOf(empty))
    expect(messageOf(none)).toMatch(/pass `credentials`/)
  })

  describe('a Console file whose token URL was repointed off SaaS', () => {
    const text = readFixture('saas-credentials.txt').replace(
      /https:\/\/login\.cloud\.camunda\.io\/oauth\/token/g,
      'http://127.0.0.1:9/oauth/token',
    )
    const credentials = parseCredentials(text)
    const server = createDevAuthServer({
      rateLimit: false,
      clients: [{ clientId: credentials.clientId, clientSecret: credentials.clientSecret }],
    })

    it('the missing Zeebe URL says the SaaS defaults stopped applying, and why', () => {
      const auth = createAuth({ credentials, fetch: server.fetch })
      const error = thrownBy(() => auth.urls.zeebe('/v2/topology'))
      expect(error).toBeInstanceOf(MissingApiUrlError)
      expect(messageOf(error)).toMatch(/token URL is not login\.cloud\.camunda\.io, so the SaaS defaults/)
    })

    it('a token request sent without an audience that comes back 400 … audience names the variable to set', async () => {
      const auth = createAuth({ credentials, fetch: server.fetch })
      const error = await rejectionOf(auth.getToken('operate'))
      expect(error).toBeInstanceOf(TokenEndpointError)
      expect((error as TokenEndpointError).status).toBe(400)
      expect(messageOf(error)).toContain('set CAMUNDA_OPERATE_OAUTH_AUDIENCE')
    })
  })

  it('auth.fetch with an unknown API gets the same Unknown Camunda API error as getToken', async () => {
    const { auth } = harness()
    const fromFetch = await rejectionOf(auth.fetch('admin' as never, '/v2/topology'))
    const fromGetToken = await rejectionOf(auth.getToken('admin' as never))
    expect(fromFetch.constructor).toBe(fromGetToken.constructor)
    expect(messageOf(fromFetch)).toBe(messageOf(fromGetToken))
    expect(messageOf(fromFetch)).toMatch(/Unknown Camunda API "admin"/)
  })

  it('a network failure (ERR_TOKEN_REQUEST_FAILED) names the host it tried, never the path, query or body', async () => {
    const credentials = parseCredentials({
      ZEEBE_CLIENT_ID: 'c',
      ZEEBE_CLIENT_SECRET: 'a-secret-value-here',
      ZEEBE_AUTHORIZATION_SERVER_URL: 'https://login.example.com:8443/realms/camunda/token?tenant=t1',
    })
    const auth = createAuth({ credentials, fetch: () => Promise.reject(new TypeError('fetch failed')) })
    const error = await rejectionOf(auth.getToken())
    expect(error).toBeInstanceOf(TokenRequestError)
    expect((error as AuthError).code).toBe('ERR_TOKEN_REQUEST_FAILED')
    expect(messageOf(error)).toContain('login.example.com:8443')
    expect(messageOf(error)).not.toMatch(/realms|tenant|a-secret/)
  })
})
