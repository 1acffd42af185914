/**
 * What each entry costs in a user's bundle, measured from the packed tarball installed into an
 * empty project (`bench/packed-package.ts`), in the two bundlers users meet:
 *
 * - **esbuild** as wrangler runs it for a Worker: bundle, minify, ESM, target es2024, conditions
 *   `workerd`, `worker`, `browser`, esbuild's default (browser) platform, and `keepNames: true`
 *   (wrangler's default `keep_names`).
 * - **rollup** as Vite builds with it: `@rollup/plugin-node-resolve` with browser conditions, then
 *   `@rollup/plugin-terser`.
 *
 * Dependencies (`jose`, `zod`, `idb-keyval`) are bundled in; sizes are minified and gzipped at
 * level 9. rollup splits code at a dynamic `import()` as Vite does: a case's size is what loads up
 * front (the entry file and the files it imports statically, each gzipped as it is served), and
 * what only an `import()` loads is counted apart, as `lazy` (the package loads `private_key_jwt`'s
 * signing that way). esbuild does not split, as wrangler does not: a Worker's one file holds both.
 * Shared by `npm run bench` (W5), the budget test and the boundary test, so all three measure
 * exactly the same thing.
 * @module
 */

import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build, transform } from 'esbuild'
import { rollup, type OutputChunk } from 'rollup'
import nodeResolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** The two bundlers every case is measured in. */
export const BUNDLERS = ['esbuild', 'rollup'] as const
/** One of {@link BUNDLERS}. */
export type Bundler = (typeof BUNDLERS)[number]

/**
 * One thing to measure: a name and the source of the entry module a user's app would have, so
 * "the core alone" is measured as an app importing just `createAuth` and `memoryStore` pays for it.
 *
 * @example
 * ```ts
 * const sizeCase: SizeCase = { name: 'jose decodeJwt', code: "export { decodeJwt } from 'jose'", anchor: true }
 * ```
 */
export interface SizeCase {
  readonly name: string
  readonly code: string
  /** A project case has a budget; an anchor (another library) is only there to compare with. */
  readonly anchor?: boolean
}

/**
 * The project's cases, then the anchors they are compared with.
 *
 * @example
 * ```ts
 * for (const sizeCase of SIZE_CASES) console.log(sizeCase.name)
 * ```
 */
export const SIZE_CASES: readonly SizeCase[] = [
  { name: 'core', code: `export { createAuth, memoryStore } from 'camunda-edge-auth'` },
  { name: 'credentials+urls', code: `export { parseCredentials, createUrls } from 'camunda-edge-auth'` },
  { name: 'main', code: `export * from 'camunda-edge-auth'` },
  { name: 'browser', code: `export * from 'camunda-edge-auth/browser'` },
  { name: 'workers', code: `export * from 'camunda-edge-auth/workers'` },
  { name: 'deno', code: `export * from 'camunda-edge-auth/deno'` },
  { name: 'dev-server', code: `export * from 'camunda-edge-auth/dev-server'` },
  { name: 'redis', code: `export * from 'camunda-edge-auth/redis'` },
  {
    name: 'oauth4webapi (client credentials)',
    code: `export { clientCredentialsGrantRequest, processClientCredentialsResponse } from 'oauth4webapi'`,
    anchor: true,
  },
  { name: 'jose decodeJwt', code: `export { decodeJwt } from 'jose'`, anchor: true },
]

/**
 * One module in a bundle. `path` is the file inside the package that holds it:
 * `camunda-edge-auth/dist/auth/create-auth.js`, `zod/v4/mini/schemas.js`.
 */
export interface BundledModule {
  readonly path: string
  /** Its minified bytes in the bundle (esbuild: exact; rollup: its tree-shaken code, minified alone). */
  readonly bytes: number
}

/**
 * One case bundled by one bundler: the minified output and the modules that put code into it.
 */
export interface Bundle {
  readonly name: string
  readonly bundler: Bundler
  /** Each file that loads up front (the entry first), minified. */
  readonly files: readonly string[]
  /** Each file only a dynamic `import()` loads. */
  readonly lazyFiles: readonly string[]
  /** Every module with code in the files loaded up front, largest first. A module tree-shaken away is not listed. */
  readonly modules: readonly BundledModule[]
  /** Every module with code only in the lazily loaded files. */
  readonly lazyModules: readonly BundledModule[]
}

/**
 * The bytes one case costs in one bundler, and where they come from.
 *
 * @example
 * ```ts
 * const { gzip, minified, groups } = await measureBundle(project.dir, SIZE_CASES[0]!, 'esbuild')
 * ```
 */
export interface BundleSize {
  readonly name: string
  readonly bundler: Bundler
  /** Minified bytes loaded up front. */
  readonly minified: number
  /** Minified and gzipped (level 9) bytes loaded up front, each file alone: the number budgets are set in. */
  readonly gzip: number
  /** The same for what only a dynamic `import()` loads (0 where nothing is lazy). */
  readonly lazyGzip: number
  readonly modules: readonly BundledModule[]
  /**
   * The modules' minified bytes summed by group, largest first: a package (`jose`, `zod`) or a
   * folder of this package's `dist/` (`dist/auth`; `dist/*.js` for the top level).
   */
  readonly groups: readonly { readonly group: string; readonly bytes: number }[]
}

/** `.../node_modules/zod/v4/mini/schemas.js` → `zod/v4/mini/schemas.js`; the case's own entry file → `(entry)`. */
function modulePath(id: string): string {
  const inPackage = /(?:^|\/)node_modules\/(.+)$/.exec(id)
  return inPackage ? inPackage[1]! : '(entry)'
}

/**
 * The group a module's bytes are counted under.
 *
 * @example
 * ```ts
 * groupOf('camunda-edge-auth/dist/auth/create-auth.js') // 'dist/auth'
 * groupOf('@scope/pkg/index.js') // '@scope/pkg'
 * ```
 */
export function groupOf(path: string): string {
  const own = /^camunda-edge-auth\/dist\/(?:(.+)\/)?[^/]+$/.exec(path)
  if (own) return own[1] ? `dist/${own[1]}` : 'dist/*.js'
  const pkg = /^((?:@[^/]+\/)?[^/]+)\//.exec(path)
  return pkg ? pkg[1]! : path
}

const byBytes = <T extends { bytes: number }>(items: T[]): T[] => items.sort((a, b) => b.bytes - a.bytes)

/** The case's entry file inside the project, so that the package and its dependencies resolve from there. */
async function entryFile(project: string, sizeCase: SizeCase): Promise<string> {
  const dir = join(project, 'size-cases')
  await mkdir(dir, { recursive: true })
  const file = join(dir, `${sizeCase.name.replace(/[^a-z0-9]+/gi, '-')}.mjs`)
  await writeFile(file, `${sizeCase.code}\n`)
  return file
}

type Built = Omit<Bundle, 'name' | 'bundler'>

/** The files an entry loads before it runs (itself and its static imports), then the rest. */
function split<T>(entry: T, all: readonly T[], staticImports: (file: T) => readonly T[]): { upfront: T[]; lazy: T[] } {
  const upfront = [entry]
  for (let i = 0; i < upfront.length; i++) for (const next of staticImports(upfront[i]!)) if (!upfront.includes(next)) upfront.push(next)
  return { upfront, lazy: all.filter((file) => !upfront.includes(file)) }
}

async function bundleWithEsbuild(project: string, input: string): Promise<Built> {
  const result = await build({
    entryPoints: [input],
    absWorkingDir: project,
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2024',
    conditions: ['workerd', 'worker', 'browser'],
    keepNames: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    metafile: true,
    write: false,
    outfile: join(project, 'out.js'),
    logLevel: 'silent',
  })
  const [output] = Object.values(result.metafile.outputs)
  const modules = Object.entries(output!.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([id, input]) => ({ path: modulePath(id), bytes: input.bytesInOutput }))
  return { files: [result.outputFiles[0]!.text], lazyFiles: [], modules: byBytes(modules), lazyModules: [] }
}

async function bundleWithRollup(input: string): Promise<Built> {
  const bundle = await rollup({
    input,
    plugins: [nodeResolve({ browser: true, exportConditions: ['browser', 'module', 'production'] })],
    onwarn: (warning, warn) => {
      // An import rollup could not resolve would silently become external and shrink the bundle.
      if (warning.code === 'UNRESOLVED_IMPORT') throw new Error(warning.message)
      // zod's sources trip harmless notes (comment placement, internal cycles).
      if (warning.code !== 'INVALID_ANNOTATION' && warning.code !== 'CIRCULAR_DEPENDENCY') warn(warning)
    },
  })
  try {
    const { output } = await bundle.generate({
      format: 'esm',
      plugins: [terser({ module: true, compress: { passes: 2 }, format: { comments: false } })],
    })
    const chunks = output.filter((o): o is OutputChunk => o.type === 'chunk')
    const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]))
    const { upfront, lazy } = split(chunks.find((chunk) => chunk.isEntry)!, chunks, (chunk) =>
      chunk.imports.flatMap((name) => byName.get(name) ?? []),
    )
    const modulesOf = async (files: readonly OutputChunk[]) => {
      const modules: BundledModule[] = []
      for (const chunk of files) {
        for (const [id, info] of Object.entries(chunk.modules)) {
          if (!info.code || info.renderedLength === 0) continue
          // esbuild rather than terser for the parts: only the proportions matter, and it is much faster.
          const { code } = await transform(info.code, { minify: true, format: 'esm', target: 'es2022', logLevel: 'silent' })
          modules.push({ path: modulePath(id), bytes: Buffer.byteLength(code) })
        }
      }
      return byBytes(modules)
    }
    return {
      files: upfront.map((chunk) => chunk.code),
      lazyFiles: lazy.map((chunk) => chunk.code),
      modules: await modulesOf(upfront),
      lazyModules: await modulesOf(lazy),
    }
  } finally {
    await bundle.close()
  }
}

/**
 * Bundle `sizeCase` inside `project` (a directory with the package installed) as an application
 * would: dependencies resolved and bundled, tree-shaken, minified.
 *
 * @example
 * ```ts
 * const { modules } = await bundle(project.dir, SIZE_CASES[0]!, 'rollup')
 * ```
 */
export async function bundle(project: string, sizeCase: SizeCase, bundler: Bundler): Promise<Bundle> {
  const input = await entryFile(project, sizeCase)
  const built = bundler === 'esbuild' ? await bundleWithEsbuild(project, input) : await bundleWithRollup(input)
  return { name: sizeCase.name, bundler, ...built }
}

/**
 * Bundle `sizeCase` and measure it.
 *
 * @example
 * ```ts
 * const { gzip } = await measureBundle(project.dir, SIZE_CASES[0]!, 'esbuild')
 * ```
 */
export async function measureBundle(project: string, sizeCase: SizeCase, bundler: Bundler): Promise<BundleSize> {
  const { files, lazyFiles, modules } = await bundle(project, sizeCase, bundler)
  const groups = new Map<string, number>()
  for (const { path, bytes } of modules) groups.set(groupOf(path), (groups.get(groupOf(path)) ?? 0) + bytes)
  const gzip = (texts: readonly string[]) => texts.reduce((sum, text) => sum + gzipSync(text, { level: 9 }).length, 0)
  return {
    name: sizeCase.name,
    bundler,
    minified: files.reduce((sum, text) => sum + Buffer.byteLength(text), 0),
    gzip: gzip(files),
    lazyGzip: gzip(lazyFiles),
    modules,
    groups: byBytes([...groups].map(([group, bytes]) => ({ group, bytes }))),
  }
}

/**
 * Measure every case in every bundler, one build after the other (parallel builds only fight
 * over 2 cores).
 *
 * @example
 * ```ts
 * const sizes = await measureBundles(project.dir)
 * ```
 */
export async function measureBundles(project: string, cases: readonly SizeCase[] = SIZE_CASES): Promise<BundleSize[]> {
  const sizes: BundleSize[] = []
  for (const sizeCase of cases) for (const bundler of BUNDLERS) sizes.push(await measureBundle(project, sizeCase, bundler))
  return sizes
}

/**
 * Where a bundle's bytes are, for a failure message or a table cell: the largest groups, then
 * the largest modules.
 *
 * @example
 * ```ts
 * describeParts(size) // 'groups: zod 9,120, dist/credentials 4,010 · modules: zod/v4/core/schemas.js 5,200, …'
 * ```
 */
export function describeParts(size: BundleSize, count = 6): string {
  const list = (items: readonly { name: string; bytes: number }[]) =>
    items
      .slice(0, count)
      .map(({ name, bytes }) => `${name} ${bytes.toLocaleString('en-US')}`)
      .join(', ')
  return (
    `groups: ${list(size.groups.map((g) => ({ name: g.group, bytes: g.bytes })))} · ` +
    `modules: ${list(size.modules.map((m) => ({ name: m.path, bytes: m.bytes })))} (minified bytes)`
  )
}

/** Budgets: the most min+gzip bytes each project case may weigh, per bundler. */
export type Budgets = Readonly<Record<string, Readonly<Record<Bundler, number>>>>

/**
 * The size budgets from `bench/budgets.json`. `npm test` fails when a case grows past its budget
 * in either bundler.
 *
 * @example
 * ```ts
 * (await readBudgets()).core.esbuild // 6100
 * ```
 */
export async function readBudgets(): Promise<Budgets> {
  return JSON.parse(await readFile(join(ROOT, 'bench/budgets.json'), 'utf8')) as Budgets
}
