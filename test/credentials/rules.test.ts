import { describe, expect, it } from 'vitest'
import { parseCredentials } from '../../src/credentials/index.ts'
import { CLUSTER_ID, MINIMAL, SAAS_TOKEN_URL } from './fixtures.ts'
import { issuesOf } from './helpers.ts'

const SAAS = { ...MINIMAL, ZEEBE_AUTHORIZATION_SERVER_URL: SAAS_TOKEN_URL }

describe('aliases', () => {
  it('accepts the CAMUNDA_* names alone', () => {
    const c = parseCredentials({
      CAMUNDA_CLIENT_ID: 'id',
      CAMUNDA_CLIENT_SECRET: 'secret',
      CAMUNDA_OAUTH_URL: 'https://idp.example.com/token',
      CAMUNDA_TOKEN_AUDIENCE: 'aud',
      CAMUNDA_OAUTH_SCOPE: 'scope-a',
      CAMUNDA_REST_ADDRESS: 'https://zeebe.example.com/',
    })
    expect(c).toMatchObject({ clientId: 'id', tokenUrl: 'https://idp.example.com/token', scope: 'scope-a' })
    expect(c.clientSecret).toBe('secret')
    expect(c.audiences).toEqual({ zeebe: 'aud' })
    expect(c.baseUrls).toEqual({ zeebe: 'https://zeebe.example.com' })
  })

  it('accepts both names of a pair when they hold the same value', () => {
    const c = parseCredentials({ ...MINIMAL, CAMUNDA_CLIENT_SECRET: ` ${MINIMAL.ZEEBE_CLIENT_SECRET}` })
    expect(c.clientSecret).toBe(MINIMAL.ZEEBE_CLIENT_SECRET)
  })

  it('reports both names, and neither value, when a pair disagrees', () => {
    const issues = issuesOf(() => parseCredentials({ ...MINIMAL, CAMUNDA_CLIENT_SECRET: 'other-secret-value' }))
    expect(issues).toHaveLength(1)
    expect(issues[0]?.variable).toBe('ZEEBE_CLIENT_SECRET')
    expect(issues[0]?.message).toContain('ZEEBE_CLIENT_SECRET and CAMUNDA_CLIENT_SECRET')
    expect(JSON.stringify(issues)).not.toContain('other-secret-value')
    expect(JSON.stringify(issues)).not.toContain(MINIMAL.ZEEBE_CLIENT_SECRET)
  })

  it('reports every conflicting pair at once', () => {
    const issues = issuesOf(() =>
      parseCredentials({
        ...MINIMAL,
        CAMUNDA_CLIENT_ID: 'other',
        CAMUNDA_OAUTH_URL: 'https://other.example.com/token',
        ZEEBE_TOKEN_AUDIENCE: 'a',
        CAMUNDA_ZEEBE_OAUTH_AUDIENCE: 'b',
        CAMUNDA_TOKEN_SCOPE: 'x',
        CAMUNDA_OAUTH_SCOPE: 'y',
        ZEEBE_REST_ADDRESS: 'https://a.example.com',
        CAMUNDA_REST_ADDRESS: 'https://b.example.com',
      }),
    )
    expect(issues.map((i) => i.variable)).toEqual([
      'ZEEBE_CLIENT_ID',
      'ZEEBE_AUTHORIZATION_SERVER_URL',
      'ZEEBE_TOKEN_AUDIENCE',
      'CAMUNDA_TOKEN_SCOPE',
      'ZEEBE_REST_ADDRESS',
    ])
    expect(issues[2]?.message).toContain('ZEEBE_TOKEN_AUDIENCE and CAMUNDA_ZEEBE_OAUTH_AUDIENCE')
  })

  it('prefers ZEEBE_GRPC_ADDRESS over ZEEBE_ADDRESS without calling them a conflict', () => {
    const c = parseCredentials({ ...MINIMAL, ZEEBE_ADDRESS: 'a:443', ZEEBE_GRPC_ADDRESS: 'grpcs://a:443' })
    expect(c.zeebeGrpcAddress).toBe('grpcs://a:443')
  })
})

describe('required variables', () => {
  it('names each missing one with its alternative, and the strategies that need none of them', () => {
    const issues = issuesOf(() => parseCredentials({}))
    expect(issues.slice(0, 3)).toEqual([
      { variable: 'ZEEBE_CLIENT_ID', message: 'is missing: set ZEEBE_CLIENT_ID or CAMUNDA_CLIENT_ID' },
      { variable: 'ZEEBE_CLIENT_SECRET', message: 'is missing: set ZEEBE_CLIENT_SECRET or CAMUNDA_CLIENT_SECRET' },
      {
        variable: 'ZEEBE_AUTHORIZATION_SERVER_URL',
        message: 'is missing: set ZEEBE_AUTHORIZATION_SERVER_URL or CAMUNDA_OAUTH_URL',
      },
    ])
    expect(issues[3]?.variable).toBe('CAMUNDA_AUTH_STRATEGY')
    for (const word of ['BASIC', 'BEARER', 'NONE', 'CAMUNDA_BASIC_AUTH_USERNAME', 'CAMUNDA_OAUTH_TOKEN'])
      expect(issues[3]?.message).toContain(word)
  })

  it('collects validation and missing-variable issues together', () => {
    const issues = issuesOf(() =>
      parseCredentials({ ZEEBE_CLIENT_ID: 'id', CAMUNDA_OAUTH_URL: 'not a url', CAMUNDA_OPERATE_BASE_URL: 'ftp://x' }),
    )
    expect(issues.map((i) => i.variable)).toEqual(['CAMUNDA_OAUTH_URL', 'CAMUNDA_OPERATE_BASE_URL', 'ZEEBE_CLIENT_SECRET'])
  })
})

describe('URLs', () => {
  it('refuses a token URL over http to a non-loopback host, naming the host and the variable that allows it', () => {
    const issues = issuesOf(() => parseCredentials({ ...MINIMAL, ZEEBE_AUTHORIZATION_SERVER_URL: 'http://idp.example.com/token' }))
    expect(issues).toEqual([
      {
        variable: 'ZEEBE_AUTHORIZATION_SERVER_URL',
        message:
          'uses plain http to idp.example.com, which would send the client credentials in clear: use https, or allow the host with CAMUNDA_ALLOW_INSECURE_HTTP=idp.example.com',
      },
    ])
  })

  it.each([
    'http://localhost:18080/token',
    'http://127.0.0.1/token',
    'http://127.8.9.10:1/t',
    'http://[::1]:8080/token',
    'http://LOCALHOST/t',
  ])('allows a token URL over http to loopback: %s', (url) => {
    // Kept as the parsed URL: the host lower-cased, as every later reader will see it.
    expect(parseCredentials({ ...MINIMAL, ZEEBE_AUTHORIZATION_SERVER_URL: url }).tokenUrl).toBe(new URL(url).href)
  })

  it.each(['http://localhost.example.com/t', 'http://128.0.0.1/t', 'http://foo.localhost/t', 'http://[::2]/t'])(
    'refuses http to a host that only looks local: %s',
    (url) => {
      expect(
        issuesOf(() => parseCredentials({ ...MINIMAL, CAMUNDA_OAUTH_URL: url, ZEEBE_AUTHORIZATION_SERVER_URL: undefined })),
      ).toHaveLength(1)
    },
  )

  it('refuses a token URL with a line break that the URL parser would silently drop', () => {
    const issues = issuesOf(() => parseCredentials({ ...MINIMAL, ZEEBE_AUTHORIZATION_SERVER_URL: 'https://exa\nmple.com/t' }))
    expect(issues.map((i) => i.variable)).toEqual(['ZEEBE_AUTHORIZATION_SERVER_URL'])
  })

  it.each(['login.example.com/token', '/oauth/token', 'ftp://x/token', 'https://', 'https://exa mple.com/t', 'javascript:alert(1)'])(
    'refuses a token URL that is not an absolute http(s) URL: %j',
    (url) => {
      const issues = issuesOf(() => parseCredentials({ ...MINIMAL, ZEEBE_AUTHORIZATION_SERVER_URL: url }))
      expect(issues).toEqual([{ variable: 'ZEEBE_AUTHORIZATION_SERVER_URL', message: 'must be an absolute http:// or https:// URL' }])
    },
  )

  it('refuses URLs carrying a user name or password, without echoing them', () => {
    const issues = issuesOf(() =>
      parseCredentials({
        ...MINIMAL,
        ZEEBE_AUTHORIZATION_SERVER_URL: 'https://user:pw-in-url@idp.example.com/t',
        ZEEBE_REST_ADDRESS: 'https://u@z.example.com',
      }),
    )
    expect(issues).toEqual([
      { variable: 'ZEEBE_REST_ADDRESS', message: 'must not contain a user name or password' },
      { variable: 'ZEEBE_AUTHORIZATION_SERVER_URL', message: 'must not contain a user name or password' },
    ])
  })

  it('refuses base URLs over plain http to a non-loopback host without the opt-in: a bearer token would travel in clear', () => {
    const issues = issuesOf(() =>
      parseCredentials({
        ...MINIMAL,
        CAMUNDA_OPERATE_BASE_URL: 'http://operate.internal:8081',
        ZEEBE_REST_ADDRESS: 'http://zeebe.internal:8080',
      }),
    )
    expect(issues.map((i) => i.variable)).toEqual(['ZEEBE_REST_ADDRESS', 'CAMUNDA_OPERATE_BASE_URL'])
    expect(issues[0]?.message).toContain('zeebe.internal')
    expect(issues[0]?.message).toContain('bearer tokens in clear')
    expect(issues[1]?.message).toContain('CAMUNDA_ALLOW_INSECURE_HTTP=operate.internal')
  })

  it('allows base URLs over http to the hosts CAMUNDA_ALLOW_INSECURE_HTTP lists, and removes trailing slashes', () => {
    const c = parseCredentials({
      ...MINIMAL,
      CAMUNDA_ALLOW_INSECURE_HTTP: 'operate.internal, Zeebe.Internal',
      CAMUNDA_OPERATE_BASE_URL: 'http://operate.internal:8081///',
      CAMUNDA_TASKLIST_BASE_URL: 'https://tasklist.example.com/ctx/',
      ZEEBE_REST_ADDRESS: 'http://zeebe.internal:8080/',
    })
    expect(c.insecureHosts).toEqual(['operate.internal', 'zeebe.internal'])
    expect(c.baseUrls).toEqual({
      zeebe: 'http://zeebe.internal:8080',
      operate: 'http://operate.internal:8081',
      tasklist: 'https://tasklist.example.com/ctx',
    })
  })

  it('refuses base URLs that are not http(s) or carry a query', () => {
    const issues = issuesOf(() =>
      parseCredentials({ ...MINIMAL, CAMUNDA_OPTIMIZE_BASE_URL: 'optimize.example.com', CAMUNDA_TASKLIST_BASE_URL: 'https://t/x?y=1' }),
    )
    expect(issues.map((i) => i.variable)).toEqual(['CAMUNDA_TASKLIST_BASE_URL', 'CAMUNDA_OPTIMIZE_BASE_URL'])
  })
})

describe('SaaS', () => {
  it('is SaaS only when the token URL host is login.cloud.camunda.io', () => {
    expect(parseCredentials(SAAS).saas).toBe(true)
    expect(parseCredentials(MINIMAL).saas).toBe(false)
    expect(parseCredentials({ ...MINIMAL, ZEEBE_AUTHORIZATION_SERVER_URL: 'https://login.cloud.camunda.io.evil.com/t' }).saas).toBe(false)
  })

  it('defaults the four audiences for SaaS, letting explicit ones win', () => {
    const c = parseCredentials({ ...SAAS, CAMUNDA_OPERATE_OAUTH_AUDIENCE: 'custom-operate' })
    expect(c.audiences).toEqual({
      zeebe: 'zeebe.camunda.io',
      operate: 'custom-operate',
      tasklist: 'tasklist.camunda.io',
      optimize: 'optimize.camunda.io',
    })
  })

  it('leaves audiences absent outside SaaS unless set', () => {
    const c = parseCredentials({ ...MINIMAL, CAMUNDA_TASKLIST_OAUTH_AUDIENCE: 'tasklist-api' })
    expect(c.audiences).toEqual({ tasklist: 'tasklist-api' })
    expect('zeebe' in c.audiences).toBe(false)
  })

  it('derives the Zeebe REST URL from ZEEBE_ADDRESS when region and cluster id are absent', () => {
    const c = parseCredentials({ ...SAAS, ZEEBE_ADDRESS: `${CLUSTER_ID}.bru-2.zeebe.camunda.io:443` })
    expect(c.baseUrls.zeebe).toBe(`https://bru-2.zeebe.camunda.io/${CLUSTER_ID}`)
    const grpc = parseCredentials({ ...SAAS, ZEEBE_GRPC_ADDRESS: `grpcs://${CLUSTER_ID}.syd-1.zeebe.camunda.io` })
    expect(grpc.baseUrls.zeebe).toBe(`https://syd-1.zeebe.camunda.io/${CLUSTER_ID}`)
  })

  it('prefers an explicit REST address over derivation', () => {
    const c = parseCredentials({
      ...SAAS,
      CAMUNDA_CLUSTER_ID: 'abc',
      CAMUNDA_CLUSTER_REGION: 'bru-2',
      ZEEBE_REST_ADDRESS: 'https://gw.example.com/',
    })
    expect(c.baseUrls.zeebe).toBe('https://gw.example.com')
  })

  it('derives nothing outside SaaS', () => {
    const c = parseCredentials({
      ...MINIMAL,
      CAMUNDA_CLUSTER_ID: 'abc',
      CAMUNDA_CLUSTER_REGION: 'bru-2',
      ZEEBE_ADDRESS: 'abc.bru-2.zeebe.camunda.io:443',
    })
    expect(c.baseUrls).toEqual({})
  })

  it('refuses a region or cluster id that could move the derived URL to another host', () => {
    const issues = issuesOf(() => parseCredentials({ ...SAAS, CAMUNDA_CLUSTER_REGION: 'evil.com/x#', CAMUNDA_CLUSTER_ID: 'a@b' }))
    expect(issues.map((i) => i.variable)).toEqual(['CAMUNDA_CLUSTER_ID', 'CAMUNDA_CLUSTER_REGION'])
  })
})

describe('limits', () => {
  it('refuses a value longer than 8 KiB, by variable name', () => {
    const issues = issuesOf(() => parseCredentials({ ...MINIMAL, ZEEBE_CLIENT_ID: 'x'.repeat(8 * 1024 + 1) }))
    expect(issues).toEqual([{ variable: 'ZEEBE_CLIENT_ID', message: 'is longer than 8 KiB' }])
  })

  it('accepts a value of exactly 8 KiB', () => {
    expect(parseCredentials({ ...MINIMAL, ZEEBE_CLIENT_ID: 'x'.repeat(8 * 1024) }).clientId).toHaveLength(8 * 1024)
  })
})
