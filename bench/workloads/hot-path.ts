/**
 * W1, the hot path: nanoseconds per cached call, each call awaited, as a request handler would.
 * @module
 */

import type { LiveClient } from '../clients.ts'
import { median } from '../stats.ts'

/**
 * The settings of W1.
 *
 * @example
 * ```ts
 * const settings: HotPathSettings = { runs: 7, calls: 200_000, warmupCalls: 50_000 }
 * ```
 */
export interface HotPathSettings {
  readonly runs: number
  readonly calls: number
  readonly warmupCalls: number
}

type Loop = (call: () => Promise<unknown>, n: number) => Promise<void>

// One loop function per client, compiled from the same source: a shared loop would see every
// client's closure at one call site, turn megamorphic, and slow the cheapest client the most.
function makeLoop(): Loop {
  return new Function('call', 'n', 'return (async () => { for (let i = 0; i < n; i++) await call() })()') as Loop
}

/**
 * Time `calls` awaited calls of each (already warm) client, `runs` times, rotating the order each
 * run so that no client always runs first or last; return the median ns per call of each.
 *
 * @example
 * ```ts
 * const ns = await hotPath([memo, edge], { runs: 7, calls: 200_000, warmupCalls: 50_000 })
 * ```
 */
export async function hotPath(clients: readonly LiveClient[], settings: HotPathSettings): Promise<number[]> {
  const loops = clients.map(() => makeLoop())
  // The first call fetches the token; the rest let the JIT settle.
  for (const [i, client] of clients.entries()) {
    await client.call()
    await loops[i]!(() => client.call(), settings.warmupCalls)
  }
  const samples: number[][] = clients.map(() => [])
  for (let run = 0; run < settings.runs; run++) {
    for (let k = 0; k < clients.length; k++) {
      const i = (run + k) % clients.length
      const client = clients[i]!
      const call = () => client.call()
      const started = process.hrtime.bigint()
      await loops[i]!(call, settings.calls)
      samples[i]!.push(Number(process.hrtime.bigint() - started) / settings.calls)
    }
  }
  return samples.map(median)
}
