/**
 * The package as users get it: `npm pack` (its `prepack` builds `dist/`), then `npm install` of
 * the tarball into an empty temp project, dependencies from the registry. Shared by the package
 * tests (one install per test run, in `test/package/global-setup.ts`) and `npm run bench` (W5).
 * @module
 */

import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('..', import.meta.url))

/**
 * Pinned to the versions this repository's lockfile installed, so the measured bytes change only
 * with the code or a deliberate dependency update, never with a registry publish.
 */
const PINNED = ['jose', 'zod', 'idb-keyval'] as const
/** An anchor the bundle sizes are compared with; not a dependency of the package. */
const ANCHORS = ['oauth4webapi'] as const

/**
 * An empty project with the packed tarball installed.
 *
 * @example
 * ```ts
 * const project = await installPackedPackage()
 * try { console.log(project.dir) } finally { await project.remove() }
 * ```
 */
export interface PackedProject {
  /** The project directory: `node_modules/camunda-edge-auth` is the unpacked tarball. */
  readonly dir: string
  /** The tarball's absolute path (inside `dir`). */
  readonly tarball: string
  /** Delete the project. */
  remove(): Promise<void>
}

/**
 * Environment for the child npm: the outer `npm test` exports `npm_config_*` and `npm_package_*`
 * (its own prefix among them), which would point the nested install back at this repository.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig'])
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_') || keep.has(key)))
}

async function installedVersion(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
  return manifest.version
}

/**
 * Pack this repository and install the tarball into a fresh temp project (about 10 s with a warm
 * npm cache). The caller removes it.
 *
 * @example
 * ```ts
 * const { dir, remove } = await installPackedPackage()
 * ```
 */
export async function installPackedPackage(): Promise<PackedProject> {
  const dir = await mkdtemp(join(tmpdir(), 'camunda-edge-auth-packed-'))
  const remove = () => rm(dir, { recursive: true, force: true })
  try {
    const env = npmEnv()
    await run('npm', ['pack', '--pack-destination', dir, '--loglevel=error'], { cwd: ROOT, env, maxBuffer: 16 << 20 })
    const tarball = (await readdir(dir)).find((file) => file.endsWith('.tgz'))
    if (!tarball) throw new Error(`npm pack wrote no tarball into ${dir}`)
    const version = async (names: readonly string[]) =>
      Object.fromEntries(await Promise.all(names.map(async (name) => [name, await installedVersion(name)] as const)))
    const manifest = {
      name: 'packed-consumer',
      private: true,
      type: 'module',
      dependencies: { 'camunda-edge-auth': `file:./${tarball}`, ...(await version(ANCHORS)) },
      overrides: await version(PINNED),
    }
    await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
      cwd: dir,
      env,
      maxBuffer: 16 << 20,
    })
    return { dir, tarball: join(dir, tarball), remove }
  } catch (error) {
    await remove()
    throw error
  }
}
