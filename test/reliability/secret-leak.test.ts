/**
 * Section 4, the secret-leak scan: the core, every fault of the matrix and the store faults run
 * with a known sentinel secret, and every token the server issues is collected. No run of 12 or
 * more characters of any form the secret takes on the wire (literal, URI- and form-encoded,
 * JSON-escaped, base64 of `id:secret` for HTTP Basic, base64 at each alignment), and no whole
 * token, may appear in any thrown error (message, stack, cause chain, JSON, inspect), any event,
 * anything written to the console, the serialised credentials or auth objects, or any stored
 * record of an encrypted store (a Redis dump and its pub/sub messages, the file store's files among them).
 */
import { inspect } from 'node:util'
import { afterAll, beforeAll, describe, expect, vi } from 'vitest'
import {
  createAuth,
  encryptedStore,
  parseCredentials,
  type Auth,
  type AuthEvent,
  type AuthOptions,
  type Credentials,
  type TokenStore,
} from '../../src/index.ts'
import { createDevAuthServer, devCredentials } from '../../src/dev-server.ts'
import { indexedDBStore } from '../../src/browser.ts'
import { durableObjectCoordinator, kvLeaseCoordinator, kvStore } from '../../src/workers.ts'
import { IDBObjectStore as FakeIDBObjectStore, indexedDB as fakeIndexedDB } from 'fake-indexeddb'
import { freshDbName, rawEntries } from '../browser/raw-idb.ts'
import { listenDevAuthServer, type ListeningDevAuthServer } from '../../src/dev-server-node.ts'
import { brokenDurableObject, faultyNamespace, useMiniflareKv } from './adapters/workers-bindings.ts'
import { faultCases } from './fault-cases.ts'
import { harness } from '../helpers/harness.ts'
import { clientKey } from '../helpers/keys.ts'
import { formBodyValue, leakedRunAt, secretRuns, wireForms, type WireSecret } from '../helpers/secret-forms.ts'
import { section } from './summary.ts'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createClient } from 'redis'
import { fileLockCoordinator, fileStore } from '../../src/node.ts'
import { redisCoordinator, redisStore } from '../../src/redis.ts'
import { redisStatus, startRedis, type TestRedis } from '../../bench/fleet/redis-server.ts'

const { check } = section('secret-leak scan')

const CLIENT_ID = 'leak-scan-client'
// Every character class whose encodings differ: `~` (form: %7E), space (+ or %20), `+`, `/`, `"`
// and `\` (JSON), non-ASCII (UTF-8 bytes, percent-encoded).
const SECRET = 'SENTINEL-secret_0f9e8d7c6b5a~Never Shown+a/b"c\\d-é€😀-Ünïcode~end'
/** A token the server hands out verbatim in some cases: opaque, so nothing can mistake it for a JWT. */
const SENTINEL_TOKEN = 'SENTINELTOKEN-a1b2c3d4e5f6a7b8c9d0'

/** The Basic password: the same character classes, sent as base64 of user:password. */
const PASSWORD = 'SENTINEL-pass_word~Never Shown+a/b"c\\d-é€😀-Ünïcode~end'
const USERNAME = 'leak-scan-user'
/**
 * A static bearer token with no digit and no JWT shape: only the credentials' own redactor can
 * know it is a token, so the scan proves that redactor, not the generic token rule.
 */
const STATIC_TOKEN = 'STATIC-bearer.token~Never_Shown+plain/words-only'
/** The private key of private_key_jwt, as a PKCS#8 PEM and as a JWK. */
const KEY = await clientKey('ES256')
const KEY_CLIENT = 'leak-scan-key-client'
const PEM_BODY = KEY.pem.replace(/-----(?:BEGIN|END) PRIVATE KEY-----/g, '').trim()

const clock = { now: Date.now() }
let dev: ListeningDevAuthServer
const issued = new Set<string>([SENTINEL_TOKEN])
const errors: unknown[] = []
const events: AuthEvent[] = []
const consoleText: string[] = []
const auths: Auth[] = []
const rawRecords: unknown[] = []

beforeAll(async () => {
  dev = await listenDevAuthServer(
    createDevAuthServer({
      rateLimit: false,
      tokenLifetimeSeconds: 300,
      now: () => clock.now,
      clients: [
        { clientId: CLIENT_ID, clientSecret: SECRET },
        { clientId: KEY_CLIENT, jwks: { keys: [KEY.publicJwk] } },
      ],
    }),
  )
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    vi.spyOn(console, method).mockImplementation(
      (...args: unknown[]) => void consoleText.push(args.map((a) => inspect(a, { depth: 10 })).join(' ')),
    )
  }
})

afterAll(async () => {
  vi.restoreAllMocks()
  await dev.close()
})

const credentials = () => parseCredentials(devCredentials(dev.url, { clientId: CLIENT_ID, clientSecret: SECRET }))

/** A fetch that records every token the server issues, so the scan knows what to look for. */
const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init)
  if (String(input instanceof Request ? input.url : input).endsWith('/oauth/token')) {
    const text = await response
      .clone()
      .text()
      .catch(() => '')
    const match = /"access_token"\s*:\s*"([^"]+)"/.exec(text)
    if (match?.[1]) issued.add(match[1])
  }
  return response
}

/** A raw store under an encrypted one: what a copied database would hold. */
function rawStore(): TokenStore {
  const map = new Map<string, unknown>()
  return {
    get: async (key) => map.get(key),
    set: async (key, record) => {
      rawRecords.push(structuredClone(record))
      map.set(key, record)
    },
    delete: async (key) => void map.delete(key),
  }
}

async function newAuth(options: Partial<AuthOptions> = {}): Promise<Auth> {
  dev.server.reset()
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
  const auth = createAuth({
    credentials: credentials(),
    store: encryptedStore(rawStore(), key),
    fetch: recordingFetch,
    timeoutMs: 500,
    now: () => clock.now,
    onEvent: (event) => events.push(event),
    ...options,
  })
  auths.push(auth)
  return auth
}

/** Runs `work`, keeping whatever it throws for the scan. */
async function capture(work: () => Promise<unknown>): Promise<void> {
  try {
    await work()
  } catch (error) {
    errors.push(error)
  }
}

/** Every way an error can be turned into text: message, stack, each cause, JSON, inspect. */
function errorTexts(error: unknown): string[] {
  const texts: string[] = []
  let current: unknown = error
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    if (current instanceof Error) texts.push(current.message, current.stack ?? '')
    texts.push(JSON.stringify(current) ?? '', inspect(current, { depth: 10, showHidden: true }), String(current))
    current = current instanceof Error ? current.cause : undefined
  }
  return texts
}

/**
 * The secrets of the run: the client secret, the Basic password, the static token, and the private
 * key's material (the PEM's base64 body, on its lines and on one, and the JWK's private `d`).
 */
const SECRETS: readonly WireSecret[] = [
  { value: SECRET, id: CLIENT_ID },
  { value: PASSWORD, id: USERNAME },
  { value: STATIC_TOKEN },
  { value: PEM_BODY },
  { value: PEM_BODY.replace(/\s+/g, '') },
  { value: KEY.privateJwk.d! },
]
const SECRET_RUNS = secretRuns(SECRETS)

/** Whether `text` holds a run of 12 characters of any form of a secret, or a whole issued token. */
function leakIn(text: string): 'a secret' | 'a token' | undefined {
  if (leakedRunAt(text, SECRET_RUNS) >= 0) return 'a secret'
  for (const token of issued) if (text.includes(token)) return 'a token'
  return undefined
}

function expectNoSentinel(where: string, texts: readonly string[]): void {
  for (const text of texts) {
    const leak = leakIn(text)
    // The message names what leaked, never the text: that would print the secret.
    if (leak) throw new Error(`${where} contains ${leak}`)
  }
}

/** A token endpoint that refuses every request with `describe(body, authorization)` as its error_description. */
function echoingFetch(describe: (body: string, authorization: string) => string): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init)
    const body = await request.text()
    const authorization = request.headers.get('authorization') ?? ''
    return Response.json({ error: 'invalid_client', error_description: describe(body, authorization) }, { status: 401 })
  }
}

describe('secret-leak scan: the runs', () => {
  check('the core: tokens for every API, cache hits, invalidation, auth.fetch with a 401 retry', async () => {
    const auth = await newAuth()
    await Promise.all(['zeebe', 'operate', 'tasklist', 'optimize'].map((api) => auth.getToken(api as 'zeebe')))
    await auth.getToken()
    await auth.invalidate()
    await auth.getToken()
    const response = await auth.fetch('zeebe', '/v2/topology')
    expect(response.status).toBe(200)
    clock.now += 250_000 // refresh ahead
    await auth.getToken()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(issued.size).toBeGreaterThan(5)
  })

  check(
    'every fault of the matrix, cold and during a refresh ahead',
    async () => {
      for (const testCase of faultCases(clock, () => 'http://127.0.0.1:9/collect')) {
        const auth = await newAuth()
        dev.server.inject(testCase.fault())
        await capture(() => auth.getToken())
        await capture(() => auth.getToken()) // inside the cooldown
        clock.now += 61_000
        await capture(() => auth.getToken())
        clock.now += 250_000
        dev.server.inject(testCase.fault())
        await capture(() => auth.getToken())
        await new Promise((resolve) => setTimeout(resolve, testCase.name.includes('timeout') ? 600 : 5))
      }
      expect(errors.length).toBeGreaterThan(20)
    },
    60_000,
  )

  check('a server that echoes the secret and a token in its error answers', async () => {
    const auth = await newAuth()
    dev.server.inject({
      status: 401,
      body: { error: 'invalid_client', error_description: `client secret ${SECRET} is wrong; last token ${SENTINEL_TOKEN}` },
    })
    await capture(() => auth.getToken())
    const second = await newAuth()
    dev.server.inject({ status: 500, body: `<html>debug: client_secret=${SECRET}&token=${SENTINEL_TOKEN}</html>` })
    await capture(() => second.getToken())
    const third = await newAuth()
    dev.server.inject({ status: 400, body: { error: `invalid_request ${SECRET}`, error_description: [...issued][1] ?? 'x' } })
    await capture(() => third.getToken())
    expect(errors.length).toBeGreaterThan(2)
  })

  check('a 401 echoing the whole form body, client_secret form-encoded, leaves no 12-character run of the secret', async () => {
    const before = errors.length
    const auth = await newAuth({ fetch: echoingFetch((body) => `client authentication failed for ${body}`) })
    await capture(() => auth.getToken())
    // The echo really carried the form-encoded secret, which the literal secret is not.
    expect(formBodyValue(SECRET)).not.toContain(SECRET)
    expect(errors.length).toBe(before + 1)
    expect((errors.at(-1) as Error).message).toContain('[redacted]')
    expect((errors.at(-1) as Error).message).toContain('client_id=leak-scan-client')
  })

  check('a 401 echoing part of the form body (cut at either end) leaves no 12-character run of the secret', async () => {
    for (const [from, to] of [
      [0, 60],
      [60, 90],
      [75, undefined],
    ] as const) {
      const auth = await newAuth({
        fetch: echoingFetch(
          (body) => `partial echo: ${body.slice(body.indexOf('client_secret=') + from, to && body.indexOf('client_secret=') + to)}`,
        ),
      })
      await capture(() => auth.getToken())
    }
    expect(errors.length).toBeGreaterThan(3)
  })

  check(
    'a 401 echoing the HTTP Basic header (base64 of id:secret, both form-encoded) and its decoded form leaves no 12-character run',
    async () => {
      const auth = await newAuth({
        clientAuth: 'client_secret_basic',
        fetch: echoingFetch((body, authorization) => `bad ${authorization} (${atob(authorization.slice(6))}) for ${body}`),
      })
      await capture(() => auth.getToken())
      const partial = await newAuth({
        clientAuth: 'client_secret_basic',
        fetch: echoingFetch((_body, authorization) => `header prefix ${authorization.slice(0, 40)} suffix ${authorization.slice(-30)}`),
      })
      await capture(() => partial.getToken())
      expect((errors.at(-1) as Error).message).toContain('[redacted]')
    },
  )

  check('a 401 whose error_description is JSON that quotes the secret (escaped) leaves no 12-character run', async () => {
    const auth = await newAuth()
    dev.server.inject({
      status: 401,
      body: {
        error: 'invalid_client',
        error_description: `request was ${JSON.stringify({ client_id: CLIENT_ID, client_secret: SECRET })}`,
      },
    })
    await capture(() => auth.getToken())
    const nested = await newAuth()
    dev.server.inject({
      status: 400,
      body: { error: 'invalid_request', error_description: JSON.stringify(JSON.stringify({ client_secret: SECRET })) },
    })
    await capture(() => nested.getToken())
    expect((errors.at(-2) as Error).message).toContain('[redacted]')
  })

  check('a 200 whose token is the sentinel token, then a 401 from the API', async () => {
    const auth = await newAuth({
      fetch: async (input, init) => {
        const request = new Request(input, init)
        if (request.url.includes('/zeebe/')) return new Response(null, { status: 401 })
        return recordingFetch(request)
      },
    })
    dev.server.inject({ status: 200, body: { access_token: SENTINEL_TOKEN, token_type: 'Bearer', expires_in: 300 } })
    expect(await auth.getToken()).toBe(SENTINEL_TOKEN)
    await capture(async () => (await auth.fetch('zeebe', '/v2/topology')).status)
  })

  check('a fetch that fails with the secret and a token in its message', async () => {
    const auth = await newAuth({
      fetch: () => Promise.reject(new TypeError(`connect failed for body client_secret=${SECRET} ${SENTINEL_TOKEN}`)),
    })
    await capture(() => auth.getToken())
    expect(errors.at(-1)).toBeInstanceOf(Error)
  })

  check('stores and coordinators that fail with a token in their message', async () => {
    const leakyStore: TokenStore = {
      get: () => Promise.reject(new Error(`cannot read ${SENTINEL_TOKEN}`)),
      set: (_key, record) => Promise.reject(new Error(`cannot write ${JSON.stringify(record)}`)),
      delete: () => Promise.reject(new Error('cannot delete')),
    }
    const auth = await newAuth({
      store: leakyStore,
      coordinator: {
        withLock: () => Promise.reject(new Error(`lock broken near ${SENTINEL_TOKEN}`)),
        publish: (_k, r) => {
          throw new Error(JSON.stringify(r))
        },
      },
    })
    await capture(() => auth.getToken())
    expect(events.some((e) => e.type === 'store_error')).toBe(true)
  })

  check('a credential bundle with the secret in the wrong places', async () => {
    const bad = [
      { ...devCredentials('http://login.example.com', { clientId: CLIENT_ID, clientSecret: SECRET }) },
      { ZEEBE_CLIENT_SECRET: SECRET, CAMUNDA_CLIENT_SECRET: `${SECRET}-rotated` },
      `export ZEEBE_CLIENT_SECRET='${SECRET}\nexport ZEEBE_CLIENT_ID=x`,
      `export ZEEBE_CLIENT_SECRET=${SECRET}\u0000`,
      `{"ZEEBE_CLIENT_SECRET": "${SECRET}", "ZEEBE_CLIENT_ID": 5`,
      {
        ZEEBE_CLIENT_SECRET: SECRET,
        ZEEBE_CLIENT_ID: 'x',
        ZEEBE_AUTHORIZATION_SERVER_URL: `https://user:${SECRET}@login.example.com/token`,
      },
    ]
    for (const source of bad) {
      try {
        parseCredentials(source)
        throw new Error('expected a CredentialsError')
      } catch (error) {
        errors.push(error)
      }
    }
  })
})

/** Every credential set the runs used, for the serialisation check. */
const allCredentials: Credentials[] = []
const basicCredentials = (password = PASSWORD) => {
  const c = parseCredentials(devCredentials('http://127.0.0.1:9', undefined, { strategy: 'BASIC', user: { username: USERNAME, password } }))
  allCredentials.push(c)
  return c
}
const bearerCredentials = () => {
  const c = parseCredentials({ CAMUNDA_AUTH_STRATEGY: 'BEARER', CAMUNDA_OAUTH_TOKEN: STATIC_TOKEN, ZEEBE_REST_ADDRESS: `${dev.url}/zeebe` })
  allCredentials.push(c)
  return c
}
const keyCredentials = (key: string) => {
  const c = parseCredentials({ ...devCredentials(dev.url, { clientId: KEY_CLIENT }), CAMUNDA_CLIENT_ASSERTION_KEY: key })
  allCredentials.push(c)
  return c
}

describe('secret-leak scan: every strategy', () => {
  check('BASIC: Basic on every call, a refused password, getToken refused, a foreign URL refused', async () => {
    const basicServer = createDevAuthServer({ apiAuth: 'basic', users: [{ username: USERNAME, password: PASSWORD }] })
    const auth = await newAuth({ credentials: basicCredentials(), fetch: basicServer.fetch })
    expect((await auth.fetch('zeebe', '/v2/topology')).status).toBe(200)
    expect((await auth.getHeaders()).authorization).toMatch(/^Basic /)
    await capture(() => auth.getToken())
    await capture(() => auth.getTokenRecord('operate'))
    await capture(() => auth.fetch('zeebe', 'https://elsewhere.example/x'))
    await capture(() => auth.fetch('admin' as 'zeebe', '/x'))
    const wrong = await newAuth({ credentials: basicCredentials(`${PASSWORD}-wrong`), fetch: basicServer.fetch })
    expect((await wrong.fetch('zeebe', '/v2/topology')).status).toBe(401)
    await capture(() => wrong.getToken())
  })

  check('BEARER: the static token through a 401, and a bearerToken() failure that quotes it', async () => {
    const auth = await newAuth({ credentials: bearerCredentials() })
    expect(await auth.getToken()).toBe(STATIC_TOKEN)
    expect((await auth.fetch('zeebe', '/v2/topology')).status).toBe(401)
    const failing = await newAuth({
      credentials: bearerCredentials(),
      bearerToken: () => Promise.reject(new Error(`session lost; last token was ${STATIC_TOKEN} (base64 ${btoa(STATIC_TOKEN)})`)),
    })
    await capture(() => failing.getToken())
    expect((errors.at(-1) as Error).message).toContain('[redacted]')
    const malformed = await newAuth({ credentials: bearerCredentials(), bearerToken: () => `${STATIC_TOKEN} with spaces` })
    await capture(() => malformed.getToken())
  })

  check(
    'private_key_jwt: tokens from PEM and JWK keys, a server echoing the form body and the key, a key that does not import',
    async () => {
      for (const key of [KEY.pem, JSON.stringify(KEY.privateJwk)]) {
        const auth = await newAuth({ credentials: keyCredentials(key) })
        await auth.getToken('operate')
        await auth.invalidate()
        await auth.getToken('operate')
      }
      const echoed = await newAuth({
        credentials: keyCredentials(KEY.pem),
        fetch: echoingFetch((body) => `bad assertion in ${body}; key ${PEM_BODY.replace(/\s+/g, '')} / ${KEY.privateJwk.d}`),
      })
      await capture(() => echoed.getToken())
      expect((errors.at(-1) as Error).message).toContain('[redacted]')
      // A key cut short: its header still names an EC key, Web Crypto refuses the rest, and the
      // error says so without quoting it.
      const lines = KEY.pem.trim().split('\n')
      const broken = keyCredentials([...lines.slice(0, -2), lines.at(-1)].join('\n'))
      await capture(() => createAuth({ credentials: broken, fetch: recordingFetch }).getToken())
      expect(errors.at(-1)).toMatchObject({ code: 'ERR_CREDENTIALS_INVALID' })
    },
  )
})

describe('secret-leak scan: the findings', () => {
  check('the scan itself finds a 12-character piece of any form of the secret, wherever it sits', () => {
    const forms = SECRETS.flatMap(wireForms).filter((form) => form.length >= 15)
    expect(forms.length).toBeGreaterThanOrEqual(20)
    for (const form of forms) expect(leakIn(`echo: ${form.slice(3, 15)}.`)).toBe('a secret')
    expect(leakIn('nothing to see')).toBeUndefined()
  })
  check('no thrown error contains a sentinel, in message, stack, cause chain, JSON or inspect', () => {
    expect(errors.length).toBeGreaterThan(30)
    for (const error of errors) expectNoSentinel(`error ${(error as Error).name}`, errorTexts(error))
  })
  check('no event contains a sentinel', () => {
    expect(events.length).toBeGreaterThan(50)
    expectNoSentinel(
      'events',
      events.map((event) => JSON.stringify(event)),
    )
  })
  check('nothing written to the console contains a sentinel', () => {
    expectNoSentinel('console', consoleText)
  })
  check('the credentials and auth objects never show a sentinel when serialised or inspected', () => {
    const c = credentials()
    expect(c.clientSecret).toBe(SECRET)
    const texts = [
      JSON.stringify(c),
      inspect(c, { showHidden: true, depth: 10 }),
      String(c),
      JSON.stringify({ ...c }),
      Object.values(c)
        .map((v) => (typeof v === 'object' && v !== null ? inspect(v) : String(v)))
        .join(),
    ]
    for (const auth of auths) texts.push(JSON.stringify(auth), inspect(auth, { showHidden: true, depth: 10 }))
    expect(allCredentials.map((other) => other.strategy)).toEqual(expect.arrayContaining(['BASIC', 'BEARER', 'OAUTH']))
    for (const other of allCredentials) {
      texts.push(JSON.stringify(other), inspect(other, { showHidden: true, depth: 10 }), JSON.stringify({ ...other }))
    }
    expectNoSentinel('serialised objects', texts)
  })
  check('no stored record holds the secret or a plaintext token', () => {
    expect(rawRecords.length).toBeGreaterThan(10)
    expectNoSentinel(
      'stored records',
      rawRecords.map((record) => JSON.stringify(record)),
    )
  })
})

/**
 * The scenario every store's scan runs, through the adapters `adapters()` makes: all four tokens,
 * an invalidation, a sentinel token, and an invalid_client cooldown whose description echoes the
 * secret and the token; then a second auth object reads what the first stored (the records are
 * really there and usable).
 */
async function storeScenario(adapters: () => Partial<AuthOptions>): Promise<void> {
  const auth = await newAuth(adapters())
  await Promise.all(['zeebe', 'operate', 'tasklist', 'optimize'].map((api) => auth.getToken(api as 'zeebe')))
  await auth.invalidate('zeebe')
  dev.server.inject({ status: 200, body: { access_token: SENTINEL_TOKEN, token_type: 'Bearer', expires_in: 300 } })
  expect(await auth.getToken('zeebe')).toBe(SENTINEL_TOKEN)
  await auth.invalidate('operate')
  dev.server.inject({
    status: 401,
    body: { error: 'invalid_client', error_description: `secret ${SECRET} refused; token ${SENTINEL_TOKEN}` },
  })
  await capture(() => auth.getToken('operate'))
  expect(await (await newAuth(adapters())).getToken('zeebe')).toBe(SENTINEL_TOKEN)
}

describe('secret-leak scan: the IndexedDB store', () => {
  const idbEvents: AuthEvent[] = []
  const onEvent = (event: AuthEvent) => void (events.push(event), idbEvents.push(event))
  beforeAll(() => void Object.defineProperty(globalThis, 'indexedDB', { value: fakeIndexedDB, configurable: true, writable: true }))
  afterAll(() => void delete (globalThis as { indexedDB?: unknown }).indexedDB)

  check(
    'no IndexedDB record holds the secret, a token or anything JWT-shaped, through refreshes, a sentinel token and a cooldown',
    async () => {
      const dbName = freshDbName('leak-scan')
      await storeScenario(() => ({ store: indexedDBStore({ dbName }), onEvent }))

      const entries = await rawEntries(dbName)
      expect(entries.length).toBeGreaterThanOrEqual(4) // three tokens and a cooldown, and the key
      const texts = entries.flatMap(([key, value]) => [String(key), JSON.stringify(value), inspect(value, { depth: 10, showHidden: true })])
      expectNoSentinel('IndexedDB records', texts)
      for (const text of texts) expect(text).not.toMatch(/eyJ[\w-]*\.[\w-]*\.[\w-]*/)
      // The cooldown was stored (a second reader honours it without a request), sealed like the tokens.
      const before = dev.server.requests()
      await capture(() => newAuth({ store: indexedDBStore({ dbName }), onEvent }).then((reader) => reader.getToken('operate')))
      expect(errors.at(-1)).toMatchObject({ code: 'ERR_INVALID_CLIENT' })
      expect(dev.server.requests()).toBe(before)
      expect(entries.some(([, value]) => JSON.stringify(value).includes('invalid_client'))).toBe(false)
      expectNoSentinel(
        'IndexedDB events',
        idbEvents.map((event) => JSON.stringify(event)),
      )
    },
  )

  check('a store_degraded message never quotes the failing value, even an unencrypted record with the token', async () => {
    const store = indexedDBStore({ dbName: freshDbName('leak-degrade'), encrypt: false })
    const auth = await newAuth({ store, onEvent })
    await auth.getToken()
    vi.spyOn(FakeIDBObjectStore.prototype, 'put').mockImplementation((value: unknown) => {
      throw new DOMException(`could not store ${JSON.stringify(value)} for ${SECRET}`, 'QuotaExceededError')
    })
    try {
      await auth.invalidate()
      dev.server.inject({ status: 200, body: { access_token: SENTINEL_TOKEN, token_type: 'Bearer', expires_in: 300 } })
      expect(await auth.getToken()).toBe(SENTINEL_TOKEN)
    } finally {
      vi.mocked(FakeIDBObjectStore.prototype.put).mockRestore()
    }
    await new Promise((resolve) => setTimeout(resolve, 5))
    const degraded = idbEvents.filter((event) => event.type === 'store_degraded')
    expect(degraded).toHaveLength(1)
    expectNoSentinel(
      'store_degraded',
      idbEvents.map((event) => JSON.stringify(event)),
    )
  })
})

describe('secret-leak scan: Workers KV and the Workers coordinators (Miniflare)', () => {
  const workersEvents: AuthEvent[] = []
  const onEvent = (event: AuthEvent) => void (events.push(event), workersEvents.push(event))
  /** Held writes and lease releases (via waitUntil): awaited before reading KV, and before Miniflare goes. */
  const kv = useMiniflareKv()
  const { pending, waitUntil } = kv
  const JWT_SHAPED = /eyJ[\w-]*\.[\w-]*\.[\w-]*/

  check(
    'no KV key or value holds the secret, a token or anything JWT-shaped, through refreshes, a sentinel token, a 429 and an invalid_client cooldown',
    async () => {
      const c = credentials()
      const adapters = () => ({
        store: kvStore(kv.real.namespace, { credentials: c, waitUntil }),
        coordinator: kvLeaseCoordinator(kv.real.namespace, { leaseMs: 1_000, settleMs: 5, pollMs: 10, waitUntil }),
        onEvent,
      })
      const auth = await newAuth(adapters())
      await Promise.all(['zeebe', 'operate', 'tasklist', 'optimize'].map((api) => auth.getToken(api as 'zeebe')))
      await auth.invalidate('zeebe')
      dev.server.inject({ status: 200, body: { access_token: SENTINEL_TOKEN, token_type: 'Bearer', expires_in: 300 } })
      expect(await auth.getToken('zeebe')).toBe(SENTINEL_TOKEN)
      await auth.invalidate('tasklist')
      dev.server.inject({ status: 429, headers: { 'retry-after': '30' } })
      await capture(() => auth.getToken('tasklist'))
      await auth.invalidate('optimize')
      dev.server.inject({
        status: 401,
        body: { error: 'invalid_client', error_description: `secret ${SECRET} refused; token ${SENTINEL_TOKEN}` },
      })
      await capture(() => auth.getToken('optimize'))
      expect(dev.server.requests()).toBe(7)
      await Promise.allSettled(pending) // the held writes reach KV

      // Another isolate's auth object reads what the first stored: the sentinel token, and the cooldown.
      const second = await newAuth(adapters())
      expect(await second.getToken('zeebe')).toBe(SENTINEL_TOKEN)
      await capture(() => second.getToken('tasklist'))
      expect(errors.at(-1)).toMatchObject({ code: 'ERR_RATE_LIMITED' })
      expect(dev.server.requests()).toBe(0)

      const entries = await kv.real.entries()
      expect(entries.filter(([key]) => !key.startsWith('lease:'))).toHaveLength(4) // a record per audience
      expect(entries.some(([key]) => key.startsWith('lease:'))).toBe(true)
      const texts = entries.flatMap(([key, value]) => [key, value ?? ''])
      expectNoSentinel('Workers KV keys and values', texts)
      for (const text of texts) expect(text).not.toMatch(JWT_SHAPED)
      const values = entries.map(([, value]) => value ?? '')
      // Every record is sealed whole: the cooldowns the second reader honoured are not readable at rest.
      expect(values.filter((value) => value.includes('"sealed"')).length).toBeGreaterThanOrEqual(4)
      const records = entries.filter(([key]) => !key.startsWith('lease:')).map(([, value]) => value ?? '')
      expect(records.some((value) => /rate_limited|invalid_client|expiresAt|until/.test(value))).toBe(false)
      expectNoSentinel(
        'Workers adapter events',
        workersEvents.map((event) => JSON.stringify(event)),
      )
    },
  )

  check('KV and Durable Object failures whose messages quote the token and the secret leave both out of every event', async () => {
    const latest = () => [...issued].at(-1) ?? SENTINEL_TOKEN
    const quoting = () =>
      `token ${latest()} / ${SENTINEL_TOKEN}, client_secret=${SECRET}, basic ${btoa(`${CLIENT_ID}:${encodeURIComponent(SECRET)}`)}`
    const { namespace, calls } = faultyNamespace(kv.real.namespace, (op, key, value) => {
      const error = new Error(`KV ${op.toUpperCase()} failed: 429 Too Many Requests (${quoting()}) for ${key}=${value ?? ''}`)
      return op === 'get' && !key.startsWith('lease:') ? undefined : Promise.reject(error)
    })
    const failingEverything = faultyNamespace(kv.real.namespace, (op) =>
      Promise.reject(new Error(`KV ${op.toUpperCase()} failed: ${quoting()}`)),
    ).namespace
    const { binding, paths } = brokenDurableObject(() => Promise.reject(new Error(`Durable Object failed: ${quoting()}`)))
    await kv.real.clear() // what the scan above stored would serve the token without a request
    const before = workersEvents.length

    const leased = await newAuth({
      store: kvStore(namespace, { credentials: credentials(), minWriteIntervalMs: 50, waitUntil }),
      coordinator: kvLeaseCoordinator(namespace, { leaseMs: 200, settleMs: 5, pollMs: 10, waitUntil }),
      onEvent,
    })
    await leased.getToken()
    await leased.invalidate('zeebe')
    await leased.getToken() // its write is held, then refused: reported later
    const objectBacked = await newAuth({
      store: kvStore(failingEverything, { credentials: credentials(), waitUntil }),
      coordinator: durableObjectCoordinator(binding, { waitUntil }),
      onEvent,
    })
    await objectBacked.getToken()
    await objectBacked.invalidate('zeebe')
    dev.server.inject({ status: 200, body: { access_token: SENTINEL_TOKEN, token_type: 'Bearer', expires_in: 300 } })
    expect(await objectBacked.getToken()).toBe(SENTINEL_TOKEN)
    await Promise.allSettled(pending)
    await new Promise((resolve) => setTimeout(resolve, 60))

    const seen = workersEvents.slice(before)
    const messages = seen.flatMap((event) => ('message' in event ? [event.message] : []))
    expect(calls.put).toBeGreaterThanOrEqual(2)
    expect(paths).toContain('/lock')
    expect(seen.filter((e) => e.type === 'store_error').length).toBeGreaterThanOrEqual(4)
    expect(seen.filter((e) => e.type === 'coordinator_error').length).toBeGreaterThanOrEqual(3)
    expect(messages.some((message) => message.startsWith('deferred KV set failed'))).toBe(true)
    // The failures are reported with their evidence, and only the secrets taken out.
    expect(messages.filter((message) => message.includes('[redacted]')).length).toBeGreaterThanOrEqual(6)
    expectNoSentinel(
      'Workers adapter events under faults',
      seen.map((event) => JSON.stringify(event)),
    )
    for (const message of messages) expect(message).not.toMatch(JWT_SHAPED)
  })
})

describe('secret-leak scan: a secret no pattern recognises', () => {
  check('a store error quoting a plain-words secret reaches events with the secret cut out', async () => {
    const secret = 'correct-horse-battery-staple'
    const h = harness(
      { clients: [{ clientId: 'words', clientSecret: secret }] },
      {},
      { ZEEBE_CLIENT_ID: 'words', ZEEBE_CLIENT_SECRET: secret },
    )
    const auth = h.make({
      store: { get: () => Promise.reject(new Error(`cannot open ${secret}.db`)), set: async () => {}, delete: async () => {} },
      coordinator: { withLock: () => Promise.reject(new Error(`lock ${secret}`)) },
    })
    await expect(auth.getToken()).resolves.toMatch(/^eyJ/)
    const messages = h.events.flatMap((event) => ('message' in event ? [event.message] : []))
    expect(messages).toContain('Error: cannot open [redacted].db')
    expect(messages).toContain('Error: lock [redacted]')
    expect(JSON.stringify(h.events)).not.toContain(secret)
  })
})

describe.skipIf(redisStatus.skip)('secret-leak scan: Redis (a KEYS/GET dump, the pub/sub channel) and the file store', () => {
  let redis: TestRedis
  const closers: (() => unknown)[] = []
  beforeAll(async () => void (redis = await startRedis()))
  afterAll(async () => {
    for (const close of closers) await Promise.resolve(close()).catch(() => {})
    await redis?.stop()
  })
  const JWT_SHAPED = /eyJ[\w-]*\.[\w-]*\.[\w-]*/

  check('no Redis key, value or pub/sub message holds the secret, a token or anything JWT-shaped', async () => {
    const connect = async () => {
      const client = createClient({ url: redis.url })
      client.on('error', () => {})
      await client.connect()
      closers.push(() => client.destroy())
      return client
    }
    const client = await connect()
    const subscriber = await connect()
    const listener = await connect()
    const messages: string[] = []
    await listener.pSubscribe('camunda-edge-auth:*', (message, channel) => void messages.push(channel, message))
    const c = credentials()
    await storeScenario(() => ({
      store: redisStore(client, { credentials: c }),
      coordinator: redisCoordinator(client, { subscriber, credentials: c }),
    }))
    await new Promise((resolve) => setTimeout(resolve, 50))
    const dump = await redis.dump()
    expect(Object.keys(dump).length).toBeGreaterThanOrEqual(4) // four tokens and a cooldown, under three keys
    expect(messages.length).toBeGreaterThanOrEqual(8) // the records, published sealed
    const texts = [...Object.entries(dump).flat().map(String), ...messages]
    expectNoSentinel('the Redis dump and its pub/sub messages', texts)
    for (const text of texts) expect(text).not.toMatch(JWT_SHAPED)
    expect(texts.some((text) => text.includes('invalid_client'))).toBe(false)
  })

  check('no file of the file store holds the secret, a token or anything JWT-shaped', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'leak-scan-')), 'tokens')
    closers.push(() => rm(dirname(dir), { recursive: true, force: true }))
    const c = credentials()
    await storeScenario(() => ({ store: fileStore(dir, { credentials: c }), coordinator: fileLockCoordinator(dir) }))
    const files = await readdir(dir)
    expect(files.filter((file) => file.endsWith('.json')).length).toBeGreaterThanOrEqual(3)
    const texts = [...files, ...(await Promise.all(files.map((file) => readFile(join(dir, file), 'utf8'))))]
    expectNoSentinel('the file store', texts)
    for (const text of texts) expect(text).not.toMatch(JWT_SHAPED)
  })
})
