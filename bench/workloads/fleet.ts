/**
 * W7 fleet: N real Node processes cold-start at the same moment against one token endpoint (and
 * one redis-server), each with empty memory; token requests and the time until all hold a token,
 * per way of sharing. Then a script run several times in a row (a fresh process each run), where
 * a disk cache is what applies.
 * @module
 */

import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { listenDevAuthServer } from '../../src/dev-server-node.ts'
import { runInARow, startFleet, type FleetMode, type Outcome } from '../fleet/fleet.ts'
import { redisStatus, startRedis } from '../fleet/redis-server.ts'
import { median } from '../stats.ts'

/** The settings of W7. */
export interface FleetSettings {
  readonly processes: number
  readonly rounds: number
  readonly runsInARow: number
  readonly latencyMs: number
}

/** One row of the cold start. */
export interface FleetRow {
  readonly client: string
  readonly mode: FleetMode
  readonly requestsPerRound: number[]
  readonly distinctTokensPerRound: number[]
  /** Median over the rounds of the time from the start signal until the last process held its token. */
  readonly msToAll: number
  readonly failed: number
}

/** One row of the runs in a row. */
export interface InARowRow {
  readonly client: string
  readonly mode: FleetMode
  readonly runs: number
  readonly requests: number
  /** Median over the runs of the time one run took to get its token (the process already started). */
  readonly msPerRun: number
  readonly failed: number
  /** The permission bits of the folder and of each file the runs left on disk, e.g. `0700`, `0600`. */
  readonly modes: { readonly folder: string | undefined; readonly files: string[] }
}

/** The permission bits of `dir` and of the files in it (none: `undefined`, `[]`). */
async function modesIn(dir: string): Promise<InARowRow['modes']> {
  const octal = async (path: string) => ((await stat(path)).mode & 0o777).toString(8).padStart(4, '0')
  const names = await readdir(dir).catch(() => [] as string[])
  return {
    folder: names.length > 0 || (await stat(dir).catch(() => undefined)) ? await octal(dir).catch(() => undefined) : undefined,
    files: [...new Set(await Promise.all(names.map((name) => octal(join(dir, name)))))],
  }
}

const COLD: readonly { client: string; mode: FleetMode }[] = [
  { client: 'no shared store (createAuth defaults)', mode: 'none' },
  { client: 'redisStore alone', mode: 'redis-store' },
  { client: 'redisStore + redisCoordinator', mode: 'redis' },
  { client: 'redisStore + redisCoordinator + pub/sub', mode: 'redis-pubsub' },
  { client: 'fileStore + fileLockCoordinator (one machine)', mode: 'file' },
  { client: '@camunda8/sdk OAuthProvider, disk cache', mode: 'sdk-disk' },
]

const IN_A_ROW: readonly { client: string; mode: FleetMode }[] = [
  { client: 'no shared store (createAuth defaults)', mode: 'none' },
  { client: 'fileStore + fileLockCoordinator', mode: 'file' },
  { client: '@camunda8/sdk OAuthProvider, disk cache', mode: 'sdk-disk' },
]

const failedIn = (outcomes: readonly Outcome[]) => outcomes.filter((o) => !o.ok).length

/**
 * Runs W7, or says why it was skipped (no redis-server).
 *
 * @example
 * ```ts
 * const w7 = await fleetWorkload({ processes: 12, rounds: 3, runsInARow: 5, latencyMs: 20 })
 * ```
 */
export async function fleetWorkload(
  settings: FleetSettings,
): Promise<{ skipped: string } | { coldStart: FleetRow[]; inARow: InARowRow[] }> {
  if (redisStatus.skip) return { skipped: redisStatus.reason }
  const redis = await startRedis()
  const dev = await listenDevAuthServer({ rateLimit: false, tokenLifetimeSeconds: 3600 })
  const scratch = await mkdtemp(join(tmpdir(), 'camunda-edge-auth-w7-'))
  let dirs = 0
  const freshDir = () => join(scratch, `dir${++dirs}`)
  const latency = (times: number) => dev.server.inject({ delayMs: settings.latencyMs, times })
  try {
    const fleet = await startFleet(settings.processes, { tokenUrl: dev.tokenUrl, redisUrl: redis.url })
    const coldStart: FleetRow[] = []
    try {
      for (const { client, mode } of COLD) {
        const row: FleetRow = { client, mode, requestsPerRound: [], distinctTokensPerRound: [], msToAll: 0, failed: 0 }
        const times: number[] = []
        for (let round = 0; round < settings.rounds; round++) {
          dev.server.faults.clear()
          latency(settings.processes)
          const before = dev.server.requests()
          const started = performance.now()
          const outcomes = await fleet.round({ mode, prefix: `w7-${mode}-${round}:`, dir: freshDir() })
          times.push(performance.now() - started)
          row.requestsPerRound.push(dev.server.requests() - before)
          row.distinctTokensPerRound.push(new Set(outcomes.flatMap((o) => (o.ok ? [o.token] : []))).size)
          ;(row as { failed: number }).failed += failedIn(outcomes)
        }
        coldStart.push({ ...row, msToAll: median(times) })
      }
    } finally {
      await fleet.stop()
    }

    const inARow: InARowRow[] = []
    for (const { client, mode } of IN_A_ROW) {
      dev.server.faults.clear()
      latency(settings.runsInARow)
      const before = dev.server.requests()
      const dir = freshDir()
      const outcomes = await runInARow(settings.runsInARow, { mode, dir }, { tokenUrl: dev.tokenUrl })
      inARow.push({
        client,
        mode,
        runs: settings.runsInARow,
        requests: dev.server.requests() - before,
        msPerRun: median(outcomes.map((o) => o.ms)),
        failed: failedIn(outcomes),
        modes: await modesIn(dir),
      })
    }
    return { coldStart, inARow }
  } finally {
    await dev.close()
    await redis.stop()
    await rm(scratch, { recursive: true, force: true })
  }
}
