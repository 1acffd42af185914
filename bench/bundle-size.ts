/**
 * What each entry costs in a user's bundle: rollup + node-resolve + esbuild (for the TypeScript) +
 * terser, with `jose` and `zod` bundled in, measured as minified and gzipped bytes. Shared by
 * `npm run bench` (W5) and the budget test, so both measure exactly the same thing.
 * @module
 */

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { rollup, type OutputChunk, type Plugin } from 'rollup'
import nodeResolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import esbuild from 'rollup-plugin-esbuild'
import { transform } from 'esbuild'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const src = (file: string): string => JSON.stringify(`${ROOT}src/${file}`)

/**
 * One thing to measure: a name and the source of a virtual entry module, so that "the core alone"
 * is measured as a user importing just `createAuth` and `memoryStore` would pay for it.
 *
 * @example
 * ```ts
 * const entry: BundleEntry = { name: 'decodeJwt', code: "export { decodeJwt } from 'jose'" }
 * ```
 */
export interface BundleEntry {
  readonly name: string
  readonly code: string
  /** A project entry has a budget; an anchor (another library) is only there to compare with. */
  readonly anchor?: boolean
}

/**
 * The project's entries, then the anchors they are compared with.
 *
 * @example
 * ```ts
 * for (const entry of BUNDLE_ENTRIES) console.log(entry.name, (await measureBundle(entry)).gzip)
 * ```
 */
export const BUNDLE_ENTRIES: readonly BundleEntry[] = [
  { name: 'core', code: `export { createAuth, memoryStore } from ${src('index.ts')}` },
  { name: 'credentials+urls', code: `export { parseCredentials, createUrls } from ${src('index.ts')}` },
  { name: 'main', code: `export * from ${src('index.ts')}` },
  { name: 'dev-server', code: `export * from ${src('dev-server.ts')}` },
  { name: 'browser', code: `export * from ${src('browser.ts')}` },
  { name: 'workers', code: `export * from ${src('workers.ts')}` },
  { name: 'deno', code: `export * from ${src('deno.ts')}` },
  {
    name: 'oauth4webapi (client credentials)',
    code: `export { clientCredentialsGrantRequest, processClientCredentialsResponse } from 'oauth4webapi'`,
    anchor: true,
  },
  { name: 'jose decodeJwt', code: `export { decodeJwt } from 'jose'`, anchor: true },
]

/**
 * The bytes one entry costs, and where they come from.
 *
 * @example
 * ```ts
 * const { gzip, minified, groups } = await measureBundle(BUNDLE_ENTRIES[0]!)
 * ```
 */
export interface BundleSize {
  readonly name: string
  /** Minified bytes. */
  readonly minified: number
  /** Minified and gzipped (level 9) bytes: the number budgets are set in. */
  readonly gzip: number
  /**
   * Approximate attribution, largest first: each group's rendered (tree-shaken) code minified and
   * gzipped on its own. Groups are packages (`jose`, `zod`) or `src/<folder>`. The parts do not add
   * up to the total exactly: gzip shares its dictionary across the whole file.
   */
  readonly groups: readonly { readonly group: string; readonly gzip: number }[]
}

const VIRTUAL = '\0bench-entry'

function virtualEntry(code: string): Plugin {
  return {
    name: 'bench-virtual-entry',
    resolveId: (id) => (id === VIRTUAL ? id : null),
    load: (id) => (id === VIRTUAL ? code : null),
  }
}

/**
 * rollup-plugin-esbuild, for the TypeScript in src/, without its `resolveId`. node-resolve asks
 * the other plugins first; esbuild's hook then resolves the relative imports inside packages
 * (jose's `./lib/…`) to bare paths, which drops the `sideEffects: false` node-resolve would have
 * attached. Rollup then keeps jose's top-level algorithm tables (about 1 kB min+gzip) that no user
 * bundler (Vite, esbuild, webpack) would keep. The project's imports name their `.ts` files, so
 * the hook is not needed.
 */
function typescriptOnly(): Plugin {
  const { resolveId: _dropped, ...plugin } = esbuild({ target: 'es2022', tsconfig: `${ROOT}tsconfig.json` })
  return plugin
}

/**
 * Bundle `entry` as an application would (dependencies resolved and bundled, browser conditions,
 * tree-shaken, terser-minified) and measure it.
 *
 * @example
 * ```ts
 * const size = await measureBundle({ name: 'core', code: "export { createAuth } from './src/index.ts'" })
 * ```
 */
export async function measureBundle(entry: BundleEntry): Promise<BundleSize> {
  const build = await rollup({
    input: VIRTUAL,
    plugins: [virtualEntry(entry.code), nodeResolve({ browser: true }), typescriptOnly()],
    onwarn: () => {},
  })
  try {
    const { output } = await build.generate({
      format: 'esm',
      inlineDynamicImports: true,
      plugins: [terser({ module: true, compress: { passes: 2 }, format: { comments: false } })],
    })
    const chunk = output.find((o): o is OutputChunk => o.type === 'chunk')!
    return {
      name: entry.name,
      minified: Buffer.byteLength(chunk.code),
      gzip: gzipSize(chunk.code),
      groups: await attribute(chunk),
    }
  } finally {
    await build.close()
  }
}

/**
 * Measure every entry, one after the other (rollup builds in parallel only fight over 2 cores).
 *
 * @example
 * ```ts
 * const sizes = await measureBundles()
 * ```
 */
export async function measureBundles(entries: readonly BundleEntry[] = BUNDLE_ENTRIES): Promise<BundleSize[]> {
  const sizes: BundleSize[] = []
  for (const entry of entries) sizes.push(await measureBundle(entry))
  return sizes
}

function gzipSize(code: string): number {
  return gzipSync(code, { level: 9 }).length
}

function groupOf(id: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id)
  if (pkg) return pkg[1]!
  const own = /\/src\/(?:([^/]+)\/)?[^/]+$/.exec(id)
  if (own) return own[1] ? `src/${own[1]}` : 'src/*.ts'
  return '(entry)'
}

async function attribute(chunk: OutputChunk): Promise<{ group: string; gzip: number }[]> {
  const byGroup = new Map<string, string>()
  for (const [id, info] of Object.entries(chunk.modules)) {
    if (!info.code) continue
    const group = groupOf(id)
    byGroup.set(group, `${byGroup.get(group) ?? ''}\n${info.code}`)
  }
  const groups: { group: string; gzip: number }[] = []
  for (const [group, code] of byGroup) {
    // esbuild rather than terser here: only the proportions matter, and it is much faster.
    const { code: min } = await transform(code, { minify: true, format: 'esm', target: 'es2022', logLevel: 'silent' })
    groups.push({ group, gzip: gzipSize(min) })
  }
  return groups.sort((a, b) => b.gzip - a.gzip)
}

/**
 * The size budgets from `bench/budgets.json`: the most min+gzip bytes each project entry may
 * weigh. `npm test` fails when an entry grows past its budget.
 *
 * @example
 * ```ts
 * readBudgets().core // 7800
 * ```
 */
export function readBudgets(): Readonly<Record<string, number>> {
  return JSON.parse(readFileSync(`${ROOT}bench/budgets.json`, 'utf8')) as Record<string, number>
}
