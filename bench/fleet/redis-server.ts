/**
 * A real `redis-server` (Debian's package) for the tests and bench W7: started on a free loopback port with no
 * persistence, stopped, restarted on the same port. Missing redis-server skips the Redis tests
 * loudly on a developer machine; with `CI=true` they run and fail with the install hint, so CI can
 * never pass by skipping.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { createClient } from 'redis'

export const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? 'redis-server'
const INSTALL_HINT = 'redis-server is missing: apt-get install -y redis-server (or set REDIS_SERVER_PATH)'

function installed(): boolean {
  try {
    execFileSync(REDIS_SERVER, ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/**
 * Whether the Redis tests can run here.
 *
 * @example
 * ```ts
 * describe.skipIf(redisStatus.skip)('on a real Redis', () => { … })
 * ```
 */
export const redisStatus: { readonly skip: boolean; readonly reason: string } = (() => {
  if (installed()) return { skip: false, reason: '' }
  if (process.env.CI === 'true') return { skip: false, reason: INSTALL_HINT }
  console.warn(`\n*** SKIPPING real-Redis tests: ${INSTALL_HINT} ***\n`)
  return { skip: true, reason: INSTALL_HINT }
})()

/** A free TCP port on loopback (bound once and released; redis-server has no `--port 0`). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** A running redis-server of the tests' own. */
export interface TestRedis {
  readonly port: number
  /** `redis://127.0.0.1:<port>` */
  readonly url: string
  /** Stops the server (SIGTERM, then SIGKILL after 2 s); clients see their connection drop. */
  stop(): Promise<void>
  /** Starts it again on the same port, empty (no persistence). */
  start(): Promise<void>
  /** Every key and its value, as `KEYS *` and `GET` see them. */
  dump(): Promise<Record<string, string | null>>
}

/**
 * Starts a redis-server on a free loopback port: `--save ''`, `--appendonly no`, so nothing is
 * written to disk and a restart comes back empty.
 *
 * @example
 * ```ts
 * const redis = await startRedis()
 * try { … redis.url … } finally { await redis.stop() }
 * ```
 */
export async function startRedis(): Promise<TestRedis> {
  if (!installed()) throw new Error(INSTALL_HINT)
  const port = await freePort()
  let child: ChildProcess | undefined
  const url = `redis://127.0.0.1:${port}`

  const start = async () => {
    const started = spawn(
      REDIS_SERVER,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'yes',
        '--loglevel',
        'warning',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    child = started
    let stderr = ''
    started.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()))
    // Ready when it answers PING.
    for (let attempt = 0; ; attempt++) {
      if (started.exitCode !== null) throw new Error(`redis-server exited (${started.exitCode}): ${stderr}`)
      const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 500 } })
      client.on('error', () => {})
      try {
        await client.connect()
        await client.ping()
        await client.close()
        return
      } catch {
        client.destroy()
        if (attempt > 100) throw new Error(`redis-server on ${port} did not answer PING: ${stderr}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
  }

  const stop = async () => {
    const running = child
    child = undefined
    if (!running || running.exitCode !== null || running.signalCode !== null) return
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()))
    running.kill('SIGTERM')
    const timer = setTimeout(() => running.kill('SIGKILL'), 2_000)
    await exited
    clearTimeout(timer)
  }

  const dump = async () => {
    const client = createClient({ url })
    client.on('error', () => {})
    await client.connect()
    try {
      const keys = await client.keys('*')
      return Object.fromEntries(await Promise.all(keys.map(async (key) => [key, await client.get(key)] as const)))
    } finally {
      await client.close()
    }
  }

  await start()
  return { port, url, stop, start, dump }
}
