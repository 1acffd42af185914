import { describe, expect, it } from 'vitest'
import { parseCredentials } from '../../src/credentials/index.ts'
import { issuesOf } from './helpers.ts'
import { CLUSTER_ID, SAAS_SECRET, SAAS_TOKEN_URL, readFixture } from './fixtures.ts'

const SAAS_AUDIENCES = {
  zeebe: 'zeebe.camunda.io',
  operate: 'operate.camunda.io',
  tasklist: 'tasklist.camunda.io',
  optimize: 'optimize.camunda.io',
}

describe('the shared fixtures', () => {
  it('saas-credentials.txt (Console download, all four scopes) gives every base URL and the SaaS audiences', () => {
    const c = parseCredentials(readFixture('saas-credentials.txt'))
    expect(c.clientId).toBe('Xk3~pQ7rT2vW9yZ1_aB4cD6eF8gH0iJ2')
    expect(c.clientSecret).toBe(SAAS_SECRET)
    expect(c.tokenUrl).toBe(SAAS_TOKEN_URL)
    expect(c.saas).toBe(true)
    expect(c.audiences).toEqual(SAAS_AUDIENCES)
    expect(c.scope).toBeUndefined()
    expect(c.grantedScopes).toEqual(['Zeebe', 'Tasklist', 'Operate', 'Optimize'])
    expect(c.clusterId).toBe(CLUSTER_ID)
    expect(c.region).toBe('bru-2')
    expect(c.zeebeGrpcAddress).toBe(`${CLUSTER_ID}.bru-2.zeebe.camunda.io:443`)
    expect(c.baseUrls).toEqual({
      zeebe: `https://bru-2.zeebe.camunda.io/${CLUSTER_ID}`,
      operate: `https://bru-2.operate.camunda.io/${CLUSTER_ID}`,
      tasklist: `https://bru-2.tasklist.camunda.io/${CLUSTER_ID}`,
      optimize: `https://bru-2.optimize.camunda.io/${CLUSTER_ID}`,
    })
  })

  it('saas-zeebe-only.txt has only the Zeebe base URL, derived from the region and cluster id', () => {
    const c = parseCredentials(readFixture('saas-zeebe-only.txt'))
    const cluster = '0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d'
    expect(c.clientId).toBe('zeebeOnlyClient_0123456789abcdef')
    expect(c.clientSecret).toBe('zeebe-only-secret-0123456789abcdefghijklmnopqrstuvwxyz0123456789')
    expect(c.saas).toBe(true)
    expect(c.region).toBe('syd-1')
    expect(c.grantedScopes).toEqual(['Zeebe'])
    expect(c.audiences).toEqual(SAAS_AUDIENCES)
    expect(c.baseUrls).toEqual({ zeebe: `https://syd-1.zeebe.camunda.io/${cluster}` })
  })

  it('saas-8.8-rest.txt takes ZEEBE_REST_ADDRESS and ZEEBE_GRPC_ADDRESS as given', () => {
    const c = parseCredentials(readFixture('saas-8.8-rest.txt'))
    expect(c.zeebeGrpcAddress).toBe(`grpcs://${CLUSTER_ID}.bru-2.zeebe.camunda.io:443`)
    expect(c.tokenUrl).toBe(SAAS_TOKEN_URL)
    expect(c.grantedScopes).toEqual(['Zeebe', 'Operate'])
    expect(c.baseUrls).toEqual({
      zeebe: `https://bru-2.zeebe.camunda.io/${CLUSTER_ID}`,
      operate: `https://bru-2.operate.camunda.io/${CLUSTER_ID}`,
    })
  })

  it('self-managed.env allows loopback http and uses the per-component audiences, with no SaaS defaults', () => {
    const c = parseCredentials(readFixture('self-managed.env'))
    expect(c).toMatchObject({
      clientId: 'zeebe',
      tokenUrl: 'http://localhost:18080/auth/realms/camunda-platform/protocol/openid-connect/token',
      saas: false,
      scope: undefined,
      clusterId: undefined,
      region: undefined,
      zeebeGrpcAddress: 'grpc://localhost:26500',
    })
    expect(c.clientSecret).toBe('zecret-0123456789abcdef')
    expect(c.grantedScopes).toEqual([])
    expect(c.audiences).toEqual({
      zeebe: 'zeebe-api',
      operate: 'operate-api',
      tasklist: 'tasklist-api',
      optimize: 'optimize-api',
    })
    expect(c.baseUrls).toEqual({
      zeebe: 'http://localhost:8080',
      operate: 'http://localhost:8081',
      tasklist: 'http://localhost:8082',
      optimize: 'http://localhost:8083',
    })
  })

  it('credentials.json gives the same result as the equivalent shell file', () => {
    const c = parseCredentials(readFixture('credentials.json'))
    expect(c.clientSecret).toBe(SAAS_SECRET)
    expect(c.saas).toBe(true)
    expect(c.audiences).toEqual(SAAS_AUDIENCES)
    expect(c.grantedScopes).toEqual(['Zeebe', 'Operate'])
    expect(c.baseUrls).toEqual({
      zeebe: `https://bru-2.zeebe.camunda.io/${CLUSTER_ID}`,
      operate: `https://bru-2.operate.camunda.io/${CLUSTER_ID}`,
    })
    const fromText = parseCredentials(
      Object.entries(JSON.parse(readFixture('credentials.json')) as Record<string, string>)
        .map(([k, v]) => `export ${k}='${v}'`)
        .join('\n'),
    )
    expect(JSON.stringify(c)).toBe(JSON.stringify(fromText))
  })

  it('broken-missing-secret.txt names both the secret and the token URL variables', () => {
    const issues = issuesOf(() => parseCredentials(readFixture('broken-missing-secret.txt')))
    expect(issues.map((i) => i.variable)).toEqual(['ZEEBE_CLIENT_SECRET', 'ZEEBE_AUTHORIZATION_SERVER_URL'])
    expect(issues[0]?.message).toContain('CAMUNDA_CLIENT_SECRET')
    expect(issues[1]?.message).toContain('CAMUNDA_OAUTH_URL')
  })
})
