/**
 * camunda-edge-auth/node: a token store and lock in a folder, for scripts and CLIs that run again
 * and again on one machine (cron, a shell loop). Node-only (`node:fs`), and Deno through its
 * `node:` modules. Records sealed like every persistent store's; files `0600` in a `0700` folder;
 * a folder that other users can write is refused.
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
 * @module camunda-edge-auth/node
 */
export { fileStore, type FileStoreOptions } from './node/file-store.ts'
export { fileLockCoordinator, type FileLockOptions } from './node/file-lock.ts'
