/**
 * A token store in a folder, for scripts and CLIs that run again and again on one machine (cron,
 * a shell loop, CI steps): the second run finds the first run's token on disk and sends nothing.
 * Node and Deno (through its `node:` modules).
 *
 * - **Layout**: one file per store key, `<store key with ':' as '_'>.json` (the store key is a
 *   SHA-256 hash: a file name names no client, audience or secret).
 * - **Writes** go to a temp file in the same folder (`wx`, mode `0600`), flushed, then renamed
 *   over the record: a reader sees the old record or the new one, never half of one.
 * - **Permissions**: files `0600`, the folder `0700` when this store makes it; a folder that other
 *   users can write is refused (`secureDir`).
 * - **Records** are sealed like every persistent store's (`encryptedStore`, a key derived from the
 *   client secret): a copied folder holds no usable token.
 * - **Failures** (a read-only or missing folder that cannot be made, a refused folder, a full
 *   disk): the operation throws, `createAuth` emits `store_error` and keeps the token in memory.
 * @module
 */

import { open, readFile, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { isObject } from '../lib/is-object.ts'
import { parseJson } from '../lib/parse-json.ts'
import { encryptedStore, storeEncryptionKey, type EncryptionKeySource } from '../stores/encrypted.ts'
import type { Credentials, TokenStore } from '../types.ts'
import { secureDir } from './secure-dir.ts'

/**
 * Options of `fileStore`. One of `credentials` or `encryptionKey` is required: records are never
 * written in clear.
 *
 * @example
 * ```ts
 * fileStore(join(homedir(), '.cache', 'camunda-edge-auth'), { credentials })
 * ```
 */
export interface FileStoreOptions {
  /** The parsed credentials: the encryption key is derived from their client secret (HKDF). */
  readonly credentials?: Credentials
  /** An explicit AES-GCM key (or a function making one) instead of deriving it from the secret. */
  readonly encryptionKey?: EncryptionKeySource
}

/** The file name of a store key: safe on every file system (no `:`), one name per package key. */
export function fileNameOf(storeKey: string): string {
  return storeKey.replace(/[^A-Za-z0-9._-]/g, '_')
}

/**
 * A `TokenStore` in the folder `dir`: one sealed file per store key, written atomically, `0600`
 * in a `0700` folder. Pair it with `fileLockCoordinator(dir)` so that processes started together
 * send one token request.
 *
 * @example
 * ```ts
 * import { homedir } from 'node:os'
 * import { join } from 'node:path'
 * import { createAuth, parseCredentials } from 'camunda-edge-auth'
 * import { fileLockCoordinator, fileStore } from 'camunda-edge-auth/node'
 *
 * const dir = join(homedir(), '.cache', 'camunda-edge-auth')
 * const credentials = parseCredentials(process.env)
 * const auth = createAuth({ credentials, store: fileStore(dir, { credentials }), coordinator: fileLockCoordinator(dir) })
 * ```
 */
export function fileStore(dir: string, options: FileStoreOptions): TokenStore {
  const encryptionKey = storeEncryptionKey('fileStore', options)
  const pathOf = (storeKey: string) => join(dir, `${fileNameOf(storeKey)}.json`)
  const raw: TokenStore = {
    async get(storeKey) {
      await secureDir(dir, 'fileStore')
      let text: string
      try {
        text = await readFile(pathOf(storeKey), 'utf8')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw error
      }
      const value = parseJson(text)
      if (!isObject(value)) return text // not ours: reported as a record that does not open, then replaced
      if (typeof value.expiresAt === 'number' && value.expiresAt <= Date.now()) {
        await unlink(pathOf(storeKey)).catch(() => {})
        return undefined
      }
      return value.record
    },
    async set(storeKey, record, ttlMs) {
      await secureDir(dir, 'fileStore')
      const path = pathOf(storeKey)
      const temp = `${path}.${process.pid}.${crypto.randomUUID()}.tmp`
      const handle = await open(temp, 'wx', 0o600)
      try {
        await handle.writeFile(JSON.stringify({ expiresAt: Date.now() + ttlMs, record }))
        await handle.sync()
      } catch (error) {
        await handle.close().catch(() => {})
        await unlink(temp).catch(() => {})
        throw error
      }
      await handle.close()
      try {
        await rename(temp, path)
      } catch (error) {
        await unlink(temp).catch(() => {})
        throw error
      }
    },
    async delete(storeKey) {
      await secureDir(dir, 'fileStore')
      try {
        await unlink(pathOf(storeKey))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
    },
  }
  return encryptedStore(raw, encryptionKey)
}
