/**
 * A lock across processes on one machine, held as a lock file beside the file store's records:
 * two runs of a script started at the same moment send one token request.
 *
 * - **Taking it**: create `<record name>.lock` with `wx` (fails if it exists: one winner), mode
 *   `0600`, holding a random owner.
 * - **Waiting**: the others try again every `pollMs` (with jitter) until they take it, `waitMs`
 *   passes, or `createAuth` stops waiting (its `lockTimeoutMs`); then `createAuth` refreshes
 *   without the lock and emits `coordinator_error`. The refresh under the lock re-reads the store,
 *   finds the holder's token and sends nothing.
 * - **A stale lock** (its file last written more than `staleMs` ago: the holder was killed) is
 *   broken: renamed aside, which only one waiter can do, then deleted. A waiter that finds it moved
 *   a fresh lock instead (another waiter broke the stale one and took the lock between) puts it back.
 * - **Holding it**: the holder touches the lock file every `staleMs / 3`, so a slow but live holder
 *   never looks stale.
 * - **Releasing it**: the holder reads the lock, and only if it is its own renames it aside,
 *   checks it again and deletes it (putting back one that changed meanwhile), so a holder whose lock
 *   was broken cannot release the next holder's.
 * - **Failures** (a read-only or refused folder): `withLock` throws `CoordinatorUnavailableError`,
 *   and `createAuth` refreshes without the lock.
 * @module
 */

import { link, open, readFile, rename, stat, unlink, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import { CoordinatorUnavailableError } from '../errors.ts'
import { positiveMs } from '../lib/positive-ms.ts'
import { errorMessage } from '../lib/error-message.ts'
import { sleep } from '../lib/sleep.ts'
import type { Coordinator } from '../types.ts'
import { fileNameOf } from './file-store.ts'
import { secureDir } from './secure-dir.ts'

/**
 * Options of `fileLockCoordinator`.
 *
 * @example
 * ```ts
 * fileLockCoordinator(dir, { staleMs: 15_000, pollMs: 25 })
 * ```
 */
export interface FileLockOptions {
  /**
   * A lock file older than this is a dead holder's and is broken. Default 12 s: above
   * `createAuth`'s `timeoutMs` (10 s), so a slow but live holder is not doubled, and below its
   * `lockTimeoutMs` (15 s), so waiters break a killed holder's lock before they give up on it.
   */
  readonly staleMs?: number
  /** The longest wait for another process's lock before refreshing without it. Default `staleMs` + 2 s. */
  readonly waitMs?: number
  /** About how often a waiting process tries the lock again (± half, at random). Default 25 ms. */
  readonly pollMs?: number
}

/**
 * A `Coordinator` that serialises token refreshes across processes through lock files in `dir`.
 * Give it the folder of the `fileStore` it goes with.
 *
 * @example
 * ```ts
 * import { createAuth, parseCredentials } from 'camunda-edge-auth'
 * import { fileLockCoordinator, fileStore } from 'camunda-edge-auth/node'
 *
 * const credentials = parseCredentials(process.env)
 * const auth = createAuth({ credentials, store: fileStore(dir, { credentials }), coordinator: fileLockCoordinator(dir) })
 * ```
 */
export function fileLockCoordinator(dir: string, options: FileLockOptions = {}): Coordinator {
  const staleMs = options.staleMs ?? 12_000
  const waitMs = options.waitMs ?? staleMs + 2_000
  const pollMs = options.pollMs ?? 25
  positiveMs('fileLockCoordinator', { staleMs, waitMs, pollMs })

  return {
    async withLock(key, fn, lockOptions) {
      const signal = lockOptions?.signal
      const path = join(dir, `${fileNameOf(key)}.lock`)
      const owner = crypto.randomUUID()
      const deadline = Date.now() + waitMs
      try {
        await secureDir(dir, 'fileLockCoordinator')
      } catch (error) {
        throw new CoordinatorUnavailableError(`no lock file: ${errorMessage(error)}`, { cause: error })
      }
      for (;;) {
        if (signal?.aborted) throw new CoordinatorUnavailableError('the wait for the lock file was withdrawn')
        let taken: boolean
        try {
          taken = (await create(path, owner)) || ((await breakIfStale(path, owner, staleMs)) && (await create(path, owner)))
        } catch (error) {
          throw new CoordinatorUnavailableError(`the lock file could not be written: ${errorMessage(error)}`, { cause: error })
        }
        if (taken) {
          // A live holder keeps its lock fresh, so only a dead one's ever looks stale: a slow token
          // request must not hand the lock to a second process.
          const beat = setInterval(() => {
            const at = new Date()
            utimes(path, at, at).catch(() => {})
          }, staleMs / 3)
          beat.unref?.()
          try {
            return await fn()
          } finally {
            clearInterval(beat)
            await release(path, owner).catch(() => {}) // a lock left behind is stale after staleMs
          }
        }
        const left = deadline - Date.now()
        if (left <= 0) throw new CoordinatorUnavailableError(`no lock file for the token refresh within ${waitMs} ms`)
        await sleep(Math.min(left, pollMs * (0.5 + Math.random())))
      }
    },
  }
}

/** Creates the lock file holding `owner`; false when it exists already. */
async function create(path: string, owner: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(path, 'wx', 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
  try {
    await handle.writeFile(owner)
  } finally {
    await handle.close()
  }
  return true
}

/**
 * Breaks the lock at `path` if it is older than `staleMs`: renames it aside (one waiter wins),
 * and if what it moved turns out fresh, links it back. True when the caller should try to create.
 */
async function breakIfStale(path: string, owner: string, staleMs: number): Promise<boolean> {
  const before = await stat(path).catch(() => undefined)
  if (!before) return true // released meanwhile
  if (Date.now() - before.mtimeMs <= staleMs) return false
  const aside = `${path}.${owner}.stale`
  try {
    await rename(path, aside)
  } catch {
    return false // another waiter broke it first
  }
  const moved = await stat(aside)
  if (moved.ino !== before.ino || moved.mtimeMs !== before.mtimeMs) await link(aside, path).catch(() => {})
  await unlink(aside)
  return true
}

/**
 * Deletes the lock at `path` if it is `owner`'s. Someone else's (ours was broken) is left alone: it
 * is read first, so `path` is only ever emptied for a lock that was ours a moment before; one that
 * changed in that moment is put back.
 */
async function release(path: string, owner: string): Promise<void> {
  if ((await readFile(path, 'utf8').catch(() => '')) !== owner) return
  const aside = `${path}.${owner}.release`
  await rename(path, aside)
  const holder = await readFile(aside, 'utf8').catch(() => '')
  if (holder !== owner) await link(aside, path).catch(() => {})
  await unlink(aside)
}
