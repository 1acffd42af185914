/**
 * W4, tabs: 8 Chromium tabs of one origin cold-start at the same moment. Counts the token requests
 * with camunda-edge-auth (IndexedDB store + Web Locks coordinator, the browser defaults) and with a
 * per-tab cache in sessionStorage, which is what a client that keeps its token to itself does.
 * Reuses the real-browser harness of the tests (test/chromium/harness.ts).
 * @module
 */

import { chromiumStatus, getTokenTogether, launchChromium, openTabs, startTabServer, type TabInit } from '../../test/chromium/harness.ts'
import type { ClientFactory } from '../clients.ts'
import type { BenchEndpoint } from '../endpoint.ts'
import { median } from '../stats.ts'

/**
 * The settings of W4.
 *
 * @example
 * ```ts
 * const settings: TabsSettings = { tabs: 8, rounds: 3, latencyMs: 20 }
 * ```
 */
export interface TabsSettings {
  /** Tabs of one origin that start at once. */
  readonly tabs: number
  /** Cold starts per client, each in a fresh browser context (empty storage). */
  readonly rounds: number
  /** Added to every token request before the server answers. */
  readonly latencyMs: number
}

/**
 * What one client did over the rounds.
 *
 * @example
 * ```ts
 * const row: TabsRow = { client: 'camunda-edge-auth', requestsPerRound: [1, 1, 1], msToAll: 45, failed: 0, distinctTokensPerRound: [1, 1, 1] }
 * ```
 */
export interface TabsRow {
  readonly client: string
  /** Token requests the server saw in each round. */
  readonly requestsPerRound: readonly number[]
  /** Median over rounds of the slowest tab's time from the start signal to holding its token. */
  readonly msToAll: number
  /** Tabs that got an error instead of a token, all rounds together. */
  readonly failed: number
  /** Distinct tokens the tabs held after each round. */
  readonly distinctTokensPerRound: readonly number[]
  /** When each token request of the first round arrived, in ms from the start signal: what the chart plots. */
  readonly requestTimesMs: readonly number[]
}

/** W4's result, or why it did not run. */
export type TabsResult = { readonly rows: readonly TabsRow[] } | { readonly skipped: string }

const CLIENTS: readonly { name: string; init: TabInit }[] = [
  { name: 'camunda-edge-auth (IndexedDB + Web Locks)', init: { mode: 'edge' } },
  { name: 'per-tab sessionStorage cache (baseline)', init: { mode: 'session-storage' } },
]

/**
 * Runs W4: for each client, `rounds` cold starts of `tabs` tabs in a fresh context.
 *
 * @example
 * ```ts
 * const result = await tabsColdStart({ tabs: 8, rounds: 3, latencyMs: 20 })
 * if ('rows' in result) console.log(result.rows[0]!.requestsPerRound)
 * ```
 */
export async function tabsColdStart(settings: TabsSettings): Promise<TabsResult> {
  if (chromiumStatus.skip) return { skipped: chromiumStatus.reason }
  const [browser, server] = await Promise.all([
    launchChromium(),
    startTabServer({ tokenLifetimeSeconds: 3600, latencyMs: settings.latencyMs }),
  ])
  try {
    const rows: TabsRow[] = []
    for (const client of CLIENTS) {
      const requestsPerRound: number[] = []
      const distinctTokensPerRound: number[] = []
      const msToAll: number[] = []
      let failed = 0
      let requestTimesMs: number[] = []
      for (let round = 0; round < settings.rounds; round++) {
        const context = await browser.newContext()
        try {
          const pages = await openTabs(context, server.url, settings.tabs, client.init)
          const before = server.dev.requests()
          let firedAt = Date.now()
          const outcomes = await getTokenTogether(pages, () => void (firedAt = Date.now()))
          if (round === 0) requestTimesMs = server.dev.requestLog.slice(before).map((entry) => entry.at - firedAt)
          requestsPerRound.push(server.dev.requests() - before)
          msToAll.push(Math.max(...outcomes.map((o) => o.ms)))
          failed += outcomes.filter((o) => !o.ok).length
          distinctTokensPerRound.push(new Set(outcomes.flatMap((o) => (o.ok ? [o.token] : []))).size)
        } finally {
          await context.close()
        }
      }
      rows.push({ client: client.name, requestsPerRound, msToAll: median(msToAll), failed, distinctTokensPerRound, requestTimesMs })
    }
    return { rows }
  } finally {
    await browser.close()
    await server.close()
  }
}

/**
 * One client started as `tabs` independent instances at the same moment.
 *
 * @example
 * ```ts
 * const row: InstancesRow = { client: '@camunda8/sdk OAuthProvider.getHeaders', requests: 8, requestTimesMs: [0.4, 0.6], failed: 0 }
 * ```
 */
export interface InstancesRow {
  readonly client: string
  readonly requests: number
  /** When each token request started, in ms from the moment every instance was called. */
  readonly requestTimesMs: readonly number[]
  readonly failed: number
}

/**
 * W4 for the clients that do not run in a page: each tab is a JavaScript realm with its own
 * memory, so `tabs` tabs of a client that keeps its token in memory are `tabs` instances of it,
 * here started together in Node against the loopback endpoint (long-lived tokens), one call each.
 *
 * @example
 * ```ts
 * const rows = await tabsAsInstances([sdk, orchestration], endpoint, 8)
 * ```
 */
export async function tabsAsInstances(factories: readonly ClientFactory[], endpoint: BenchEndpoint, tabs: number): Promise<InstancesRow[]> {
  const rows: InstancesRow[] = []
  for (const factory of factories) {
    const before = endpoint.server.requests({ clientId: factory.clientId })
    const firstInterval = endpoint.intervals.length
    const clients = Array.from({ length: tabs }, () => factory.create(endpoint))
    const started = performance.now()
    const outcomes = await Promise.allSettled(clients.map((client) => client.call()))
    for (const client of clients) await client.close()
    rows.push({
      client: factory.name,
      requests: endpoint.server.requests({ clientId: factory.clientId }) - before,
      requestTimesMs: endpoint.intervals.slice(firstInterval).map((r) => r.start - started),
      failed: outcomes.filter((o) => o.status === 'rejected').length,
    })
  }
  return rows
}
