/**
 * A fleet of real Node processes (`child_process.fork` of `bench/fleet/child.ts` under tsx), each
 * connected to one Redis and one token endpoint: the tests of `camunda-edge-auth/redis` and
 * `/node` and bench W7 start rounds on all of them at the same moment and read back who requested
 * and what each got.
 * @module
 */

import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ChildMessage, Round } from './protocol.ts'

export type { FleetMode, Round } from './protocol.ts'

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** What one process got in one round. */
export type Outcome =
  | { readonly index: number; readonly ok: true; readonly token: string; readonly ms: number; readonly events: readonly string[] }
  | { readonly index: number; readonly ok: false; readonly message: string; readonly ms: number; readonly events: readonly string[] }

/** Where the children go. */
export interface FleetOptions {
  /** The dev server's token URL. */
  readonly tokenUrl: string
  /** `redis://…`; without it the children have no Redis. */
  readonly redisUrl?: string
}

/**
 * N live processes.
 *
 * @example
 * ```ts
 * const fleet = await startFleet(12, { tokenUrl: dev.tokenUrl, redisUrl: redis.url })
 * const outcomes = await fleet.round({ mode: 'redis', prefix: 'r1:' })
 * await fleet.stop()
 * ```
 */
export interface Fleet {
  readonly size: number
  /** Every process makes a fresh auth object at the same moment and gets a token. */
  round(round: Round, options?: { onRequesting?: (index: number) => void }): Promise<Outcome[]>
  /** Kills process `index` with SIGKILL; its round outcome is then left out. */
  kill(index: number): void
  /** Resolves when every live process's Redis connections answer PING again. */
  redisReady(): Promise<void>
  stop(): Promise<void>
}

interface Member {
  readonly index: number
  readonly child: ChildProcess
  killed: boolean
}

/** Forks one child and resolves once it says it is ready (connected to Redis). */
function spawnChild(index: number, options: FleetOptions): Promise<Member> {
  const child = fork(CHILD, [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      FLEET_TOKEN_URL: options.tokenUrl,
      ...(options.redisUrl && { FLEET_REDIS_URL: options.redisUrl }),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`fleet process ${index} exited (${code}) before it was ready`))
    child.once('exit', onExit)
    child.once('message', (message: ChildMessage) => {
      child.off('exit', onExit)
      if (message.type === 'ready') resolve({ index, child, killed: false })
      else reject(new Error(`fleet process ${index} said ${message.type} first`))
    })
  })
}

/**
 * Forks `size` processes and waits until each is connected.
 *
 * @example
 * ```ts
 * const fleet = await startFleet(4, { tokenUrl })
 * ```
 */
export async function startFleet(size: number, options: FleetOptions): Promise<Fleet> {
  const members = await Promise.all(Array.from({ length: size }, (_, index) => spawnChild(index, options)))
  const live = () => members.filter((m) => !m.killed)

  return {
    size,
    async round(round, roundOptions) {
      const outcomes = live().map(
        (member) =>
          new Promise<Outcome | undefined>((resolve) => {
            const onExit = () => {
              member.child.off('message', onMessage)
              resolve(undefined)
            }
            const onMessage = (message: ChildMessage) => {
              if (message.type === 'requesting') return roundOptions?.onRequesting?.(member.index)
              if (message.type !== 'token' && message.type !== 'failed') return
              member.child.off('message', onMessage)
              member.child.off('exit', onExit)
              resolve(
                message.type === 'token'
                  ? { index: member.index, ok: true, token: message.token, ms: message.ms, events: message.events }
                  : { index: member.index, ok: false, message: message.message, ms: message.ms, events: message.events },
              )
            }
            member.child.on('message', onMessage)
            member.child.once('exit', onExit)
          }),
      )
      // Sent in one loop, after every listener is in place: the processes start together.
      for (const member of live()) member.child.send({ type: 'go', round })
      return (await Promise.all(outcomes)).filter((o): o is Outcome => o !== undefined)
    },
    kill(index) {
      const member = members[index]!
      member.killed = true
      member.child.kill('SIGKILL')
    },
    async redisReady() {
      await Promise.all(
        live().map(
          (member) =>
            new Promise<void>((resolve) => {
              const onMessage = (message: ChildMessage) => {
                if (message.type !== 'redis-ready') return
                member.child.off('message', onMessage)
                resolve()
              }
              member.child.on('message', onMessage)
              member.child.send({ type: 'await-redis' })
            }),
        ),
      )
    },
    async stop() {
      await Promise.all(
        members.map(
          (member) =>
            new Promise<void>((resolve) => {
              if (member.child.exitCode !== null || member.child.signalCode !== null) return resolve()
              member.child.once('exit', () => resolve())
              if (member.killed) return
              member.child.send({ type: 'exit' })
              setTimeout(() => member.child.kill('SIGKILL'), 3_000).unref()
            }),
        ),
      )
    },
  }
}

/**
 * Runs one process per run, one after another, each a fresh `node` (a script run from cron N
 * times): what each got.
 *
 * @example
 * ```ts
 * const outcomes = await runInARow(5, { mode: 'file', dir }, { tokenUrl })
 * ```
 */
export async function runInARow(times: number, round: Round, options: FleetOptions): Promise<Outcome[]> {
  const outcomes: Outcome[] = []
  for (let run = 0; run < times; run++) {
    const fleet = await startFleet(1, options)
    try {
      const [outcome] = await fleet.round(round)
      outcomes.push({ ...outcome!, index: run })
    } finally {
      await fleet.stop()
    }
  }
  return outcomes
}
