/**
 * W2, the cold herd: many concurrent callers on an empty cache.
 * @module
 */

import type { ClientFactory } from '../clients.ts'
import type { BenchEndpoint } from '../endpoint.ts'
import { median } from '../stats.ts'

/**
 * What one client did with the herd.
 *
 * @example
 * ```ts
 * const { requests, ms }: HerdResult = await coldHerd(factory, endpoint, 1000)
 * ```
 */
export interface HerdResult {
  /** Token requests the server saw from this client. */
  readonly requests: number
  /** From the first call to the last caller holding its token. */
  readonly ms: number
  /** Callers that got an error instead of a token. */
  readonly failed: number
}

/**
 * Make a fresh client and have `callers` callers ask it for a token at once.
 *
 * @example
 * ```ts
 * await coldHerd(CLIENTS[1]!, endpoint, 1000)
 * ```
 */
export async function coldHerd(factory: ClientFactory, endpoint: BenchEndpoint, callers: number): Promise<HerdResult> {
  const before = endpoint.server.requests({ clientId: factory.clientId })
  const client = factory.create(endpoint)
  try {
    const started = performance.now()
    const results = await Promise.allSettled(Array.from({ length: callers }, () => client.call()))
    const ms = performance.now() - started
    return {
      requests: endpoint.server.requests({ clientId: factory.clientId }) - before,
      ms,
      failed: results.filter((r) => r.status === 'rejected').length,
    }
  } finally {
    await client.close()
  }
}

/**
 * The anchor for W2: the median time of one plain token request (a fresh `fetch`, body read) to
 * `endpoint`, as seen by a client in this process.
 *
 * @example
 * ```ts
 * const rtt = await roundTrip(endpoint, 'bench-memo', 'bench-secret')
 * ```
 */
export async function roundTrip(endpoint: BenchEndpoint, clientId: string, clientSecret: string, samples = 7): Promise<number> {
  const send = endpoint.fetch ?? fetch
  const times: number[] = []
  for (let i = 0; i < samples; i++) {
    const started = performance.now()
    const response = await send(endpoint.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
        audience: 'zeebe.camunda.io',
      }),
    })
    await response.json()
    times.push(performance.now() - started)
  }
  return median(times)
}
