/**
 * The folder a file store and its lock files live in: made `0700` when missing, refused when
 * anyone but its owner can write it (a world-writable `/tmp`, a group-writable share). A token
 * file in such a folder could be swapped, deleted or pre-planted by another user, and the lock
 * files held by them.
 * @module
 */

import { mkdir, stat } from 'node:fs/promises'

/**
 * An error whose message is built here from fixed text, the folder's path and its mode: safe to
 * carry in a `store_error` or `coordinator_error` as it is.
 */
export class UnsafeFolderError extends Error {
  override readonly name = 'UnsafeFolderError'
}

/**
 * Makes `dir` (and its parents) with mode `0700` if it is missing, then checks it: a folder, owned
 * by this user where the platform has owners, writable by no one else. Throws `UnsafeFolderError`
 * naming what is wrong and how to fix it; a folder that cannot be made throws the file system's
 * error (read-only parent, no permission).
 */
export async function secureDir(dir: string, where: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const info = await stat(dir)
  if (!info.isDirectory()) throw new UnsafeFolderError(`${where}: ${dir} is not a folder`)
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined
  if (uid !== undefined && info.uid !== uid) {
    throw new UnsafeFolderError(`${where}: ${dir} belongs to user ${info.uid}, not to this user (${uid}); use a folder of your own`)
  }
  // Windows has no such bits (the mode reads 0o666/0o777 there); its ACLs are the user profile's.
  if (process.platform !== 'win32' && (info.mode & 0o022) !== 0) {
    const mode = (info.mode & 0o7777).toString(8).padStart(4, '0')
    throw new UnsafeFolderError(
      `${where}: ${dir} can be written by other users (mode ${mode}); use a folder only you can write (chmod 700 ${dir}, or a folder under your home)`,
    )
  }
}
