/**
 * `camunda-edge-auth check` as users run it: the bin as a child process, against the dev server
 * over loopback HTTP. One good bundle per strategy and provider, then one case per failure, each
 * asserting the variable the output tells the user to change and the exit code.
 */
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDevAuthServer, devCredentials } from '../../src/dev-server.ts'
import { listenDevAuthServer, type ListeningDevAuthServer } from '../../src/dev-server-node.ts'
import { parseCredentials } from '../../src/index.ts'
import { SAAS_SECRET } from '../helpers/fixtures.ts'
import { unsignedJwt } from '../helpers/jwt.ts'
import { clientKey } from '../helpers/keys.ts'
import { bundleFile, fixturePath, runBin } from './run-bin.ts'

const JWT = /eyJ[\w-]+\.[\w-]+\./

/** Run `check` on a bundle written to a file, then delete the file. */
async function check(values: Record<string, string>, ...flags: string[]) {
  const file = await bundleFile(values)
  try {
    return await runBin(['check', file.path, ...flags])
  } finally {
    await file.remove()
  }
}

let dev: ListeningDevAuthServer
beforeAll(async () => {
  dev = await listenDevAuthServer()
})
afterAll(() => dev.close())

describe('check: a good bundle', () => {
  it('says what it understood, requests one token per audience, calls each API once, and exits 0', async () => {
    dev.server.reset()
    const { code, stdout, stderr } = await check(devCredentials(dev.url))
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toMatch(/strategy\s+OAUTH \(client_secret_post\)/)
    expect(stdout).toMatch(/client id\s+dev-client/)
    expect(stdout).toMatch(/Console scopes\s+Zeebe, Operate, Tasklist, Optimize/)
    expect(stdout).toContain(`${dev.url}/operate  [audience operate.camunda.io]`)
    expect(stdout).toContain("decoded with jose's decodeJwt, signature not verified")
    expect(stdout).toMatch(/ok\s+zeebe\s+aud zeebe\.camunda\.io, exp \d{4}-\d\d-\d\dT[\d:.]+Z, lifetime 3600 s/)
    expect(stdout).toMatch(/ok\s+zeebe\s+GET \/v2\/topology → 200, gateway 8\.8\.0-dev, 1 broker/)
    expect(stdout).toContain('Everything checked works.')
    expect(stdout).not.toMatch(JWT)
    expect(dev.server.requestLog.map((r) => r.audience).sort()).toEqual([
      'operate.camunda.io',
      'optimize.camunda.io',
      'tasklist.camunda.io',
      'zeebe.camunda.io',
    ])
    expect(dev.server.apiRequestLog.map(({ api, method, path, status }) => `${api} ${method} ${path} ${status}`)).toEqual([
      'zeebe GET /v2/topology 200',
      'operate POST /v1/process-definitions/search 200',
      'tasklist POST /v1/tasks/search 200',
      'optimize GET /api/public/dashboard 200',
    ])
  })

  it('--json prints one JSON document with the same findings', async () => {
    const { code, stdout } = await check(devCredentials(dev.url), '--json')
    expect(code).toBe(0)
    const report = JSON.parse(stdout)
    expect(report).toMatchObject({ exitCode: 0, ok: true, problems: [], bundle: { strategy: 'OAUTH', clientId: 'dev-client' } })
    expect(report.tokens.map((t: { claims: { aud: string } }) => t.claims.aud)).toEqual([
      'zeebe.camunda.io',
      'operate.camunda.io',
      'tasklist.camunda.io',
      'optimize.camunda.io',
    ])
    expect(report.tokens[0].claims.lifetimeSeconds).toBe(3600)
    expect(report.calls.every((c: { ok: boolean; status: number }) => c.ok && c.status === 200)).toBe(true)
    expect(stdout).not.toMatch(JWT)
  })

  it('APIs that share an audience share one token request', async () => {
    const shared = await listenDevAuthServer(
      createDevAuthServer({
        apiAudiences: { zeebe: 'camunda', operate: 'camunda', tasklist: 'camunda', optimize: 'camunda' },
        clients: [{ clientId: 'dev-client', clientSecret: 'dev-secret', audiences: ['camunda'] }],
      }),
    )
    try {
      const env = devCredentials(shared.url)
      const { code, stdout } = await check({
        ...env,
        ZEEBE_TOKEN_AUDIENCE: 'camunda',
        CAMUNDA_OPERATE_OAUTH_AUDIENCE: 'camunda',
        CAMUNDA_TASKLIST_OAUTH_AUDIENCE: 'camunda',
        CAMUNDA_OPTIMIZE_OAUTH_AUDIENCE: 'camunda',
      })
      expect(code).toBe(0)
      expect(stdout).toMatch(/ok\s+zeebe, operate, tasklist, optimize\s+aud camunda/)
      expect(shared.server.requests()).toBe(1)
      expect(shared.server.apiRequests()).toBe(4)
    } finally {
      await shared.close()
    }
  })

  it('without FILE it checks the environment', async () => {
    const { code, stdout } = await runBin(['check'], devCredentials(dev.url))
    expect(code).toBe(0)
    expect(stdout).toContain('camunda-edge-auth check: the environment')
    expect(stdout).toContain('Everything checked works.')
  })

  it('with FILE the environment is not read: a wrong secret in the shell does not mix in', async () => {
    const file = await bundleFile(devCredentials(dev.url))
    try {
      const { code, stdout } = await runBin(['check', file.path], { ZEEBE_CLIENT_SECRET: 'wrong-secret' })
      expect(code).toBe(0)
      expect(stdout).not.toContain('from the environment')
      // --env makes the environment win, and says which variables came from it.
      const overridden = await runBin(['check', file.path, '--env'], { ZEEBE_CLIENT_SECRET: 'wrong-secret' })
      expect(overridden.code).toBe(1)
      expect(overridden.stdout).toContain('from the environment (--env): ZEEBE_CLIENT_SECRET')
      expect(overridden.stdout).toMatch(/- ZEEBE_CLIENT_SECRET: .*change ZEEBE_CLIENT_SECRET/)
    } finally {
      await file.remove()
    }
  })

  it('BASIC, NONE and BEARER bundles: no token request, one call per API', async () => {
    const basic = await listenDevAuthServer({ apiAuth: 'basic' })
    const none = await listenDevAuthServer({ apiAuth: 'none' })
    try {
      const ok = await check(devCredentials(basic.url, undefined, { strategy: 'BASIC' }))
      expect(ok.code).toBe(0)
      expect(ok.stdout).toMatch(/strategy\s+BASIC/)
      expect(ok.stdout).toMatch(/user\s+demo/)
      expect(basic.server.requests()).toBe(0)
      expect(basic.server.apiRequests()).toBe(4)

      const open = await check(devCredentials(none.url, undefined, { strategy: 'NONE' }))
      expect(open.code).toBe(0)
      expect(none.server.apiRequests()).toBe(4)

      const token = await (
        await fetch(dev.tokenUrl, {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: 'dev-client',
            client_secret: 'dev-secret',
            audience: 'zeebe.camunda.io',
          }),
        })
      ).json()
      dev.server.reset()
      const bearer = await check({
        CAMUNDA_AUTH_STRATEGY: 'BEARER',
        CAMUNDA_OAUTH_TOKEN: token.access_token,
        ZEEBE_REST_ADDRESS: `${dev.url}/zeebe`,
      })
      expect(bearer.code).toBe(0)
      expect(bearer.stdout).toMatch(/ok\s+zeebe\s+aud zeebe\.camunda\.io/)
      expect(bearer.stdout).not.toContain(token.access_token.slice(-40))
      expect(dev.server.requests()).toBe(0)
    } finally {
      await basic.close()
      await none.close()
    }
  })

  it.each(['keycloak', 'entra', 'okta'] as const)('a %s bundle against the dev server in that profile', async (profile) => {
    const server = await listenDevAuthServer({ profile })
    try {
      const { code, stdout } = await check(devCredentials(server.url, undefined, { profile }))
      expect(stdout).toContain('Everything checked works.')
      expect(code).toBe(0)
      expect(stdout).toMatch(new RegExp(`provider\\s+${profile}`))
      expect(server.server.apiRequests()).toBe(4)
    } finally {
      await server.close()
    }
  })

  it('a private_key_jwt bundle', async () => {
    const key = await clientKey('ES256')
    const server = await listenDevAuthServer({ clients: [{ clientId: 'keyed', jwks: { keys: [key.publicJwk] } }] })
    try {
      const { ZEEBE_CLIENT_SECRET: _, ...env } = devCredentials(server.url, { clientId: 'keyed' })
      const { code, stdout } = await check({ ...env, CAMUNDA_CLIENT_ASSERTION_KEY: key.pem.trim().replace(/\n/g, '\\n') })
      expect(code).toBe(0)
      expect(stdout).toMatch(/strategy\s+OAUTH \(private_key_jwt\)/)
      expect(server.server.requestLog.every((r) => r.auth === 'assertion' && r.status === 200)).toBe(true)
    } finally {
      await server.close()
    }
  })
})

describe('check: each failure names what to change', () => {
  it('a wrong secret names the secret variable as the bundle names it, and stops asking after the refusal', async () => {
    dev.server.reset()
    const { ZEEBE_CLIENT_SECRET: _, ZEEBE_CLIENT_ID: id, ...env } = devCredentials(dev.url)
    const { code, stdout } = await check({ ...env, CAMUNDA_CLIENT_ID: id!, CAMUNDA_CLIENT_SECRET: 'not-the-secret' })
    expect(code).toBe(1)
    expect(stdout).toMatch(
      /- CAMUNDA_CLIENT_SECRET: Token endpoint refused the client id or secret \(401 invalid_client.*change CAMUNDA_CLIENT_SECRET \(and check CAMUNDA_CLIENT_ID\)/,
    )
    expect(stdout).toContain('not requested: the client was refused above')
    expect(dev.server.requests()).toBe(1)
    expect(dev.server.apiRequests()).toBe(0)

    const zeebeNamed = await check({ ...devCredentials(dev.url), ZEEBE_CLIENT_SECRET: 'not-the-secret' })
    expect(zeebeNamed.code).toBe(1)
    expect(zeebeNamed.stdout).toMatch(/- ZEEBE_CLIENT_SECRET: .*change ZEEBE_CLIENT_SECRET/)
  })

  it('an audience the server refuses names the audience variable (and, on SaaS, the Console scope to grant)', async () => {
    const { code, stdout } = await check({ ...devCredentials(dev.url), CAMUNDA_OPERATE_OAUTH_AUDIENCE: 'operate.example' })
    expect(code).toBe(1)
    expect(stdout).toMatch(/FAIL operate\s+Token endpoint answered 400 invalid_target/)
    expect(stdout).toMatch(/- CAMUNDA_OPERATE_OAUTH_AUDIENCE: .*change CAMUNDA_OPERATE_OAUTH_AUDIENCE \(the audience for the operate API\)/)
    // The other APIs are still checked.
    expect(stdout).toMatch(/ok\s+zeebe\s+GET \/v2\/topology/)

    const saas = await listenDevAuthServer({
      clients: [{ clientId: 'dev-client', clientSecret: 'dev-secret', audiences: ['zeebe.camunda.io'] }],
    })
    try {
      const refused = await check({ ...devCredentials(saas.url), CAMUNDA_OAUTH_PROVIDER: 'saas', CAMUNDA_CREDENTIALS_SCOPES: 'Zeebe' })
      expect(refused.code).toBe(1)
      expect(refused.stdout).toMatch(/- CAMUNDA_OPERATE_OAUTH_AUDIENCE: .*grant the API client the Operate scope in the Console/)
    } finally {
      await saas.close()
    }
  })

  it('a scope the server refuses names the scope variable', async () => {
    const server = await listenDevAuthServer({ profile: 'entra' })
    try {
      const env = devCredentials(server.url, undefined, { profile: 'entra' })
      const { code, stdout } = await check({ ...env, CAMUNDA_TOKEN_SCOPE: 'api://someone-else/.default' })
      expect(code).toBe(1)
      expect(stdout).toMatch(/- CAMUNDA_TOKEN_SCOPE: .*AADSTS500011.*change CAMUNDA_TOKEN_SCOPE/)
    } finally {
      await server.close()
    }
  })

  it('an API whose Console scope was granted but whose base URL is missing names the variable', async () => {
    const { CAMUNDA_OPERATE_BASE_URL: _, ...env } = devCredentials(dev.url)
    const { code, stdout } = await check(env)
    expect(code).toBe(1)
    expect(stdout).toMatch(
      /- CAMUNDA_OPERATE_BASE_URL: No base URL for the operate API: set CAMUNDA_OPERATE_BASE_URL.*CAMUNDA_CREDENTIALS_SCOPES grants Operate/,
    )
  })

  it('an API the client was not granted is a note, not a failure, and says which scope grants it', async () => {
    const { CAMUNDA_OPTIMIZE_BASE_URL: _, ...env } = devCredentials(dev.url)
    const { code, stdout } = await check({ ...env, CAMUNDA_CREDENTIALS_SCOPES: 'Zeebe,Operate,Tasklist', CAMUNDA_OAUTH_PROVIDER: 'saas' })
    expect(code).toBe(0)
    expect(stdout).toContain(
      'note: optimize: not checked. No base URL for the optimize API: set CAMUNDA_OPTIMIZE_BASE_URL. The Camunda Console adds it to the credential bundle of an API client that has the Optimize scope.',
    )
  })

  it('a bundle with no API base URL at all names ZEEBE_REST_ADDRESS', async () => {
    const {
      ZEEBE_REST_ADDRESS: _a,
      CAMUNDA_OPERATE_BASE_URL: _b,
      CAMUNDA_TASKLIST_BASE_URL: _c,
      CAMUNDA_OPTIMIZE_BASE_URL: _d,
      ...env
    } = devCredentials(dev.url)
    const { code, stdout } = await check({ ...env, CAMUNDA_CREDENTIALS_SCOPES: '' })
    expect(code).toBe(1)
    expect(stdout).toMatch(/- ZEEBE_REST_ADDRESS: no API has a base URL/)
  })

  it('a base URL where the API is not names its variable', async () => {
    const { code, stdout } = await check({ ...devCredentials(dev.url), ZEEBE_REST_ADDRESS: `${dev.url}/nothing-here` })
    expect(code).toBe(1)
    expect(stdout).toMatch(/- ZEEBE_REST_ADDRESS: zeebe: GET \/v2\/topology answered 404: nothing there: check ZEEBE_REST_ADDRESS/)
  })

  it('a wrong Basic password names CAMUNDA_BASIC_AUTH_PASSWORD', async () => {
    const basic = await listenDevAuthServer({ apiAuth: 'basic' })
    try {
      const env = devCredentials(basic.url, undefined, { strategy: 'BASIC' })
      const { code, stdout } = await check({ ...env, CAMUNDA_BASIC_AUTH_PASSWORD: 'wrong-password' })
      expect(code).toBe(1)
      expect(stdout).toMatch(/- CAMUNDA_BASIC_AUTH_PASSWORD: zeebe: GET \/v2\/topology answered 401: .*CAMUNDA_BASIC_AUTH_PASSWORD/)
    } finally {
      await basic.close()
    }
  })

  it('an expired static token names CAMUNDA_OAUTH_TOKEN', async () => {
    const expired = unsignedJwt({ aud: 'zeebe.camunda.io', iat: 1_600_000_000, exp: 1_600_000_600 })
    const { code, stdout } = await check({
      CAMUNDA_AUTH_STRATEGY: 'BEARER',
      CAMUNDA_OAUTH_TOKEN: expired,
      ZEEBE_REST_ADDRESS: `${dev.url}/zeebe`,
    })
    expect(code).toBe(1)
    expect(stdout).toMatch(/- CAMUNDA_OAUTH_TOKEN: .*replace CAMUNDA_OAUTH_TOKEN/)
    expect(stdout).not.toContain(expired.slice(0, 30))
  })

  it('an unreachable token endpoint names the token URL variable', async () => {
    const gone = await listenDevAuthServer()
    const env = devCredentials(gone.url)
    await gone.close()
    const { code, stdout } = await check(env)
    expect(code).toBe(1)
    expect(stdout).toMatch(
      /- ZEEBE_AUTHORIZATION_SERVER_URL: Token request to 127\.0\.0\.1:\d+ failed.*check ZEEBE_AUTHORIZATION_SERVER_URL/,
    )
    // One line for the one cause, not one per audience.
    expect(stdout.match(/^ {2}- /gm)).toHaveLength(1)
  })

  it('plain http without the opt-in names CAMUNDA_ALLOW_INSECURE_HTTP and the host, and exits 2', async () => {
    const { code, stdout } = await check({ ...devCredentials(dev.url), ZEEBE_REST_ADDRESS: 'http://zeebe-gateway:8080' }, '--no-network')
    expect(code).toBe(2)
    expect(stdout).toContain(
      'ZEEBE_REST_ADDRESS: uses plain http to zeebe-gateway, which would send bearer tokens in clear: use https, or allow the host with CAMUNDA_ALLOW_INSECURE_HTTP=zeebe-gateway',
    )
    const allowed = await check(
      { ...devCredentials(dev.url), ZEEBE_REST_ADDRESS: 'http://zeebe-gateway:8080', CAMUNDA_ALLOW_INSECURE_HTTP: 'zeebe-gateway' },
      '--no-network',
    )
    expect(allowed.code).toBe(0)
  })

  it('parse errors are the CredentialsError issues, every one, with exit 2; --json carries them too', async () => {
    const { code, stdout } = await runBin(['check', fixturePath('broken-missing-secret.txt')])
    expect(code).toBe(2)
    expect(stdout).toContain('- ZEEBE_CLIENT_SECRET: is missing: set ZEEBE_CLIENT_SECRET or CAMUNDA_CLIENT_SECRET')
    expect(stdout).toContain('- ZEEBE_AUTHORIZATION_SERVER_URL: is missing: set ZEEBE_AUTHORIZATION_SERVER_URL or CAMUNDA_OAUTH_URL')
    const json = JSON.parse((await runBin(['check', fixturePath('broken-missing-secret.txt'), '--json'])).stdout)
    expect(json.exitCode).toBe(2)
    expect(json.problems.map((p: { variable: string }) => p.variable)).toEqual(['ZEEBE_CLIENT_SECRET', 'ZEEBE_AUTHORIZATION_SERVER_URL'])
  })
})

describe('check --no-network on every shared fixture', () => {
  it.each([
    'saas-credentials.txt',
    'saas-zeebe-only.txt',
    'saas-8.8-rest.txt',
    'self-managed.env',
    'credentials.json',
    'self-managed-basic.env',
    'bearer.env',
    'entra-id.env',
  ])('%s exits 0 and sends nothing', async (name) => {
    const { code, stdout, stderr } = await runBin(['check', fixturePath(name), '--no-network'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toContain('No token requested and no API called (--no-network).')
    const strategy = parseCredentials(await readFile(fixturePath(name), 'utf8')).strategy
    expect(stdout).toMatch(new RegExp(`strategy\\s+${strategy}`))
  })

  it('broken-missing-secret.txt exits non-zero naming both missing variables', async () => {
    const { code, stdout } = await runBin(['check', fixturePath('broken-missing-secret.txt'), '--no-network'])
    expect(code).not.toBe(0)
    expect(stdout).toContain('ZEEBE_CLIENT_SECRET')
    expect(stdout).toContain('ZEEBE_AUTHORIZATION_SERVER_URL')
  })
})

describe('check: the SaaS fixtures end to end, repointed at the dev server with --env', () => {
  const CLIENTS = [
    { clientId: 'Xk3~pQ7rT2vW9yZ1_aB4cD6eF8gH0iJ2', clientSecret: SAAS_SECRET },
    { clientId: 'zeebeOnlyClient_0123456789abcdef', clientSecret: 'zeebe-only-secret-0123456789abcdefghijklmnopqrstuvwxyz0123456789' },
  ]
  let saas: ListeningDevAuthServer
  beforeAll(async () => {
    saas = await listenDevAuthServer({ clients: CLIENTS, rateLimit: { limit: 1, windowMs: 1000 } })
  })
  afterAll(() => saas.close())
  const repoint = () => ({
    ZEEBE_AUTHORIZATION_SERVER_URL: saas.tokenUrl,
    CAMUNDA_OAUTH_URL: saas.tokenUrl,
    // A loopback token URL does not say SaaS; this keeps the SaaS defaults (audiences, spacing).
    CAMUNDA_OAUTH_PROVIDER: 'saas',
    ZEEBE_REST_ADDRESS: `${saas.url}/zeebe`,
    CAMUNDA_OPERATE_BASE_URL: `${saas.url}/operate`,
    CAMUNDA_TASKLIST_BASE_URL: `${saas.url}/tasklist`,
    CAMUNDA_OPTIMIZE_BASE_URL: `${saas.url}/optimize`,
  })

  it('saas-credentials.txt: four token requests, each at least 1 s after the previous one as the server saw them', async () => {
    saas.server.reset()
    const { code, stdout } = await runBin(['check', fixturePath('saas-credentials.txt'), '--env'], repoint())
    expect(stdout).toContain('Everything checked works.')
    expect(code).toBe(0)
    expect(stdout).toMatch(/provider\s+saas/)
    const log = saas.server.requestLog
    expect(log.map((r) => r.status)).toEqual([200, 200, 200, 200])
    for (let i = 1; i < log.length; i++) expect(log[i]!.at - log[i - 1]!.at).toBeGreaterThanOrEqual(1000)
    expect(saas.server.apiRequests()).toBe(4)
  })

  it.each([
    ['saas-zeebe-only.txt', 1],
    ['saas-8.8-rest.txt', 2],
    ['credentials.json', 2],
  ])('%s exits 0 with %i token request(s), only for the APIs the bundle has', async (name, requests) => {
    saas.server.reset()
    const { ZEEBE_REST_ADDRESS, ZEEBE_AUTHORIZATION_SERVER_URL, CAMUNDA_OAUTH_URL, CAMUNDA_OAUTH_PROVIDER, CAMUNDA_OPERATE_BASE_URL } =
      repoint()
    const text = await readFile(fixturePath(name), 'utf8')
    const env = {
      ZEEBE_REST_ADDRESS,
      ZEEBE_AUTHORIZATION_SERVER_URL,
      CAMUNDA_OAUTH_URL,
      CAMUNDA_OAUTH_PROVIDER,
      ...(text.includes('OPERATE_BASE_URL') && { CAMUNDA_OPERATE_BASE_URL }),
    }
    const { code, stdout } = await runBin(['check', fixturePath(name), '--env'], env)
    expect(stdout).toContain('Everything checked works.')
    expect(code).toBe(0)
    expect(saas.server.requests()).toBe(requests)
    const log = saas.server.requestLog
    for (let i = 1; i < log.length; i++) expect(log[i]!.at - log[i - 1]!.at).toBeGreaterThanOrEqual(1000)
  })
})

describe('check: usage', () => {
  it('--help prints the usage and exits 0', async () => {
    const { code, stdout } = await runBin(['check', '--help'])
    expect(code).toBe(0)
    expect(stdout).toContain('Usage: camunda-edge-auth check [FILE] [--json] [--no-network] [--env]')
    expect(stdout).toContain('Exit codes: 0')
  })

  it.each([
    [['check', '--nope'], 'unknown option "--nope"'],
    [['verify'], 'unknown command "verify"'],
    [[], 'no command given'],
    [['check', 'a.env', 'b.env'], 'one FILE only'],
    [['check', '--env'], '--env needs a FILE'],
    [['check', '/nonexistent/credentials.txt'], 'cannot read /nonexistent/credentials.txt'],
  ])('%j exits 2 saying %s', async (args, message) => {
    const { code, stderr } = await runBin(args)
    expect(code).toBe(2)
    expect(stderr).toContain(message)
  })
})
