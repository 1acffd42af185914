/**
 * `check` against SaaS with tokens that live only a few seconds: by the time the last of four
 * audiences has its token (1 s apart), the first is inside its refresh window. The check must not
 * refresh in the background (two requests at the same instant, or requests after it returned): one
 * token request per audience, every two at least 1 s apart, nothing after the report.
 */
import { describe, expect, it } from 'vitest'
import { runCheck } from '../../src/cli/check.ts'
import { createDevAuthServer } from '../../src/dev-server.ts'
import { sleep } from '../../src/lib/sleep.ts'

const SAAS = 'https://login.cloud.camunda.io/oauth/token'
const BUNDLE = `ZEEBE_CLIENT_ID=dev-client
ZEEBE_CLIENT_SECRET=dev-secret
ZEEBE_AUTHORIZATION_SERVER_URL=${SAAS}
CAMUNDA_CLUSTER_ID=abc-123
CAMUNDA_CLUSTER_REGION=bru-2
CAMUNDA_OPERATE_BASE_URL=https://bru-2.operate.camunda.io/abc-123
CAMUNDA_TASKLIST_BASE_URL=https://bru-2.tasklist.camunda.io/abc-123
CAMUNDA_OPTIMIZE_BASE_URL=https://bru-2.optimize.camunda.io/abc-123
`

describe('check with short-lived SaaS tokens', () => {
  it('one token request per audience, each at least 1 s after the last, and none after the report', async () => {
    const server = createDevAuthServer({ tokenLifetimeSeconds: 4, rateLimit: false })
    // The SaaS hosts, answered by the in-process dev server: the token URL, and each API under its prefix.
    const fetchImpl: typeof fetch = async (input, init) => {
      const request = new Request(input, init)
      const url = new URL(request.url)
      if (url.href === SAAS) return server.fetch(new Request('http://127.0.0.1/oauth/token', request))
      const api = url.hostname.split('.')[1]!
      const path = url.pathname.replace(/^\/abc-123/, '')
      // The API calls are slow, as a real cluster's can be: the first token ages into its refresh window.
      const response = await server.fetch(new Request(`http://127.0.0.1/${api}${path}${url.search}`, request))
      await sleep(600)
      return response
    }
    const report = await runCheck({ source: BUNDLE, from: 'bundle', network: true }, { fetch: fetchImpl, now: Date.now, sleep })
    const atReport = server.requestLog.length
    await sleep(4_000)
    const log = server.requestLog
    expect(report.exitCode, JSON.stringify(report.problems)).toBe(0)
    expect(log.map((r) => r.audience).sort()).toEqual([
      'operate.camunda.io',
      'optimize.camunda.io',
      'tasklist.camunda.io',
      'zeebe.camunda.io',
    ])
    expect(log.length).toBe(atReport)
    for (let i = 1; i < log.length; i++) expect(log[i]!.at - log[i - 1]!.at).toBeGreaterThanOrEqual(1000)
  }, 30_000)
})
