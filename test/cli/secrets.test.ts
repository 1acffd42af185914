/**
 * The attack: a token endpoint and API that echo everything they were sent — the form body, the
 * Authorization header, base64 of both — into their error bodies, into the claims of the token
 * they issue and into the topology. Whatever the bundle's strategy, no run of 12 characters of any
 * form of the client secret, the Basic password, the static token or the private key appears in
 * the bin's stdout or stderr, as text or as --json.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientKey } from '../helpers/keys.ts'
import { unsignedJwt } from '../helpers/jwt.ts'
import { leakedRunAt, secretRuns } from '../helpers/secret-forms.ts'
import { bundleFile, runBin } from './run-bin.ts'

// Shaped to pass the check's own filters (a version-like topology string of [\w.-]), so only
// the redaction can keep them out.
const SECRET = 'Sup3r-Secret.Value_0123456789abcdefXYZ'
const PASSWORD = 'Basic-Pass.word_0123456789abcdefXYZ'
const STATIC_TOKEN = unsignedJwt({ aud: 'zeebe.camunda.io', exp: 4_102_444_800, iat: 1_700_000_000, sub: 'static-subject' })
const KEY = await clientKey('ES256')
const PEM_BODY = KEY.pem.replace(/-----(?:BEGIN|END) PRIVATE KEY-----/g, '').trim()
// Each bundle is searched for its own secret (every JWT starts `eyJhbGciOiJ`, so the static token's
// base64 shares 15 characters with any other token's: only the bearer bundle holds it).
const RUNS = {
  secret: secretRuns([{ value: SECRET, id: 'echo-client' }]),
  password: secretRuns([{ value: PASSWORD, id: 'echo-user' }]),
  token: secretRuns([{ value: STATIC_TOKEN }]),
  key: secretRuns([{ value: PEM_BODY }, { value: PEM_BODY.replace(/\s+/g, '') }, { value: KEY.privateJwk.d! }, { value: KEY.pem }]),
}

let server: Server
let origin = ''
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const said = `${body} ${req.headers.authorization ?? ''} ${Buffer.from(body).toString('base64')}`
      const decoded = decodeURIComponent(body.replace(/\+/g, ' '))
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(value))
      }
      const url = req.url ?? '/'
      if (url === '/echo-error/token') return json(400, { error: 'invalid_target', error_description: `${said} ${decoded}` })
      if (url === '/echo-claims/token') {
        const sub = new URLSearchParams(body).get('client_secret') ?? 'no-secret'
        const claims = { aud: decoded, scope: said, sub, exp: Math.floor(Date.now() / 1000) + 3600, iat: Math.floor(Date.now() / 1000) }
        return json(200, { access_token: unsignedJwt(claims), token_type: 'Bearer', expires_in: 3600 })
      }
      if (url.endsWith('/v2/topology')) {
        // The secret itself, as a version string: the password of a Basic header, the `sub` of our token.
        const [scheme, credential = ''] = (req.headers.authorization ?? '').split(' ')
        const version =
          scheme === 'Basic'
            ? Buffer.from(credential, 'base64').toString('utf8').split(':')[1]
            : (JSON.parse(Buffer.from(credential.split('.')[1] ?? '', 'base64url').toString('utf8') || '{}') as { sub?: string }).sub
        return json(200, { gatewayVersion: version, brokers: [{ host: said }] })
      }
      return json(401, { error: 'invalid_token', error_description: said, detail: decoded })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const apis = () => ({
  ZEEBE_REST_ADDRESS: `${origin}/zeebe`,
  CAMUNDA_OPERATE_BASE_URL: `${origin}/operate`,
  CAMUNDA_TASKLIST_BASE_URL: `${origin}/tasklist`,
  CAMUNDA_OPTIMIZE_BASE_URL: `${origin}/optimize`,
})

const BUNDLES: Record<string, [keyof typeof RUNS, () => Record<string, string>]> = {
  'a client secret, echoed into the token error': [
    'secret',
    () => ({
      ZEEBE_CLIENT_ID: 'echo-client',
      ZEEBE_CLIENT_SECRET: SECRET,
      ZEEBE_AUTHORIZATION_SERVER_URL: `${origin}/echo-error/token`,
      ZEEBE_TOKEN_AUDIENCE: 'zeebe',
      ...apis(),
    }),
  ],
  'a client secret, echoed into the claims, the topology and the API errors': [
    'secret',
    () => ({
      ZEEBE_CLIENT_ID: 'echo-client',
      ZEEBE_CLIENT_SECRET: SECRET,
      ZEEBE_AUTHORIZATION_SERVER_URL: `${origin}/echo-claims/token`,
      ZEEBE_TOKEN_AUDIENCE: 'zeebe',
      CAMUNDA_OPERATE_OAUTH_AUDIENCE: 'operate',
      ...apis(),
    }),
  ],
  'a Basic password, echoed into the topology and the API errors': [
    'password',
    () => ({
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_BASIC_AUTH_USERNAME: 'echo-user',
      CAMUNDA_BASIC_AUTH_PASSWORD: PASSWORD,
      ...apis(),
    }),
  ],
  'a static token, echoed into the API errors': [
    'token',
    () => ({ CAMUNDA_AUTH_STRATEGY: 'BEARER', CAMUNDA_OAUTH_TOKEN: STATIC_TOKEN, ...apis() }),
  ],
  'a private key, its assertion echoed into the claims and errors': [
    'key',
    () => ({
      ZEEBE_CLIENT_ID: 'echo-client',
      CAMUNDA_CLIENT_ASSERTION_KEY: KEY.pem.trim().replace(/\n/g, '\\n'),
      ZEEBE_AUTHORIZATION_SERVER_URL: `${origin}/echo-claims/token`,
      ZEEBE_TOKEN_AUDIENCE: 'zeebe',
      ...apis(),
    }),
  ],
}

describe('check never prints a secret, whatever a server echoes', () => {
  it.each(Object.keys(BUNDLES))('%s: not in stdout or stderr, as text or --json, with or without the network', async (name) => {
    const [secret, values] = BUNDLES[name]!
    const file = await bundleFile(values())
    try {
      for (const flags of [[], ['--json'], ['--no-network'], ['--json', '--no-network']]) {
        const { code, stdout, stderr } = await runBin(['check', file.path, ...flags])
        // The echoing servers make every network run fail; what matters is what was printed.
        if (!flags.includes('--no-network')) expect(code).toBe(1)
        else expect(code).toBe(0)
        for (const [stream, text] of [
          ['stdout', stdout],
          ['stderr', stderr],
        ] as const) {
          const at = leakedRunAt(text, RUNS[secret])
          expect(at, `${stream} of ${flags.join(' ') || 'text'}: …${text.slice(Math.max(0, at - 40), at + 40)}…`).toBe(-1)
        }
      }
    } finally {
      await file.remove()
    }
  })

  it('a token URL whose query carries the secret is shown without its query; a query in a REST address is refused', async () => {
    const file = await bundleFile({
      ZEEBE_CLIENT_ID: 'echo-client',
      ZEEBE_CLIENT_SECRET: SECRET,
      ZEEBE_AUTHORIZATION_SERVER_URL: `${origin}/echo-error/token?client_secret=${SECRET}#${SECRET}`,
      ZEEBE_TOKEN_AUDIENCE: 'zeebe',
      ...apis(),
    })
    const rest = await bundleFile({
      ZEEBE_CLIENT_ID: 'echo-client',
      ZEEBE_CLIENT_SECRET: SECRET,
      ZEEBE_AUTHORIZATION_SERVER_URL: `${origin}/echo-error/token`,
      ZEEBE_REST_ADDRESS: `${origin}/zeebe?key=${SECRET}`,
    })
    try {
      for (const flags of [['--no-network'], ['--json', '--no-network']]) {
        const { code, stdout, stderr } = await runBin(['check', file.path, ...flags])
        expect(code).toBe(0)
        expect(leakedRunAt(stdout + stderr, RUNS.secret), stdout).toBe(-1)
        expect(stdout).toContain(`${origin}/echo-error/token`)
      }
      const refused = await runBin(['check', rest.path, '--no-network'])
      expect(refused.code).toBe(2)
      expect(refused.stdout + refused.stderr).toMatch(/ZEEBE_REST_ADDRESS: must not contain a query/)
      expect(leakedRunAt(refused.stdout + refused.stderr, RUNS.secret)).toBe(-1)
    } finally {
      await file.remove()
      await rest.remove()
    }
  })

  it('the claims that held a secret are withheld, and the others are shown', async () => {
    const file = await bundleFile(BUNDLES['a client secret, echoed into the claims, the topology and the API errors']![1]())
    try {
      const { stdout } = await runBin(['check', file.path, '--json'])
      const report = JSON.parse(stdout)
      expect(report.tokens[0].claims.aud).toBe('[redacted]')
      expect(report.tokens[0].claims.lifetimeSeconds).toBe(3600)
      expect(report.calls[0]).toMatchObject({ api: 'zeebe', ok: true, status: 200, detail: '200, gateway [redacted], 1 broker' })
    } finally {
      await file.remove()
    }
  })
})
