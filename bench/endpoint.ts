/**
 * The token endpoint every client is measured against: the project's dev server, with a fixed
 * added latency, either in-process (for clients that take a custom `fetch`) or over loopback HTTP
 * (for every client). Each token request's start and end are recorded, so a workload can tell
 * whether a caller waited on one.
 * @module
 */

import { createDevAuthServer, type DevAuthServer, type DevClient } from '../src/dev-server.ts'
import { listenDevAuthServer } from '../src/dev-server-node.ts'

/** Where a token request was on the server's (this process's) `performance.now()` clock. */
export interface RequestInterval {
  readonly start: number
  readonly end: number
}

/**
 * A running endpoint.
 *
 * @example
 * ```ts
 * const endpoint = await startEndpoint('loopback', { latencyMs: 20, tokenLifetimeSeconds: 3600, clients })
 * ```
 */
export interface BenchEndpoint {
  readonly kind: 'in-process' | 'loopback'
  /** The origin to give `devCredentials`. In-process it is never dialled. */
  readonly origin: string
  readonly tokenUrl: string
  /** In-process only: the delayed dev server handler, for clients that accept a `fetch`. */
  readonly fetch: typeof fetch | undefined
  readonly server: DevAuthServer
  /** Every request the server answered, oldest first. */
  readonly intervals: readonly RequestInterval[]
  close(): Promise<void>
}

/**
 * Settings shared by both kinds of endpoint.
 *
 * @example
 * ```ts
 * const settings: EndpointSettings = { latencyMs: 20, tokenLifetimeSeconds: 4, clients: [] }
 * ```
 */
export interface EndpointSettings {
  /** Added to every request, before the server answers: a stand-in for a real network round trip. */
  readonly latencyMs: number
  readonly tokenLifetimeSeconds: number
  readonly clients: readonly DevClient[]
}

/**
 * Start a dev server with `rateLimit: false` (a bench measures clients, not the rate limiter) and
 * the given latency, in-process or on a loopback port.
 *
 * @example
 * ```ts
 * const endpoint = await startEndpoint('in-process', settings)
 * await endpoint.close()
 * ```
 */
export async function startEndpoint(kind: BenchEndpoint['kind'], settings: EndpointSettings): Promise<BenchEndpoint> {
  const server = createDevAuthServer({
    rateLimit: false,
    tokenLifetimeSeconds: settings.tokenLifetimeSeconds,
    clients: settings.clients,
  })
  const intervals: RequestInterval[] = []
  const delayed: DevAuthServer['fetch'] = async (input, init) => {
    const start = performance.now()
    await new Promise((resolve) => setTimeout(resolve, settings.latencyMs))
    try {
      return await server.fetch(input, init)
    } finally {
      intervals.push({ start, end: performance.now() })
    }
  }
  // The same server (its counters, its key) behind a slower handler.
  const slowServer: DevAuthServer = { ...server, fetch: delayed }

  if (kind === 'in-process') {
    const origin = 'http://127.0.0.1'
    return {
      kind,
      origin,
      tokenUrl: `${origin}${server.tokenPath}`,
      fetch: delayed as typeof fetch,
      server,
      intervals,
      close: async () => {},
    }
  }
  const listening = await listenDevAuthServer(slowServer)
  return { kind, origin: listening.url, tokenUrl: listening.tokenUrl, fetch: undefined, server, intervals, close: listening.close }
}
