/**
 * The fault matrix, hostile half: what an outside security review tried against the package, each
 * case named after its attack. Over real loopback HTTP (the dev server for tokens, a loopback
 * upstream standing in for a Camunda API). Every case asserts the promise the attack broke: one
 * token request per lifetime, and nothing a store writer, a peer or an upstream says holding
 * callers back for longer than local policy allows.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import {
  AuthError,
  createAuth,
  encryptedStore,
  inProcessCoordinator,
  memoryStore,
  parseCredentials,
  type AuthEvent,
  type AuthOptions,
  type TokenStore,
} from '../../src/index.ts'
import { storeKey } from '../../src/token/store-key.ts'
import { createDevAuthServer, devCredentials } from '../../src/dev-server.ts'
import { listenDevAuthServer, type ListeningDevAuthServer } from '../../src/dev-server-node.ts'
import { createCamundaProxy } from '../../src/workers.ts'
import { forgedCooldown } from '../helpers/forged-cooldown.ts'
import { rejectionOf } from '../helpers/thrown.ts'
import { section } from './summary.ts'

const { check } = section('fault matrix: attacks')

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
const clock = { now: Date.now() }
let dev: ListeningDevAuthServer

/** A loopback stand-in for a Camunda API: answers `status` to everything and counts bodies. */
interface Upstream {
  readonly url: string
  status: number
  readonly hits: { method: string; path: string; bytes: number; authorization: string | undefined }[]
  close(): Promise<void>
}
let upstream: Upstream

async function listenUpstream(): Promise<Upstream> {
  const hits: Upstream['hits'] = []
  const state = { status: 401 }
  const server: Server = createServer((req: IncomingMessage, res) => {
    let bytes = 0
    req.on('data', (chunk: Buffer) => (bytes += chunk.length))
    req.on('end', () => {
      hits.push({ method: req.method ?? '', path: req.url ?? '', bytes, authorization: req.headers.authorization })
      res.writeHead(state.status, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ status: state.status }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get status() {
      return state.status
    },
    set status(value: number) {
      state.status = value
    },
    hits,
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

beforeAll(async () => {
  dev = await listenDevAuthServer(createDevAuthServer({ rateLimit: false, tokenLifetimeSeconds: 120, now: () => clock.now }))
  upstream = await listenUpstream()
})

afterAll(async () => {
  await dev.close()
  await upstream.close()
})

const credentials = (env: Record<string, string> = {}) => parseCredentials({ ...devCredentials(dev.url), ...env })

function freshAuth(options: Partial<AuthOptions> = {}) {
  dev.server.reset()
  upstream.hits.length = 0
  upstream.status = 401
  const events: AuthEvent[] = []
  const auth = createAuth({
    credentials: credentials({ ZEEBE_REST_ADDRESS: `${upstream.url}/cluster-a` }),
    now: () => clock.now,
    onEvent: (event) => events.push(event),
    ...options,
  })
  return { auth, events }
}

/** A store whose raw values an attacker can read and write: what a KV namespace is to its writers. */
function rawMap() {
  const map = new Map<string, unknown>()
  const store: TokenStore = {
    get: async (key) => structuredClone(map.get(key)),
    set: async (key, record) => void map.set(key, structuredClone(record)),
    delete: async (key) => void map.delete(key),
  }
  return { map, store }
}

const zeebeKey = () => storeKey(credentials({ ZEEBE_REST_ADDRESS: `${upstream.url}/cluster-a` }), 'zeebe.camunda.io')

describe('attacks on the store: a writer without the secret', () => {
  check('a forged 24 h invalid_client cooldown in a sealed store is ignored and replaced, with a store_error event', async () => {
    const key = await zeebeKey()
    const { map, store } = rawMap()
    map.set(key, forgedCooldown(key, 'invalid_client', clock.now + DAY_MS))
    const sealingKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
    const { auth, events } = freshAuth({ store: encryptedStore(store, sealingKey) })
    expect(await auth.getToken()).toMatch(/^eyJ/)
    expect(dev.server.requests()).toBe(1)
    expect(events.some((e) => e.type === 'store_error' && /authenticat/.test(e.message))).toBe(true)
    // Replaced by a sealed record: nothing of the forgery, and no clear time or cooldown left.
    const written = JSON.stringify(map.get(key))
    expect(written).not.toContain('evil.example')
    expect(written).not.toMatch(/until|expiresAt|invalid_client/)
  })

  check('a forged 24 h cooldown in an unauthenticated store holds callers back no longer than local policy', async () => {
    const key = await zeebeKey()
    for (const [reason, longest] of [
      ['invalid_client', 30_000],
      ['rate_limited', 600_000],
      ['backoff', 60_000],
    ] as const) {
      const store = memoryStore()
      await store.set(key, forgedCooldown(key, reason, clock.now + DAY_MS), DAY_MS)
      const { auth } = freshAuth({ store })
      const error = (await rejectionOf(auth.getToken())) as AuthError & { retryAt?: number }
      expect(error).toBeInstanceOf(AuthError)
      expect(error.retryAt).toBeLessThanOrEqual(clock.now + longest)
      // The message is built locally: the attacker's text is not in it.
      expect(error.message).not.toContain('evil.example')
      expect(JSON.stringify(error)).not.toContain('evil.example')
      expect(dev.server.requests()).toBe(0)
    }
  })

  check('a forged cooldown a peer publishes is clamped to local policy', async () => {
    const key = await zeebeKey()
    const coordinator = inProcessCoordinator()
    const { auth } = freshAuth({ coordinator, store: memoryStore() })
    await auth.getToken()
    await auth.invalidate()
    coordinator.publish?.(key, forgedCooldown(key, 'invalid_client', clock.now + DAY_MS))
    const error = (await rejectionOf(auth.getToken())) as AuthError & { retryAt?: number }
    expect(error.retryAt).toBeLessThanOrEqual(clock.now + 30_000)
    clock.now += 30_001
    expect(await auth.getToken()).toMatch(/^eyJ/)
  })

  check('a sealed 120 s token replayed with its expiry pushed out by 23 h is not served past its life', async () => {
    const key = await zeebeKey()
    const { map, store } = rawMap()
    const sealingKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
    const first = freshAuth({ store: encryptedStore(store, sealingKey) })
    const token = await first.auth.getToken()
    // The attacker rewrites every clear time it can find in the stored value.
    const tamper = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(tamper)
      if (value && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'expiresAt' ? (v as number) + 23 * HOUR_MS : tamper(v)]))
      }
      return value
    }
    map.set(key, tamper(map.get(key)))
    clock.now += 130_000 // past the token's real life
    const second = freshAuth({ store: encryptedStore(store, sealingKey) })
    expect(await second.auth.getToken()).not.toBe(token)
    expect(dev.server.requests()).toBe(1)
  })

  check('a JWT stored with a forged expiry in an unauthenticated store is capped by its own exp', async () => {
    const key = await zeebeKey()
    const store = memoryStore()
    const { auth } = freshAuth({ store })
    const record = await auth.getTokenRecord()
    await store.set(key, { v: 1, key, token: { ...record, expiresAt: record.expiresAt + 23 * HOUR_MS } }, DAY_MS)
    clock.now += 130_000
    const later = freshAuth({ store })
    expect(await later.auth.getToken()).not.toBe(record.accessToken)
    expect(dev.server.requests()).toBe(1)
  })
})

describe('attacks from the API: 401 storms', () => {
  check('20 sequential auth.fetch calls to a path that always answers 401 cost at most 1 extra token request', async () => {
    const { auth } = freshAuth()
    for (let i = 0; i < 20; i++) {
      const response = await auth.fetch('zeebe', '/v2/always-401')
      expect(response.status).toBe(401)
    }
    expect(dev.server.requests()).toBeLessThanOrEqual(2)
  })

  check('20 concurrent auth.fetch calls answered 401 cost at most 1 extra token request', async () => {
    const { auth } = freshAuth()
    await auth.getToken()
    const responses = await Promise.all(Array.from({ length: 20 }, () => auth.fetch('zeebe', '/v2/always-401')))
    expect(responses.every((r) => r.status === 401)).toBe(true)
    expect(dev.server.requests()).toBeLessThanOrEqual(2)
  })

  check('20 proxied requests to a path that always answers 401 cost at most 1 extra token request', async () => {
    const { auth } = freshAuth()
    const proxy = createCamundaProxy({ auth, authorize: () => true })
    for (let i = 0; i < 20; i++) {
      const response = await proxy(new Request('https://app.example/zeebe/v2/always-401'))
      expect(response.status).toBe(401)
    }
    expect(dev.server.requests()).toBeLessThanOrEqual(2)
  })

  check('a 401 after the window has passed gets one fresh token again', async () => {
    const { auth } = freshAuth()
    await auth.fetch('zeebe', '/v2/always-401')
    expect(dev.server.requests()).toBe(2)
    clock.now += 31_000
    await auth.fetch('zeebe', '/v2/always-401')
    expect(dev.server.requests()).toBe(3)
  })
})

describe('attacks from the API: uploads', () => {
  check('a streamed upload answered 401 is not buffered for a retry: the 401 goes back, the body is sent once', async () => {
    const { auth } = freshAuth()
    const size = 4 * 1024 * 1024
    const chunk = new Uint8Array(64 * 1024)
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= size) return controller.close()
        sent += chunk.length
        controller.enqueue(chunk)
      },
    })
    const response = await auth.fetch('zeebe', '/v2/deployments', { method: 'POST', body, duplex: 'half' } as RequestInit)
    expect(response.status).toBe(401)
    expect(upstream.hits.map((h) => h.bytes)).toEqual([size])
  })

  check('a streamed upload through the proxy answered 401 reaches the API once and its 401 goes back', async () => {
    const { auth } = freshAuth()
    const proxy = createCamundaProxy({ auth, authorize: () => true })
    const size = 4 * 1024 * 1024
    const body = new Blob([new Uint8Array(size)]).stream()
    const response = await proxy(
      new Request('https://app.example/zeebe/v2/deployments', { method: 'POST', body, duplex: 'half' } as RequestInit),
    )
    expect(response.status).toBe(401)
    expect(upstream.hits.map((h) => h.bytes)).toEqual([size])
    expect(dev.server.requests()).toBe(1)
  })

  check('a small string body answered 401 is retried once with a fresh token', async () => {
    const { auth } = freshAuth()
    const response = await auth.fetch('zeebe', '/v2/process-instances', { method: 'POST', body: '{"processDefinitionId":"x"}' })
    expect(response.status).toBe(401)
    expect(upstream.hits.map((h) => h.bytes)).toEqual([27, 27])
    expect(new Set(upstream.hits.map((h) => h.authorization)).size).toBe(2)
  })
})

describe('attacks through the URL: where the token goes', () => {
  const refused = async (auth: ReturnType<typeof freshAuth>['auth'], input: RequestInfo | URL, origin: string) => {
    const error = (await rejectionOf(auth.fetch('zeebe', input))) as AuthError
    expect(error).toBeInstanceOf(AuthError)
    expect(error.code).toBe('ERR_URL_FOREIGN')
    expect(error.message).toContain(origin)
  }

  check('auth.fetch refuses to send the Zeebe token to another origin, and sends nothing', async () => {
    const { auth } = freshAuth()
    const seen: string[] = []
    const spy = freshAuth({ fetch: async (input, init) => (seen.push(new Request(input, init).url), fetch(input, init)) }).auth
    await refused(spy, 'https://other.example/steal', 'https://other.example')
    await refused(spy, new URL('https://other.example/steal'), 'https://other.example')
    await refused(spy, new Request('https://other.example/steal'), 'https://other.example')
    expect(seen.filter((url) => !url.endsWith('/oauth/token'))).toEqual([])
    expect(upstream.hits).toEqual([])
    void auth
  })

  check('auth.fetch refuses a path that climbs out of the base path', async () => {
    const { auth } = freshAuth()
    for (const path of ['/../other-cluster/v2/topology', '/v2/../../other-cluster/v2/topology', '/%2e%2e/other-cluster/v2/topology']) {
      const error = (await rejectionOf(auth.fetch('zeebe', path))) as AuthError
      expect(error.code).toBe('ERR_URL_FOREIGN')
    }
    await refused(auth, `${upstream.url}/cluster-b/v2/topology`, upstream.url)
    expect(upstream.hits).toEqual([])
  })

  check('a polluted Object.prototype gives no API a base URL or an audience', async () => {
    const proto = Object.prototype as Record<string, unknown>
    const bundle = { ...devCredentials(dev.url) } as Record<string, string>
    delete bundle.CAMUNDA_TASKLIST_BASE_URL
    delete bundle.CAMUNDA_TASKLIST_OAUTH_AUDIENCE
    const parsed = parseCredentials(bundle)
    proto.tasklist = 'https://evil.example'
    try {
      const auth = createAuth({ credentials: parsed, now: () => clock.now })
      expect(() => auth.urls.tasklist('/v1/tasks/search')).toThrow(/CAMUNDA_TASKLIST_BASE_URL/)
      expect(parsed.baseUrls.tasklist).toBeUndefined()
      expect(parsed.audiences.tasklist).toBeUndefined()
      expect(Object.isFrozen(parsed.baseUrls) && Object.getPrototypeOf(parsed.baseUrls)).toBe(null)
    } finally {
      delete proto.tasklist
    }
  })

  check('a token URL and base URLs are kept as the parsed URL, so every parser sees one host', () => {
    const parsed = parseCredentials({
      ZEEBE_CLIENT_ID: 'c',
      ZEEBE_CLIENT_SECRET: 'secret-value',
      ZEEBE_AUTHORIZATION_SERVER_URL: 'http://127.0.0.1\\@evil.example/token',
      ZEEBE_REST_ADDRESS: 'https://ZEEBE.Example.COM:443/a/../cluster',
    })
    expect(parsed.tokenUrl).toBe('http://127.0.0.1/@evil.example/token')
    expect(parsed.baseUrls.zeebe).toBe('https://zeebe.example.com/cluster')
  })
})
