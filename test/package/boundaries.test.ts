/**
 * Boundaries, checked on the packed package the way jose's bundle report checks its own: code of
 * one feature must not leak into another's bundle. Each check reads the bundlers' module lists
 * (esbuild's metafile, rollup's chunk modules: only modules that put code into the output), and
 * each has a positive control, so a check cannot pass just because the module list is empty or
 * named differently.
 */
import { builtinModules } from 'node:module'
import { readdir } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { build } from 'esbuild'
import { describe, expect, inject, it } from 'vitest'
import { bundle, BUNDLERS, SIZE_CASES, type Bundle, type Bundler } from '../../bench/bundle-size.ts'

const project = inject('packedProject')
const dist = join(project, 'node_modules/camunda-edge-auth/dist')

const caseNamed = (name: string) => SIZE_CASES.find((c) => c.name === name)!
const paths = (built: Bundle) => built.modules.map((m) => m.path)

/** Which modules of `caseName`'s bundle match `pattern`. */
async function matching(caseName: string, bundler: Bundler, pattern: RegExp): Promise<string[]> {
  return paths(await bundle(project, caseNamed(caseName), bundler)).filter((path) => pattern.test(path))
}

const ZOD = /^zod\//
const IDB = /^idb-keyval\/|^camunda-edge-auth\/dist\/browser\/(indexeddb-store|idb-[^/]+)\.js$/
const DURABLE_OBJECT = /^camunda-edge-auth\/dist\/durable-object\//
/** A Redis client's own code (node-redis, ioredis), which the package never bundles; or this package's Redis adapters. */
const REDIS_CLIENT = /^(redis|@redis\/[^/]+|ioredis)\//
const REDIS_ADAPTERS = /^camunda-edge-auth\/dist\/redis\//

describe.each(BUNDLERS)('boundaries in %s', (bundler) => {
  it('the core (createAuth, memoryStore) bundles no zod; credentials+urls does', async () => {
    expect(await matching('core', bundler, ZOD)).toEqual([])
    expect(await matching('credentials+urls', bundler, ZOD)).not.toEqual([])
  })

  it('/workers bundles no IndexedDB or idb-keyval code; /browser does', async () => {
    expect(await matching('workers', bundler, IDB)).toEqual([])
    expect(await matching('browser', bundler, IDB)).not.toEqual([])
  })

  it('/browser bundles no Durable Object code (TokenCoordinator); /workers does', async () => {
    expect(await matching('browser', bundler, DURABLE_OBJECT)).toEqual([])
    expect(await matching('workers', bundler, DURABLE_OBJECT)).toContain('camunda-edge-auth/dist/durable-object/token-lock-object.js')
  })

  it("no entry bundles a Redis client (node-redis, ioredis are the user's); only /redis bundles the Redis adapters", async () => {
    for (const sizeCase of SIZE_CASES.filter((c) => !c.anchor)) {
      expect(await matching(sizeCase.name, bundler, REDIS_CLIENT), sizeCase.name).toEqual([])
      if (sizeCase.name !== 'redis') expect(await matching(sizeCase.name, bundler, REDIS_ADAPTERS), sizeCase.name).toEqual([])
    }
    expect(await matching('redis', bundler, REDIS_ADAPTERS)).toContain('camunda-edge-auth/dist/redis/redis-coordinator.js')
  })
})

const JOSE_SIGNING = /^jose\/dist\/webapi\/(?:jwt\/sign|jws\/)/

describe('private_key_jwt is loaded lazily', () => {
  it('rollup (as Vite builds) keeps jose signing out of what the core loads up front, in a chunk of its own', async () => {
    const built = await bundle(project, caseNamed('core'), 'rollup')
    expect(paths(built).filter((path) => JOSE_SIGNING.test(path))).toEqual([])
    expect(built.lazyModules.map((m) => m.path)).toContain('camunda-edge-auth/dist/token/client-assertion.js')
    expect(built.lazyModules.some((m) => JOSE_SIGNING.test(m.path))).toBe(true)
  })

  it('/browser (the broker token source) carries no signing code at all, in either bundler', async () => {
    for (const bundler of BUNDLERS) {
      const built = await bundle(project, caseNamed('browser'), bundler)
      expect(
        [...paths(built), ...built.lazyModules.map((m) => m.path)].filter(
          (path) => JOSE_SIGNING.test(path) || path.endsWith('client-assertion.js'),
        ),
      ).toEqual([])
    }
  })
})

/** Node-only files: the `*-node` entries (the dev server's loopback listener, the bin), files named node.js, and the file store's folder node/. */
const nodeOnly = (file: string) => /^[\w-]+-node\.js$/.test(file) || /(^|\/)node\.js$/.test(file) || file.startsWith('node/')
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!)

describe('Node built-ins', () => {
  it('are imported by no dist file outside the Node-only entries (dev-server-node, cli-node, */node.js)', async () => {
    const files = (await readdir(dist, { recursive: true })).filter((file) => file.endsWith('.js'))
    // Every import of every dist file, static or dynamic, as esbuild resolves it.
    const { metafile } = await build({
      entryPoints: files.map((file) => join(dist, file)),
      absWorkingDir: project,
      bundle: true,
      platform: 'node',
      packages: 'external',
      format: 'esm',
      write: false,
      outdir: join(project, 'imports-scan'),
      metafile: true,
      logLevel: 'silent',
    })
    const builtinsByFile = new Map<string, string[]>()
    for (const [input, { imports }] of Object.entries(metafile.inputs)) {
      const file = relative(dist, join(project, input))
      const builtins = imports.filter((i) => i.external && isBuiltin(i.path)).map((i) => i.path)
      if (builtins.length > 0) builtinsByFile.set(file, builtins)
    }
    const offenders = [...builtinsByFile].filter(([file]) => !nodeOnly(file))
    expect(offenders, 'dist files outside the Node-only entries that import a Node built-in').toEqual([])
    // The controls: the scan does see the loopback listener's node:http, and the file store's node:fs.
    expect(builtinsByFile.get('dev-server/node.js') ?? builtinsByFile.get('dev-server-node.js')).toContain('node:http')
    expect(builtinsByFile.get('node/file-store.js')).toContain('node:fs/promises')
    // /redis runs on Deno and in any bundler: none of its files imports a built-in.
    expect([...builtinsByFile.keys()].filter((file) => file === 'redis.js' || file.startsWith('redis/'))).toEqual([])
  })
})
