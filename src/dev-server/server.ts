/**
 * `createDevAuthServer`: the routes, the state they share, and the handle tests hold.
 * @module
 */

import type { Api } from '../types.ts'
import { handleApiRequest, matchApi } from './api-routes.ts'
import { createCluster, type DevCluster } from './cluster.ts'
import { createFaultQueue } from './faults.ts'
import type { FaultInput, FaultQueue } from './faults.ts'
import { lazySigningKey } from './keys.ts'
import type { DevPublicJwk } from './keys.ts'
import { resolveOptions } from './options.ts'
import type { DevAuthServerOptions } from './options.ts'
import { createRateLimiter } from './rate-limit.ts'
import { countTokenRequests, createRequestLog } from './request-log.ts'
import type { ApiRequestLogEntry, TokenRequestFilter, TokenRequestLogEntry } from './request-log.ts'
import { jsonResponse } from '../http/responses.ts'
import { preflight, withCors } from './cors.ts'
import { handleTokenRequest } from './token-endpoint.ts'
import { DISCOVERY_PATHS, discoveryAnswer, JWKS_PATH, jwksAnswer } from './well-known.ts'

/**
 * A running dev authorization server: a fetch handler plus the knobs and counters tests use.
 *
 * @example
 * ```ts
 * const server = createDevAuthServer()
 * const res = await server.fetch('http://127.0.0.1/oauth/token', {
 *   method: 'POST',
 *   body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'dev-client', client_secret: 'dev-secret', audience: 'zeebe.camunda.io' }),
 * })
 * server.requests({ audience: 'zeebe.camunda.io' }) // 1
 * ```
 */
export interface DevAuthServer {
  /**
   * The fetch handler. Bound, and shaped like `fetch` itself, so it serves as `Deno.serve(server.fetch)`,
   * `export default { fetch: server.fetch }` in a Worker, or in-process as a client's `fetch`.
   * In-process, redirects are never followed. Rejects with {@link ConnectionResetError} for a
   * `reset` fault, and with the signal's reason when the request is aborted during a delay.
   */
  readonly fetch: (input: RequestInfo | URL, init?: RequestInit | object) => Promise<Response>
  /** The `iss` of every token. */
  readonly issuer: string
  /** The token endpoint's path, e.g. `/oauth/token`. */
  readonly tokenPath: string
  /** How many token requests (every `POST` to the token path, failed and refused ones included) match `filter`. */
  requests(filter?: TokenRequestFilter): number
  /** Every token request, oldest first. */
  readonly requestLog: readonly TokenRequestLogEntry[]
  /** How many requests the fake API routes got, for one API or all. */
  apiRequests(api?: Api): number
  /** Every fake API request, oldest first. */
  readonly apiRequestLog: readonly ApiRequestLogEntry[]
  /**
   * The small Orchestration Cluster behind `/zeebe/v2/user-tasks/…` and
   * `/zeebe/v2/process-instances/search`: a handful of seeded user tasks and their process
   * instances. A rehearsal stage, not an emulator. `reset()` leaves it alone; `cluster.reset()`
   * puts the seed back.
   */
  readonly cluster: DevCluster
  /** Queue faults for the next token requests (same as `faults.inject`). */
  inject(fault: FaultInput | readonly FaultInput[]): void
  /** The fault queue. */
  readonly faults: Omit<FaultQueue, 'next'>
  /** Forget all counts, logs, rate-limit windows and pending faults. The signing key stays. */
  reset(): void
  /** The public signing key as a JWK, with `kid`, `alg: 'ES256'` and `use: 'sig'`. */
  publicJwk(): Promise<DevPublicJwk>
  /** The JWKS served at `/.well-known/jwks.json`. */
  jwks(): Promise<{ keys: DevPublicJwk[] }>
}

/**
 * Make a dev authorization server that behaves like Camunda SaaS's OAuth service: the
 * client-credentials grant at `POST /oauth/token` issuing ES256 JWTs, a JWKS, a rate limit, and
 * fake API routes under `/zeebe/`, `/operate/`, `/tasklist/` and `/optimize/` that check tokens,
 * with a small in-memory Orchestration Cluster (user tasks, process instances) behind `/zeebe/v2/`.
 *
 * Routes: `POST {tokenPath}`; `GET /.well-known/jwks.json`; `GET /.well-known/openid-configuration`
 * (and `oauth-authorization-server`); the API prefixes; `OPTIONS` anywhere when `cors` is on.
 * Anything else is 404. The server is plain web APIs, and runs in Workers, Deno, browsers and Node.
 *
 * @example
 * ```ts
 * const server = createDevAuthServer({ tokenLifetimeSeconds: 60 })
 * Deno.serve(server.fetch)
 * // or in-process: createAuth({ credentials: parseCredentials(devCredentials('http://127.0.0.1')), fetch: server.fetch })
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.4 RFC 6749 §4.4} and {@link https://www.rfc-editor.org/rfc/rfc7517 RFC 7517 (its JWKS)}
 */
export function createDevAuthServer(options?: DevAuthServerOptions): DevAuthServer {
  const resolved = resolveOptions(options)
  const key = lazySigningKey()
  const faults = createFaultQueue()
  const limiter = createRateLimiter(resolved.rateLimit, resolved.now)
  const tokenLog = createRequestLog<TokenRequestLogEntry>()
  const apiLog = createRequestLog<ApiRequestLogEntry>()
  const tokenCtx = { options: resolved, key, limiter, faults, log: tokenLog, seenJtis: new Map<string, number>() }
  const cluster = createCluster(resolved.now)
  const apiCtx = { options: resolved, key, log: apiLog, cluster }

  async function route(request: Request): Promise<Response> {
    const url = new URL(request.url)
    if (request.method === 'OPTIONS' && resolved.cors) return preflight()
    if (url.pathname === resolved.tokenPath) {
      if (request.method !== 'POST')
        return jsonResponse({ error: 'invalid_request', error_description: 'use POST' }, 405, { allow: 'POST' })
      return handleTokenRequest(tokenCtx, request)
    }
    if (url.pathname === JWKS_PATH && request.method === 'GET') return jwksAnswer(key)
    if (DISCOVERY_PATHS.includes(url.pathname) && request.method === 'GET') return discoveryAnswer(resolved, url)
    const api = matchApi(url.pathname)
    if (api) return handleApiRequest(apiCtx, request, api)
    return jsonResponse({ error: 'not_found', error_description: `no route for ${request.method} ${url.pathname}` }, 404)
  }

  // `init` is typed loosely: Deno.serve passes its connection info there, a Worker its env.
  const fetch = async (input: RequestInfo | URL, init?: RequestInit | object): Promise<Response> => {
    const response = await route(toRequest(input, init))
    return resolved.cors ? withCors(response) : response
  }

  return {
    fetch,
    issuer: resolved.issuer,
    tokenPath: resolved.tokenPath,
    requests: (filter) => countTokenRequests(tokenLog.entries, filter),
    requestLog: tokenLog.entries,
    apiRequests: (api) => (api === undefined ? apiLog.entries.length : apiLog.entries.filter((e) => e.api === api).length),
    apiRequestLog: apiLog.entries,
    cluster: {
      userTasks: cluster.userTasks,
      processInstances: cluster.processInstances,
      variables: cluster.variables,
      reset: cluster.reset,
    },
    inject: (fault) => faults.inject(fault),
    faults: {
      inject: (fault) => faults.inject(fault),
      get pending() {
        return faults.pending
      },
      clear: () => faults.clear(),
    },
    reset() {
      tokenLog.clear()
      apiLog.clear()
      limiter.clear()
      faults.clear()
    },
    publicJwk: async () => (await key()).publicJwk,
    jwks: async () => ({ keys: [(await key()).publicJwk] }),
  }
}

const REQUEST_INIT_KEYS = ['method', 'headers', 'body', 'signal', 'redirect', 'credentials', 'cache', 'mode']

/**
 * A `Request` from fetch-style arguments. Runtimes call handlers with extras in the second slot
 * (Deno's connection info, a Worker's env); those are not a `RequestInit`, so a `Request` is used
 * as is unless the second argument has some `RequestInit` field.
 */
function toRequest(input: RequestInfo | URL, init: RequestInit | object | undefined): Request {
  if (input instanceof Request) {
    const isInit = init !== undefined && init !== null && REQUEST_INIT_KEYS.some((k) => k in init)
    return isInit ? new Request(input, init as RequestInit) : input
  }
  return new Request(input, init as RequestInit | undefined)
}
