/**
 * The four clients under test, behind one shape: make one against an endpoint, call it for a
 * token (or headers), close it. Every client gets its own dev-server client id, so the server's
 * counters tell their token requests apart.
 * @module
 */

import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCamundaClient } from '@camunda8/orchestration-cluster-api'
import { createAuth, parseCredentials } from '../src/index.ts'
import { devCredentials, SAAS_AUDIENCES } from '../src/dev-server.ts'
import type { DevClient } from '../src/dev-server.ts'
import type { BenchEndpoint } from './endpoint.ts'

/**
 * One live client: `call` is what a request handler would await before each API call.
 *
 * @example
 * ```ts
 * const client = CLIENTS[0]!.create(endpoint)
 * await client.call()
 * await client.close()
 * ```
 */
export interface LiveClient {
  call(): Promise<unknown>
  close(): void | Promise<void>
}

/**
 * How to make one client under test.
 *
 * @example
 * ```ts
 * for (const factory of CLIENTS) if (factory.customFetch || endpoint.kind === 'loopback') factory.create(endpoint)
 * ```
 */
export interface ClientFactory {
  /** Row label in the tables. */
  readonly name: string
  /** The dev-server client id this client authenticates as. */
  readonly clientId: string
  /** Whether it accepts a custom `fetch`, and so can run against the in-process endpoint. */
  readonly customFetch: boolean
  /** What a call returns: a bare token, or a headers object. */
  readonly returns: 'token' | 'headers'
  create(endpoint: BenchEndpoint): LiveClient
}

const SECRET = 'bench-secret'
const AUDIENCE = SAAS_AUDIENCES.zeebe

// The SDK's OAuthProvider is CommonJS with no exports map; the deep path avoids loading its gRPC
// client and the rest of the SDK, which the provider does not need.
const require = createRequire(import.meta.url)

/** A directory the official clients may write to, should they try; the bench never reads it. */
const SCRATCH = mkdtempSync(join(tmpdir(), 'camunda-edge-auth-bench-'))

/**
 * Remove the official clients' scratch directory (and whatever they wrote there).
 *
 * @example
 * ```ts
 * removeScratch()
 * ```
 */
export function removeScratch(): void {
  rmSync(SCRATCH, { recursive: true, force: true })
}

const lowerBound: ClientFactory = {
  name: 'memoised fetch (lower bound)',
  clientId: 'bench-memo',
  customFetch: true,
  returns: 'token',
  create(endpoint) {
    const send = endpoint.fetch ?? fetch
    const body = () =>
      new URLSearchParams({ grant_type: 'client_credentials', client_id: this.clientId, client_secret: SECRET, audience: AUDIENCE })
    // No expiry handling at all: the cheapest thing that could work, once.
    let token: Promise<string> | undefined
    const call = () =>
      (token ??= send(endpoint.tokenUrl, { method: 'POST', body: body() })
        .then((r) => r.json() as Promise<{ access_token: string }>)
        .then((j) => j.access_token))
    return { call, close: () => {} }
  },
}

// The lower bound plus one `Date.now()`: any client that checks expiry on each call pays at least
// this. On VMs whose clock source is slow the clock read alone can cost as much as the lower bound.
const lowerBoundWithClock: ClientFactory = {
  name: 'memoised fetch + Date.now() (anchor)',
  clientId: 'bench-memo-clock',
  customFetch: true,
  returns: 'token',
  create(endpoint) {
    const inner = lowerBound.create(endpoint)
    let expiresAt = Infinity
    return {
      call: () => (Date.now() < expiresAt ? inner.call() : ((expiresAt = -1), inner.call())),
      close: inner.close,
    }
  },
}

function edgeAuth(returns: 'token' | 'headers', options: { refreshAheadMinMs?: number } = {}): ClientFactory {
  const tuned = options.refreshAheadMinMs !== undefined
  return {
    name: `camunda-edge-auth ${returns === 'token' ? 'getToken' : 'getHeaders'}${tuned ? ` (refreshAheadMinMs: ${options.refreshAheadMinMs})` : ''}`,
    clientId: `${returns === 'token' ? 'bench-edge' : 'bench-edge-headers'}${tuned ? '-tuned' : ''}`,
    customFetch: true,
    returns,
    create(endpoint) {
      const credentials = parseCredentials(devCredentials(endpoint.origin, { clientId: this.clientId, clientSecret: SECRET }))
      const auth = createAuth({ credentials, ...options, ...(endpoint.fetch && { fetch: endpoint.fetch }) })
      const call = returns === 'token' ? () => auth.getToken('zeebe') : () => auth.getHeaders('zeebe')
      return { call, close: () => auth.close() }
    },
  }
}

interface OAuthProviderLike {
  getHeaders(audience: 'ZEEBE'): Promise<{ authorization: string }>
}

const sdk: ClientFactory = {
  name: '@camunda8/sdk OAuthProvider.getHeaders',
  clientId: 'bench-sdk',
  // It requests tokens with `got`, which takes no fetch: loopback only.
  customFetch: false,
  returns: 'headers',
  create(endpoint) {
    const { OAuthProvider } = require('@camunda8/sdk/dist/oauth/lib/OAuthProvider.js') as {
      OAuthProvider: new (options: { config: Record<string, unknown> }) => OAuthProviderLike
    }
    const provider = new OAuthProvider({
      config: {
        CAMUNDA_OAUTH_URL: endpoint.tokenUrl,
        ZEEBE_CLIENT_ID: this.clientId,
        ZEEBE_CLIENT_SECRET: SECRET,
        CAMUNDA_ZEEBE_OAUTH_AUDIENCE: AUDIENCE,
        // Memory only, like the others: no token files (and the cache dir points at a temp dir
        // in case some path writes anyway).
        CAMUNDA_TOKEN_DISK_CACHE_DISABLE: true,
        CAMUNDA_TOKEN_CACHE_DIR: SCRATCH,
        CAMUNDA_LOG_LEVEL: 'none',
      },
    })
    return { call: () => provider.getHeaders('ZEEBE'), close: () => {} }
  },
}

const orchestration: ClientFactory = {
  name: '@camunda8/orchestration-cluster-api getAuthHeaders',
  clientId: 'bench-oca',
  customFetch: true,
  returns: 'headers',
  create(endpoint) {
    const client = createCamundaClient({
      // `env: {}`: configured from these values alone, whatever the shell exports.
      env: {},
      config: {
        CAMUNDA_AUTH_STRATEGY: 'OAUTH',
        CAMUNDA_OAUTH_URL: endpoint.tokenUrl,
        CAMUNDA_CLIENT_ID: this.clientId,
        CAMUNDA_CLIENT_SECRET: SECRET,
        CAMUNDA_TOKEN_AUDIENCE: AUDIENCE,
        CAMUNDA_REST_ADDRESS: `${endpoint.origin}/zeebe/v2`,
        CAMUNDA_SDK_LOG_LEVEL: 'silent',
        // No CAMUNDA_OAUTH_CACHE_DIR: its disk cache is off unless that is set.
      },
      ...(endpoint.fetch && { fetch: endpoint.fetch }),
    } as Parameters<typeof createCamundaClient>[0])
    return { call: () => client.getAuthHeaders(), close: () => client.stopAllWorkers() }
  },
}

/**
 * Every client, lower bound first. The clock anchor and `camunda-edge-auth getHeaders` are only
 * for W1 (what a clock read costs; headers compared with headers); W2 and W3 use one row per library.
 */
export const CLIENTS: readonly ClientFactory[] = [
  lowerBound,
  lowerBoundWithClock,
  edgeAuth('token'),
  edgeAuth('headers'),
  sdk,
  orchestration,
]

/**
 * W3 only: the default refresh-ahead window is the last 10 % or 60 s, capped at half the lifetime
 * (the core issue's rule), so a 4 s token is refreshed at half its life. This variant drops the
 * 60 s minimum, leaving the last 10 %: what a user of very short tokens would configure.
 */
export const EDGE_TEN_PERCENT_WINDOW: ClientFactory = edgeAuth('token', { refreshAheadMinMs: 0 })

/** The dev-server clients matching {@link CLIENTS}. */
export const DEV_CLIENTS: readonly DevClient[] = [...CLIENTS, EDGE_TEN_PERCENT_WINDOW].map((c) => ({
  clientId: c.clientId,
  clientSecret: SECRET,
}))
