/**
 * The identity provider behind a token URL, and what it changes in each API's token request:
 * Entra ID's `<audience>/.default` scopes and no audience, Auth0's required audience, the override,
 * and the private key of private_key_jwt.
 */
import { generateKeyPairSync } from 'node:crypto'
import { inspect } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseCredentials } from '../../src/credentials/index.ts'
import { type ClientKey, clientKey } from '../helpers/keys.ts'
import { issuesOf } from './helpers.ts'

const ENTRA_URL = 'https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/oauth2/v2.0/token'
const oauth = (tokenUrl: string, extra: Record<string, string> = {}) =>
  parseCredentials({ ZEEBE_CLIENT_ID: 'c', ZEEBE_CLIENT_SECRET: 'secret-0123456789', ZEEBE_AUTHORIZATION_SERVER_URL: tokenUrl, ...extra })

describe('the provider, detected from the token URL', () => {
  it.each([
    ['https://login.cloud.camunda.io/oauth/token', 'saas'],
    [ENTRA_URL, 'entra'],
    ['https://login.microsoftonline.us/t/oauth2/v2.0/token', 'entra'],
    ['https://login.partner.microsoftonline.cn/t/oauth2/v2.0/token', 'entra'],
    ['https://login.chinacloudapi.cn/t/oauth2/v2.0/token', 'entra'],
    ['https://dev-123.okta.com/oauth2/default/v1/token', 'okta'],
    ['https://acme.oktapreview.com/oauth2/aus1/v1/token', 'okta'],
    ['https://acme.eu.auth0.com/oauth/token', 'auth0'],
    ['https://keycloak.example.com/auth/realms/camunda-platform/protocol/openid-connect/token', 'keycloak'],
    ['https://keycloak.example.com/realms/camunda/protocol/openid-connect/token', 'keycloak'],
    ['https://idp.example.com/token', 'generic'],
    // Look-alikes are not the provider.
    ['https://login.microsoftonline.com.evil.example/t/oauth2/v2.0/token', 'generic'],
    ['https://okta.com.evil.example/oauth2/default/v1/token', 'generic'],
  ])('%s is %s', (url, provider) => {
    const extra: Record<string, string> = provider === 'entra' ? { CAMUNDA_TOKEN_SCOPE: 'api://x/.default' } : { ZEEBE_TOKEN_AUDIENCE: 'a' }
    expect(oauth(url, extra).provider).toBe(provider)
  })

  it('CAMUNDA_OAUTH_PROVIDER and the provider option override the detection (a custom domain)', () => {
    const url = 'https://login.example.com/oauth2/default/v1/token'
    expect(oauth(url, { CAMUNDA_OAUTH_PROVIDER: 'Okta' }).provider).toBe('okta')
    expect(
      parseCredentials(
        { ZEEBE_CLIENT_ID: 'c', ZEEBE_CLIENT_SECRET: 's3cret-value', ZEEBE_AUTHORIZATION_SERVER_URL: url },
        { provider: 'keycloak' },
      ).provider,
    ).toBe('keycloak')
    expect(issuesOf(() => oauth(url, { CAMUNDA_OAUTH_PROVIDER: 'ping' }))[0]?.variable).toBe('CAMUNDA_OAUTH_PROVIDER')
  })
})

describe('Entra ID', () => {
  it('turns each audience into the scope <audience>/.default, and sends no audience', () => {
    const c = oauth(ENTRA_URL, { ZEEBE_TOKEN_AUDIENCE: 'api://zeebe', CAMUNDA_OPERATE_OAUTH_AUDIENCE: 'api://operate/.default' })
    expect(c.audiences).toEqual({})
    expect(c.scopes).toEqual({ zeebe: 'api://zeebe/.default', operate: 'api://operate/.default' })
  })

  it('takes CAMUNDA_TOKEN_SCOPE for every API, and a per-API CAMUNDA_<API>_OAUTH_SCOPE over it', () => {
    const c = oauth(ENTRA_URL, {
      CAMUNDA_TOKEN_SCOPE: 'api://cluster/.default',
      CAMUNDA_OPERATE_OAUTH_SCOPE: 'api://operate/.default',
      CAMUNDA_OPERATE_BASE_URL: 'https://camunda.example.com/operate',
    })
    expect(c.scopes).toEqual({
      zeebe: 'api://cluster/.default',
      operate: 'api://operate/.default',
      tasklist: 'api://cluster/.default',
      optimize: 'api://cluster/.default',
    })
  })

  it('with neither scope nor audience is a CredentialsError naming CAMUNDA_TOKEN_SCOPE, before any request', () => {
    const issues = issuesOf(() => oauth(ENTRA_URL, { ZEEBE_REST_ADDRESS: 'https://camunda.example.com/v2' }))
    expect(issues).toEqual([expect.objectContaining({ variable: 'CAMUNDA_TOKEN_SCOPE' })])
    expect(issues[0]?.message).toContain('/.default')
  })

  it('names the API an audience-less, scope-less base URL leaves without a scope', () => {
    const issues = issuesOf(() =>
      oauth(ENTRA_URL, { ZEEBE_TOKEN_AUDIENCE: 'api://zeebe', CAMUNDA_TASKLIST_BASE_URL: 'https://camunda.example.com/tasklist' }),
    )
    expect(issues[0]?.variable).toBe('CAMUNDA_TOKEN_SCOPE')
    expect(issues[0]?.message).toContain('tasklist')
    expect(issues[0]?.message).toContain('CAMUNDA_TASKLIST_OAUTH_SCOPE')
  })

  it('refuses a scope without /.default, which client credentials cannot use (AADSTS1002012)', () => {
    const issues = issuesOf(() => oauth(ENTRA_URL, { CAMUNDA_TOKEN_SCOPE: 'api://cluster/read' }))
    expect(issues).toEqual([expect.objectContaining({ variable: 'CAMUNDA_TOKEN_SCOPE' })])
  })
})

describe('Auth0, Okta and Keycloak', () => {
  it('Auth0 requires an audience for each API the bundle can call', () => {
    const issues = issuesOf(() => oauth('https://acme.auth0.com/oauth/token', { ZEEBE_REST_ADDRESS: 'https://zeebe.example.com' }))
    expect(issues).toEqual([expect.objectContaining({ variable: 'ZEEBE_TOKEN_AUDIENCE' })])
    expect(oauth('https://acme.auth0.com/oauth/token', { ZEEBE_TOKEN_AUDIENCE: 'https://api.example.com' }).audiences).toEqual({
      zeebe: 'https://api.example.com',
    })
  })

  it('Okta takes the scope as given, for every API', () => {
    const c = oauth('https://dev-1.okta.com/oauth2/default/v1/token', { CAMUNDA_TOKEN_SCOPE: 'camunda' })
    expect(c.scopes.zeebe).toBe('camunda')
    expect(c.audiences).toEqual({})
  })

  it('Keycloak takes the per-component audiences as given', () => {
    const c = oauth('http://localhost:18080/auth/realms/camunda-platform/protocol/openid-connect/token', {
      ZEEBE_TOKEN_AUDIENCE: 'zeebe-api',
    })
    expect(c).toMatchObject({ provider: 'keycloak', audiences: { zeebe: 'zeebe-api' }, scopes: {} })
  })
})

describe('CAMUNDA_CLIENT_ASSERTION_KEY (private_key_jwt)', () => {
  let es256: ClientKey
  let rs256: ClientKey
  beforeAll(async () => {
    ;[es256, rs256] = await Promise.all([clientKey('ES256'), clientKey('RS256')])
  })
  const keyed = (key: string, extra: Record<string, string> = {}) =>
    parseCredentials({
      ZEEBE_CLIENT_ID: 'c',
      ZEEBE_AUTHORIZATION_SERVER_URL: 'https://idp.example.com/token',
      CAMUNDA_CLIENT_ASSERTION_KEY: key,
      ...extra,
    })

  it('a key and no secret selects private_key_jwt, the algorithm read from the key', () => {
    expect(keyed(es256.pem)).toMatchObject({ clientAuth: 'private_key_jwt', clientAssertionAlg: 'ES256', clientSecret: '' })
    expect(keyed(rs256.pem).clientAssertionAlg).toBe('RS256')
    expect(keyed(JSON.stringify(es256.privateJwk)).clientAssertionAlg).toBe('ES256')
    expect(keyed(JSON.stringify({ ...rs256.privateJwk, alg: 'PS256' })).clientAssertionAlg).toBe('PS256')
  })

  it('an RSA-PSS key signs PS256; an Ed25519 key EdDSA', () => {
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    expect(keyed(pss).clientAssertionAlg).toBe('PS256')
    expect(keyed(ed).clientAssertionAlg).toBe('EdDSA')
  })

  it('reads a PEM written on one line with \\n, as single-line env files hold it', () => {
    expect(keyed(es256.pem.trim().replace(/\n/g, '\\n')).clientAssertionKey).toBe(es256.pem.trim())
  })

  it('the kid and a hex SHA-256 thumbprint (as portals show it) become the headers, the thumbprint in base64url', () => {
    const hex = 'ab'.repeat(32)
    const c = keyed(es256.pem, { CAMUNDA_CLIENT_ASSERTION_KEY_ID: 'key-1', CAMUNDA_CLIENT_ASSERTION_CERT_THUMBPRINT: hex.toUpperCase() })
    expect(c.clientAssertionKeyId).toBe('key-1')
    expect(c.clientAssertionThumbprint).toBe(Buffer.from(hex, 'hex').toString('base64url'))
  })

  it('names what is wrong with a key it cannot use, never quoting it', () => {
    const pkcs1 = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
    const cases: [string, RegExp][] = [
      [pkcs1, /PKCS#1 key: convert it to PKCS#8/],
      [JSON.stringify({ ...es256.publicJwk }), /without its private part/],
      ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', /certificate, not the private key/],
      ['not a key at all', /PKCS#8 PEM .* or a private JWK/],
      [JSON.stringify({ kty: 'OKP', crv: 'P-256', d: 'x' }), /key type OKP does not match its curve P-256/],
      [JSON.stringify({ kty: 'EC', crv: 'Ed25519', d: 'x' }), /key type EC does not match its curve Ed25519/],
    ]
    for (const [key, message] of cases) {
      const issues = issuesOf(() => keyed(key))
      expect(issues.map((i) => i.variable)).toContain('CAMUNDA_CLIENT_ASSERTION_KEY')
      expect(issues.find((i) => i.variable === 'CAMUNDA_CLIENT_ASSERTION_KEY')?.message).toMatch(message)
      if (key.length > 60) expect(JSON.stringify(issues)).not.toContain(key.slice(30, 60))
    }
  })

  it('a key and a secret together are an error: which one signs in would be a guess', () => {
    const issues = issuesOf(() => keyed(es256.pem, { ZEEBE_CLIENT_SECRET: 'secret-0123456789' }))
    expect(issues).toEqual([expect.objectContaining({ variable: 'CAMUNDA_CLIENT_ASSERTION_KEY' })])
  })

  it('the key is never enumerable, serialised or inspected', () => {
    const c = keyed(rs256.pem)
    const body = rs256.pem.split('\n')[5]!
    expect(Object.keys(c)).not.toContain('clientAssertionKey')
    for (const text of [JSON.stringify(c), inspect(c, { showHidden: true, getters: true, depth: 5 })]) expect(text).not.toContain(body)
  })
})
