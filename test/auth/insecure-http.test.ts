/**
 * Plain http beyond loopback: refused without CAMUNDA_ALLOW_INSECURE_HTTP, for the token URL and,
 * since a bearer token over http is as exposed as a secret, for the API base URLs too; with the
 * opt-in, one insecure_http event per host says what travels in clear to it.
 */
import { describe, expect, it } from 'vitest'
import { createDevAuthServer, devCredentials } from '../../src/dev-server.ts'
import { createAuth, InsecureUrlError, parseCredentials, type AuthEvent, type Credentials } from '../../src/index.ts'
import { issuesOf } from '../credentials/helpers.ts'
import { rejectionOf } from '../helpers/harness.ts'

const CLUSTER = 'http://keycloak.camunda.svc'
const bundle = (extra: Record<string, string> = {}) => ({
  ...devCredentials(CLUSTER),
  ZEEBE_REST_ADDRESS: 'http://zeebe-gateway.camunda.svc:8080',
  CAMUNDA_OPERATE_BASE_URL: 'http://zeebe-gateway.camunda.svc:8080/operate',
  CAMUNDA_TASKLIST_BASE_URL: 'https://tasklist.example.com',
  CAMUNDA_OPTIMIZE_BASE_URL: 'http://127.0.0.1:8083',
  ...extra,
})

/** A fetch to the in-process dev server whatever the URL's host, recording each URL. */
function anyHost() {
  const server = createDevAuthServer({ rateLimit: false })
  const urls: string[] = []
  const fetchImpl: typeof fetch = (input, init) => {
    const request = new Request(input, init)
    urls.push(request.url)
    const url = new URL(request.url)
    const path = url.pathname.startsWith('/operate') || url.pathname.startsWith('/oauth') ? url.pathname : `/zeebe${url.pathname}`
    return server.fetch(new Request(`http://127.0.0.1${path}`, request))
  }
  return { urls, fetch: fetchImpl }
}

describe('without CAMUNDA_ALLOW_INSECURE_HTTP', () => {
  it('parseCredentials names each variable and host that would carry credentials in clear', () => {
    const issues = issuesOf(() => parseCredentials(bundle()))
    expect(issues.map((i) => i.variable)).toEqual(['ZEEBE_AUTHORIZATION_SERVER_URL', 'ZEEBE_REST_ADDRESS', 'CAMUNDA_OPERATE_BASE_URL'])
    expect(issues[0]?.message).toContain('CAMUNDA_ALLOW_INSECURE_HTTP=keycloak.camunda.svc')
    expect(issues[1]?.message).toContain('CAMUNDA_ALLOW_INSECURE_HTTP=zeebe-gateway.camunda.svc')
  })

  it('allowing only the token host still refuses the API host: a token over http is as exposed as a secret', () => {
    const issues = issuesOf(() => parseCredentials(bundle({ CAMUNDA_ALLOW_INSECURE_HTTP: 'keycloak.camunda.svc' })))
    expect(issues.map((i) => i.variable)).toEqual(['ZEEBE_REST_ADDRESS', 'CAMUNDA_OPERATE_BASE_URL'])
  })

  it('credentials made some other way still never reach an http host: the request is refused before it is sent', async () => {
    const allowed = parseCredentials(bundle({ CAMUNDA_ALLOW_INSECURE_HTTP: 'keycloak.camunda.svc,zeebe-gateway.camunda.svc' }))
    const { urls, fetch } = anyHost()
    // The same bundle with the opt-in stripped, as a hand-made or tampered credentials object would be.
    const stripped: Credentials = { ...allowed, clientSecret: allowed.clientSecret, insecureHosts: [] }
    const token = await rejectionOf(createAuth({ credentials: stripped, fetch }).getToken())
    expect(token).toBeInstanceOf(InsecureUrlError)
    expect(token).toMatchObject({ host: 'keycloak.camunda.svc', variable: 'CAMUNDA_ALLOW_INSECURE_HTTP' })
    expect((token as Error).message).toContain('CAMUNDA_ALLOW_INSECURE_HTTP=keycloak.camunda.svc')
    const tokenSource = async () => ({ accessToken: 'x', expiresAt: Date.now() + 60_000, receivedAt: Date.now() })
    const api = await rejectionOf(createAuth({ credentials: stripped, fetch, tokenSource }).fetch('zeebe', '/v2/topology'))
    expect(api).toMatchObject({ code: 'ERR_INSECURE_URL', host: 'zeebe-gateway.camunda.svc' })
    expect(urls).toEqual([])
  })

  it('getHeaders refuses too: an official client would send what it returns to the http host', async () => {
    const allowed = parseCredentials(bundle({ CAMUNDA_ALLOW_INSECURE_HTTP: 'keycloak.camunda.svc,zeebe-gateway.camunda.svc' }))
    const { fetch } = anyHost()
    const stripped: Credentials = { ...allowed, clientSecret: allowed.clientSecret, insecureHosts: [] }
    const tokenSource = async () => ({ accessToken: 'x', expiresAt: Date.now() + 60_000, receivedAt: Date.now() })
    const auth = createAuth({ credentials: stripped, fetch, tokenSource })
    expect(await rejectionOf(auth.getHeaders('zeebe'))).toMatchObject({ code: 'ERR_INSECURE_URL', host: 'zeebe-gateway.camunda.svc' })
    // Loopback and https APIs are served as before.
    expect(await auth.getHeaders('optimize')).toEqual({ authorization: 'Bearer x' })
    expect(await auth.getHeaders('tasklist')).toEqual({ authorization: 'Bearer x' })
    const basic = parseCredentials({
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_BASIC_AUTH_USERNAME: 'demo',
      CAMUNDA_BASIC_AUTH_PASSWORD: 'demo-password',
      ZEEBE_REST_ADDRESS: 'http://zeebe-gateway.camunda.svc:8080',
      CAMUNDA_ALLOW_INSECURE_HTTP: 'zeebe-gateway.camunda.svc',
    })
    const handMade: Credentials = { ...basic, password: basic.password, insecureHosts: [] }
    const error = await rejectionOf(createAuth({ credentials: handMade }).getHeaders())
    expect(error).toBeInstanceOf(InsecureUrlError)
    expect(JSON.stringify(error)).not.toContain(btoa('demo:demo-password'))
  })
})

describe('with CAMUNDA_ALLOW_INSECURE_HTTP', () => {
  const credentials = () => parseCredentials(bundle({ CAMUNDA_ALLOW_INSECURE_HTTP: 'keycloak.camunda.svc, zeebe-gateway.camunda.svc' }))

  it('one insecure_http event per host, saying what travels in clear; none for https or loopback hosts', () => {
    const events: AuthEvent[] = []
    createAuth({ credentials: credentials(), onEvent: (e) => events.push(e) })
    expect(events).toEqual([
      { type: 'insecure_http', host: 'keycloak.camunda.svc', carries: 'client credentials' },
      { type: 'insecure_http', host: 'zeebe-gateway.camunda.svc', carries: 'API credentials' },
    ])
  })

  it('tokens are requested and sent to the listed hosts', async () => {
    const { urls, fetch } = anyHost()
    const response = await createAuth({ credentials: credentials(), fetch }).fetch('zeebe', '/v2/topology')
    expect(response.status).toBe(200)
    expect(urls).toEqual(['http://keycloak.camunda.svc/oauth/token', 'http://zeebe-gateway.camunda.svc:8080/v2/topology'])
  })

  it('the parseCredentials option does the same as the variable', () => {
    const c = parseCredentials(bundle(), { allowInsecureHttp: ['keycloak.camunda.svc', 'ZEEBE-GATEWAY.camunda.svc'] })
    expect(c.insecureHosts).toEqual(['keycloak.camunda.svc', 'zeebe-gateway.camunda.svc'])
  })

  it('NONE needs no opt-in for its APIs: nothing secret travels to them', () => {
    const c = parseCredentials({ CAMUNDA_AUTH_STRATEGY: 'NONE', ZEEBE_REST_ADDRESS: 'http://c8run.lan:8080' })
    expect(c.baseUrls.zeebe).toBe('http://c8run.lan:8080')
    const events: AuthEvent[] = []
    createAuth({ credentials: c, onEvent: (e) => events.push(e) })
    expect(events).toEqual([])
  })
})
