/**
 * createAuth against an independent OAuth server that we did not write (oauth2-mock-server):
 * proof that the exchange speaks standard client credentials, not just our dev server's dialect.
 */
import { OAuth2Server } from 'oauth2-mock-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { InvalidClientError, createAuth, parseCredentials } from '../../src/index.ts'
import { rejectionOf } from '../helpers/harness.ts'

let oauth: OAuth2Server
let tokenRequests: Array<{ body: Record<string, string>; authorization?: string }> = []

beforeAll(async () => {
  oauth = new OAuth2Server()
  await oauth.issuer.keys.generate('RS256')
  await oauth.start(0, '127.0.0.1')
  oauth.service.on('beforeTokenSigning', (token, req) => {
    const body = req.body as Record<string, string>
    tokenRequests.push({ body, authorization: req.headers.authorization })
    token.payload.aud = body.audience ?? body.resource
    token.payload.client_id = body.client_id
  })
})

afterAll(async () => {
  await oauth.stop()
})

const credentials = (extra: Record<string, string> = {}) =>
  parseCredentials({
    ZEEBE_CLIENT_ID: 'independent-client',
    ZEEBE_CLIENT_SECRET: 'independent-secret-0123456789',
    ZEEBE_AUTHORIZATION_SERVER_URL: `${oauth.issuer.url}/token`,
    ZEEBE_TOKEN_AUDIENCE: 'zeebe-api',
    CAMUNDA_OPERATE_OAUTH_AUDIENCE: 'operate-api',
    ZEEBE_REST_ADDRESS: 'http://127.0.0.1:1/zeebe',
    ...extra,
  })

describe('against oauth2-mock-server', () => {
  it('gets a token that verifies against the server’s JWKS, with the audience we asked for', async () => {
    tokenRequests = []
    const auth = createAuth({ credentials: credentials() })
    const token = await auth.getToken('operate')
    const jwks = createRemoteJWKSet(new URL(`${oauth.issuer.url}/jwks`))
    const { payload } = await jwtVerify(token, jwks, { issuer: oauth.issuer.url, audience: 'operate-api' })
    expect(payload.client_id).toBe('independent-client')
    expect(tokenRequests).toHaveLength(1)
    expect(tokenRequests[0]?.body).toMatchObject({
      grant_type: 'client_credentials',
      audience: 'operate-api',
      client_id: 'independent-client',
    })
  })

  it('sends client_secret_basic and resource when configured', async () => {
    tokenRequests = []
    const auth = createAuth({ credentials: credentials(), clientAuth: 'client_secret_basic', audienceParam: 'resource' })
    await auth.getToken('zeebe')
    const [request] = tokenRequests
    expect(request?.body.client_secret).toBeUndefined()
    expect(request?.body.resource).toBe('zeebe-api')
    const decoded = Buffer.from(request?.authorization?.replace(/^Basic /, '') ?? '', 'base64').toString()
    expect(decoded).toBe('independent-client:independent-secret-0123456789')
  })

  it('takes expiry from the JWT and caches: 20 calls, one request', async () => {
    tokenRequests = []
    const auth = createAuth({ credentials: credentials() })
    for (let i = 0; i < 20; i++) await auth.getToken('zeebe')
    expect(tokenRequests).toHaveLength(1)
  })

  it('maps an invalid_client answer to InvalidClientError with the OAuth error', async () => {
    oauth.service.once('beforeResponse', (response) => {
      response.statusCode = 401
      response.body = { error: 'invalid_client', error_description: 'Client authentication failed' }
    })
    const auth = createAuth({ credentials: credentials() })
    const error = await rejectionOf(auth.getToken())
    expect(error).toBeInstanceOf(InvalidClientError)
    expect(error).toMatchObject({ status: 401, error: 'invalid_client', errorDescription: 'Client authentication failed' })
  })
})
