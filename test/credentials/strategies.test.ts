/**
 * CAMUNDA_AUTH_STRATEGY and the variables of Camunda's own clients: which strategy a bundle gets,
 * what each strategy needs, the other variables read, and the shared fixtures of each deployment.
 */
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { parseCredentials } from '../../src/credentials/index.ts'
import { InvalidArgumentError } from '../../src/errors.ts'
import { thrownBy } from '../helpers/thrown.ts'
import { MINIMAL, readFixture } from './fixtures.ts'
import { issuesOf } from './helpers.ts'

const BASIC = { CAMUNDA_AUTH_STRATEGY: 'BASIC', CAMUNDA_BASIC_AUTH_USERNAME: 'demo', CAMUNDA_BASIC_AUTH_PASSWORD: 'pw-Zq8Xv2Lm5Np7' }
const REST = { ZEEBE_REST_ADDRESS: 'https://zeebe.example.com' }

describe('the shared fixtures of other deployments', () => {
  it('self-managed-basic.env is BASIC with its user, password, tenant and loopback URL, and no OAuth fields', () => {
    const c = parseCredentials(readFixture('self-managed-basic.env'))
    expect(c).toMatchObject({ strategy: 'BASIC', username: 'demo', tenantId: '<default>', provider: undefined, clientId: '', tokenUrl: '' })
    expect(c.password).toBe('demo-Password~not-real-1234')
    expect(c.baseUrls).toEqual({ zeebe: 'http://localhost:8080' })
    expect(c.audiences).toEqual({})
  })

  it('bearer.env is BEARER with its static token and Zeebe URL', () => {
    const c = parseCredentials(readFixture('bearer.env'))
    expect(c).toMatchObject({ strategy: 'BEARER', clientId: '', tokenUrl: '' })
    expect(c.staticToken).toBe('placeholder.static-token.not-real')
    expect(c.baseUrls.zeebe).toBe('https://bru-2.zeebe.camunda.io/6f1e9a2c-3b4d-4e5f-8a9b-0c1d2e3f4a5b')
  })

  it('entra-id.env is OAUTH against Entra ID: its scope for every API it can call, and no audience', () => {
    const c = parseCredentials(readFixture('entra-id.env'))
    expect(c).toMatchObject({ strategy: 'OAUTH', provider: 'entra', clientAuth: 'client_secret_post', saas: false })
    expect(c.audiences).toEqual({})
    const scope = 'api://camunda-orchestration-cluster/.default'
    expect(c.scopes).toEqual({ zeebe: scope, operate: scope, tasklist: scope, optimize: scope })
    expect(c.baseUrls).toEqual({ zeebe: 'https://camunda.example.internal/v2', operate: 'https://camunda.example.internal/operate' })
  })
})

describe('CAMUNDA_AUTH_STRATEGY', () => {
  it.each(['NONE', 'none', 'None'])('%s sends nothing and needs no credentials', (value) => {
    const c = parseCredentials({ CAMUNDA_AUTH_STRATEGY: value, ...REST })
    expect(c.strategy).toBe('NONE')
    expect(c.baseUrls.zeebe).toBe('https://zeebe.example.com')
  })

  it('COOKIE is refused with the reason: a browser fetch cannot read Set-Cookie', () => {
    const issues = issuesOf(() => parseCredentials({ CAMUNDA_AUTH_STRATEGY: 'COOKIE', ...REST }))
    expect(issues).toHaveLength(1)
    expect(issues[0]?.variable).toBe('CAMUNDA_AUTH_STRATEGY')
    expect(issues[0]?.message).toContain('Set-Cookie')
    expect(issues[0]?.message).toContain('BASIC')
  })

  it('an unknown value names the four strategies', () => {
    expect(issuesOf(() => parseCredentials({ CAMUNDA_AUTH_STRATEGY: 'KERBEROS' }))).toEqual([
      { variable: 'CAMUNDA_AUTH_STRATEGY', message: 'must be OAUTH, BASIC, BEARER or NONE' },
    ])
  })

  it('OAUTH given explicitly still needs the OAuth variables', () => {
    expect(issuesOf(() => parseCredentials({ CAMUNDA_AUTH_STRATEGY: 'OAUTH', ...REST })).map((i) => i.variable)).toEqual([
      'ZEEBE_CLIENT_ID',
      'ZEEBE_CLIENT_SECRET',
      'ZEEBE_AUTHORIZATION_SERVER_URL',
    ])
  })

  it('BASIC needs a user name and a password, and reads no OAuth secret it is not going to use', () => {
    expect(issuesOf(() => parseCredentials({ CAMUNDA_AUTH_STRATEGY: 'BASIC', CAMUNDA_BASIC_AUTH_USERNAME: 'demo' }))).toEqual([
      { variable: 'CAMUNDA_BASIC_AUTH_PASSWORD', message: 'is missing: set CAMUNDA_BASIC_AUTH_PASSWORD' },
    ])
    const c = parseCredentials({ ...BASIC, ZEEBE_CLIENT_SECRET: 'unused-secret-0123' })
    expect(c.clientSecret).toBe('')
  })

  it('BASIC refuses a user name with a colon, which HTTP Basic cannot carry', () => {
    expect(issuesOf(() => parseCredentials({ ...BASIC, CAMUNDA_BASIC_AUTH_USERNAME: 'de:mo' }))[0]?.variable).toBe(
      'CAMUNDA_BASIC_AUTH_USERNAME',
    )
  })

  it('BEARER parses without a token (createAuth may be handed one), and refuses a malformed one without quoting it', () => {
    expect(parseCredentials({ CAMUNDA_AUTH_STRATEGY: 'BEARER', ...REST }).staticToken).toBe('')
    for (const token of ['Bearer abc.def', 'has spaces in it', 'quote"d']) {
      const issues = issuesOf(() => parseCredentials({ CAMUNDA_AUTH_STRATEGY: 'BEARER', CAMUNDA_OAUTH_TOKEN: token }))
      expect(issues[0]?.variable).toBe('CAMUNDA_OAUTH_TOKEN')
      expect(JSON.stringify(issues)).not.toContain(token)
    }
  })
})

describe('CAMUNDA_OAUTH_DISABLED', () => {
  it('true means NONE, even with OAuth variables present', () => {
    expect(parseCredentials({ ...MINIMAL, CAMUNDA_OAUTH_DISABLED: 'true' }).strategy).toBe('NONE')
    expect(parseCredentials({ CAMUNDA_OAUTH_DISABLED: 'TRUE', CAMUNDA_AUTH_STRATEGY: 'NONE' }).strategy).toBe('NONE')
  })

  it('false changes nothing', () => {
    expect(parseCredentials({ ...MINIMAL, CAMUNDA_OAUTH_DISABLED: 'false' }).strategy).toBe('OAUTH')
  })

  it('true beside another strategy is a conflict, never a silent switch to no authentication', () => {
    const issues = issuesOf(() => parseCredentials({ ...BASIC, CAMUNDA_OAUTH_DISABLED: 'true' }))
    expect(issues[0]).toMatchObject({ variable: 'CAMUNDA_OAUTH_DISABLED' })
    expect(issues[0]?.message).toContain('BASIC')
  })

  it('a value that is not a boolean is an error', () => {
    expect(issuesOf(() => parseCredentials({ ...MINIMAL, CAMUNDA_OAUTH_DISABLED: 'maybe' }))[0]?.variable).toBe('CAMUNDA_OAUTH_DISABLED')
  })
})

describe('without CAMUNDA_AUTH_STRATEGY', () => {
  it('OAuth variables mean OAUTH', () => {
    expect(parseCredentials(MINIMAL).strategy).toBe('OAUTH')
  })

  it('Basic variables alone mean BASIC, a token alone BEARER', () => {
    const { CAMUNDA_AUTH_STRATEGY: _, ...basic } = BASIC
    expect(parseCredentials(basic).strategy).toBe('BASIC')
    expect(parseCredentials({ CAMUNDA_OAUTH_TOKEN: 'abc.def.ghi' }).strategy).toBe('BEARER')
  })

  it('credentials of two strategies are an error asking which one', () => {
    const issues = issuesOf(() => parseCredentials({ ...MINIMAL, CAMUNDA_BASIC_AUTH_USERNAME: 'demo', CAMUNDA_BASIC_AUTH_PASSWORD: 'x' }))
    expect(issues).toEqual([expect.objectContaining({ variable: 'CAMUNDA_AUTH_STRATEGY' })])
    expect(issues[0]?.message).toContain('OAUTH and BASIC')
  })

  it('a bundle with base URLs only is an error, never a silent "no authentication"', () => {
    const issues = issuesOf(() => parseCredentials(REST))
    expect(issues.map((i) => i.variable)).toContain('CAMUNDA_AUTH_STRATEGY')
    expect(issues.map((i) => i.variable)).toContain('ZEEBE_CLIENT_SECRET')
  })
})

describe("the other variables of Camunda's clients", () => {
  it('CAMUNDA_TENANT_ID, or CAMUNDA_DEFAULT_TENANT_ID, is the tenant; the two must agree', () => {
    expect(parseCredentials({ ...MINIMAL, CAMUNDA_TENANT_ID: 'tenant-a' }).tenantId).toBe('tenant-a')
    expect(parseCredentials({ ...MINIMAL, CAMUNDA_DEFAULT_TENANT_ID: 'tenant-b' }).tenantId).toBe('tenant-b')
    expect(parseCredentials(MINIMAL).tenantId).toBeUndefined()
    expect(issuesOf(() => parseCredentials({ ...MINIMAL, CAMUNDA_TENANT_ID: 'a', CAMUNDA_DEFAULT_TENANT_ID: 'b' }))[0]?.variable).toBe(
      'CAMUNDA_TENANT_ID',
    )
  })

  it('CAMUNDA_OAUTH_TIMEOUT_MS and CAMUNDA_OAUTH_TOKEN_REFRESH_THRESHOLD_MS are read as milliseconds', () => {
    const c = parseCredentials({ ...MINIMAL, CAMUNDA_OAUTH_TIMEOUT_MS: '5000', CAMUNDA_OAUTH_TOKEN_REFRESH_THRESHOLD_MS: '1000' })
    expect([c.timeoutMs, c.expiryMarginMs]).toEqual([5000, 1000])
    expect([parseCredentials(MINIMAL).timeoutMs, parseCredentials(MINIMAL).expiryMarginMs]).toEqual([undefined, undefined])
  })

  it.each([
    ['CAMUNDA_OAUTH_TIMEOUT_MS', '5s'],
    ['CAMUNDA_OAUTH_TIMEOUT_MS', '0'],
    ['CAMUNDA_OAUTH_TOKEN_REFRESH_THRESHOLD_MS', '-1'],
    ['CAMUNDA_OAUTH_TOKEN_REFRESH_THRESHOLD_MS', '99999999999'],
  ])('%s=%s is an error, not a silent default', (variable, value) => {
    expect(issuesOf(() => parseCredentials({ ...MINIMAL, [variable]: value }))[0]?.variable).toBe(variable)
  })

  it('CAMUNDA_OAUTH_GRANT_TYPE is checked: client_credentials passes, anything else says why', () => {
    expect(parseCredentials({ ...MINIMAL, CAMUNDA_OAUTH_GRANT_TYPE: 'client_credentials' }).strategy).toBe('OAUTH')
    const issues = issuesOf(() => parseCredentials({ ...MINIMAL, CAMUNDA_OAUTH_GRANT_TYPE: 'password' }))
    expect(issues).toEqual([expect.objectContaining({ variable: 'CAMUNDA_OAUTH_GRANT_TYPE' })])
    expect(issues[0]?.message).toContain('client_credentials')
  })
})

describe('secrets of every strategy', () => {
  it('the password and the static token are readable, never enumerable, never serialised or inspected', () => {
    const basic = parseCredentials(BASIC)
    const bearer = parseCredentials({ CAMUNDA_AUTH_STRATEGY: 'BEARER', CAMUNDA_OAUTH_TOKEN: 'static-Token-Zq8Xv2Lm5Np7' })
    for (const [c, name, secret] of [
      [basic, 'password', 'pw-Zq8Xv2Lm5Np7'],
      [bearer, 'staticToken', 'static-Token-Zq8Xv2Lm5Np7'],
    ] as const) {
      expect(c[name]).toBe(secret)
      expect(Object.keys(c)).not.toContain(name)
      for (const text of [JSON.stringify(c), inspect(c, { showHidden: true, getters: true }), JSON.stringify({ ...c })]) {
        expect(text).not.toContain(secret)
      }
      expect(JSON.parse(JSON.stringify(c))[name]).toBe('[redacted]')
    }
  })
})

describe('parseCredentials options', () => {
  it('refuses options of the wrong shape as the bug they are', () => {
    expect(thrownBy(() => parseCredentials(MINIMAL, { allowInsecureHttp: 'host' as never }))).toBeInstanceOf(InvalidArgumentError)
    expect(thrownBy(() => parseCredentials(MINIMAL, { provider: 'ping' as never }))).toBeInstanceOf(InvalidArgumentError)
  })
})
