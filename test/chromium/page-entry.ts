/**
 * The script every test tab runs (bundled by esbuild at test start, see harness.ts). It exposes
 * `window.tab`, a small API the Node side drives with `page.evaluate`: create the auth object the
 * way an app would (IndexedDB store, Web Locks coordinator), ask for tokens, and report events,
 * errors and raw IndexedDB contents. A second mode is the W4 baseline: a per-tab cache in
 * sessionStorage, like a client that keeps its token to itself.
 */
import { createAuth, parseCredentials, type Auth, type AuthEvent } from '../../src/index.ts'
import { indexedDBStore, webLocksCoordinator } from '../../src/browser.ts'
import { forgedCooldown } from '../helpers/forged-cooldown.ts'

/** What `tab.init` accepts. */
export interface TabInit {
  /** `edge`: createAuth + indexedDBStore + webLocksCoordinator. `session-storage`: the baseline. */
  readonly mode?: 'edge' | 'session-storage'
  readonly timeoutMs?: number
  readonly lockTimeoutMs?: number
  /** `default`: no coordinator given, so createAuth picks its own (Web Locks in a browser). */
  readonly coordinator?: 'web-locks' | 'default'
}

/** The outcome of one `getToken`, as plain data that crosses `page.evaluate`. */
export type TokenOutcome =
  | { readonly ok: true; readonly token: string; readonly ms: number }
  | {
      readonly ok: false
      readonly code: string
      readonly name: string
      readonly message: string
      readonly retryAt?: number
      readonly ms: number
    }

/** One value found in IndexedDB, made JSON-safe: bytes are shown as text, keys by their flags. */
export interface RawDatabase {
  readonly name: string
  readonly stores: { readonly name: string; readonly keys: unknown[]; readonly values: unknown[] }[]
}

/** The API on `window.tab`. */
export interface TabApi {
  init(options?: TabInit): Promise<void>
  getToken(): Promise<TokenOutcome>
  /** Waits for `fire()` from any tab of the origin, then calls `getToken`: a start at the same moment. */
  getTokenOnSignal(): Promise<TokenOutcome>
  /** Releases every tab waiting in `getTokenOnSignal`. */
  fire(): void
  fetchTopology(): Promise<{ status: number; body: unknown }>
  readonly events: AuthEvent[]
  readIndexedDB(): Promise<RawDatabase[]>
  /**
   * The attack of a script that can write IndexedDB but not use the key: every record under a
   * store key is overwritten, in IndexedDB's own entry shape, with a day-long invalid_client
   * cooldown in clear. Returns how many records were forged.
   */
  forgeCooldowns(): Promise<number>
}

declare global {
  interface Window {
    tab: TabApi
  }
}

const SIGNAL_CHANNEL = 'test-go'
const events: AuthEvent[] = []
let getTokenImpl: (() => Promise<string>) | undefined
let auth: Auth | undefined

async function config(): Promise<Record<string, string>> {
  const response = await fetch('/config.json')
  return (await response.json()) as Record<string, string>
}

/** The baseline: each tab caches its own token in sessionStorage and fetches when it has none. */
function sessionStorageToken(env: Record<string, string>): () => Promise<string> {
  const cacheKey = 'baseline-token'
  return async () => {
    const cached = sessionStorage.getItem(cacheKey)
    if (cached) {
      const { token, expiresAt } = JSON.parse(cached) as { token: string; expiresAt: number }
      if (Date.now() < expiresAt - 10_000) return token
    }
    const response = await fetch(env.ZEEBE_AUTHORIZATION_SERVER_URL!, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: env.ZEEBE_CLIENT_ID!,
        client_secret: env.ZEEBE_CLIENT_SECRET!,
        audience: env.ZEEBE_TOKEN_AUDIENCE!,
      }),
    })
    if (!response.ok) throw new Error(`token request failed with ${response.status}`)
    const body = (await response.json()) as { access_token: string; expires_in: number }
    sessionStorage.setItem(cacheKey, JSON.stringify({ token: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 }))
    return body.access_token
  }
}

async function outcome(run: () => Promise<string>): Promise<TokenOutcome> {
  const started = performance.now()
  try {
    const token = await run()
    return { ok: true, token, ms: performance.now() - started }
  } catch (error) {
    const e = error as { code?: unknown; name?: unknown; message?: unknown; retryAt?: unknown }
    return {
      ok: false,
      code: String(e.code ?? ''),
      name: String(e.name ?? ''),
      message: String(e.message ?? error),
      ...(typeof e.retryAt === 'number' && { retryAt: e.retryAt }),
      ms: performance.now() - started,
    }
  }
}

/** Bytes as text (so a token sealed or not shows up to a substring search), keys as their flags. */
function jsonSafe(value: unknown, depth = 0): unknown {
  if (depth > 8) return '(deep)'
  if (value === null || typeof value !== 'object') return value
  if (value instanceof CryptoKey)
    return { cryptoKey: { algorithm: value.algorithm.name, extractable: value.extractable, usages: value.usages } }
  if (value instanceof ArrayBuffer) return { bytes: new TextDecoder('latin1').decode(value) }
  if (ArrayBuffer.isView(value))
    return { bytes: new TextDecoder('latin1').decode(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) }
  if (value instanceof Blob) return { blob: value.size }
  if (Array.isArray(value)) return value.map((item) => jsonSafe(item, depth + 1))
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v, depth + 1)]))
}

function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
}

async function readIndexedDB(): Promise<RawDatabase[]> {
  const out: RawDatabase[] = []
  for (const info of await indexedDB.databases()) {
    if (!info.name) continue
    const db = await requestResult(indexedDB.open(info.name))
    const stores: RawDatabase['stores'] = []
    for (const name of Array.from(db.objectStoreNames)) {
      const store = db.transaction(name, 'readonly').objectStore(name)
      const [keys, values] = await Promise.all([requestResult(store.getAllKeys()), requestResult(store.getAll())])
      stores.push({ name, keys: keys.map((k) => jsonSafe(k)), values: values.map((v) => jsonSafe(v)) })
    }
    db.close()
    out.push({ name: info.name, stores })
  }
  return out
}

async function forgeCooldowns(): Promise<number> {
  const db = await requestResult(indexedDB.open('camunda-edge-auth'))
  const store = db.transaction('tokens', 'readwrite').objectStore('tokens')
  const keys = (await requestResult(store.getAllKeys())).filter((key): key is string => typeof key === 'string')
  const until = Date.now() + 86_400_000
  for (const key of keys) await requestResult(store.put({ expiresAt: until, record: forgedCooldown(key, 'invalid_client', until) }, key))
  db.close()
  return keys.length
}

window.tab = {
  events,
  forgeCooldowns,
  async init(options = {}) {
    const env = await config()
    if (options.mode === 'session-storage') {
      getTokenImpl = sessionStorageToken(env)
      return
    }
    const lockTimeoutMs = options.lockTimeoutMs
    auth = createAuth({
      credentials: parseCredentials(env),
      store: indexedDBStore(),
      ...(options.coordinator !== 'default' && { coordinator: webLocksCoordinator(lockTimeoutMs === undefined ? {} : { lockTimeoutMs }) }),
      onEvent: (event) => events.push(event),
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      ...(lockTimeoutMs !== undefined && { lockTimeoutMs }),
    })
    const ready = auth
    getTokenImpl = () => ready.getToken('zeebe')
  },
  getToken() {
    if (!getTokenImpl) throw new Error('call tab.init() first')
    return outcome(getTokenImpl)
  },
  getTokenOnSignal() {
    const channel = new BroadcastChannel(SIGNAL_CHANNEL)
    return new Promise((resolve) => {
      channel.onmessage = () => {
        channel.close()
        resolve(window.tab.getToken())
      }
    })
  },
  fire() {
    const channel = new BroadcastChannel(SIGNAL_CHANNEL)
    channel.postMessage('go')
    channel.close()
  },
  async fetchTopology() {
    if (!auth) throw new Error('call tab.init() first')
    const response = await auth.fetch('zeebe', '/v2/topology')
    return { status: response.status, body: await response.json() }
  },
  readIndexedDB,
}
