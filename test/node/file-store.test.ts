/**
 * camunda-edge-auth/node's fileStore and fileLockCoordinator: a script run again and again from
 * cron, processes started together, the permissions of what it writes, folders it must refuse, a
 * read-only folder (a real read-only mount), a stale lock left by a killed holder.
 */
import { execFileSync } from 'node:child_process'
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAuth, CoordinatorUnavailableError, InvalidArgumentError, parseCredentials, type AuthEvent } from '../../src/index.ts'
import { listenDevAuthServer, type ListeningDevAuthServer } from '../../src/dev-server-node.ts'
import { devCredentials } from '../../src/dev-server.ts'
import { fileLockCoordinator, fileStore } from '../../src/node.ts'
import { storeKey } from '../../src/token/store-key.ts'
import { runInARow, startFleet } from '../../bench/fleet/fleet.ts'
import { clientKey } from '../helpers/keys.ts'

let dev: ListeningDevAuthServer
let root: string
beforeAll(async () => {
  dev = await listenDevAuthServer({ rateLimit: false, tokenLifetimeSeconds: 300 })
  root = await mkdtemp(join(tmpdir(), 'file-store-test-'))
})
afterAll(async () => {
  await dev?.close()
  await rm(root, { recursive: true, force: true })
})

let dirs = 0
const freshDir = () => join(root, `run${++dirs}`, 'camunda-edge-auth')
const credentials = () => parseCredentials(devCredentials(dev.url))
const mode = async (path: string) => (await stat(path)).mode & 0o777

function withStore(dir: string, events: AuthEvent[] = []) {
  return createAuth({
    credentials: credentials(),
    store: fileStore(dir, { credentials: credentials() }),
    coordinator: fileLockCoordinator(dir),
    onEvent: (event) => events.push(event),
  })
}

describe('fileStore for scripts that run again and again', () => {
  it('a script run 5 times in a row (5 fresh node processes) makes 1 token request', async () => {
    const dir = freshDir()
    const before = dev.server.requests()
    const outcomes = await runInARow(5, { mode: 'file', dir }, { tokenUrl: dev.tokenUrl })
    expect(outcomes.every((o) => o.ok)).toBe(true)
    expect(new Set(outcomes.map((o) => (o.ok ? o.token : ''))).size).toBe(1)
    expect(dev.server.requests() - before).toBe(1)
    console.log(`[file store] a script run 5 times in a row: ${dev.server.requests() - before} token request`)
  }, 120_000)

  it('4 processes started together make 1 token request (the lock file)', async () => {
    const dir = freshDir()
    const fleet = await startFleet(4, { tokenUrl: dev.tokenUrl })
    try {
      dev.server.inject({ delayMs: 200 })
      const before = dev.server.requests()
      const outcomes = await fleet.round({ mode: 'file', dir })
      expect(outcomes).toHaveLength(4)
      expect(new Set(outcomes.map((o) => (o.ok ? o.token : o.message))).size).toBe(1)
      expect(dev.server.requests() - before).toBe(1)
      console.log(`[file store] 4 processes started together: ${dev.server.requests() - before} token request`)
    } finally {
      await fleet.stop()
    }
  }, 120_000)

  it('one file per store key, 0600, in a folder made 0700; a record sealed, with no lock or temp file left', async () => {
    const dir = freshDir()
    const auth = withStore(dir)
    const token = await auth.getToken('zeebe')
    await auth.getToken('operate')
    expect(await mode(dir)).toBe(0o700)
    const files = (await readdir(dir)).sort()
    const names = await Promise.all(
      ['zeebe.camunda.io', 'operate.camunda.io'].map(async (a) => `${(await storeKey(credentials(), a)).replaceAll(':', '_')}.json`),
    )
    expect(files).toEqual(names.sort())
    for (const file of files) {
      expect(await mode(join(dir, file))).toBe(0o600)
      const text = await readFile(join(dir, file), 'utf8')
      expect(JSON.parse(text)).toEqual({ expiresAt: expect.any(Number), record: { sealed: expect.any(String) } })
      expect(text).not.toContain(token)
    }
  })

  it('a writer never leaves half a record: concurrent writes and reads see whole records only', async () => {
    const dir = freshDir()
    const store = fileStore(dir, { credentials: credentials() })
    const key = await storeKey(credentials(), 'zeebe.camunda.io')
    const record = (n: number) => ({
      v: 1 as const,
      key,
      token: { accessToken: `eyJ${'a'.repeat(4_000)}.${n}`, expiresAt: Date.now() + 60_000, receivedAt: Date.now() },
    })
    const reads: unknown[] = []
    await Promise.all([
      ...Array.from({ length: 20 }, (_, n) => store.set(key, record(n), 60_000)),
      ...Array.from({ length: 20 }, async () => reads.push(await store.get(key))),
    ])
    for (const read of reads) if (read !== undefined) expect(read).toMatchObject({ v: 1, key })
    expect((await readdir(dir)).filter((file) => file.endsWith('.tmp'))).toEqual([])
  })
})

describe('folders fileStore refuses or cannot use: store_error, then memory', () => {
  it('a folder other users can write (0777, 0770) is refused: nothing is written there, tokens still served', async () => {
    for (const bits of [0o777, 0o770]) {
      const dir = freshDir()
      await mkdir(dir, { recursive: true })
      await chmod(dir, bits)
      const events: AuthEvent[] = []
      const auth = withStore(dir, events)
      const token = await auth.getToken()
      expect(await auth.getToken()).toBe(token)
      expect(await readdir(dir)).toEqual([])
      const refusal = events.find((e) => e.type === 'store_error')
      expect(refusal).toMatchObject({
        message: expect.stringMatching(new RegExp(`can be written by other users \\(mode 0${bits.toString(8)}\\)`)),
      })
      expect(events.some((e) => e.type === 'coordinator_error')).toBe(true)
    }
  })

  it('a folder that belongs to another user is refused (run as root: chown to nobody)', async () => {
    const dir = freshDir()
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const asRoot = process.getuid?.() === 0
    if (asRoot) await chown(dir, 65534, 65534)
    const events: AuthEvent[] = []
    await withStore(dir, events).getToken()
    const errors = events.filter((e) => e.type === 'store_error')
    // Not root: the folder is this user's own and is used; the check is proven where the test can chown.
    if (asRoot) expect(errors[0]).toMatchObject({ message: expect.stringMatching(/belongs to user 65534, not to this user \(0\)/) })
    else expect(errors).toEqual([])
  })

  it('a missing folder that cannot be made (its parent is a file): store_error, then memory', async () => {
    const parent = join(root, `file${++dirs}`)
    await writeFile(parent, 'not a folder')
    const events: AuthEvent[] = []
    const auth = withStore(join(parent, 'tokens'), events)
    const before = dev.server.requests()
    const token = await auth.getToken()
    expect(await auth.getToken()).toBe(token)
    expect(dev.server.requests() - before).toBe(1)
    expect(events.filter((e) => e.type === 'store_error').map((e) => e.type === 'store_error' && e.message)).toContainEqual(
      expect.stringMatching(/ENOTDIR/),
    )
  })

  describe('a read-only folder (a read-only tmpfs mount)', () => {
    const dir = join(tmpdir(), `file-store-ro-${process.pid}`)
    const mount = (options: string) => execFileSync('mount', ['-t', 'tmpfs', '-o', `${options},size=1m,mode=0700`, 'tmpfs', dir])
    beforeAll(async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 })
      try {
        mount('rw')
      } catch (error) {
        // Without a mount (not root), a folder this user cannot write: what chmod 0500 is for a non-root user.
        if (process.getuid?.() === 0) throw error
        await chmod(dir, 0o500)
      }
    })
    afterAll(async () => {
      try {
        execFileSync('umount', [dir])
      } catch {}
      await chmod(dir, 0o700).catch(() => {})
      await rm(dir, { recursive: true, force: true })
    })
    const remount = (options: string) => {
      try {
        execFileSync('mount', ['-o', `remount,${options}`, dir])
      } catch {}
    }

    it('degrades: the token is fetched and kept in memory, each failed write a store_error; a record already there is still read', async () => {
      // A record written while the folder was writable…
      remount('rw')
      const writer = withStore(dir)
      const stored = await writer.getToken()
      remount('ro')
      // …is read by the next run, with no request.
      const events: AuthEvent[] = []
      const reader = withStore(dir, events)
      const before = dev.server.requests()
      expect(await reader.getToken()).toBe(stored)
      expect(dev.server.requests() - before).toBe(0)
      // A new token cannot be written: store_error, then memory.
      await reader.invalidate()
      const fresh = await reader.getToken()
      expect(fresh).not.toBe(stored)
      expect(await reader.getToken()).toBe(fresh)
      expect(dev.server.requests() - before).toBe(1)
      const failed = events.filter((e) => e.type === 'store_error')
      expect(failed.map((e) => e.type === 'store_error' && e.operation)).toEqual(expect.arrayContaining(['delete', 'set']))
      expect(failed.every((e) => e.type === 'store_error' && /EROFS|EACCES/.test(e.message))).toBe(true)
      expect(events.some((e) => e.type === 'coordinator_error' && /EROFS|EACCES/.test(e.message))).toBe(true)
    })
  })
})

describe('fileLockCoordinator', () => {
  it('breaks a stale lock left by a killed holder, and only after staleMs', async () => {
    const dir = freshDir()
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const key = 'camunda-edge-auth:v2:stale'
    const lock = join(dir, 'camunda-edge-auth_v2_stale.lock')
    await writeFile(lock, 'a-killed-holder', { mode: 0o600 })
    // Fresh: waited for, then given up on.
    await expect(fileLockCoordinator(dir, { staleMs: 5_000, waitMs: 150 }).withLock(key, async () => 'ran')).rejects.toBeInstanceOf(
      CoordinatorUnavailableError,
    )
    // Older than staleMs: broken, taken, released.
    const past = new Date(Date.now() - 10_000)
    await utimes(lock, past, past)
    expect(await fileLockCoordinator(dir, { staleMs: 5_000 }).withLock(key, async () => 'ran')).toBe('ran')
    expect(await readdir(dir)).toEqual([])
  })

  it('a holder whose lock went stale does not release the next holder’s lock', async () => {
    const dir = freshDir()
    const key = 'camunda-edge-auth:v2:overlap'
    const lock = join(dir, 'camunda-edge-auth_v2_overlap.lock')
    const slow = fileLockCoordinator(dir, { staleMs: 100 })
    let release!: () => void
    let second!: Promise<unknown>
    await slow.withLock(key, async () => {
      const past = new Date(Date.now() - 1_000)
      await utimes(lock, past, past) // as if the holder had been paused past staleMs
      second = fileLockCoordinator(dir, { staleMs: 100 }).withLock(key, () => new Promise<void>((resolve) => (release = resolve)))
      // The second breaks the stale lock and takes it.
      for (let i = 0; i < 200 && !release; i++) await new Promise((resolve) => setTimeout(resolve, 10))
      expect(release).toBeDefined()
    })
    // The first holder's release ran: the second holder's lock file is still there.
    expect(await readdir(dir)).toContain('camunda-edge-auth_v2_overlap.lock')
    release()
    await second
    expect(await readdir(dir)).toEqual([])
  })

  it('wrong options are InvalidArgumentErrors naming the option; fileStore without a key refuses to store in clear', () => {
    expect(() => fileLockCoordinator(root, { staleMs: 0 })).toThrow(InvalidArgumentError)
    expect(() => fileLockCoordinator(root, { pollMs: Number.NaN })).toThrow(/pollMs must be a number of milliseconds > 0/)
    expect(() => fileStore(root, {} as never)).toThrow(/pass `credentials`/)
  })
})

describe('fileLockCoordinator under holders slower than staleMs', () => {
  it('a live holder keeps its lock however long it takes, and a release never frees another holder: no two holders at once', async () => {
    const dir = freshDir()
    const staleMs = 150
    let inside = 0
    let overlaps = 0
    let runs = 0
    const worker = async (seed: number) => {
      const coordinator = fileLockCoordinator(dir, { staleMs, pollMs: 2, waitMs: 3_000 })
      for (let i = 0; i < 12; i++) {
        await coordinator
          .withLock('camunda-edge-auth:v2:overlap-race', async () => {
            runs++
            if (inside++ > 0) overlaps++
            // Every third holder outlives staleMs while alive, as a slow token request would.
            await new Promise((resolve) => setTimeout(resolve, (seed + i) % 3 === 0 ? staleMs + 40 : 3))
            inside--
          })
          .catch(() => {}) // a waiter that gave up refreshes without the lock: not counted here
      }
    }
    await Promise.all(Array.from({ length: 6 }, (_, seed) => worker(seed)))
    expect(runs).toBeGreaterThan(30)
    expect(overlaps).toBe(0)
  }, 60_000)
})

describe('fileStore for a bundle without a client secret', () => {
  it('private_key_jwt: the key is derived from the private key, and the file holds neither it nor the token', async () => {
    const key = await clientKey('ES256')
    const server = await listenDevAuthServer({ rateLimit: false, clients: [{ clientId: 'kj-client', jwks: { keys: [key.publicJwk] } }] })
    try {
      const bundle = { ...devCredentials(server.url, { clientId: 'kj-client' }), CAMUNDA_CLIENT_ASSERTION_KEY: key.pem }
      const dir = freshDir()
      const run = () => {
        const credentials = parseCredentials(bundle)
        return createAuth({ credentials, store: fileStore(dir, { credentials }) }).getToken()
      }
      const token = await run()
      expect(await run()).toBe(token)
      expect(server.server.requests()).toBe(1)
      const files = await readdir(dir)
      const raw = (await Promise.all(files.map((file) => readFile(join(dir, file), 'utf8')))).join('\n')
      expect(raw).not.toContain(token.split('.')[1])
      expect(raw).not.toContain(key.pem.split('\n')[1])
    } finally {
      await server.close()
    }
  })

  it('another private key reads the same file as having no token (the store key and the sealing key both follow the key)', async () => {
    const [first, second] = [await clientKey('ES256'), await clientKey('ES256')]
    const server = await listenDevAuthServer({
      rateLimit: false,
      clients: [{ clientId: 'kj-client', jwks: { keys: [first.publicJwk, second.publicJwk] } }],
    })
    try {
      const dir = freshDir()
      const run = (key: typeof first) => {
        const credentials = parseCredentials({
          ...devCredentials(server.url, { clientId: 'kj-client' }),
          CAMUNDA_CLIENT_ASSERTION_KEY: key.pem,
          CAMUNDA_CLIENT_ASSERTION_KEY_ID: key.publicJwk.kid,
        })
        return createAuth({ credentials, store: fileStore(dir, { credentials }) }).getToken()
      }
      expect(await run(first)).not.toBe(await run(second))
      expect(server.server.requests()).toBe(2)
    } finally {
      await server.close()
    }
  })
})
