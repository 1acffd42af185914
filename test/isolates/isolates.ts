/**
 * Simulated isolates for the cross-isolate measurements: workerd processes (Miniflare) sharing one
 * persisted KV directory, or several Workers in one Miniflare bound to one Durable Object.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'

export type Mode = 'none' | 'lease' | 'durable-object'

const COMPATIBILITY_DATE = '2026-03-01'

/**
 * Passes workerd's output through, except its reports of SQLite lock contention between processes
 * sharing the KV directory: those operations are retried (see worker-entry.ts) and are noise here.
 */
function quietStdio(stdout: Readable, stderr: Readable): void {
  for (const [stream, sink] of [
    [stdout, process.stdout],
    [stderr, process.stderr],
  ] as const) {
    createInterface({ input: stream }).on('line', (line) => {
      if (!/SQLITE_BUSY|^stack: /.test(line)) sink.write(`${line}\n`)
    })
  }
}

/** The isolate Worker, bundled once. */
export async function bundleWorker(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./worker-entry.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  })
  return result.outputFiles[0]!.text
}

export interface Isolates {
  /** Sends the first request to every isolate at once; resolves with each answer. */
  coldStart(): Promise<{ token: string; events: string[] }[]>
  dispose(): Promise<void>
}

async function answers(responses: Promise<{ status: number; json(): Promise<unknown> }>[]) {
  return Promise.all(
    responses.map(async (pending) => {
      const response = await pending
      const body = (await response.json()) as { token: string; events: string[] }
      if (response.status !== 200) throw new Error(`isolate answered ${response.status}: ${JSON.stringify(body)}`)
      return body
    }),
  )
}

/** `count` Miniflare instances (separate workerd processes) sharing one persisted KV directory. */
export async function separateProcesses(
  script: string,
  count: number,
  mode: Exclude<Mode, 'durable-object'>,
  credentials: Record<string, string>,
): Promise<Isolates> {
  const kvPersist = await mkdtemp(join(tmpdir(), 'camunda-edge-auth-kv-'))
  const instances: Miniflare[] = []
  // One at a time: workerd opens the shared SQLite files at start-up, and concurrent starts collide.
  for (let i = 0; i < count; i++) {
    const mf = new Miniflare({
      modules: true,
      script,
      compatibilityDate: COMPATIBILITY_DATE,
      kvNamespaces: ['TOKENS'],
      kvPersist,
      handleRuntimeStdio: quietStdio,
      bindings: { CAMUNDA: JSON.stringify(credentials), MODE: mode },
    })
    instances.push(mf)
    await mf.ready
  }
  return {
    coldStart: () => answers(instances.map((mf) => mf.dispatchFetch('http://isolate.test/token'))),
    async dispose() {
      await Promise.all(instances.map((mf) => mf.dispose()))
      await rm(kvPersist, { recursive: true, force: true })
    },
  }
}

/** One Miniflare running `count` Workers (one isolate each), all bound to one KV namespace and one Durable Object. */
export async function workersInOneRuntime(
  script: string,
  count: number,
  mode: Mode,
  credentials: Record<string, string>,
): Promise<Isolates> {
  const names = Array.from({ length: count }, (_, i) => `isolate-${i}`)
  const mf = new Miniflare({
    workers: names.map((name) => ({
      name,
      modules: true,
      script,
      compatibilityDate: COMPATIBILITY_DATE,
      kvNamespaces: { TOKENS: 'tokens' },
      durableObjects: { TOKEN_LOCK: { className: 'TokenLockObject', scriptName: names[0]! } },
      bindings: { CAMUNDA: JSON.stringify(credentials), MODE: mode },
    })),
  })
  await mf.ready
  const workers = await Promise.all(names.map((name) => mf.getWorker(name)))
  return {
    coldStart: () => answers(workers.map((worker) => worker.fetch('http://isolate.test/token'))),
    dispose: () => mf.dispose(),
  }
}
