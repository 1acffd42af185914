/**
 * The dev server's provider profiles, spoken to as raw HTTP: what each accepts and refuses, its
 * error bodies and token lifetimes; the Basic-auth API routes; client assertions (private_key_jwt).
 */
import { decodeJwt, SignJWT, importJWK } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { createDevAuthServer, DEV_ENTRA_TENANT, type DevAuthServerOptions } from '../../src/dev-server.ts'
import { type ClientKey, clientKey } from '../helpers/keys.ts'

const ORIGIN = 'http://127.0.0.1'
const post = (server: ReturnType<typeof createDevAuthServer>, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  server.fetch(`${ORIGIN}${server.tokenPath}`, { method: 'POST', headers, body: new URLSearchParams(fields) })
const secretOf = (id = 'dev-client', secret = 'dev-secret') => ({ grant_type: 'client_credentials', client_id: id, client_secret: secret })
const make = (options: DevAuthServerOptions) => createDevAuthServer({ rateLimit: false, ...options })

describe('keycloak', () => {
  const server = make({ profile: 'keycloak' })

  it('serves 300 s tokens at the realm path, naming all of the client audiences when none is asked for', async () => {
    expect(server.tokenPath).toBe('/auth/realms/camunda-platform/protocol/openid-connect/token')
    const body = await (await post(server, secretOf())).json()
    expect(body.expires_in).toBe(300)
    const claims = decodeJwt(body.access_token)
    expect(claims.exp! - claims.iat!).toBe(300)
    expect(claims.aud).toEqual(['zeebe-api', 'operate-api', 'tasklist-api', 'optimize-api'])
    expect(decodeJwt((await (await post(server, { ...secretOf(), audience: 'operate-api' })).json()).access_token).aud).toBe('operate-api')
  })

  it('answers a wrong secret as Keycloak does: 401 unauthorized_client', async () => {
    const response = await post(server, secretOf('dev-client', 'wrong'))
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({
      error: 'unauthorized_client',
      error_description: 'Invalid client or Invalid client credentials',
    })
  })
})

describe('entra', () => {
  const server = make({ profile: 'entra' })
  const scope = 'api://camunda-orchestration-cluster/.default'
  const aadsts = async (response: Response) => {
    const body = await response.json()
    return [response.status, body.error, body.error_codes[0], /^AADSTS(\d+):/.exec(body.error_description)?.[1]]
  }

  it('issues an hour-less-a-second token for scope=<app id URI>/.default, with the resource as audience', async () => {
    expect(server.tokenPath).toBe(`/${DEV_ENTRA_TENANT}/oauth2/v2.0/token`)
    const body = await (await post(server, { ...secretOf(), scope })).json()
    expect(body.expires_in).toBe(3599)
    expect(decodeJwt(body.access_token).aud).toBe('api://camunda-orchestration-cluster')
  })

  it.each([
    ['no scope', {}, [400, 'invalid_request', 900144, '900144']],
    ['a scope without /.default', { scope: 'api://camunda-orchestration-cluster/read' }, [400, 'invalid_scope', 1002012, '1002012']],
    ['an unknown resource', { scope: 'api://other/.default' }, [400, 'invalid_resource', 500011, '500011']],
    [
      'the RFC 8707 resource parameter',
      { scope, resource: 'api://camunda-orchestration-cluster' },
      [400, 'invalid_request', 901002, '901002'],
    ],
  ])('refuses %s with its AADSTS code', async (_name, fields, expected) => {
    expect(await aadsts(await post(server, { ...secretOf(), ...fields }))).toEqual(expected)
  })

  it('answers a wrong secret with AADSTS7000215 and an unknown client with AADSTS700016', async () => {
    expect(await aadsts(await post(server, { ...secretOf('dev-client', 'wrong'), scope }))).toEqual([
      401,
      'invalid_client',
      7000215,
      '7000215',
    ])
    expect(await aadsts(await post(server, { ...secretOf('nobody'), scope }))).toEqual([400, 'unauthorized_client', 700016, '700016'])
  })
})

describe('okta', () => {
  const server = make({ profile: 'okta' })

  it('needs a scope, ignores an audience, and issues tokens for its own audience', async () => {
    const refused = await post(server, { ...secretOf(), audience: 'zeebe-api' })
    expect(refused.status).toBe(400)
    expect((await refused.json()).error).toBe('invalid_scope')
    const body = await (await post(server, { ...secretOf(), audience: 'zeebe-api', scope: 'camunda' })).json()
    expect(decodeJwt(body.access_token)).toMatchObject({ aud: 'api://default', scope: 'camunda' })
  })
})

describe('the Basic-auth API routes (C8 Run style)', () => {
  const server = make({ apiAuth: 'basic' })
  const topology = (authorization?: string) =>
    server.fetch(`${ORIGIN}/zeebe/v2/topology`, { headers: authorization ? { authorization } : {} })

  it('let in demo/demo, and challenge anything else with Basic', async () => {
    expect((await topology(`Basic ${btoa('demo:demo')}`)).status).toBe(200)
    for (const authorization of [undefined, `Basic ${btoa('demo:wrong')}`, 'Bearer eyJ.x.y']) {
      const response = await topology(authorization)
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/)
    }
  })
})

describe('private_key_jwt (RFC 7523 client assertions)', () => {
  let key: ClientKey
  let other: ClientKey
  beforeAll(async () => {
    ;[key, other] = await Promise.all([clientKey('ES256'), clientKey('ES256')])
  })
  const server = () =>
    make({
      profile: 'entra',
      clients: [{ clientId: 'kj', jwks: { keys: [key.publicJwk] }, x5tS256: 'thumb-0123456789abcdef0123456789abcdef01234' }],
    })
  const assertion = async (
    signer: ClientKey,
    {
      aud,
      exp = 60,
      jti = crypto.randomUUID(),
      x5t = 'thumb-0123456789abcdef0123456789abcdef01234',
      iatOffset = 0,
    }: Partial<Record<'aud' | 'jti' | 'x5t', string>> & {
      exp?: number
      iatOffset?: number
    },
    tokenUrl: string,
  ) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', 'x5t#S256': x5t })
      .setIssuer('kj')
      .setSubject('kj')
      .setAudience(aud ?? tokenUrl)
      .setJti(jti)
      .setIssuedAt(Math.floor(Date.now() / 1000) + iatOffset)
      .setExpirationTime(Math.floor(Date.now() / 1000) + iatOffset + exp)
      .sign(await importJWK(signer.privateJwk, 'ES256'))
  const send = async (dev: ReturnType<typeof server>, jwt: string) =>
    post(dev, {
      grant_type: 'client_credentials',
      client_id: 'kj',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: jwt,
      scope: 'api://camunda-orchestration-cluster/.default',
    })

  it('accepts an assertion signed by a registered key, for the token URL, once', async () => {
    const dev = server()
    const jwt = await assertion(key, {}, `${ORIGIN}${dev.tokenPath}`)
    expect((await send(dev, jwt)).status).toBe(200)
    expect(dev.requestLog.at(-1)).toMatchObject({ auth: 'assertion', clientId: 'kj', status: 200 })
    const replay = await send(dev, jwt)
    expect(replay.status).toBe(401)
    expect((await replay.json()).error_description).toMatch(/^AADSTS700027:/)
  })

  it.each([
    ['signed by another key', { signer: 'other' }],
    ['for another audience', { aud: 'https://elsewhere.example/token' }],
    ['valid for an hour', { exp: 3600 }],
    ['with the wrong certificate thumbprint', { x5t: 'another-thumbprint-000000000000000000000000' }],
    ['issued ten years ahead, a minute long (valid for ten years from now)', { iatOffset: 10 * 365 * 86_400 }],
    ['issued five minutes ahead', { iatOffset: 300 }],
  ])('refuses one %s', async (_name, { signer, ...claims }: { signer?: string } & Record<string, unknown>) => {
    const dev = server()
    const jwt = await assertion(signer === 'other' ? other : key, claims, `${ORIGIN}${dev.tokenPath}`)
    expect((await send(dev, jwt)).status).toBe(401)
  })
})
